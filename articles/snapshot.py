"""The snapshot schema: the one definition of an article tree as JSON.

Every revision holds its article as a snapshot (`Revision.snapshot`, made by
`revisions.snapshot`); the public pages, the diffs, the table downloads,
search, backups and the editors all read it, and `services.replace_body`
writes the body of one back. Version 1, with every key:

    {"version": 1, "title": "Caspian ports report a busier autumn",
     "standfirst": "", "byline": "Demo desk", "source_credit": "",
     "sections": [
       {"heading": "", "anchor": "section", "blocks": [
         {"type": "paragraph", "html": "Cargo rose <i>sharply</i>."},
         {"type": "list", "ordered": false, "items": ["Aktau", "Baku"]}]},
       {"heading": "Cargo by port", "anchor": "cargo-by-port", "blocks": [
         {"type": "table", "caption": "Cargo handled",
          "source_note": "Port operators", "source_url": "",
          "source_retrieved": "2024-11-30", "row_headers": true,
          "narrow_layout": "scroll",
          "columns": [
            {"label": "Port", "kind": "text", "unit": "", "decimals": null,
             "align": "auto"},
            {"label": "Cargo", "kind": "number", "unit": "million t",
             "decimals": 1, "align": "auto"}],
          "groups": [],
          "rows": [["Aktau", "2.4"], ["Baku", "3.1"]]}]}]}

Paragraph, list item and cell texts are sanitised inline HTML (bold, italic,
links: `sanitize.clean_inline`); title, headings, captions and labels are plain
text. A table is rectangular: each row holds one cell per column, as typed.

A table's `groups` label runs of adjacent columns ("2024" over "Wins" and
"Losses"): each is {"label": "2024", "start": 1, "span": 2}, `start` the
index of its first column counting from 0. Groups do not overlap, lie within
the columns and are listed left to right; a column in no group has none.
Shown as a header row above the labels, exported as "2024: Wins".
A column's label may be empty: the corner above a column of row headers
needs none; elsewhere it is a warning (`tabledata.check_table`).

A table may also be drawn as a chart (`chart`: bar, column, line or
stacked_bar; "" for none): its categories from the column at index
`chart_category` (text or date), one series per numeric column listed in
`chart_series`; with `chart_only`, readers see the chart and open the table
on request. Checked by `charts.check_chart`, rendered by `charts`.

Tables are numbered 1, 2... in reading order through the whole article
(`numbered_tables`); download and embed addresses, anchors and warnings use
these numbers.

A table's `narrow_layout` says how it is shown on a narrow screen: "scroll"
(sideways inside its own region, the first column and the header staying in
view) or "stack" (each row as a card of label: value pairs).

Revisions are kept for ever, so the format only ever gains keys, and readers
take a missing key as its default (tables saved before migration 0004 have no
source address, retrieval date or row headers; before 0011, no groups;
before 0013, no chart: `CHART_DEFAULTS`; before 0014, no narrow layout:
"scroll"). The
checks on a tree are `services.replace_body` and `tabledata.check_table`.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, NotRequired, TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

VERSION = 1


class BlockType(models.TextChoices):
    """A block's `type`."""

    PARAGRAPH = "paragraph", _("Paragraph")
    LIST = "list", _("Bullet list")
    TABLE = "table", _("Table")


class ColumnKind(models.TextChoices):
    """A table column's `kind`: how its cells are read, sorted and shown."""

    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    PERCENT = "percent", _("Percent")
    CURRENCY = "currency", _("Currency")
    DATE = "date", _("Date")


class ChartKind(models.TextChoices):
    """A table's `chart`: how its figures are also drawn ("" for no chart)."""

    NONE = "", _("No chart")
    BAR = "bar", _("Bar (horizontal)")
    COLUMN = "column", _("Column (vertical bars)")
    LINE = "line", _("Line")
    STACKED_BAR = "stacked_bar", _("Stacked bar")


class Align(models.TextChoices):
    """A table column's `align`."""

    AUTO = "auto", _("Automatic (numbers right, text left)")
    LEFT = "left", _("Left")
    CENTER = "center", _("Centre")
    RIGHT = "right", _("Right")


class NarrowLayout(models.TextChoices):
    """A table's `narrow_layout`: how it is shown on a screen narrower than it."""

    SCROLL = "scroll", _("Scroll sideways")
    STACK = "stack", _("Stack each row as a card")


# Kinds whose cells are numbers: read as decimals, shown with their decimals
# and unit, exported as numbers. Plain strings, as cells' kinds are: looked up
# for every cell.
NUMERIC_KINDS = frozenset(
    kind.value for kind in (ColumnKind.NUMBER, ColumnKind.PERCENT, ColumnKind.CURRENCY)
)
# What `Align.AUTO` means for each kind: numbers right, so that digits line up.
DEFAULT_ALIGN = {
    kind.value: (Align.RIGHT if kind in NUMERIC_KINDS else Align.LEFT).value
    for kind in ColumnKind
}

# The keys of an article, a table block and a column that hold its settings,
# in their order in a snapshot (the relational models have fields of the same
# names).
ARTICLE_FIELDS = ("title", "standfirst", "byline", "source_credit")
TABLE_FIELDS = (
    "caption",
    "source_note",
    "source_url",
    "source_retrieved",
    "row_headers",
    "narrow_layout",
    "groups",
    "chart",
    "chart_category",
    "chart_series",
    "chart_only",
)
# What a table block without chart keys (saved before migration 0012) means.
CHART_DEFAULTS = {
    "chart": "",
    "chart_category": None,
    "chart_series": [],
    "chart_only": False,
}
COLUMN_FIELDS = ("label", "kind", "unit", "decimals", "align")


class ColumnData(TypedDict):
    label: str
    kind: str  # a ColumnKind
    unit: str
    decimals: int | None  # digits after the point; None: as typed
    align: str  # an Align


class GroupData(TypedDict):
    label: str  # plain text, not empty
    start: int  # the first column's index, from 0
    span: int  # how many columns, at least 1


class ParagraphData(TypedDict):
    type: Literal["paragraph"]
    html: str


class ListData(TypedDict):
    type: Literal["list"]
    ordered: bool
    items: list[str]


class TableData(TypedDict):
    type: Literal["table"]
    caption: str
    source_note: str
    # Absent from tables saved before migration 0004: "", "" and True.
    source_url: NotRequired[str]
    source_retrieved: NotRequired[str]  # "YYYY-MM-DD" or ""
    row_headers: NotRequired[bool]  # the first column names the rows
    narrow_layout: NotRequired[str]  # a NarrowLayout; absent before 0014: "scroll"
    columns: list[ColumnData]
    groups: NotRequired[list[GroupData]]  # absent before migration 0011: []
    rows: list[list[str]]
    # Absent before migration 0012 (CHART_DEFAULTS): no chart.
    chart: NotRequired[str]  # a ChartKind; "" for none
    chart_category: NotRequired[int | None]  # the index of a text or date column
    chart_series: NotRequired[list[int]]  # indexes of numeric columns
    chart_only: NotRequired[bool]  # the table is shown only on request


BlockData = ParagraphData | ListData | TableData


class SectionData(TypedDict):
    heading: str  # "" for the opening section (the lede)
    anchor: str  # unique in the article; "" on input: made from the heading
    blocks: list[BlockData]


class Snapshot(TypedDict):
    version: int
    title: str
    standfirst: str
    byline: str
    source_credit: str
    sections: list[SectionData]


def effective_align(column: Mapping) -> str:
    """Return left, right or center for a column; `auto` follows its kind."""
    align = column.get("align") or Align.AUTO
    if align != Align.AUTO:
        return align
    kind = column.get("kind") or ColumnKind.TEXT
    return DEFAULT_ALIGN.get(kind, DEFAULT_ALIGN[ColumnKind.TEXT])


def numbered_tables(snapshot: Mapping) -> list[tuple[int, TableData]]:
    """Return the article's tables with their numbers, from 1 in reading order.

    The only count of an article's tables: the page's anchors, the download
    and embed addresses and the review's warnings must agree on it.
    """
    tables = (
        block
        for section in snapshot["sections"]
        for block in section["blocks"]
        if block["type"] == BlockType.TABLE
    )
    return list(enumerate(tables, start=1))


# Builders of each part with every key, in snapshot order. The importer and the
# demo content make their bodies with them.


def column(
    label: str,
    kind: str = ColumnKind.TEXT.value,
    *,
    unit: str = "",
    decimals: int | None = None,
    align: str = Align.AUTO.value,
) -> ColumnData:
    return {
        "label": label,
        "kind": kind,
        "unit": unit,
        "decimals": decimals,
        "align": align,
    }


def paragraph(html: str) -> ParagraphData:
    return {"type": "paragraph", "html": html}


def bullet_list(items: Iterable[str], *, ordered: bool = False) -> ListData:
    return {"type": "list", "ordered": ordered, "items": list(items)}


def table(
    caption: str,
    columns: Iterable[ColumnData],
    rows: Iterable[Sequence[str]],
    *,
    source_note: str = "",
    source_url: str = "",
    source_retrieved: str = "",
    row_headers: bool = True,
    narrow_layout: str = NarrowLayout.SCROLL.value,
    groups: Iterable[GroupData] = (),
    chart: str = "",
    chart_category: int | None = None,
    chart_series: Iterable[int] = (),
    chart_only: bool = False,
) -> TableData:
    return {
        "type": "table",
        "caption": caption,
        "source_note": source_note,
        "source_url": source_url,
        "source_retrieved": source_retrieved,
        "row_headers": row_headers,
        "narrow_layout": narrow_layout,
        "columns": list(columns),
        "groups": [dict(group) for group in groups],
        "rows": [list(row) for row in rows],
        "chart": chart,
        "chart_category": chart_category,
        "chart_series": list(chart_series),
        "chart_only": chart_only,
    }


def group(label: str, start: int, span: int) -> GroupData:
    return {"label": label, "start": start, "span": span}


def column_groups(data: Mapping) -> list[str]:
    """Each column's group label ("" for none), from a table block's `groups`."""
    labels = [""] * len(data["columns"])
    for entry in data.get("groups") or ():
        for index in range(entry["start"], entry["start"] + entry["span"]):
            if 0 <= index < len(labels):
                labels[index] = entry["label"]
    return labels


def column_headings(data: Mapping) -> list[str]:
    """Each column's label after its group's ("2024: Wins"): how columns are named
    apart where a label repeats under different groups (downloads, diffs)."""
    return [
        f"{group}: {column['label']}" if group else column["label"]
        for group, column in zip(column_groups(data), data["columns"], strict=True)
    ]


def section(
    heading: str, blocks: Iterable[BlockData], *, anchor: str = ""
) -> SectionData:
    return {"heading": heading, "anchor": anchor, "blocks": list(blocks)}
