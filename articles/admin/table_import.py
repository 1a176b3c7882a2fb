"""Read a CSV or XLSX file for the table grid, which previews it before using it.

Nothing is stored here: the grid shows what was read, and the editor decides
whether it replaces the table. The server checks the table again on saving.

Cells arrive as text, as the file shows them: `=cmd|' /C calc'!A0` in a CSV
is that text, an XLSX formula its last computed value. Nothing here or in the
grid (which sets cells as input values, never as markup) evaluates them, and
the downloads keep such text from running in a spreadsheet (articles/tables/export.py).

Reading stops at the table limits (tabledata.MAX_ROWS, MAX_COLUMNS), so a
file of a million rows costs no more to refuse than one of 1,001.
"""

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from openpyxl import load_workbook

from newsroom.formats import grouped, megabytes

from ..tabledata import MAX_COLUMNS, MAX_ROWS, propose_column

MAX_BYTES = 2 * 1024 * 1024
# An XLSX file is a zip of XML parts, which openpyxl parses element by
# element: some parts whole on opening (styles, shared strings, and a sheet
# without a <dimension> from end to end), then the rows read and whatever
# follows them in the sheet. Its time and memory follow the unpacked XML, not
# the upload: a 2 MB file can unpack to minutes of it. These limits bound it
# to a few seconds and about 100 MB; a full 1,000 x 40 table saved by Excel,
# LibreOffice or openpyxl stays well under them.
MAX_XLSX_UNPACKED_BYTES = 10 * 1024 * 1024
# Rows, cells and their text cost openpyxl a few microseconds a tag; a cell
# also holds about 400 bytes while its row is read. Any other element
# (styles, merged ranges, links, column widths) costs 7 to 30 µs.
MAX_XLSX_CELLS = 200_000
MAX_XLSX_CELL_TAGS = 500_000
MAX_XLSX_OTHER_TAGS = 40_000
_CELL_STARTS = (b"<c ", b"<c>", b"<c/>")
_CELL_TAGS = (
    *_CELL_STARTS,
    *(b"</c>", b"<v>", b"</v>", b"<f>", b"<f ", b"</f>", b"<is>", b"</is>"),
    *(b"<row ", b"<row>", b"</row>", b"<si>", b"</si>", b"<t>", b"<t ", b"</t>"),
    *(b"<r>", b"</r>"),
)
# Empty rows are skipped, but rows left out of the file count as empty rows:
# reading stops at this row of a sheet, whatever the rows above hold.
MAX_XLSX_SHEET_ROWS = 10 * MAX_ROWS
# Excel's own limit for a cell.
MAX_CELL_CHARACTERS = 32_767
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
CSV_DELIMITERS = ",;\t"
NOT_XLSX = gettext_lazy(
    "This file is not a readable XLSX workbook. Save it again as .xlsx or .csv."
)


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message is for the editor."""


def _text(value) -> str:
    """A cell's value as the editor would type it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    # A cell holds one line: line breaks and tabs inside it become spaces.
    return " ".join(str(value).split())


def _too_many(what: str) -> UnreadableFile:
    limits = {"max_rows": grouped(MAX_ROWS), "max_columns": grouped(MAX_COLUMNS)}
    if what == "rows":
        message = _(
            "This file has more than %(max_rows)s rows; a table holds at most "
            "%(max_rows)s rows × %(max_columns)s columns."
        )
    else:
        message = _(
            "This file has more than %(max_columns)s columns; a table holds at "
            "most %(max_rows)s rows × %(max_columns)s columns."
        )
    return UnreadableFile(message % limits)


def _table_lines(
    rows: Iterable[Iterable], *, max_rows: int | None = None
) -> list[list[str]]:
    """The rows and columns holding something, as text; the first row is the labels.

    Raises UnreadableFile as soon as the cells read go past the table's
    limits, or past `max_rows` rows of the file, empty ones included.
    """
    kept: list[dict[int, str]] = []
    columns: set[int] = set()
    for number, row in enumerate(rows, start=1):
        if max_rows is not None and number > max_rows:
            raise UnreadableFile(
                _(
                    "This sheet goes on past row %(row)s; a table holds at most "
                    "%(max_rows)s rows. Copy the table alone into a new sheet, or "
                    "save it as CSV."
                )
                % {"row": grouped(max_rows), "max_rows": grouped(MAX_ROWS)}
            )
        cells = {}
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
                raise UnreadableFile(
                    _(
                        "The cell in row %(row)s, column %(column)s holds more than "
                        "%(limit)s characters: that is not a table's cell."
                    )
                    % {
                        "row": grouped(number),
                        "column": grouped(j + 1),
                        "limit": grouped(MAX_CELL_CHARACTERS),
                    }
                )
            if text := _text(value):
                cells[j] = text
                if len(cells) > MAX_COLUMNS:
                    raise _too_many("columns")
        if not cells:
            continue
        if len(kept) > MAX_ROWS:  # the labels and MAX_ROWS rows are already kept
            raise _too_many("rows")
        columns.update(cells)
        if len(columns) > MAX_COLUMNS:
            raise _too_many("columns")
        kept.append(cells)
    order = sorted(columns)
    return [[cells.get(j, "") for j in order] for cells in kept]


def _is_xlsx(name: str, content: bytes) -> bool:
    return name.endswith(".xlsx") or content.startswith(ZIP_SIGNATURE)


def _check_unpacked(content: bytes) -> None:
    """Refuse a workbook whose XML would take openpyxl too long to parse.

    The sizes a zip declares are safe to trust: zipfile never unpacks more
    than them. Tags are counted while unpacking, which stops at the limits;
    a tag cut in two between chunks is at worst counted as an "other" one.
    """
    too_large = UnreadableFile(
        _(
            "This workbook holds far more than one table. A table holds at most "
            "%(max_rows)s rows × %(max_columns)s columns: copy it alone into a new "
            "workbook, or save it as CSV."
        )
        % {"max_rows": grouped(MAX_ROWS), "max_columns": grouped(MAX_COLUMNS)}
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_XLSX_UNPACKED_BYTES:
                raise too_large
            tags = cell_tags = cells = 0
            for member in members:
                with archive.open(member) as part:
                    while chunk := part.read(1024 * 1024):
                        tags += chunk.count(b"<")
                        cell_tags += sum(map(chunk.count, _CELL_TAGS))
                        cells += sum(map(chunk.count, _CELL_STARTS))
                        if (
                            cells > MAX_XLSX_CELLS
                            or cell_tags > MAX_XLSX_CELL_TAGS
                            or tags - cell_tags > MAX_XLSX_OTHER_TAGS
                        ):
                            raise too_large
    except UnreadableFile:
        raise
    # zipfile reports damaged, encrypted or odd archives in many ways.
    except Exception as error:
        raise UnreadableFile(NOT_XLSX) from error


def _load_xlsx(content: bytes) -> tuple[list[list[str]], str]:
    _check_unpacked(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    # openpyxl reports damaged workbooks with many kinds of exceptions.
    except Exception as error:
        raise UnreadableFile(NOT_XLSX) from error
    try:
        sheet = book.active
        # Read every row there is, not the range the file claims to hold.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        return _table_lines(rows, max_rows=MAX_XLSX_SHEET_ROWS), sheet.title or ""
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile(NOT_XLSX) from error
    finally:
        book.close()


def _decode(content: bytes) -> str:
    if b"\x00" in content:
        raise UnreadableFile(
            _("This file is not a CSV text file. Save it as .csv (comma-separated).")
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _("The file's text could not be read. Save it as CSV in UTF-8.")
        ) from error


def _load_csv(content: bytes) -> list[list[str]]:
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=CSV_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        return _table_lines(
            _rectangular(csv.reader(io.StringIO(text), delimiter=delimiter))
        )
    except csv.Error as error:
        raise UnreadableFile(_("This file could not be read as CSV.")) from error


def _rectangular(rows: Iterable[list[str]]):
    """The CSV's rows, refusing any longer than the first (its labels)."""
    width = None
    for row in rows:
        if not row:
            continue
        if width is None:
            width = len(row)
        elif len(row) > width:
            raise UnreadableFile(
                _(
                    "Some rows of this file have more cells than its first row (the "
                    "column labels). Check the file in a spreadsheet and export it "
                    "again."
                )
            )
        yield row


def read_table(name: str, content: bytes) -> tuple[list[str], list[list[str]], str]:
    """Return the labels, rows and sheet title of a CSV or XLSX file, as strings.

    Rows and columns holding nothing at all are dropped; raise UnreadableFile
    when the file is not a table the grid can take, or holds more rows or
    columns than a table may (reading stops there).
    """
    name = name.lower()
    if name.endswith(".xls") or content.startswith(OLE_SIGNATURE):
        raise UnreadableFile(
            _("Old .xls workbooks cannot be read: save the file as .xlsx or .csv.")
        )
    if not content.strip():
        raise UnreadableFile(_("This file is empty."))
    if _is_xlsx(name, content):
        lines, title = _load_xlsx(content)
    else:
        lines, title = _load_csv(content), ""
    if not lines:
        raise UnreadableFile(_("This file holds no cells to import."))
    return lines[0], lines[1:], title


def _refuse(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_POST
def import_table(request):
    """Answer the labels and rows of an uploaded CSV or XLSX file, as JSON.

    With them, `proposed`: for each column, the kind, decimals and unit its
    cells suggest (`tabledata.propose_column`).
    """
    if not request.user.has_perm("articles.change_article"):
        return _refuse(_("You are not allowed to edit articles."), status=403)
    upload = request.FILES.get("file")
    if upload is None:
        return _refuse(_("Choose a CSV or XLSX file to import."))
    if upload.size > MAX_BYTES:
        return _refuse(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": megabytes(upload.size), "limit": megabytes(MAX_BYTES)}
        )
    try:
        labels, rows, title = read_table(upload.name or "", upload.read())
    except UnreadableFile as error:
        return _refuse(str(error))
    counts = {
        "rows": ngettext("%(count)s row", "%(count)s rows", len(rows))
        % {"count": grouped(len(rows))},
        "columns": ngettext("%(count)s column", "%(count)s columns", len(labels))
        % {"count": grouped(len(labels))},
        "file": upload.name,
        "sheet": title,
    }
    if title:
        message = _("Read %(rows)s, %(columns)s from %(file)s (sheet “%(sheet)s”).")
    else:
        message = _("Read %(rows)s, %(columns)s from %(file)s.")
    return JsonResponse(
        {
            "columns": [{"label": label} for label in labels],
            "rows": rows,
            # Each column's kind, decimals and unit, as its cells suggest.
            "proposed": [
                propose_column(row[c] for row in rows) for c in range(len(labels))
            ],
            "message": message % counts,
        }
    )
