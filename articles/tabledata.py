"""What a table's cells mean, and the checks a table must pass.

Cells are stored as the editor typed them (inline HTML). Here they become
typed values by their column's kind: numbers, percents and money as Decimal,
dates as date, text as text. Sorting, display and downloads all use these, and
`check_table` refuses what cannot be read, pointing at the cell.
"""

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from newsroom.formats import grouped

from .sanitize import plain_text
from .snapshot import NUMERIC_KINDS, ColumnKind, numbered_tables

MAX_ROWS = 1000
MAX_COLUMNS = 40
LONG_CELL = 300  # characters; longer cells are usually text that escaped the table

# The kinds as plain strings: they are compared with the kind of every cell,
# and reading an enum member costs four times as much as reading a global.
TEXT = ColumnKind.TEXT.value
NUMBER = ColumnKind.NUMBER.value
PERCENT = ColumnKind.PERCENT.value
CURRENCY = ColumnKind.CURRENCY.value
DATE = ColumnKind.DATE.value
KIND_NAMES = {
    NUMBER: gettext_lazy("a number"),
    PERCENT: gettext_lazy("a percentage"),
    CURRENCY: gettext_lazy("an amount"),
}
DATE_EXPECTED = gettext_lazy("a date (e.g. 2024-05-31 or 31 May 2024)")

# A number with an optional unit before or after it: "$1,200.50", "-3.5 %",
# "12 km", "1 234". Group separators are commas (or spaces) between threes.
_NUMBER = re.compile(
    r"^(?P<before>[^\d+\-−.]*?)\s*(?P<sign>[+\-−]?)\s*"
    r"(?P<digits>\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<after>[^\d]*?)$"
)
_BLOCK_TAG = re.compile(
    r"<\s*(h[1-6]|p|div|ul|ol|li|table|tr|td|th|blockquote|pre|hr|section|article)\b",
    re.IGNORECASE,
)
DATE_FORMATS = [
    "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d/%m/%Y",
    "%d.%m.%Y", "%Y-%m", "%B %Y", "%b %Y", "%Y",
]  # fmt: skip
CURRENCY_SYMBOLS = frozenset("$€£¥₽₸₹₩₺")


@dataclass(frozen=True)
class Problem:
    """Something wrong with a table; `row` and `column` count from 1."""

    level: str  # "error" blocks saving; "warning" blocks approval unless overridden
    message: str
    row: int | None = None
    column: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def parse_number(text: str) -> tuple[Decimal, str]:
    """Return the number in `text` and the unit written around it.

    Raises ValueError when `text` is not a number.
    """
    match = _NUMBER.match(text.replace("\u00a0", " ").replace("\u202f", " ").strip())
    if not match:
        raise ValueError(text)
    digits = re.sub(r"[,\s]", "", match["digits"])
    try:
        value = Decimal(digits)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if match["sign"] in {"-", "−"}:
        value = -value
    unit = f"{match['before']} {match['after']}".strip()
    return value, unit


def parse_date(text: str) -> date:
    """Return the date written in `text`, in one of the usual ways; else ValueError."""
    cleaned = " ".join(text.split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def typed_value(kind: str, cell: str):
    """Return the cell's value by its column's kind: Decimal, date, text or None."""
    text = plain_text(cell)
    if not text:
        return None
    if kind in NUMERIC_KINDS:
        return parse_number(text)[0]
    if kind == DATE:
        return parse_date(text)
    return text


def safe_value(kind: str, cell: str):
    """Like typed_value, but a cell that cannot be read counts as text."""
    try:
        return typed_value(kind, cell)
    except ValueError:
        return plain_text(cell)


def sort_key(kind: str, cell: str) -> tuple:
    """A key that sorts numbers by value, dates by time and text by collation.

    Empty cells sort last; cells that cannot be read sort after the rest.
    """
    value = safe_value(kind, cell)
    if value is None:
        return (2, "")
    if isinstance(value, str):
        return (1 if kind != TEXT else 0, collation_key(value))
    if isinstance(value, date):
        return (0, value.toordinal())
    return (0, float(value))


def collation_key(text: str) -> str:
    """Compare text as readers expect: ignoring case and accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def display(column: dict, cell: str) -> str | None:
    """The plain text a numeric cell shows readers; None to show the cell as typed."""
    kind = column.get("kind") or TEXT
    if kind not in NUMERIC_KINDS:
        return None
    value = safe_value(kind, cell)
    if not isinstance(value, Decimal):
        return None
    decimals = column.get("decimals")
    if decimals is not None:  # number_format cuts digits off; round them instead
        value = value.quantize(Decimal(1).scaleb(-int(decimals)), ROUND_HALF_UP)
    shown = number_format(
        value, decimal_pos=decimals, use_l10n=True, force_grouping=True
    )
    if kind == PERCENT:
        return f"{shown}%"
    unit = (column.get("unit") or "").strip()
    if kind == CURRENCY and unit:
        return f"{unit}{shown}" if unit in CURRENCY_SYMBOLS else f"{shown} {unit}"
    return shown


def header_unit(column: dict) -> str:
    """The unit shown after a column's label ('' when the cells carry it)."""
    unit = (column.get("unit") or "").strip()
    if column.get("kind") in {PERCENT, CURRENCY}:
        return ""
    return unit


def export_value(column: dict, cell: str):
    """The cell for downloads: numbers as numbers, dates as ISO dates, else text."""
    value = safe_value(column.get("kind") or TEXT, cell)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def check_table(
    columns: list[dict],
    rows: list[list[str]],
    *,
    caption: str = "",
    source_note: str = "",
) -> list[Problem]:
    """Return every problem of a table, as typed (cells not yet sanitised).

    A table past the size limits gets no further checks.
    """
    problems: list[Problem] = []
    if not columns:
        problems.append(Problem("error", _("A table needs at least one column.")))
    if len(rows) > MAX_ROWS or len(columns) > MAX_COLUMNS:
        problems.append(
            Problem(
                "error",
                _(
                    "This table has %(rows)s rows and %(columns)s columns; the "
                    "limit is %(max_rows)s rows × %(max_columns)s columns."
                )
                % {
                    "rows": grouped(len(rows)),
                    "columns": grouped(len(columns)),
                    "max_rows": grouped(MAX_ROWS),
                    "max_columns": MAX_COLUMNS,
                },
            )
        )
        return problems
    problems += _check_labels(columns)
    problems += _check_rows(columns, rows)
    for c, column in enumerate(columns, start=1):
        cells = [row[c - 1] for row in rows if len(row) == len(columns)]
        problems += _check_units(column, cells, c)
    problems += _check_credits(caption, source_note)
    return problems


def _check_labels(columns: list[dict]) -> list[Problem]:
    """Refuse columns without a label, or labelled as another is (ignoring case)."""
    problems = []
    labels: dict[str, int] = {}
    for number, column in enumerate(columns, start=1):
        label = plain_text(column.get("label") or "")
        if not label:
            problems.append(
                Problem(
                    "error",
                    _("Column %(number)d needs a label.") % {"number": number},
                    column=number,
                )
            )
        elif label.casefold() in labels:
            problems.append(
                Problem(
                    "error",
                    _(
                        "Columns %(first)d and %(number)d are both labelled "
                        "“%(label)s”: give each column its own label."
                    )
                    % {
                        "first": labels[label.casefold()],
                        "number": number,
                        "label": label,
                    },
                    column=number,
                )
            )
        else:
            labels[label.casefold()] = number
    return problems


def _check_rows(columns: list[dict], rows: list[list[str]]) -> list[Problem]:
    """Refuse rows without one cell per column, and check the cells of the rest."""
    problems = []
    for r, cells in enumerate(rows, start=1):
        if len(cells) != len(columns):
            problems.append(
                Problem(
                    "error",
                    ngettext(
                        "Row %(row)d has %(cells)d cell but the table has "
                        "%(columns)d columns: each row needs exactly one cell per "
                        "column.",
                        "Row %(row)d has %(cells)d cells but the table has "
                        "%(columns)d columns: each row needs exactly one cell per "
                        "column.",
                        len(cells),
                    )
                    % {"row": r, "cells": len(cells), "columns": len(columns)},
                    row=r,
                )
            )
            continue
        for c, (column, cell) in enumerate(zip(columns, cells, strict=True), start=1):
            problems.extend(_check_cell(column, cell, r, c))
    return problems


def _check_credits(caption: str, source_note: str) -> list[Problem]:
    """Warn of a missing caption or source note."""
    problems = []
    if not plain_text(caption):
        problems.append(
            Problem("warning", _("The table has no caption: say what it shows."))
        )
    if not plain_text(source_note):
        problems.append(
            Problem(
                "warning",
                _("The table has no source: say where the figures come from."),
            )
        )
    return problems


def _where(column: dict, row: int, number: int) -> str:
    label = plain_text(column.get("label") or "") or _("column %(number)d") % {
        "number": number
    }
    return _("Row %(row)d, “%(label)s”") % {"row": row, "label": label}


def _check_cell(column: dict, cell: str, row: int, number: int) -> list[Problem]:
    # Named only when there is a problem: most cells of a large table have none.
    where = partial(_where, column, row, number)
    if _BLOCK_TAG.search(cell) or "\n" in cell.strip():
        return [
            Problem(
                "error",
                _(
                    "%(where)s holds several paragraphs or a heading. A cell holds "
                    "one short value: move that text out of the table, after it."
                )
                % {"where": where()},
                row,
                number,
            )
        ]
    text = plain_text(cell)
    problems = []
    if len(text) > LONG_CELL:
        problems.append(
            Problem(
                "warning",
                _(
                    "%(where)s is %(length)s characters long: did text after the "
                    "table end up inside it?"
                )
                % {"where": where(), "length": grouped(len(text))},
                row,
                number,
            )
        )
    kind = column.get("kind") or TEXT
    if not text or kind == TEXT:
        return problems
    try:
        typed_value(kind, cell)
    except ValueError:
        expected = KIND_NAMES.get(kind, DATE_EXPECTED)
        message = _("%(where)s: “%(text)s” is not %(expected)s.") % {
            "where": where(),
            "text": text,
            "expected": expected,
        }
        problems.append(Problem("error", message, row, number))
    return problems


def _check_units(column: dict, cells: list[str], number: int) -> list[Problem]:
    """Refuse a numeric column whose cells are written in different units."""
    kind = column.get("kind") or TEXT
    if kind not in NUMERIC_KINDS:
        return []
    seen: dict[str, int] = {}
    for row, cell in enumerate(cells, start=1):
        text = plain_text(cell)
        if not text:
            continue
        try:
            unit = parse_number(text)[1]
        except ValueError:
            continue
        unit = "" if kind == PERCENT and unit == "%" else unit
        seen.setdefault(unit, row)
    written = {unit: row for unit, row in seen.items() if unit}
    if len(seen) < 2 or not written:
        return []
    label = plain_text(column.get("label") or "") or _("column %(number)d") % {
        "number": number
    }
    listing = ", ".join(
        _("“%(unit)s” (row %(row)d)") % {"unit": unit or _("no unit"), "row": row}
        for unit, row in seen.items()
    )
    first_odd = sorted(seen.values())[1]
    return [
        Problem(
            "error",
            _(
                "“%(label)s” mixes units: %(listing)s. Use one unit per column and "
                "put it in the column's unit setting."
            )
            % {"label": label, "listing": listing},
            first_odd,
            number,
        )
    ]


def snapshot_warnings(snapshot: dict) -> list[str]:
    """The warnings of every table in an article snapshot, naming the table."""
    found = []
    for number, block in numbered_tables(snapshot):
        if block.get("caption"):
            name = _("Table %(number)d (“%(caption)s”)") % {
                "number": number,
                "caption": plain_text(block["caption"]),
            }
        else:
            name = _("Table %(number)d") % {"number": number}
        found.extend(
            f"{name}: {problem.message}"
            for problem in check_table(
                block["columns"],
                block["rows"],
                caption=block.get("caption") or "",
                source_note=block.get("source_note") or "",
            )
            if problem.level == "warning"
        )
    return found
