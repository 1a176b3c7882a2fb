"""The checks a table must pass, pointing at the column, row and cell."""

import re
from dataclasses import asdict, dataclass
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from newsroom.formats import grouped

from ..sanitize import plain_text
from ..snapshot import NUMERIC_KINDS, column_groups, numbered_tables
from .values import CURRENCY, NUMBER, PERCENT, TEXT, parse_number, typed_value

MAX_ROWS = 1000
MAX_COLUMNS = 40
LONG_CELL = 300  # characters; longer cells are usually text that escaped the table
KIND_NAMES = {
    NUMBER: gettext_lazy("a number"),
    PERCENT: gettext_lazy("a percentage"),
    CURRENCY: gettext_lazy("an amount"),
}
DATE_EXPECTED = gettext_lazy("a date (e.g. 2024-05-31 or 31 May 2024)")

_BLOCK_TAG = re.compile(
    r"<\s*(h[1-6]|p|div|ul|ol|li|table|tr|td|th|blockquote|pre|hr|section|article)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Problem:
    """Something wrong with a table; `row` and `column` count from 1."""

    level: str  # "error" blocks saving; "warning" blocks approval unless overridden
    message: str
    row: int | None = None
    column: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def check_table(
    columns: list[dict],
    rows: list[list[str]],
    *,
    caption: str = "",
    source_note: str = "",
    groups=(),
    row_headers: bool = True,
) -> list[Problem]:
    """Return every problem of a table, as typed (cells not yet sanitised).

    A table past the size limits gets no further checks. `groups` are the
    snapshot's column groups, their shape already checked (`parse_body`).
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
    # `parse_body` names a malformed group's key; other callers get this.
    groups = list(groups or ())
    if not all(_well_formed(entry) for entry in groups):
        problems.append(
            Problem(
                "error",
                _("A column group needs a label, a first column and a width."),
            )
        )
        groups = [entry for entry in groups if _well_formed(entry)]
    problems += _check_groups(groups, len(columns))
    problems += _check_labels(columns, groups, row_headers)
    problems += _check_rows(columns, rows)
    for c, column in enumerate(columns, start=1):
        cells = [row[c - 1] for row in rows if len(row) == len(columns)]
        problems += _check_units(column, cells, c)
    problems += _check_credits(caption, source_note)
    return problems


def _well_formed(entry) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("label"), str)
        and all(
            isinstance(entry.get(key), int) and not isinstance(entry.get(key), bool)
            for key in ("start", "span")
        )
    )


def _check_groups(groups, width: int) -> list[Problem]:
    """Refuse groups without a label, outside the columns or overlapping."""
    problems = []
    end = 0  # the first column the next group may cover
    for entry in groups:
        start, span = entry["start"], entry["span"]
        label = plain_text(entry.get("label") or "")
        values = {"label": label, "first": start + 1, "last": start + span}
        if not label:
            message = _("The group over columns %(first)d–%(last)d needs a label.")
        elif span < 1 or start < 0 or start + span > width:
            message = _(
                "The group “%(label)s” covers columns %(first)d–%(last)d, "
                "which the table does not have."
            )
        elif start < end:
            message = _(
                "The group “%(label)s” overlaps the group before it: a column "
                "belongs to one group at most."
            )
        else:
            end = start + span
            continue
        column = start + 1 if 0 <= start < width else None
        problems.append(Problem("error", message % values, column=column))
    return problems


def _check_labels(columns: list[dict], groups=(), row_headers=True) -> list[Problem]:
    """Warn of columns without a label, refuse labels repeated (ignoring case).

    The corner above a column of row headers needs no label. Columns in
    different groups may share a label ("Wins" under "2024" and "2025").
    """
    problems = []
    labels: dict[tuple[str, str], int] = {}
    in_group = column_groups({"columns": columns, "groups": groups})
    for number, column in enumerate(columns, start=1):
        text = plain_text(column.get("label") or "")
        label = (plain_text(in_group[number - 1]).casefold(), text.casefold())
        if not text:
            if number == 1 and row_headers:
                continue
            problems.append(
                Problem(
                    "warning",
                    _("Column %(number)d has no label: say what it holds.")
                    % {"number": number},
                    column=number,
                )
            )
        elif label in labels:
            problems.append(
                Problem(
                    "error",
                    _(
                        "Columns %(first)d and %(number)d are both labelled "
                        "“%(label)s”: give each column its own label."
                    )
                    % {
                        "first": labels[label],
                        "number": number,
                        "label": text,
                    },
                    column=number,
                )
            )
        else:
            labels[label] = number
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
                groups=block.get("groups") or (),
                row_headers=block.get("row_headers", True),
            )
            if problem.level == "warning"
        )
    return found
