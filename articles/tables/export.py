"""Downloads of a content table: CSV, XLSX and JSON, formulas kept as text."""

import io
import re

import tablib
from django.utils.translation import gettext
from django_tables2.export import TableExport
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

EXPORT_FORMATS = (TableExport.CSV, TableExport.XLSX, TableExport.JSON)
# A spreadsheet reads text starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel refuses in a sheet's name.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")


class ContentTableExport(TableExport):
    """django-tables2's export, with text that spreadsheets would run kept as text.

    A label or cell whose text starts like a formula (`=HYPERLINK(...)`,
    `@SUM(1+1)`, `-1+1`) would run when a reader opens the download in a
    spreadsheet. CSV has no cell types, so such text gets a leading
    apostrophe, as OWASP advises; XLSX holds it unchanged in a text cell
    marked "quote prefix", which spreadsheets never evaluate. Numbers stay
    numbers; JSON stays exact.
    """

    def export(self):
        if self.format == self.CSV:
            return _csv_safe(self.dataset).export(self.format)
        if self.format == self.XLSX:
            return _xlsx(self.dataset)
        if self.format == self.JSON:
            return _with_unique_headers(self.dataset).export(self.format)
        return super().export()


def runs_as_formula(value) -> bool:
    """Whether a spreadsheet would take this exported value for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _csv_safe(dataset: tablib.Dataset) -> tablib.Dataset:
    def safe(value):
        return f"'{value}" if runs_as_formula(value) else value

    return tablib.Dataset(
        *(tuple(safe(value) for value in row) for row in dataset),
        headers=[safe(label) for label in dataset.headers],
        title=dataset.title,
    )


def _with_unique_headers(dataset: tablib.Dataset) -> tablib.Dataset:
    """JSON rows are objects keyed by label: a label that is not unique (two
    empty ones, approved over the warning) gets its column's number, so no
    column's values are lost under another's key."""
    labels = list(dataset.headers)
    if len(set(labels)) == len(labels):
        return dataset
    headers = []
    for position, label in enumerate(labels, start=1):
        named = gettext("column %(number)d") % {"number": position}
        if labels.count(label) > 1:
            label = f"{label} ({named})" if label else named
        headers.append(label)
    return tablib.Dataset(*dataset, headers=headers, title=dataset.title)


def _xlsx(dataset: tablib.Dataset) -> bytes:
    """The dataset as a workbook: bold labels, frozen, text as text cells."""
    book = Workbook()
    sheet = book.active
    title = _SHEET_TITLE_FORBIDDEN.sub("-", dataset.title or "")[:31]
    sheet.title = title or gettext("Table")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    for r, values in enumerate([dataset.headers, *dataset], start=1):
        for c, value in enumerate(values, start=1):
            if isinstance(value, str):
                # A workbook cannot hold control characters; openpyxl refuses them.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value in ("", None):
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                # openpyxl takes text starting with "=" for a formula.
                cell.data_type = "s"
                cell.quotePrefix = runs_as_formula(value)
            if r == 1:
                cell.font = bold
            widths[c] = max(widths.get(c, 0), len(str(value)))
    for c, width in widths.items():
        sheet.column_dimensions[get_column_letter(c)].width = min(width + 2, 60)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
