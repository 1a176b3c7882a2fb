"""Snapshots of whole articles: the JSON that revisions keep and readers see.

Snapshot format (version 1):
    {"version": 1, "title": str, "standfirst": str, "byline": str, "source_credit": str,
     "sections": [{"heading": str, "anchor": str, "blocks": [
        {"type": "paragraph", "html": str}
      | {"type": "list", "ordered": bool, "items": [str]}
      | {"type": "table", "caption": str, "source_note": str,
         "columns": [{"label", "kind", "unit", "decimals", "align"}],
         "rows": [[str]]}]}]}
Paragraph, item and cell texts are sanitised inline HTML (see `sanitize`).
"""

from django.db import transaction
from django.db.models import Prefetch

from .models import Article, Block, Revision

SNAPSHOT_VERSION = 1


def snapshot(article: Article) -> dict:
    """Return the whole article, body included, as plain JSON-ready data."""
    blocks = Block.objects.select_related("table").prefetch_related(
        "items", "table__columns", "table__rows"
    )
    sections = article.sections.prefetch_related(Prefetch("blocks", queryset=blocks))
    return {
        "version": SNAPSHOT_VERSION,
        "title": article.title,
        "standfirst": article.standfirst,
        "byline": article.byline,
        "source_credit": article.source_credit,
        "sections": [
            {
                "heading": section.heading,
                "anchor": section.anchor,
                "blocks": [_block_data(block) for block in section.blocks.all()],
            }
            for section in sections
        ],
    }


def _block_data(block: Block) -> dict:
    if block.kind == Block.Kind.PARAGRAPH:
        return {"type": "paragraph", "html": block.text}
    if block.kind == Block.Kind.LIST:
        return {
            "type": "list",
            "ordered": block.ordered,
            "items": [item.text for item in block.items.all()],
        }
    table = block.table
    return {
        "type": "table",
        "caption": table.caption,
        "source_note": table.source_note,
        "columns": [
            {
                "label": column.label,
                "kind": column.kind,
                "unit": column.unit,
                "decimals": column.decimals,
                "align": column.align,
            }
            for column in table.columns.all()
        ],
        "rows": [row.cells for row in table.rows.all()],
    }


@transaction.atomic
def create_revision(article: Article, *, author=None, note: str = "") -> Revision:
    """Record the article as it now stands, unless the latest revision already does.

    Returns the new revision, or the latest one when nothing changed.
    """
    Article.objects.select_for_update().filter(pk=article.pk).first()
    data = snapshot(article)
    latest = article.revisions.order_by("-number").first()
    if latest is not None and latest.snapshot == data:
        return latest
    return Revision.objects.create(
        article=article,
        number=(latest.number + 1) if latest else 1,
        author=author,
        note=note,
        title=article.title,
        standfirst=article.standfirst,
        snapshot=data,
    )
