"""Writes that span several rows: list items, tables, whole article bodies.

The admin, the demo loader and the importer all write through here, so every
path sanitises and validates the same way and writes in bulk.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import snapshot
from .models import (
    Article,
    Block,
    BulletItem,
    ContentTable,
    ContentTableColumn,
    ContentTableRow,
    Section,
    TableInvalid,
    validate_table,
)
from .models.body import unique_anchor
from .sanitize import clean_inline, plain_text
from .snapshot import (
    ARTICLE_FIELDS,
    COLUMN_FIELDS,
    TABLE_FIELDS,
    BlockData,
    SectionData,
    Snapshot,
    TableData,
)
from .tabledata import Problem

NO_ITEMS = _("A list needs at least one item.")
RETRIEVED = ContentTable._meta.get_field("source_retrieved")


def build_table(block: Block, data: TableData):
    """Check a table as typed, then return it unsaved: table, columns and rows.

    `data` is a snapshot's table block. Raises TableInvalid, whose problems
    point at columns and cells.
    """
    columns, rows = list(data["columns"]), [list(row) for row in data["rows"]]
    validate_table(
        columns,
        rows,
        caption=data.get("caption") or "",
        source_note=data.get("source_note") or "",
        groups=data.get("groups") or (),
        row_headers=data.get("row_headers", True),
        chart=data,
    )
    layout = data.get("narrow_layout") or snapshot.NarrowLayout.SCROLL.value
    if layout not in snapshot.NarrowLayout.values:
        raise TableInvalid(
            [
                Problem(
                    "error",
                    gettext("“%(value)s” is not a layout for narrow screens.")
                    % {"value": layout},
                )
            ]
        )
    chart = data.get("chart") or ""
    table = ContentTable(
        block=block,
        caption=(data.get("caption") or "").strip(),
        source_note=(data.get("source_note") or "").strip(),
        source_url=(data.get("source_url") or "").strip(),
        source_retrieved=data.get("source_retrieved") or None,
        row_headers=data.get("row_headers", True),
        narrow_layout=layout,
        groups=[
            {
                "label": entry["label"].strip(),
                "start": entry["start"],
                "span": entry["span"],
            }
            for entry in data.get("groups") or ()
        ],
        # Settings of no chart are not kept: "no chart" reads the same everywhere.
        chart=chart,
        chart_category=data.get("chart_category") if chart else None,
        chart_series=list(data.get("chart_series") or []) if chart else [],
        chart_only=bool(data.get("chart_only")) if chart else False,
    )
    built_columns = [
        ContentTableColumn(
            table=table,
            position=position,
            **{
                key: column[key] for key in COLUMN_FIELDS if column.get(key) is not None
            },
        )
        for position, column in enumerate(columns)
    ]
    built_rows = [
        ContentTableRow(
            table=table, position=position, cells=[clean_inline(str(c)) for c in cells]
        )
        for position, cells in enumerate(rows)
    ]
    return table, built_columns, built_rows


def clean_items(items: Iterable[str]) -> list[str]:
    """Return the sanitised items, without empty ones."""
    cleaned = (clean_inline(item) for item in items)
    return [item for item in cleaned if plain_text(item)]


@transaction.atomic
def set_table(block: Block, data: dict) -> ContentTable:
    """Replace a table block's settings, columns and rows in a few queries."""
    table, columns, rows = build_table(block, data)
    ContentTable.objects.filter(block=block).delete()
    table.save()
    ContentTableColumn.objects.bulk_create(columns)
    ContentTableRow.objects.bulk_create(rows)
    return table


@transaction.atomic
def replace_body(
    article: Article, sections: Sequence[SectionData]
) -> list[SectionData]:
    """Replace an article's whole body with `sections` (the snapshot's format).

    Validates everything first and writes nothing if any part is refused; the
    error names the section and block. The number of queries does not depend
    on the size of the body. Returns the body as stored (cleaned), which is
    what a revision of it holds: `workflow.revise(..., sections=)` need not
    read it back.
    """
    body = _checked(article, sections)
    article.sections.all().delete()
    body.write()
    return body.sections_data()


@transaction.atomic
def write_body(article: Article, sections: Sequence[SectionData]) -> list[SectionData]:
    """`replace_body` for an article that has no body yet: nothing to delete."""
    body = _checked(article, sections)
    body.write()
    return body.sections_data()


def _checked(article: Article, sections: Sequence[SectionData]) -> "NewBody":
    body = NewBody(article)
    body.add_sections(sections)
    if body.problems:
        raise ValidationError(body.errors)
    return body


@dataclass(frozen=True)
class BodyProblem:
    """A refusal of part of a body, and where it is.

    `place` holds indexes counting from 0: "section", "block", and "row" and
    "column" in a table; a key is absent when it does not apply. `message`
    names the place as people count (from 1).
    """

    place: dict
    message: str

    def as_dict(self) -> dict:
        return {"place": dict(self.place), "message": self.message}


def _where(place: dict) -> str:
    """Name a block's place as people count (from 1); only for a refusal."""
    return gettext("Section %(section)d, block %(block)d") % {
        "section": place["section"] + 1,
        "block": place["block"] + 1,
    }


def _cell_place(problem: Problem) -> dict:
    """The row and column a table's problem points at, counting from 0."""
    place = {}
    if problem.row is not None:
        place["row"] = problem.row - 1
    if problem.column is not None:
        place["column"] = problem.column - 1
    return place


class NewBody:
    """An article's new body, built unsaved and checked part by part.

    Every refusal is kept in `problems`, so that a body's errors are all
    reported at once.
    """

    def __init__(self, article: Article | None = None):
        self.article = article
        self.problems: list[BodyProblem] = []
        self.anchors: set[str] = set()
        self.sections, self.blocks, self.items = [], [], []
        self.tables, self.columns, self.rows = [], [], []

    @property
    def errors(self) -> list[str]:
        """The problems' messages."""
        return [problem.message for problem in self.problems]

    def add_sections(self, sections: Sequence[SectionData]) -> None:
        """Add whole sections, blocks included."""
        for index, data in enumerate(sections):
            section = self.add_section(index, data)
            for position, block in enumerate(data.get("blocks", [])):
                self.add_block(section, position, block)

    def add_section(self, index: int, data: SectionData) -> Section:
        """Add a section's heading and anchor (not its blocks) and return it."""
        heading = data.get("heading") or ""
        section = Section(
            article=self.article,
            position=index,
            heading=heading,
            anchor=data.get("anchor") or unique_anchor(heading, self.anchors),
        )
        self.anchors.add(section.anchor)
        self.sections.append(section)
        return section

    def add_block(self, section: Section, position: int, data) -> None:
        """Add one block of `section` and what hangs off it, or record its refusal."""
        place = {"section": section.position, "block": position}
        try:
            self._build_block(section, position, data)
        except TableInvalid as error:
            for problem in error.problems:
                if problem.level != "error":
                    continue
                self._refuse({**place, **_cell_place(problem)}, problem.message)
        except ValidationError as error:
            for message in error.messages:
                self._refuse(place, message)

    def _refuse(self, place: dict, message: str) -> None:
        message = gettext("%(where)s: %(problem)s") % {
            "where": _where(place),
            "problem": message,
        }
        self.problems.append(BodyProblem(place, message))

    def _build_block(self, section: Section, position: int, data) -> None:
        """Build one block; raise ValidationError if it is refused."""
        block = Block(section=section, position=position, kind=data["type"])
        self.blocks.append(block)
        if block.kind == Block.Kind.PARAGRAPH:
            block.text = data["html"]
            block.full_clean(exclude=["section"])
        elif block.kind == Block.Kind.LIST:
            block.ordered = bool(data.get("ordered"))
            items = clean_items(data["items"])
            if not items:
                raise ValidationError(NO_ITEMS)
            self.items.extend(
                BulletItem(block=block, position=position, text=text)
                for position, text in enumerate(items)
            )
        elif block.kind == Block.Kind.TABLE:
            table, columns, rows = build_table(block, data)
            self.tables.append(table)
            self.columns.extend(columns)
            self.rows.extend(rows)
        else:
            raise ValidationError(
                gettext("unknown kind of block “%(kind)s”.") % {"kind": block.kind}
            )

    def sections_data(self) -> list[SectionData]:
        """The body as a revision's snapshot will hold it once written.

        Texts cleaned, empty list items dropped, anchors made: what
        `revisions.snapshot` reads back after `write`. Only for a body
        without problems.
        """
        blocks, items, tables = {}, {}, {}
        columns, rows = {}, {}
        for block in self.blocks:
            blocks.setdefault(id(block.section), []).append(block)
        for item in self.items:
            items.setdefault(id(item.block), []).append(item.text)
        for table in self.tables:
            tables[id(table.block)] = table
        for column in self.columns:
            columns.setdefault(id(column.table), []).append(column)
        for row in self.rows:
            rows.setdefault(id(row.table), []).append(row.cells)

        def block_data(block: Block) -> BlockData:
            if block.kind == Block.Kind.PARAGRAPH:
                return snapshot.paragraph(block.text)
            if block.kind == Block.Kind.LIST:
                return snapshot.bullet_list(
                    items.get(id(block), []), ordered=block.ordered
                )
            table = tables[id(block)]
            settings = {field: getattr(table, field) for field in TABLE_FIELDS}
            retrieved = RETRIEVED.to_python(settings.pop("source_retrieved"))
            return snapshot.table(
                **settings,
                source_retrieved=retrieved.isoformat() if retrieved else "",
                columns=[
                    snapshot.column(
                        **{field: getattr(column, field) for field in COLUMN_FIELDS}
                    )
                    for column in columns.get(id(table), [])
                ],
                rows=rows.get(id(table), []),
            )

        return [
            snapshot.section(
                section.heading,
                [block_data(block) for block in blocks.get(id(section), [])],
                anchor=section.anchor,
            )
            for section in self.sections
        ]

    def extend(self, other: "NewBody") -> None:
        """Take in another article's new body, to write both at once."""
        self.sections += other.sections
        self.blocks += other.blocks
        self.items += other.items
        self.tables += other.tables
        self.columns += other.columns
        self.rows += other.rows

    def write(self) -> None:
        # Parents first: bulk_create fills each child's foreign key from its
        # parent's new primary key.
        Section.objects.bulk_create(self.sections)
        Block.objects.bulk_create(self.blocks)
        BulletItem.objects.bulk_create(self.items)
        ContentTable.objects.bulk_create(self.tables)
        ContentTableColumn.objects.bulk_create(self.columns)
        ContentTableRow.objects.bulk_create(self.rows)


@transaction.atomic
def apply_snapshot(article: Article, data: Snapshot) -> None:
    """Make the working copy match a snapshot: its fields and its whole body."""
    for field in ARTICLE_FIELDS:
        setattr(article, field, data[field])
    article.save(update_fields=[*ARTICLE_FIELDS, "updated_at"])
    replace_body(article, data["sections"])
