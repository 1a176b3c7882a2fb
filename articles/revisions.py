"""Snapshots of whole articles: the JSON that revisions keep and readers see.

Snapshot format (version 1):
    {"version": 1, "title": str, "standfirst": str, "byline": str, "source_credit": str,
     "sections": [{"heading": str, "anchor": str, "blocks": [
        {"type": "paragraph", "html": str}
      | {"type": "list", "ordered": bool, "items": [str]}
      | {"type": "table", "caption": str, "source_note": str, "source_url": str,
         "source_retrieved": "YYYY-MM-DD" or "", "row_headers": bool,
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
        "source_url": table.source_url,
        "source_retrieved": (
            table.source_retrieved.isoformat() if table.source_retrieved else ""
        ),
        "row_headers": table.row_headers,
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
def create_revision(
    article: Article, *, author=None, note: str = "", base: Revision | None = None
) -> Revision:
    """Record the article as it now stands, unless its current revision already does.

    Returns the new revision, or the current one when nothing changed.
    """
    Article.objects.select_for_update().filter(pk=article.pk).first()
    data = snapshot(article)
    current = article.current_revision()
    if current is not None and current.snapshot == data:
        return current
    return _new_revision(article, data, author=author, note=note, base=base)


def keep_aside(
    article: Article, data: dict, *, author, base: Revision | None, note: str
) -> Revision:
    """Keep a snapshot that could not be applied, so that nothing typed is lost."""
    return _new_revision(
        article, data, author=author, note=note, base=base, conflicted=True
    )


def _new_revision(article: Article, data: dict, **fields) -> Revision:
    last_number = (
        article.revisions.order_by("-number").values_list("number", flat=True).first()
    )
    return Revision.objects.create(
        article=article,
        number=(last_number or 0) + 1,
        title=data["title"],
        standfirst=data["standfirst"],
        snapshot=data,
        **fields,
    )
