"""The table grid in the article editor: the widget, its field and its checks.

Without JavaScript the widget is a table of inputs, one per cell and per column
setting, with spare rows and columns to grow into. static/js/table-grid.js
turns it into a spreadsheet-like grid that posts the whole table as JSON in
one field (`<name>-json`); what it knows of columns comes from the server
(`script_schema`). Either way the server checks everything.
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import snapshot
from ..models import TableInvalid, validate_table
from ..sanitize import plain_text
from ..snapshot import COLUMN_FIELDS, DEFAULT_ALIGN, Align, ColumnKind
from ..tabledata import MAX_COLUMNS, MAX_ROWS, Problem

SPARE_ROWS = 2
SPARE_COLUMNS = 1
NEW_TABLE_SIZE = 3  # rows and columns offered for a new table
UNREADABLE = {"columns": [], "rows": [], "unreadable": True}


def _text(value) -> str:
    return "" if value is None else str(value)


# A new column's settings as the grid's inputs hold them (text).
BLANK_COLUMN = {key: _text(value) for key, value in snapshot.column("").items()}


def script_schema() -> dict:
    """What the grid's script knows of columns, all from the snapshot schema.

    The script has no list of its own: it offers these kinds and alignments,
    posts these settings, and aligns each column as `snapshot.effective_align`.
    """
    return {
        "kinds": ColumnKind.choices,
        "aligns": Align.choices,
        "columnFields": list(COLUMN_FIELDS),
        "blankColumn": BLANK_COLUMN,
        "autoAlign": Align.AUTO.value,
        "defaultAlign": DEFAULT_ALIGN,
    }


def grid_from_json(raw: str) -> dict:
    """Read the grid the script posts; anything malformed is marked unreadable."""
    try:
        data = json.loads(raw)
        columns = [
            {key: _text(column.get(key)) for key in COLUMN_FIELDS}
            for column in data["columns"][: MAX_COLUMNS + 1]
        ]
        rows = [[_text(cell) for cell in row] for row in data["rows"][: MAX_ROWS + 1]]
    except (ValueError, KeyError, TypeError, AttributeError):
        return dict(UNREADABLE)
    return {"columns": columns, "rows": rows}


class TableGridWidget(forms.Widget):
    template_name = "admin/articles/table_grid.html"
    problems: list[Problem] = []  # set by the form after checking

    class Media:
        js = ["js/newsroom-admin.js", "js/table-grid.js"]
        css = {"all": ["css/table-grid.css"]}

    def value_from_datadict(self, data, files, name):
        if data.get(f"{name}-json"):
            return grid_from_json(data[f"{name}-json"])

        def count(key):
            try:
                return min(int(data.get(f"{name}-{key}", 0)), MAX_ROWS + SPARE_ROWS)
            except ValueError:
                return 0

        n_rows, n_columns = count("rows"), count("columns")
        columns = [
            {field: data.get(f"{name}-col-{j}-{field}", "") for field in COLUMN_FIELDS}
            for j in range(n_columns)
        ]
        rows = [
            [data.get(f"{name}-cell-{i}-{j}", "") for j in range(n_columns)]
            for i in range(n_rows)
        ]
        return {"columns": columns, "rows": rows}

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-columns" not in data and f"{name}-json" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Re-displayed input comes with its spare rows and columns: drop them
        # so that they are not offered twice.
        value = without_empty_lines(value)
        columns = [{**BLANK_COLUMN, **_shown(column)} for column in value["columns"]]
        rows = value["rows"]
        if not columns and not rows:
            columns = [dict(BLANK_COLUMN) for _ in range(NEW_TABLE_SIZE)]
            rows = [[""] * NEW_TABLE_SIZE for _ in range(NEW_TABLE_SIZE)]
        invalid = {(p.row, p.column): p.message for p in self.problems if p.row}
        context["grid"] = {
            # what the script starts from: the table itself, no spare lines
            "data": {
                "columns": columns,
                "rows": rows,
                "problems": [problem.as_dict() for problem in self.problems],
                **script_schema(),
            },
            "columns": columns + [dict(BLANK_COLUMN) for _ in range(SPARE_COLUMNS)],
            "rows": [
                [
                    {"value": cell, "error": invalid.get((i, j))}
                    for j, cell in enumerate(
                        row + [""] * (len(columns) + SPARE_COLUMNS - len(row)), 1
                    )
                ]
                for i, row in enumerate(rows + [[] for _ in range(SPARE_ROWS)], 1)
            ],
            "kinds": ColumnKind.choices,
            "aligns": Align.choices,
        }
        return context


def _shown(column: dict) -> dict:
    return {key: _text(column.get(key)) for key in COLUMN_FIELDS}


def without_empty_lines(value: dict | None) -> dict:
    """Return the grid without rows and columns that hold nothing at all."""
    value = value or {"columns": [], "rows": []}
    columns, rows = value["columns"], value["rows"]
    kept = [
        j
        for j, column in enumerate(columns)
        if _text(column.get("label")).strip()
        or any(j < len(row) and plain_text(row[j]) for row in rows)
    ]
    rows = [[row[j] if j < len(row) else "" for j in kept] for row in rows]
    return {
        "columns": [dict(columns[j]) for j in kept],
        "rows": [row for row in rows if any(plain_text(cell) for cell in row)],
    }


class TableGridField(forms.Field):
    """The cells and column settings of a table, as typed; checked by the form."""

    widget = TableGridWidget

    def has_changed(self, initial, data):
        def comparable(value):
            value = without_empty_lines(value)
            columns = [
                tuple(_text(column.get(key)).strip() for key in COLUMN_FIELDS)
                for column in value["columns"]
            ]
            return columns, [[cell.strip() for cell in row] for row in value["rows"]]

        return comparable(initial) != comparable(data)


def clean_grid(value: dict | None, *, caption: str, source_note: str):
    """Check the table as typed; return it with its warnings, or raise TableInvalid.

    Empty rows and columns are dropped first.
    """
    if value and value.get("unreadable"):
        raise ValidationError(
            _("The table could not be read from the page. Reload it and try again.")
        )
    value = without_empty_lines(value)
    columns, rows = value["columns"], value["rows"]
    for column in columns:
        decimals = _text(column.get("decimals")).strip()
        column["decimals"] = int(decimals) if decimals.isdigit() else (decimals or None)
    warnings = validate_table(columns, rows, caption=caption, source_note=source_note)
    return {"columns": columns, "rows": rows}, warnings


__all__ = ["TableGridField", "TableGridWidget", "TableInvalid", "clean_grid"]
