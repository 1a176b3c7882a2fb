"""Downloads of a content table: CSV, XLSX and JSON, each keeping the column's format.

The rows come from `ContentTableView.as_values`: a header of column names
("2024: Change (%)"), then each cell as `tabledata.export_value` reads it
(Decimal as typed, date, text, or None). Each format then writes them its way:

- CSV: plain numbers ("1200.5", no grouping, no unit: the unit is in the
  header), with at least the column's declared decimals ("69.0"); percents
  in percentage points ("12.5" under "Share (%)"); dates as ISO dates.
- XLSX: numbers as numbers and dates as dates, with the column's format:
  decimals ("#,##0.0"), percents as fractions shown as "0.0%", money with its
  symbol ('"€"#,##0.00') or code ('#,##0.00 "USD"'), dates "yyyy-mm-dd".
- JSON: a Frictionless Data *Tabular Data Resource* (v1): `schema` is a
  Table Schema and `data` holds the rows as objects keyed by field name (see
  `data_resource` for the fields' properties).
"""

import io
import json
import re
from datetime import date
from decimal import Decimal

import tablib
from django.utils.text import slugify
from django.utils.translation import gettext
from django_tables2.export import TableExport
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .. import tabledata
from ..sanitize import plain_text
from ..tabledata.values import CURRENCY_SYMBOLS

EXPORT_FORMATS = (TableExport.CSV, TableExport.XLSX, TableExport.JSON)
# A spreadsheet reads text starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel refuses in a sheet's name.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")
# A Data Resource's name: lower case letters, digits and ".-_/".
_RESOURCE_NAME_FORBIDDEN = re.compile(r"[^-a-z0-9._/]")
XLSX_DATE_FORMAT = "yyyy-mm-dd"


class ContentTableExport(TableExport):
    """django-tables2's export of a `ContentTableView`, its columns' formats kept.

    A label or cell whose text starts like a formula (`=HYPERLINK(...)`,
    `@SUM(1+1)`, `-1+1`) would run when a reader opens the download in a
    spreadsheet. CSV has no cell types, so such text gets a leading
    apostrophe, as OWASP advises; XLSX holds it unchanged in a text cell
    marked "quote prefix", which spreadsheets never evaluate. Numbers stay
    numbers; JSON stays exact.

    `name` names the JSON's resource (the download's file name, without its
    extension); the caption's slug by default.
    """

    def __init__(self, export_format, table, *, name="", dataset_kwargs=None):
        super().__init__(export_format, table, dataset_kwargs=dataset_kwargs)
        self.table = table
        self.columns = table.cell_columns
        self.name = name

    def export(self):
        if self.format == self.CSV:
            return _plain(_csv_safe(self.dataset), self.columns).export(self.format)
        if self.format == self.XLSX:
            return _xlsx(self.dataset, self.columns)
        if self.format == self.JSON:
            resource = data_resource(self.table, self.dataset, name=self.name)
            return json.dumps(resource, ensure_ascii=False)
        return super().export()


def runs_as_formula(value) -> bool:
    """Whether a spreadsheet would take this exported value for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def declared_decimals(column, values) -> int:
    """The digits after the point the column shows: declared, or as typed."""
    decimals = column.spec.get("decimals")
    return tabledata.typed_decimals(values) if decimals is None else int(decimals)


def _plain(dataset: tablib.Dataset, columns) -> tablib.Dataset:
    """The dataset as text: numbers plain, with the declared decimals; ISO dates."""
    decimals = [column.spec.get("decimals") for column in columns]

    def text(value, places):
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return tabledata.plain_number(value, places)
        if isinstance(value, date):
            return value.isoformat()
        return value

    return tablib.Dataset(
        *(tuple(map(text, row, decimals)) for row in dataset),
        headers=dataset.headers,
        title=dataset.title,
    )


def _csv_safe(dataset: tablib.Dataset) -> tablib.Dataset:
    def safe(value):
        return f"'{value}" if runs_as_formula(value) else value

    return tablib.Dataset(
        *(tuple(safe(value) for value in row) for row in dataset),
        headers=[safe(label) for label in dataset.headers],
        title=dataset.title,
    )


def unique_names(labels: list[str]) -> list[str]:
    """The labels as field names: JSON rows are objects keyed by them.

    An empty label, or one that is not unique (approved over the warning),
    gets its column's number, so no column's values are lost under another's.
    """
    names = []
    for position, label in enumerate(labels, start=1):
        if label and labels.count(label) == 1:
            names.append(label)
            continue
        named = gettext("column %(number)d") % {"number": position}
        names.append(f"{label} ({named})" if label else named)
    return names


# --- XLSX


def number_format(column, values) -> str | None:
    """The spreadsheet number format of a column's cells; None for text.

    Percents are written as fractions (12.5% is 0.125), as spreadsheets
    hold them, so that sums and charts come out right.
    """
    kind = column.kind
    if kind == tabledata.DATE:
        return XLSX_DATE_FORMAT
    if kind not in (tabledata.NUMBER, tabledata.PERCENT, tabledata.CURRENCY):
        return None
    decimals = declared_decimals(column, values)
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    if kind == tabledata.PERCENT:
        return f"{digits}%"
    unit = (column.spec.get("unit") or "").strip().replace('"', "")
    if kind == tabledata.CURRENCY and unit:
        if unit in CURRENCY_SYMBOLS:
            return f'"{unit}"{digits}'
        return f'{digits} "{unit}"'
    return digits


def _xlsx_number(column, value: Decimal):
    if column.kind == tabledata.PERCENT:
        value = value / 100
    return int(value) if value == value.to_integral_value() else float(value)


def _xlsx(dataset: tablib.Dataset, columns) -> bytes:
    """The dataset as a workbook: bold labels, frozen, each column's format."""
    book = Workbook()
    sheet = book.active
    title = _SHEET_TITLE_FORBIDDEN.sub("-", dataset.title or "")[:31]
    sheet.title = title or gettext("Table")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    formats = [
        number_format(column, dataset.get_col(index))
        for index, column in enumerate(columns)
    ]
    for r, values in enumerate([dataset.headers, *dataset], start=1):
        for c, (value, column, fmt) in enumerate(
            zip(values, columns, formats, strict=True), start=1
        ):
            if isinstance(value, str):
                # A workbook cannot hold control characters; openpyxl refuses them.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value in ("", None):
                continue
            shown = value
            if isinstance(value, Decimal):
                value = _xlsx_number(column, value)
                shown = tabledata.display(column.spec, str(shown)) or shown
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                # openpyxl takes text starting with "=" for a formula.
                cell.data_type = "s"
                cell.quotePrefix = runs_as_formula(value)
            elif fmt is not None:
                cell.number_format = fmt
            if r == 1:
                cell.font = bold
            widths[c] = max(widths.get(c, 0), len(str(shown)))
    for c, width in widths.items():
        sheet.column_dimensions[get_column_letter(c)].width = min(width + 2, 60)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


# --- JSON: a Tabular Data Resource


def data_resource(table, dataset: tablib.Dataset, *, name: str = "") -> dict:
    """The table as a Frictionless Data Tabular Data Resource (version 1).

    `schema.fields` has a field per column: `name` (its label after its
    group's, made unique), `title` (its label) and `type`: `integer` (a
    number column whose numbers are all whole as typed, with no decimals
    declared), `number`, `date` or `string` (text, and any numeric or date
    column holding a cell that is not one). Table Schema allows properties
    of one's own; these say what a reader of the page sees:

    - `group`: the label of the column group over the column;
    - `unit`: a number's unit ("km"), "%" for percents (given in
      percentage points: 12.5 means 12.5%);
    - `currency`: the money's symbol or code ("€", "USD");
    - `decimals`: the digits after the point the page shows.

    `sources` holds the table's source (title, address, and `retrieved`,
    the ISO date it was taken); `data` the rows, as objects keyed by field
    name, empty cells null.
    """
    columns = table.cell_columns
    names = unique_names([column.heading for column in columns])
    fields, converters = [], []
    for index, (column, field_name) in enumerate(zip(columns, names, strict=True)):
        field, convert = _field(column, field_name, dataset.get_col(index))
        fields.append(field)
        converters.append(convert)
    caption = plain_text(table.caption)
    resource = {
        "profile": "tabular-data-resource",
        "name": _resource_name(name or caption),
        "title": caption,
    }
    source = {"title": plain_text(table.source_note)}
    if table.source_url:
        source["path"] = table.source_url
    if table.source_retrieved:
        source["retrieved"] = table.source_retrieved.isoformat()
    if source["title"] or len(source) > 1:
        resource["sources"] = [source]
    resource["schema"] = {"fields": fields, "missingValues": [""]}
    resource["data"] = [
        {
            field_name: None if value is None else convert(value)
            for field_name, convert, value in zip(names, converters, row, strict=True)
        }
        for row in dataset
    ]
    return resource


def _field(column, name: str, values) -> tuple[dict, object]:
    """A column's Table Schema field, and what turns its values into JSON."""
    field = {"name": name, "title": plain_text(column.verbose_name)}
    if column.group:
        field["group"] = column.group
    filled = [value for value in values if value is not None]
    decimals = column.spec.get("decimals")
    if column.numeric and all(isinstance(value, Decimal) for value in filled):
        whole = decimals in (None, 0) and all(
            value.as_tuple().exponent >= 0 for value in filled
        )
        field["type"] = "integer" if whole else "number"
        unit = (column.spec.get("unit") or "").strip()
        if column.kind == tabledata.PERCENT:
            field["unit"] = "%"
        elif column.kind == tabledata.CURRENCY and unit:
            field["currency"] = unit
        elif unit:
            field["unit"] = unit
        if decimals is not None:
            field["decimals"] = int(decimals)
        return field, (int if whole else float)
    if column.kind == tabledata.DATE and all(
        isinstance(value, date) for value in filled
    ):
        field["type"] = "date"
        return field, date.isoformat
    field["type"] = "string"

    def text(value):
        if isinstance(value, Decimal):
            return tabledata.plain_number(value, decimals)
        if isinstance(value, date):
            return value.isoformat()
        return value

    return field, text


def _resource_name(text: str) -> str:
    name = _RESOURCE_NAME_FORBIDDEN.sub("-", slugify(text)).strip("-")
    return name or "table"
