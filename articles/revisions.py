"""Snapshots of whole articles: the JSON that revisions keep and readers see.

The format is defined in `snapshot` (the module), with an example.
"""

from django.db import transaction

from .models import (
    Article,
    Block,
    BulletItem,
    ContentTable,
    ContentTableColumn,
    ContentTableRow,
    Revision,
)
from .snapshot import (
    ARTICLE_FIELDS,
    COLUMN_FIELDS,
    TABLE_FIELDS,
    VERSION,
    BlockData,
    SectionData,
    Snapshot,
    bullet_list,
    column,
    paragraph,
    section,
    table,
)


def snapshot(article: Article, sections: list[SectionData] | None = None) -> Snapshot:
    """Return the whole article, body included, as plain JSON-ready data.

    Six queries of plain values whatever the article's size: no model
    instances, as every save of an article makes one of these. None when
    `sections` is the body as just stored (what `services.replace_body`
    returns).
    """
    return {
        "version": VERSION,
        **{field: getattr(article, field) for field in ARTICLE_FIELDS},
        "sections": _read_body(article) if sections is None else sections,
    }


def _read_body(article: Article) -> list[SectionData]:
    sections = list(article.sections.values("id", "heading", "anchor"))
    body = _Body(article)
    return [
        section(
            data["heading"],
            [body.block_data(b) for b in body.blocks.get(data["id"], [])],
            anchor=data["anchor"],
        )
        for data in sections
    ]


class _Body:
    """An article's blocks and what they hold, as plain values: five queries.

    Each kind of row is grouped by its parent's id, in its model's order.
    """

    def __init__(self, article: Article):
        in_article = {"section__article": article}
        self.blocks = _grouped(
            Block.objects.filter(**in_article).values(
                "id", "section_id", "kind", "text", "ordered"
            ),
            "section_id",
        )
        self.items = _grouped(
            BulletItem.objects.filter(block__section__article=article).values(
                "block_id", "text"
            ),
            "block_id",
        )
        in_table = {"table__block__section__article": article}
        self.tables = {
            table["block_id"]: table
            for table in ContentTable.objects.filter(
                block__section__article=article
            ).values("block_id", *TABLE_FIELDS)
        }
        self.columns = _grouped(
            ContentTableColumn.objects.filter(**in_table).values(
                "table_id", *COLUMN_FIELDS
            ),
            "table_id",
        )
        self.rows = _grouped(
            ContentTableRow.objects.filter(**in_table).values("table_id", "cells"),
            "table_id",
        )

    def block_data(self, block: dict) -> BlockData:
        """The snapshot of one block (a row of `self.blocks`)."""
        if block["kind"] == Block.Kind.PARAGRAPH:
            return paragraph(block["text"])
        if block["kind"] == Block.Kind.LIST:
            items = self.items.get(block["id"], [])
            return bullet_list(
                [item["text"] for item in items], ordered=block["ordered"]
            )
        return self._table_data(block["id"])

    def _table_data(self, block_id: int) -> BlockData:
        settings = {field: self.tables[block_id][field] for field in TABLE_FIELDS}
        retrieved = settings.pop("source_retrieved")
        return table(
            **settings,
            source_retrieved=retrieved.isoformat() if retrieved else "",
            columns=[
                column(**{field: data[field] for field in COLUMN_FIELDS})
                for data in self.columns.get(block_id, [])
            ],
            rows=[row["cells"] for row in self.rows.get(block_id, [])],
        )


def _grouped(values, key: str) -> dict:
    """Group value dicts (already in their model's order) by one of their keys."""
    groups: dict = {}
    for value in values:
        groups.setdefault(value[key], []).append(value)
    return groups


@transaction.atomic
def create_revision(
    article: Article,
    *,
    author=None,
    note: str = "",
    base: Revision | None = None,
    sections: list[SectionData] | None = None,
) -> Revision:
    """Record the article as it now stands, unless its current revision already does.

    Returns the new revision, or the current one when nothing changed; its
    `created_now` says which.
    """
    Article.objects.select_for_update().filter(pk=article.pk).first()
    return record(article, author=author, note=note, base=base, sections=sections)


def record(
    article: Article,
    *,
    author=None,
    note: str = "",
    base: Revision | None = None,
    sections: list[SectionData] | None = None,
) -> Revision:
    """`create_revision` for a caller that holds the article's row lock.

    `sections`: the body as just stored, if the caller has it (see `snapshot`).
    """
    data = snapshot(article, sections)
    latest = article.revisions.order_by("-number").first()
    current = latest
    if latest is not None and latest.conflicted:
        current = article.current_revision()
    if current is not None and current.snapshot == data:
        current.created_now = False
        return current
    return _new_revision(article, data, latest, author=author, note=note, base=base)


def keep_aside(
    article: Article, data: dict, *, author, base: Revision | None, note: str
) -> Revision:
    """Keep a snapshot that could not be applied, so that nothing typed is lost."""
    latest = article.revisions.order_by("-number").first()
    return _new_revision(
        article, data, latest, author=author, note=note, base=base, conflicted=True
    )


def _new_revision(
    article: Article, data: dict, latest: Revision | None, **fields
) -> Revision:
    revision = Revision.objects.create(
        article=article,
        number=latest.number + 1 if latest is not None else 1,
        title=data["title"],
        standfirst=data["standfirst"],
        snapshot=data,
        **fields,
    )
    revision.created_now = True
    return revision
