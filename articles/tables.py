"""django-tables2 classes: content tables for readers, and editorial listings."""

import functools
import html
import io
import re
from datetime import date
from urllib.parse import urlencode

import django_tables2 as tables
import tablib
from django.core.paginator import Paginator
from django.http import QueryDict
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tables2.data import TableListData
from django_tables2.export import TableExport
from django_tables2.utils import OrderBy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import tabledata
from .sanitize import clean_inline, plain_text
from .snapshot import NUMERIC_KINDS, effective_align

# Tables longer than this get a filter box and pages of this many rows.
PER_PAGE = 25
EXPORT_FORMATS = (TableExport.CSV, TableExport.XLSX, TableExport.JSON)
# A spreadsheet reads text starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel refuses in a sheet's name.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")


def _html(template: str, *args, **kwargs) -> SafeString:
    """Django's format_html for the tables' HTML, whose parts are never lazy.

    format_html first looks for lazy strings in every argument, which costs
    more than the escaping: about 0.5 ms of the large benchmark article.
    """
    return SafeString(
        template.format(
            *map(_escape, args), **{k: _escape(v) for k, v in kwargs.items()}
        )
    )


def _escape(value) -> str:
    return value if isinstance(value, SafeData) else html.escape(str(value))


def gettext(message: str) -> str:
    """Django's gettext, remembered per language for the tables' fixed words.

    A table asks for a dozen, and each call walks the catalogs' fallbacks
    (about 5 µs): 0.9 ms of the large benchmark article's 13.
    """
    return _translated(translation.get_language(), message)


@functools.lru_cache(maxsize=256)
def _translated(language: str | None, message: str) -> str:
    return translation.gettext(message)


class CellColumn(tables.Column):
    """A column of inline-HTML cells, shown, sorted and exported by its kind.

    Rows hold each cell as typed under `c<index>`; the typed sort key goes
    under `k<index>`, filled in only when the column is sorted. Empty cells
    stay empty rather than '—'.
    """

    empty_values = ()

    def __init__(self, spec: dict, index: int):
        self.spec = spec
        self.index = index
        self.kind = spec.get("kind") or tabledata.TEXT
        self.numeric = self.kind in NUMERIC_KINDS
        self.align = effective_align(spec)
        # The opening tag of this column's cells, escaped once for every row.
        self.cell_start = f'<td class="align-{html.escape(self.align)}">'
        self.unit = tabledata.header_unit(spec)
        self.sort_key_name = f"k{index}"
        super().__init__(
            verbose_name=spec.get("label") or "",
            accessor=f"c{index}",
            order_by=(self.sort_key_name,),
        )

    @property
    def export_header(self) -> str:
        """The label with the unit the exported numbers are in, e.g. 'Change (%)'."""
        unit = self.unit
        if self.kind == tabledata.PERCENT:
            unit = "%"
        elif self.kind == tabledata.CURRENCY:
            unit = (self.spec.get("unit") or "").strip()
        label = plain_text(self.verbose_name)
        return f"{label} ({unit})" if unit else label

    def render(self, value):
        return mark_safe(self.html(value))  # noqa: S308 - escaped or cleaned in html()

    def html(self, value: str) -> str:
        """Return the cell as HTML: a number as shown (escaped), else cleaned inline.

        A plain str, not a SafeString: rows are joined in bulk (see `_row_html`),
        and Django's lazy-aware escaping costs more than the cell itself.
        """
        if self.numeric:
            shown = tabledata.display(self.spec, value)
            if shown is not None:
                return html.escape(shown)
        return clean_inline(value)

    def value(self, value):
        return tabledata.export_value(self.spec, value)

    def sort_key(self, row: dict) -> tuple:
        if self.sort_key_name not in row:
            row[self.sort_key_name] = tabledata.sort_key(
                self.kind, row["cells"][self.index]
            )
        return row[self.sort_key_name]


class ContentRows(TableListData):
    """A content table's rows, sorted by typed keys; empty cells last either way."""

    def order_by(self, aliases):
        # Least significant first: each pass is stable, so earlier passes break ties.
        for alias in reversed(aliases):
            alias = OrderBy(alias)
            column = self.table.columns[alias.bare].column
            self.data = _sorted(self.data, column, descending=alias.is_descending)


def _sorted(rows: list[dict], column: CellColumn, *, descending: bool) -> list[dict]:
    # A sort key is (rank, value): typed values, then unreadable text, then empty.
    # Only the values within a rank are reversed.
    ranks: dict[int, list[dict]] = {}
    for row in rows:
        ranks.setdefault(column.sort_key(row)[0], []).append(row)
    return [
        row
        for rank in sorted(ranks)
        for row in sorted(
            ranks[rank],
            key=lambda row: row[column.sort_key_name][1],
            reverse=descending,
        )
    ]


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


def _xlsx(dataset: tablib.Dataset) -> bytes:
    """The dataset as a workbook: bold labels, frozen, text as text cells."""
    book = Workbook()
    sheet = book.active
    sheet.title = _SHEET_TITLE_FORBIDDEN.sub("-", dataset.title or "")[:31] or "Table"
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


class ContentTableView(tables.Table):
    """A content table as readers see it, built from a snapshot's table block.

    The article page, the embed page and the downloads all use it. Given a
    request, it applies the reader's choices from the query string, each name
    prefixed so that several tables share a page: `<prefix>sort` (a column
    name, `c0`, `c1`..., `-c1` for descending) and, on tables of more than
    PER_PAGE rows, `<prefix>q` (keep rows containing that text) and
    `<prefix>page`. Without a request it holds every row in stored order.
    """

    class Meta:
        attrs = {"class": "content-table"}

    def __init__(
        self,
        data: dict,
        *,
        prefix: str,
        anchor: str,
        request=None,
        downloads: list[tuple[str, str]] = (),
        embed_url: str = "",
    ):
        self.caption = data.get("caption") or ""
        self.source_note = data.get("source_note") or ""
        self.source_url = _web_address(data.get("source_url") or "")
        self.source_retrieved = _iso_date(data.get("source_retrieved") or "")
        self.row_headers = data.get("row_headers", True)
        self.anchor = anchor
        self.downloads = list(downloads)
        self.embed_url = embed_url
        self.total = len(data["rows"])
        self.long = self.total > PER_PAGE
        self.query = ""
        self.print_records = []
        self.request = None
        self._query = self._headers = None
        self.cell_columns = [
            CellColumn(column, index) for index, column in enumerate(data["columns"])
        ]
        names = [f"c{index}" for index in range(len(self.cell_columns))]
        rows = [
            {
                "position": position,
                "cells": cells,
                **dict(zip(names, cells, strict=False)),
            }
            for position, cells in enumerate(data["rows"], start=1)
        ]
        super().__init__(
            ContentRows(rows),
            prefix=prefix,
            extra_columns=[(column.accessor, column) for column in self.cell_columns],
        )
        if request is not None:
            self.configure(request)

    def configure(self, request) -> None:
        """Sort, filter and paginate as the request's query string asks."""
        self.request = request
        self._query = self._headers = None
        self.order_by = request.GET.get(self.prefixed_order_by_field, "")
        if not self.long:
            return
        self.query = " ".join(request.GET.get(self.filter_field, "").split())[:200]
        every_row = list(self.data)
        if self.query:
            needle = tabledata.collation_key(self.query)
            self.data.data = [row for row in every_row if needle in self._text(row)]
        self.paginator = Paginator(self.rows, PER_PAGE)
        self.page = self.paginator.get_page(request.GET.get(self.prefixed_page_field))
        # Print shows every row, whatever the screen shows.
        self.print_records = every_row

    @property
    def filter_field(self) -> str:
        return f"{self.prefix}q"

    def url(self, **changes) -> str:
        """This page with this table's parameters changed, scrolled to the table."""
        params = dict(self._encoded_query())
        for name, value in changes.items():
            name = self.prefix + name
            if value in (None, ""):
                params.pop(name, None)
            else:  # keeps its place
                params[name] = [urlencode({name: str(value)})]
        path = self.request.path if self.request else ""
        query = "&".join(pair for pairs in params.values() for pair in pairs)
        return f"{path}?{query}#{self.anchor}" if query else f"{path}#{self.anchor}"

    def _encoded_query(self) -> dict[str, list[str]]:
        # The request's query string with each name=value encoded as
        # QueryDict.urlencode() does: once per table, not once per link.
        if self._query is None:
            get = self.request.GET if self.request else QueryDict()
            self._query = {
                name: [urlencode({name: value}) for value in values]
                for name, values in get.lists()
            }
        return self._query

    @property
    def headers(self) -> list[dict]:
        """Each column's label, unit, alignment, sort state and sort link."""
        if self._headers is None:  # the template asks twice for long tables
            self._headers = self._make_headers()
        return self._headers

    def _make_headers(self) -> list[dict]:
        current = self.order_by[0] if self.order_by else None
        headers = []
        for name, column in zip(self.columns.names(), self.cell_columns, strict=True):
            sort = ""
            if current is not None and current.bare == name:
                sort = "descending" if current.is_descending else "ascending"
            headers.append(
                {
                    "label": column.verbose_name,
                    "unit": column.unit,
                    "align": column.align,
                    "sort": sort,
                    "sort_url": self.url(
                        sort=f"-{name}" if sort == "ascending" else name, page=None
                    ),
                }
            )
        return headers

    @property
    def hidden_fields(self) -> list[tuple[str, str]]:
        """The query string the filter form keeps: other tables' state, this sort."""
        if self.request is None:
            return []
        own = {self.filter_field, self.prefixed_page_field}
        return [
            (name, value)
            for name, values in self.request.GET.lists()
            if name not in own
            for value in values
        ]

    @property
    def filter_action(self) -> str:
        return f"{self.request.path if self.request else ''}#{self.anchor}"

    @property
    def clear_filter_url(self) -> str:
        return self.url(q=None, page=None)

    @property
    def pages(self) -> list[dict]:
        """Links to the pages of a long table ('…' where pages are left out)."""
        if not hasattr(self, "page") or self.paginator.num_pages < 2:
            return []
        return [
            {
                "number": number,
                "url": self.url(page=number) if number != Paginator.ELLIPSIS else "",
                "current": number == self.page.number,
            }
            for number in self.paginator.get_elided_page_range(
                self.page.number, on_each_side=1, on_ends=1
            )
        ]

    @property
    def previous_url(self) -> str:
        if not hasattr(self, "page") or not self.page.has_previous():
            return ""
        return self.url(page=self.page.previous_page_number())

    @property
    def next_url(self) -> str:
        if not hasattr(self, "page") or not self.page.has_next():
            return ""
        return self.url(page=self.page.next_page_number())

    def as_html(self, request=None) -> SafeString:
        """The table's whole `<figure>`, as django-tables2's `as_html` gives it.

        Built here rather than in a template, like the rows: the template cost
        about 0.4 ms a table (its lookups, and a context with the site's
        context processors for each table), most of an article with ten tables.
        """
        if request is not None and request is not self.request:
            self.configure(request)
        if self.caption:
            named = _html('aria-labelledby="{}-caption"', self.anchor)
            screen_caption = _html(
                '<caption id="{}-caption">{}</caption>\n', self.anchor, self.caption
            )
            print_caption = _html("<caption>{}</caption>\n", self.caption)
        else:
            named = _html('aria-label="{}"', gettext("Table"))
            screen_caption = print_caption = ""
        parts = [
            _html('<figure class="content-table-figure" id="{}">\n', self.anchor),
            self._filter_html() if self.long and self.request is not None else "",
            _html(
                '<div class="table-scroll{}" role="region" tabindex="0" {}>\n'
                '<table class="content-table">\n{}'
                "<thead>\n<tr>{}</tr>\n</thead>\n<tbody>\n{}</tbody>\n</table>\n</div>\n",
                " screen-only" if self.print_records else "",
                named,
                screen_caption,
                self.screen_head,
                self.screen_body,
            ),
        ]
        if self.print_records:
            parts.append(
                _html(
                    '<div class="print-only">\n<table class="content-table">\n{}'
                    "<thead>\n<tr>{}</tr>\n</thead>\n<tbody>\n{}</tbody>\n"
                    "</table>\n</div>\n",
                    print_caption,
                    self.print_head,
                    self.print_body,
                )
            )
        parts += [self._pages_html(), self._links_html(), self._source_html()]
        return SafeString("".join(parts) + "</figure>")  # every part is escaped

    def _filter_html(self) -> SafeString:
        """A long table's filter form, and the line saying which rows are shown."""
        if self.caption:
            label = gettext("Find rows in “%(caption)s”") % {"caption": self.caption}
        else:
            label = gettext("Find rows in this table")
        status = []
        if self.query:
            counter = self.paginator.count
            status.append(
                ngettext(
                    "%(counter)s of %(total)s rows contains “%(query)s”.",
                    "%(counter)s of %(total)s rows contain “%(query)s”.",
                    counter,
                )
                % {"counter": counter, "total": self.total, "query": self.query}
            )
        if self.page.has_other_pages():
            status.append(
                gettext("Rows %(start)s to %(end)s of %(shown)s.")
                % {
                    "start": self.page.start_index(),
                    "end": self.page.end_index(),
                    "shown": self.paginator.count,
                }
            )
        return _html(
            '<form class="table-filter" method="get" action="{action}" role="search" '
            'aria-label="{label}">\n{hidden}\n'
            '<label for="{anchor}-q">{find}</label>\n'
            '<span class="table-filter-controls">\n'
            '<input type="search" id="{anchor}-q" name="{field}" value="{query}">\n'
            '<button type="submit">{filter}</button>\n</span>\n{clear}</form>\n'
            '<p class="table-status" role="status">{status}</p>\n',
            action=self.filter_action,
            label=label,
            hidden=SafeString(
                "".join(
                    _html('<input type="hidden" name="{}" value="{}">', name, value)
                    for name, value in self.hidden_fields
                )
            ),
            anchor=self.anchor,
            find=gettext("Find rows containing"),
            field=self.filter_field,
            query=self.query,
            filter=gettext("Filter"),
            clear=_html(
                '<a href="{}">{}</a>\n', self.clear_filter_url, gettext("Show all rows")
            )
            if self.query
            else "",
            status=" ".join(status),
        )

    def _pages_html(self) -> SafeString | str:
        """Links to the pages of a long table."""
        pages = self.pages
        if not pages:
            return ""
        if self.caption:
            label = gettext("Pages of “%(caption)s”") % {"caption": self.caption}
        else:
            label = gettext("Pages of this table")
        items = []
        if self.previous_url:
            items.append(
                _html(
                    '<li><a rel="prev" href="{}">{}</a></li>',
                    self.previous_url,
                    gettext("Previous"),
                )
            )
        for page in pages:
            if page["current"]:
                link = '<li><a aria-current="page" href="{url}">{number}</a></li>'
            elif page["url"]:
                link = '<li><a href="{url}">{number}</a></li>'
            else:
                link = "<li><span>{number}</span></li>"
            items.append(_html(link, **page))
        if self.next_url:
            items.append(
                _html(
                    '<li><a rel="next" href="{}">{}</a></li>',
                    self.next_url,
                    gettext("Next"),
                )
            )
        return _html(
            '<nav class="table-pages" aria-label="{}">\n<ul>{}</ul>\n</nav>\n',
            label,
            SafeString("".join(items)),
        )

    def _links_html(self) -> SafeString | str:
        """The download links and the embed link."""
        if not self.downloads:
            return ""
        links = SafeString(
            " · ".join(
                _html('<a href="{}" download>{}</a>', url, label)
                for label, url in self.downloads
            )
        )
        if self.embed_url:
            links += _html(' · <a href="{}">{}</a>', self.embed_url, gettext("Embed"))
        return _html(
            '<p class="table-downloads">{} {}</p>\n',
            gettext("Download this table:"),
            links,
        )

    def _source_html(self) -> SafeString | str:
        """Where the figures come from, linked when there is an address."""
        if not (self.source_note or self.source_url):
            return ""
        if self.source_url:
            source = _html(
                '<a href="{}" rel="noopener noreferrer">{}</a>',
                self.source_url,
                self.source_note or self.source_url,
            )
        else:
            source = self.source_note
        retrieved = ""
        if self.source_retrieved:
            retrieved = _html(
                ', {} <time datetime="{}">{}</time>',
                gettext("retrieved"),
                self.source_retrieved.isoformat(),
                formats.date_format(self.source_retrieved, "j F Y"),
            )
        return _html(
            '<figcaption class="table-source">{} {}{}</figcaption>\n',
            gettext("Source:"),
            source,
            retrieved,
        )

    @property
    def screen_head(self) -> SafeString:
        """The header cells on screen as HTML, each a link that sorts by its column.

        Like `screen_body`, built here rather than in a template loop.
        """
        sort_by = html.escape(gettext("Sort by"))
        cells = []
        for header in self.headers:
            label, unit = html.escape(header["label"]), html.escape(header["unit"])
            shown = f'{label} <span class="unit">({unit})</span>' if unit else label
            sort = f' aria-sort="{header["sort"]}"' if header["sort"] else ""
            if self.request is not None:
                url = html.escape(header["sort_url"])
                named = f"{label} ({unit})" if unit else label
                shown = (
                    f'<a class="sort-button" href="{url}" '
                    f'aria-label="{sort_by} {named}">{shown}</a>'
                )
            align = html.escape(header["align"])
            cells.append(f'<th scope="col" class="align-{align}"{sort}>{shown}</th>')
        return SafeString("".join(cells))  # every part is escaped

    @property
    def print_head(self) -> SafeString:
        """The header cells of the print-only copy as HTML (no sort links)."""
        cells = []
        for header in self.headers:
            label, unit = html.escape(header["label"]), html.escape(header["unit"])
            shown = f'{label} <span class="unit">({unit})</span>' if unit else label
            align = html.escape(header["align"])
            cells.append(f'<th scope="col" class="align-{align}">{shown}</th>')
        return SafeString("".join(cells))  # every part is escaped

    @property
    def screen_body(self) -> SafeString:
        """The `<tr>`s shown on screen (this page's, sorted and filtered) as HTML.

        Built here rather than in a template loop, which cost most of the
        render of an article with long tables.
        """
        records = [row.record for row in self.paginated_rows]
        if not records:
            return _html(
                '<tr><td colspan="{}">{}</td></tr>',
                len(self.cell_columns),
                gettext("No rows match."),
            )
        anchor = html.escape(self.anchor)
        link = html.escape(gettext("Link to row"))
        cell, end = ('th scope="row"', "th") if self.row_headers else ("td", "td")
        rows = []
        for record in records:
            position, align, first, rest = self._row_html(record)
            rows.append(
                f'<tr id="{anchor}-row-{position}"><{cell} class="align-{align}">'
                f'<a class="row-link" href="#{anchor}-row-{position}" '
                f'aria-label="{link} {position}"></a>{first}</{end}>{rest}</tr>\n'
            )
        return SafeString("".join(rows))

    @property
    def print_body(self) -> SafeString:
        """Every row's `<tr>`, sorted, for the print-only copy (see `screen_body`)."""
        cell, end = ('th scope="row"', "th") if self.row_headers else ("td", "td")
        rows = []
        for record in self.print_records:
            _, align, first, rest = self._row_html(record)
            rows.append(
                f'<tr><{cell} class="align-{align}">{first}</{end}>{rest}</tr>\n'
            )
        return SafeString("".join(rows))

    def _row_html(self, record: dict) -> tuple[int, str, str, str]:
        # Position, first cell's alignment, first cell and the other cells as
        # HTML (escaped or cleaned), made once: a row may be on screen and in print.
        if "html" not in record:
            cells = record["cells"]
            first, *rest = self.cell_columns
            record["html"] = (
                record["position"],
                html.escape(first.align),
                first.html(cells[first.index]),
                "".join(
                    f"{column.cell_start}{column.html(cells[column.index])}</td>"
                    for column in rest
                ),
            )
        return record["html"]

    def as_values(self, exclude_columns=None):
        """Rows for downloads: headers with units, then numbers as numbers."""
        names = list(self.columns.names())
        yield [column.export_header for column in self.cell_columns]
        for row in self.rows:
            yield [row.get_cell_value(name) for name in names]

    def export(self, export_format: str) -> ContentTableExport:
        """Return the exporter for one of EXPORT_FORMATS, every row in stored order."""
        title = plain_text(self.caption)[:31] or "Table"
        return ContentTableExport(export_format, self, dataset_kwargs={"title": title})

    def _text(self, row: dict) -> str:
        # What a reader can find: each cell's text and, for numbers, as shown.
        parts = []
        for column in self.cell_columns:
            cell = row["cells"][column.index]
            parts.append(plain_text(cell))
            shown = tabledata.display(column.spec, cell)
            if shown is not None:
                parts.append(shown)
        return tabledata.collation_key("\n".join(parts))


def _web_address(url: str) -> str:
    return url if url.startswith(("https://", "http://")) else ""


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# --- editorial listings (admin)


class ArticleTitleColumn(tables.Column):
    """The article's title, linking to its page in the admin."""

    def __init__(self, *, url_name="admin:articles_article_change", **kwargs):
        self.url_name = url_name
        super().__init__(accessor="title", **kwargs)

    def render(self, value, record):
        return format_html(
            "<a href='{}'>{}</a>", reverse(self.url_name, args=[record.pk]), value
        )


class ReviewQueueTable(tables.Table):
    title = ArticleTitleColumn(
        url_name="admin:articles_article_review", verbose_name=_("Title")
    )
    desk = tables.Column(verbose_name=_("Desk"))
    created_by = tables.Column(verbose_name=_("Author"), default="—")
    submitted_by = tables.Column(verbose_name=_("Submitted by"), default="—")
    submitted_at = tables.DateTimeColumn(
        verbose_name=_("Submitted"), format="d M Y H:i"
    )
    waiting = tables.Column(
        verbose_name=_("Waiting"),
        accessor="submitted_at",
        order_by="-submitted_at",
        attrs={"td": {"class": "nr-waiting"}},
    )

    class Meta:
        template_name = "django_tables2/table.html"
        attrs = {"class": "nr-list"}
        empty_text = _("Nothing is waiting for review.")

    def render_waiting(self, value):
        return timesince(value)


class DashboardTable(tables.Table):
    title = ArticleTitleColumn(verbose_name=_("Title"))
    desk = tables.Column(verbose_name=_("Desk"))
    status = tables.Column(verbose_name=_("State"))
    updated_at = tables.DateTimeColumn(
        verbose_name=_("Last changed"), format="d M Y H:i"
    )
    published_at = tables.DateTimeColumn(
        verbose_name=_("Publication"), format="d M Y H:i", default="—"
    )
    last_comment = tables.Column(verbose_name=_("Moderator's comment"), orderable=False)

    class Meta:
        template_name = "django_tables2/table.html"
        attrs = {"class": "nr-list"}
        empty_text = _("None.")
        order_by = "-updated_at"

    def __init__(self, *args, with_comment=False, **kwargs):
        exclude = () if with_comment else ("last_comment",)
        super().__init__(*args, exclude=exclude, **kwargs)


class RevisionTable(tables.Table):
    number = tables.Column(verbose_name=_("Revision"))
    created_at = tables.DateTimeColumn(verbose_name=_("Saved"), format="d M Y H:i")
    author = tables.Column(verbose_name=_("By"), default="—")
    state = tables.Column(verbose_name=_("State"), empty_values=(), orderable=False)
    note = tables.Column(verbose_name=_("Note"), default="")
    actions = tables.Column(verbose_name=_("Actions"), empty_values=(), orderable=False)

    class Meta:
        template_name = "django_tables2/table.html"
        attrs = {"class": "nr-list"}
        order_by = "-number"

    def __init__(self, *args, article, can_restore, **kwargs):
        self.article = article
        self.current = article.current_revision()
        self.can_restore = can_restore
        super().__init__(*args, **kwargs)

    def render_state(self, record):
        labels = []
        if record.pk == self.article.live_revision_id:
            labels.append(_("readers see this"))
        if self.current is not None and record.pk == self.current.pk:
            labels.append(_("current"))
        if record.conflicted:
            labels.append(_("kept aside"))
        return ", ".join(str(label) for label in labels)

    def render_actions(self, record):
        def url(name, *args):
            return reverse(
                f"admin:articles_article_{name}", args=[self.article.pk, *args]
            )

        links = [(url("preview", record.number), _("preview"))]
        if record.number > 1:
            compare = url("compare") + f"?from={record.number - 1}&to={record.number}"
            links.append((compare, _("changes")))
        if (
            self.can_restore
            and self.current is not None
            and record.pk != self.current.pk
        ):
            links.append((url("restore", record.number), _("restore")))
        return format_html_join(" · ", "<a href='{}'>{}</a>", links)
