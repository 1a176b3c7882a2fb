"""A table's chart settings: checked, and read into the figures to draw.

No drawing here (that is `draw`): this part needs neither matplotlib nor a
request, so the editor's checks and the diff can use it cheaply.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import tabledata
from ..sanitize import plain_text
from ..snapshot import NUMERIC_KINDS, ChartKind, ColumnKind, column_headings
from ..tabledata import Problem

CATEGORY_KINDS = frozenset({ColumnKind.TEXT.value, ColumnKind.DATE.value})
MAX_SERIES = 6  # more lines or bars than this cannot be told apart
MAX_CATEGORIES = 100  # rows drawn; past this a chart is no longer readable


def _is_index(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_chart(columns: list[dict], data: Mapping) -> list[Problem]:
    """Refuse chart settings that cannot be drawn, in the editor's words.

    `data` is a table block (or any mapping with its chart keys). No chart
    (`chart` "" or absent) needs nothing else; a chart needs its categories
    from a text or date column and one to MAX_SERIES numeric columns.
    """
    kind = data.get("chart") or ""
    if not kind:
        return []
    if kind not in ChartKind.values:
        return [
            Problem("error", _("“%(kind)s” is not a kind of chart.") % {"kind": kind})
        ]
    headings = column_headings({"columns": columns, "groups": data.get("groups") or []})
    names = [
        heading or _("column %(number)d") % {"number": n}
        for n, heading in enumerate(headings, start=1)
    ]
    found = _check_category(columns, names, data.get("chart_category"))
    rows = len(data.get("rows") or [])
    if rows > MAX_CATEGORIES:
        found.append(
            (
                _(
                    "a chart can show at most %(max)d rows; this table has "
                    "%(rows)d. Show it as a table only."
                )
                % {"max": MAX_CATEGORIES, "rows": rows},
                None,
            )
        )
    found += _check_series(
        columns, names, data.get("chart_series"), data.get("chart_category")
    )
    if kind == ChartKind.STACKED_BAR and isinstance(data.get("chart_series"), list):
        found += _check_stacking(columns, names, data["chart_series"])
    return [
        Problem("error", _("Chart: %(problem)s") % {"problem": message}, column=column)
        for message, column in found
    ]


def _check_category(columns, names, category) -> list[tuple[str, int | None]]:
    if category is None:
        return [
            (
                _(
                    "choose the column that names the bars or points "
                    "(a text or date column)."
                ),
                None,
            )
        ]
    if not _is_index(category) or category >= len(columns):
        return [(_("the column for the categories is not in the table."), None)]
    if (columns[category].get("kind") or "text") not in CATEGORY_KINDS:
        message = _(
            "the categories come from a text or date column; “%(column)s” is a "
            "%(kind)s column."
        ) % {"column": names[category], "kind": _kind_name(columns[category])}
        return [(message, category + 1)]
    return []


def _check_series(columns, names, series, category) -> list[tuple[str, int | None]]:
    if not isinstance(series, list) or not series:
        return [
            (_("choose at least one number, percent or currency column to draw."), None)
        ]
    found = []
    if len(series) > MAX_SERIES:
        found.append(
            (
                ngettext(
                    "a chart can draw at most %(max)d column.",
                    "a chart can draw at most %(max)d columns.",
                    MAX_SERIES,
                )
                % {"max": MAX_SERIES},
                None,
            )
        )
    if len(set(map(repr, series))) != len(series):
        found.append((_("each column is drawn once; one is chosen twice."), None))
    for index in series:
        if not _is_index(index) or index >= len(columns):
            found.append((_("a column chosen to draw is not in the table."), None))
        elif (columns[index].get("kind") or "text") not in NUMERIC_KINDS:
            message = _(
                "only number, percent or currency columns can be drawn; "
                "“%(column)s” is a %(kind)s column."
            ) % {"column": names[index], "kind": _kind_name(columns[index])}
            found.append((message, index + 1))
        elif index == category:
            message = _("“%(column)s” cannot name the categories and be drawn too.") % {
                "column": names[index]
            }
            found.append((message, index + 1))
    return found


def _check_stacking(columns, names, series) -> list[tuple[str, int | None]]:
    """Stacked bars add their columns up: the same kind and unit, or nonsense."""
    drawn = [i for i in series if _is_index(i) and i < len(columns)]
    if not drawn:
        return []
    first = drawn[0]

    def measure(index):
        return (columns[index].get("kind"), (columns[index].get("unit") or "").strip())

    for index in drawn[1:]:
        if measure(index) != measure(first):
            message = _(
                "stacked bars add their columns up, so they need the same kind and "
                "unit; “%(column)s” is not measured as “%(first)s” is."
            ) % {"column": names[index], "first": names[first]}
            return [(message, index + 1)]
    return []


def _kind_name(column: Mapping) -> str:
    kind = column.get("kind") or "text"
    return str(ColumnKind(kind).label).lower() if kind in ColumnKind.values else kind


@dataclass(frozen=True)
class Series:
    name: str  # the column's heading
    column: dict  # its settings (kind, unit, decimals), for showing values
    values: list[float | None]  # one per category; None where a cell is empty
    shown: list[str]  # each value as the table shows it ("" for none)
    said: list[str]  # and as a sentence says it: with its unit


@dataclass(frozen=True)
class ChartData:
    """What a chart draws: categories in the table's order, and series."""

    kind: str
    caption: str
    source: str
    category_name: str
    categories: list[str]
    series: list[Series]

    @property
    def unit(self) -> str:
        """The values' unit, when every series has the same one ('' if none)."""
        units = {_unit(s.column) for s in self.series}
        return units.pop() if len(units) == 1 else ""

    @property
    def bar_count(self) -> int:
        """How many bars are drawn (columns and stacked parts too; 0 for lines)."""
        if self.kind == ChartKind.LINE:
            return 0
        return sum(value is not None for s in self.series for value in s.values)


def _unit(column: Mapping) -> str:
    if column.get("kind") == ColumnKind.PERCENT:
        return "%"
    return (column.get("unit") or "").strip()


def chart_data(block: Mapping) -> ChartData | None:
    """The figures of a table block's chart; None if it has none that can be drawn."""
    if not block.get("chart") or check_chart(block.get("columns") or [], block):
        return None
    columns = block["columns"]
    headings = column_headings(block)
    category = block["chart_category"]
    rows = block.get("rows") or []
    series = []
    for index in block["chart_series"]:
        column = columns[index]
        values, shown, said = [], [], []
        for row in rows:
            cell = row[index] if index < len(row) else ""
            try:
                value = tabledata.typed_value(column["kind"], cell)
            except ValueError:
                value = None
            values.append(None if value is None else float(value))
            text = tabledata.display(column, cell) or plain_text(cell)
            unit = tabledata.header_unit(column)
            number = isinstance(value, Decimal)
            shown.append(text if number else "")
            said.append((f"{text} {unit}" if unit else text) if number else "")
        series.append(Series(plain_text(headings[index]), column, values, shown, said))
    return ChartData(
        kind=block["chart"],
        caption=plain_text(block.get("caption") or ""),
        source=plain_text(block.get("source_note") or ""),
        category_name=plain_text(headings[category]),
        categories=[
            plain_text(row[category]) if category < len(row) else "" for row in rows
        ],
        series=series,
    )


def summary(chart: ChartData) -> str:
    """One sentence for the chart's <desc>: what it draws, its highest and lowest."""
    kinds = {
        ChartKind.BAR: _("Bar chart"),
        ChartKind.COLUMN: _("Column chart"),
        ChartKind.LINE: _("Line chart"),
        ChartKind.STACKED_BAR: _("Stacked bar chart"),
    }
    what = ", ".join(s.name for s in chart.series)
    points = [
        (value, shown, category, s.name)
        for s in chart.series
        for value, shown, category in zip(
            s.values, s.said, chart.categories, strict=False
        )
        if value is not None
    ]
    opening = _("%(kind)s of %(what)s by %(category)s") % {
        "kind": kinds[chart.kind],
        "what": what,
        "category": chart.category_name or _("row"),
    }
    if not points:
        return _("%(opening)s, with no figures yet.") % {"opening": opening}
    high = max(points, key=lambda point: point[0])
    low = min(points, key=lambda point: point[0])

    def said(point) -> str:
        value, shown, category, name = point
        if len(chart.series) > 1:
            return _("%(category)s (%(series)s) at %(value)s") % {
                "category": category,
                "series": name,
                "value": shown,
            }
        return _("%(category)s at %(value)s") % {"category": category, "value": shown}

    return _("%(opening)s: highest %(high)s, lowest %(low)s.") % {
        "opening": opening,
        "high": said(high),
        "low": said(low),
    }
