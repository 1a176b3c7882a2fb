"""Read a CSV or XLSX file for the table grid, which previews it before using it.

Nothing is stored here: the grid shows what was read, and the editor decides
whether it replaces the table. The server checks the table again on saving.
"""

import csv
import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

import tablib
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ..tabledata import MAX_COLUMNS, MAX_ROWS

MAX_BYTES = 2 * 1024 * 1024
# An XLSX file is a zip: refuse one that unpacks to far more than any real
# table would, before openpyxl reads it into memory.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
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


def _is_xlsx(name: str, content: bytes) -> bool:
    return name.endswith(".xlsx") or content.startswith(ZIP_SIGNATURE)


def _load_xlsx(content: bytes) -> tablib.Dataset:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise UnreadableFile(NOT_XLSX) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise UnreadableFile(_("This workbook is too large to read as one table."))
    try:
        return tablib.Dataset().load(content, format="xlsx", headers=False)
    # openpyxl reports damaged workbooks with many kinds of exceptions.
    except Exception as error:
        raise UnreadableFile(NOT_XLSX) from error


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


def _load_csv(content: bytes) -> tablib.Dataset:
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=CSV_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        return tablib.Dataset().load(
            text, format="csv", headers=False, delimiter=delimiter
        )
    except tablib.InvalidDimensions as error:
        raise UnreadableFile(
            _(
                "Some rows of this file have more cells than its first row (the "
                "column labels). Check the file in a spreadsheet and export it again."
            )
        ) from error
    except csv.Error as error:
        raise UnreadableFile(_("This file could not be read as CSV.")) from error


def read_table(name: str, content: bytes) -> tuple[list[str], list[list[str]], str]:
    """Return the labels, rows and sheet title of a CSV or XLSX file, as strings.

    Rows and columns holding nothing at all are dropped; raise UnreadableFile
    when the file is not a table the grid can take.
    """
    name = name.lower()
    if name.endswith(".xls") or content.startswith(OLE_SIGNATURE):
        raise UnreadableFile(
            _("Old .xls workbooks cannot be read: save the file as .xlsx or .csv.")
        )
    if not content.strip():
        raise UnreadableFile(_("This file is empty."))
    if _is_xlsx(name, content):
        dataset = _load_xlsx(content)
        title = dataset.title or ""
    else:
        dataset = _load_csv(content)
        title = ""
    lines = [[_text(value) for value in row] for row in dataset]
    lines = [line for line in lines if any(line)]
    width = max((len(line) for line in lines), default=0)
    kept = [j for j in range(width) if any(j < len(line) and line[j] for line in lines)]
    lines = [[line[j] if j < len(line) else "" for j in kept] for line in lines]
    if not lines:
        raise UnreadableFile(_("This file holds no cells to import."))
    return lines[0], lines[1:], title


def _refuse(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_POST
def import_table(request):
    """Answer the labels and rows of an uploaded CSV or XLSX file, as JSON."""
    if not request.user.has_perm("articles.change_article"):
        return _refuse(_("You are not allowed to edit articles."), status=403)
    upload = request.FILES.get("file")
    if upload is None:
        return _refuse(_("Choose a CSV or XLSX file to import."))
    if upload.size > MAX_BYTES:
        return _refuse(
            _("This file is %(size).1f MB; the limit is 2 MB.")
            % {"size": upload.size / (1024 * 1024)}
        )
    try:
        labels, rows, title = read_table(upload.name or "", upload.read())
    except UnreadableFile as error:
        return _refuse(str(error))
    if len(rows) > MAX_ROWS or len(labels) > MAX_COLUMNS:
        return _refuse(
            _(
                "This file has %(rows)s rows and %(columns)s columns; a table holds "
                "at most %(max_rows)s rows × %(max_columns)s columns."
            )
            % {
                "rows": f"{len(rows):,}",
                "columns": f"{len(labels):,}",
                "max_rows": f"{MAX_ROWS:,}",
                "max_columns": MAX_COLUMNS,
            }
        )
    counts = ngettext("%(n)d row", "%(n)d rows", len(rows)) % {"n": len(rows)}
    counts += ", " + ngettext("%(n)d column", "%(n)d columns", len(labels)) % {
        "n": len(labels)
    }
    source = upload.name + (f" (sheet “{title}”)" if title else "")
    return JsonResponse(
        {
            "columns": [{"label": label} for label in labels],
            "rows": rows,
            "message": _("Read %(counts)s from %(source)s.")
            % {"counts": counts, "source": source},
        }
    )
