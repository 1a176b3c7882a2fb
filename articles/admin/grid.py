"""The table grid in the article editor: the widget, its field and its checks.

Without JavaScript the widget is a table of inputs, one per cell and per column
setting, with spare rows and columns to grow into. static/js/grid/form.js
turns it into the spreadsheet-like grid of static/js/grid/grid.js, which posts
the whole table as JSON in one field (`<name>-json`); what it knows of columns
comes from the server (`script_schema`), and so do the words it shows
(`script_strings`). Either way the server checks everything.
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.forms import Script
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from newsroom.formats import megabytes

from .. import snapshot
from ..models import TableInvalid, validate_table
from ..sanitize import plain_text
from ..snapshot import COLUMN_FIELDS, DEFAULT_ALIGN, Align, ColumnKind
from ..tabledata import MAX_COLUMNS, MAX_ROWS, Problem
from .table_import import MAX_BYTES as MAX_IMPORT_BYTES

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


def script_strings() -> dict:
    """The words the grid's script shows, translated now, in the active language.

    The script has none of its own (static/js/grid/grid.js). It fills in the
    %(name)s placeholders (`format` in static/js/grid/words.js) and takes a
    plural's first form for 1, its second for any other count (`plural`):
    ngettext's forms for 1 and 2, so a language with more than two forms shows
    its form for 2.

    Long, but only a table of words: one obvious place to find and translate
    every word of the grid.
    """
    return {
        # the toolbar: each button's label, then its title
        "INSERT_ROW_ABOVE": gettext("Insert row above"),
        "INSERT_ROW_ABOVE_HELP": gettext("Insert an empty row above the current cell"),
        "INSERT_ROW_BELOW": gettext("Insert row below"),
        "INSERT_ROW_BELOW_HELP": gettext("Insert an empty row below the current cell"),
        "MOVE_ROW_UP": gettext("Move row up"),
        "MOVE_ROW_UP_HELP": gettext("Move the current row up"),
        "MOVE_ROW_DOWN": gettext("Move row down"),
        "MOVE_ROW_DOWN_HELP": gettext("Move the current row down"),
        "DELETE_ROW": gettext("Delete row"),
        "DELETE_ROW_HELP": gettext("Delete the current row"),
        "INSERT_COLUMN_LEFT": gettext("Insert column left"),
        "INSERT_COLUMN_LEFT_HELP": gettext(
            "Insert an empty column left of the current cell"
        ),
        "INSERT_COLUMN_RIGHT": gettext("Insert column right"),
        "INSERT_COLUMN_RIGHT_HELP": gettext(
            "Insert an empty column right of the current cell"
        ),
        "MOVE_COLUMN_LEFT": gettext("Move column left"),
        "MOVE_COLUMN_LEFT_HELP": gettext("Move the current column left"),
        "MOVE_COLUMN_RIGHT": gettext("Move column right"),
        "MOVE_COLUMN_RIGHT_HELP": gettext("Move the current column right"),
        "DELETE_COLUMN": gettext("Delete column"),
        "DELETE_COLUMN_HELP": gettext("Delete the current column"),
        "IMPORT_FILE": gettext("Import CSV or XLSX…"),
        "IMPORT_FILE_HELP": gettext(
            "Fill the table from a spreadsheet file; you see it before it replaces "
            "anything"
        ),
        "ADD_ROW": gettext("Add a row"),
        "ADD_ROW_HELP": gettext("Add an empty row at the end of the table"),
        "ADD_COLUMN": gettext("Add a column"),
        "ADD_COLUMN_HELP": gettext("Add an empty column at the end of the table"),
        "ROWS": gettext("Rows"),
        "COLUMNS": gettext("Columns"),
        "FIRST_ROW_AS_LABELS": gettext("Use the first pasted row as column labels"),
        "FILE_TO_IMPORT": gettext("CSV or XLSX file to import"),
        # the column headers and the cells
        "COLUMN_NUMBER": gettext("Column %(number)s"),
        "COLUMN_LABEL_LABEL": gettext("Column %(number)s label"),
        "COLUMN_KIND_LABEL": gettext("Column %(number)s kind"),
        "COLUMN_ALIGN_LABEL": gettext("Column %(number)s alignment"),
        "COLUMN_UNIT_LABEL": gettext("Column %(number)s unit"),
        "COLUMN_DECIMALS_LABEL": gettext("Column %(number)s decimals"),
        "LABEL": gettext("Label"),
        "KIND": gettext("Kind"),
        "ALIGN": gettext("Align"),
        "UNIT": gettext("Unit"),
        "DECIMALS": gettext("Decimals"),
        "NO_VALUE": gettext("(none)"),
        "UNNAMED_COLUMN": gettext("column %(number)s"),
        "CELL": gettext("Row %(row)s, %(column)s"),
        # the server's problems
        "ERROR": gettext("Error:"),
        "WARNING": gettext("Warning:"),
        "GO_TO_CELL": gettext("Go to this cell"),
        "GO_TO_COLUMN": gettext("Go to this column"),
        "ROW_GONE": gettext("That row has been deleted."),
        "COLUMN_GONE": gettext("That column has been deleted."),
        # what the grid announces and asks
        "ROW_INSERTED": gettext("Row %(number)s inserted."),
        "ROW_DELETED": gettext("Row %(number)s deleted."),
        "ROW_MOVED": gettext("Row %(from)s moved to row %(to)s."),
        "DELETE_ROW_QUESTION": gettext("Delete row %(number)s and what it holds?"),
        "COLUMN_INSERTED": gettext("Column %(number)s inserted."),
        "COLUMN_DELETED": gettext("Column %(number)s deleted."),
        "COLUMN_MOVED": gettext("Column %(from)s moved to column %(to)s."),
        "DELETE_COLUMN_QUESTION": gettext(
            "Delete column %(number)s and what it holds?"
        ),
        "DELETE_NAMED_COLUMN_QUESTION": gettext(
            "Delete column %(number)s (“%(name)s”) and what it holds?"
        ),
        "ROW_COUNT": [ngettext("%(count)s row", "%(count)s rows", n) for n in (1, 2)],
        "COLUMN_COUNT": [
            ngettext("%(count)s column", "%(count)s columns", n) for n in (1, 2)
        ],
        "PASTED": gettext("Pasted %(rows)s and %(columns)s."),
        "PASTED_WITH_LABELS": gettext(
            "Pasted %(rows)s and %(columns)s, with column labels."
        ),
        "PASTED_LABELS": [
            ngettext(
                "Pasted %(count)s column label.", "Pasted %(count)s column labels.", n
            )
            for n in (1, 2)
        ],
        # importing a file
        "PREVIEW": gettext("Imported table preview"),
        "FILE_READ": gettext("Read %(file)s."),
        "REPLACING_KEEPS_NOTHING": gettext(
            "Replacing the table keeps none of its cells or column settings."
        ),
        "PREVIEW_FIRST_ROWS": [
            ngettext(
                "The first %(shown)s of %(count)s row",
                "The first %(shown)s of %(count)s rows",
                n,
            )
            for n in (1, 2)
        ],
        "PREVIEW_ALL_ROWS": [
            ngettext("All %(count)s row", "All %(count)s rows", n) for n in (1, 2)
        ],
        "REPLACE_TABLE": gettext("Replace the table"),
        "CANCEL": gettext("Cancel"),
        "IMPORT_CANCELLED": gettext("Import cancelled; the table is unchanged."),
        "TABLE_REPLACED": gettext(
            "The table now holds %(rows)s and %(columns)s from %(file)s. Set each "
            "column's kind before saving."
        ),
        "IMPORT_UNAVAILABLE": gettext("Importing is not available on this page."),
        "FILE_TOO_LARGE": gettext(
            "This file is over %(limit)s, the limit for importing a table."
        )
        % {"limit": megabytes(MAX_IMPORT_BYTES)},
        "READING": gettext("Reading %(file)s…"),
        "SERVER_DID_NOT_READ": gettext(
            "The server did not read the file (error %(status)s). If you were "
            "logged out, log in again in another tab and retry."
        ),
        "FILE_NOT_READ": gettext("The file could not be read."),
        "FILE_NOT_SENT": gettext(
            "The file could not be sent. Check the connection and try again."
        ),
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
        # A module (deferred): it runs after newsroom-admin.js, whose
        # Newsroom.onContent it uses, and imports the rest of js/grid/.
        js = ["js/newsroom-admin.js", Script("js/grid/form.js", type="module")]
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
                "strings": script_strings(),
                "maxImportBytes": MAX_IMPORT_BYTES,
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
