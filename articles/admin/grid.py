"""The table grid's server side: what static/js/grid/grid.js knows and says.

The grid edits each table block in the document editor
(static/js/editor/table-view.js). What it knows of columns comes from the
snapshot schema (`script_schema`), and every word it shows from here
(`script_strings`), both handed to it in the editor's configuration
(articles/admin/editor_page.py). The server checks every table it is
sent (articles/editor/body.py).
"""

from django.utils.translation import gettext, ngettext

from newsroom.formats import megabytes

from .. import snapshot
from ..snapshot import COLUMN_FIELDS, DEFAULT_ALIGN, Align, ColumnKind
from .table_import import MAX_BYTES as MAX_IMPORT_BYTES


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
        # "group": the grid's own per-column field for the table's groups
        # (adjacent columns with the same group are one; table-ops.js).
        "columnFields": [*COLUMN_FIELDS, "group"],
        "blankColumn": {**BLANK_COLUMN, "group": ""},
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
        "COLUMN_GROUP_LABEL": gettext("Column %(number)s group"),
        "LABEL": gettext("Label"),
        "KIND": gettext("Kind"),
        "ALIGN": gettext("Align"),
        "UNIT": gettext("Unit"),
        "DECIMALS": gettext("Decimals"),
        "GROUP": gettext("Group"),
        "GROUP_HELP": gettext(
            "A heading over several columns, e.g. 2024 over Wins and Losses: "
            "give neighbouring columns the same group."
        ),
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


__all__ = ["script_schema", "script_strings"]
