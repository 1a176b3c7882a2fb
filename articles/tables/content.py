"""A content table as readers see it: django-tables2, sorted, filtered, paged."""

import functools
import html
from datetime import date
from urllib.parse import quote_plus

import django_tables2 as tables
from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData
from django_tables2.utils import AttributeDict, OrderBy

from .. import tabledata
from ..sanitize import inline_html, plain_text
from ..snapshot import NUMERIC_KINDS, NarrowLayout, column_groups, effective_align
from .export import ContentTableExport

# Tables longer than this get a filter box and pages of this many rows.
PER_PAGE = 25
# The `<prefix>page` that shows every row on one page.
ALL = "all"


# The words of a table's controls (content_table.html, _chart.html),
# translated once per process and language: a {% translate %} of a word with
# no translation walks seven catalogs (about 6 µs), and each table showed
# fifteen to twenty (bench/render_profile.py).
WORDS = {
    "show_the_table": _("Show the table"),
    "find_rows_in_this_table": _("Find rows in this table"),
    "find_rows_containing": _("Find rows containing"),
    "filter": _("Filter"),
    "show_all_rows": _("Show all rows"),
    "table": _("Table"),
    "sort_by": _("Sort by"),
    "link_to_row": _("Link to row"),
    "pages_of_this_table": _("Pages of this table"),
    "previous": _("Previous"),
    "next": _("Next"),
    "all_rows": _("All rows"),
    "download_this_table": _("Download this table:"),
    "source": _("Source:"),
    "share_or_embed_this_table": _("Share or embed this table"),
    "the_figures_as_a_table": _("The figures as a table"),
    "the_figures_as_a_table_below": _("The figures as a table, below"),
}


@functools.lru_cache(maxsize=64)
def translated_words(language: str | None) -> dict[str, SafeString]:
    """WORDS in `language` (the active one when it is asked), escaped.

    Escaped here once: a template shows a safe string as it is, and escaped
    each of a table's twenty words again on every render (about 1 µs each).
    """
    return {name: escape(str(word)) for name, word in WORDS.items()}


class TemplateLookups:
    """Attributes a template finds at its first try, `obj[name]`.

    A template looks `table.caption` up as `table["caption"]` first, and only
    after that fails (a TypeError raised and caught: half a microsecond) as
    an attribute. A content table's templates make about 60 such lookups of
    the table and a dozen per header cell of its column. A name that is not
    an attribute is a KeyError, and the template goes on as before.
    """

    def __getitem__(self, name):
        try:
            return getattr(self, name)
        except (AttributeError, TypeError):
            raise KeyError(name) from None


class CellColumn(TemplateLookups, tables.Column):
    """A column of inline-HTML cells, shown, sorted and exported by its kind.

    Rows hold each cell as typed under `c<index>`; the typed sort key goes
    under `k<index>`, filled in only when the column is sorted. Empty cells
    stay empty rather than '—'. Header and cells are aligned by its kind
    (`attrs`); the header also says whether the table is sorted by this
    column (`aria-sort`, set by `sorted_as`).
    """

    empty_values = ()

    def __init__(self, spec: dict, index: int, group: str = ""):
        self.spec = spec
        self.index = index
        self.group = group  # the label of the group over it, or ""
        self.kind = spec.get("kind") or tabledata.TEXT
        self.numeric = self.kind in NUMERIC_KINDS
        self.align = effective_align(spec)
        self.unit = tabledata.header_unit(spec)
        self.sort_key_name = f"k{index}"
        # Numbers are never broken across lines (`.num`, site.css). Left is
        # the cells' default there: a text column's cells carry no class.
        align = f"align-{self.align} num" if self.numeric else f"align-{self.align}"
        cell = {} if align == "align-left" else {"class": align}
        super().__init__(
            verbose_name=spec.get("label") or "",
            accessor=f"c{index}",
            order_by=(self.sort_key_name,),
            attrs={"th": {"scope": "col", **cell}, "td": cell},
        )
        self.sort_href = self.th_html = self.td_html = ""  # set by sorted_as()

    def sorted_as(self, sort: str, sort_href: str, attrs_html) -> None:
        """Set how the table is sorted by this column and the address that sorts it.

        `sort` is "ascending", "descending" or "" (not sorted by this column);
        `sort_href` is the link that sorts by it (next way round). The
        attributes of the header (with its `aria-sort`) and of the cells are
        rendered here, by `attrs_html(attrs)`: each after a space, or "".
        """
        self.sort_href = sort_href
        th = {**self.attrs["th"], "aria-sort": sort} if sort else self.attrs["th"]
        self.th_html = attrs_html(th)
        self.td_html = attrs_html(self.attrs["td"])

    @cached_property
    def heading(self) -> str:
        """The label after its group's, as a download or screen reader names it."""
        label = plain_text(self.verbose_name)
        return f"{self.group}: {label}" if self.group else label

    @property
    def export_header(self) -> str:
        """The heading with the unit of the exported numbers: '2024: Change (%)'."""
        unit = self.unit
        if self.kind == tabledata.PERCENT:
            unit = "%"
        elif self.kind == tabledata.CURRENCY:
            unit = (self.spec.get("unit") or "").strip()
        return f"{self.heading} ({unit})" if unit else self.heading

    def render(self, value):
        return self.html(value)

    def html(self, value: str) -> SafeString:
        """Return the cell as HTML: a number as shown (escaped), else cleaned inline."""
        return mark_safe(self.markup(value))  # noqa: S308 - escaped or cleaned

    def markup(self, value: str) -> str:
        """The cell's HTML as a plain str, for `rows_html` to mark safe once."""
        if self.numeric:
            shown = tabledata.display(self.spec, value)
            if shown is not None:
                return html.escape(shown)
        return inline_html(value)

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


class ContentTableView(TemplateLookups, tables.Table):
    """A content table as readers see it, built from a snapshot's table block.

    The article page, the embed page and the downloads all use it. Given a
    request, it applies the reader's choices from the query string, each name
    prefixed so that several tables share a page: `<prefix>sort` (a column
    name, `c0`, `c1`..., `-c1` for descending) and, on tables of more than
    PER_PAGE rows, `<prefix>q` (keep rows containing that text) and
    `<prefix>page`. Without a request it holds every row in stored order.

    Rendered by `Meta.template_name`. A long table prints the page on
    screen, with the address of every row on one page (`<prefix>page=all`).

    On a narrow screen a table scrolls sideways in its own region, or, when
    its `narrow_layout` is "stack", shows each row as a card: its cells then
    carry their column's heading (`data-label`, shown by site.css). It stays
    a table in the markup: explicit ARIA roles on its rows and cells, which
    would keep the semantics where a browser drops them for rows displayed as
    blocks, are invalid HTML inside a `<table>` (the Nu checker refuses them).
    """

    class Meta:
        template_name = "articles/tables/content_table.html"
        empty_text = _("No rows match.")

    def __init__(
        self,
        data: dict,
        *,
        prefix: str,
        anchor: str,
        request=None,
        downloads: dict[str, str] | None = None,
        share_url: str = "",
        marks: dict[int, dict[int, tuple[str, str]]] | None = None,
        chart=None,
        ids_in_browser: bool = False,
    ):
        self.caption = data.get("caption") or ""
        self.source_note = data.get("source_note") or ""
        self.source_url = _web_address(data.get("source_url") or "")
        self.source_retrieved = _iso_date(data.get("source_retrieved") or "")
        self.row_headers = data.get("row_headers", True)
        self.stacked = data.get("narrow_layout") == NarrowLayout.STACK
        # Escaped once: the template repeats it in every link and row id.
        self.anchor = escape(anchor)
        # The download links by format (csv, xlsx, json: EXPORT_FORMATS).
        self.downloads = downloads or {}
        # The link to the table's "Share / embed" page (views.table_share).
        self.share_url = share_url
        # The table drawn as a chart (charts.Chart), shown before it; or None.
        self.chart = chart
        # Whether the chart comes first and the table on request (a template
        # looking up `chart.only` on None tries three ways, and dir(None)).
        self.chart_only = bool(chart and chart.only)
        # Comment markers of the review screen, by row position and column
        # index: the comments' ids and the marker's HTML, both escaped.
        self.marks = marks or {}
        self.ids_in_browser = ids_in_browser
        self.total = len(data["rows"])
        self.long = self.total > PER_PAGE
        self.query = ""
        self.numbers = {}
        self.all_rows = False
        self.request = None
        # Set by _page_links() for a long table of several pages.
        self.pages, self.print_all_url = [], None
        self.previous_href = self.next_href = self.all_rows_href = ""
        groups = column_groups(data)
        self.cell_columns = [
            CellColumn(column, index, groups[index])
            for index, column in enumerate(data["columns"])
        ]
        self.header_rows, self.column_groups = _header_rows(
            self.cell_columns, data.get("groups") or []
        )
        names = [f"c{index}" for index in range(len(self.cell_columns))]
        rows = [
            {
                "position": position,
                "cells": cells,
                **dict(zip(names, cells, strict=False)),
            }
            for position, cells in enumerate(data["rows"], start=1)
        ]
        if self.stacked:
            _label_cells(self.cell_columns)
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
        self.order_by = request.GET.get(self.prefixed_order_by_field, "")
        every_row = list(self.data)
        if self.long:
            self.query = " ".join(request.GET.get(self.filter_field, "").split())[:200]
            if self.query:
                needle = tabledata.collation_key(self.query)
                self.data.data = [row for row in every_row if needle in self._text(row)]
            self.paginator = Paginator(self.rows, PER_PAGE)
            page = request.GET.get(self.prefixed_page_field)
            # `<prefix>page=all`: every row (found), on one page; the address
            # a printed page of a paged table gives for the whole table.
            self.all_rows = page == ALL
            self.page = self.paginator.get_page(1 if self.all_rows else page)
            # The counts its status and print lines show, grouped as intcomma
            # does (number_format), once rather than in each line.
            self.numbers = {
                # Under 1000, no grouping: the digits (what intcomma gives).
                name: str(value)
                if value < 1000
                else number_format(value, use_l10n=True, force_grouping=True)
                for name, value in (
                    ("start", self.page.start_index()),
                    ("end", self.page.end_index()),
                    ("count", self.paginator.count),
                    ("total", self.total),
                )
            }
        current = self.order_by[0] if self.order_by else None
        for name, column in zip(self.columns.names(), self.cell_columns, strict=True):
            sort = ""
            if current is not None and current.bare == name:
                sort = "descending" if current.is_descending else "ascending"
            query = self.query_string(
                sort=f"-{name}" if sort == "ascending" else name,
                page=ALL if self.all_rows else None,
            )
            column.sorted_as(sort, self.href(query), _attrs_html)
        self.header_html = header_html(self)
        self._page_links()
        # The records themselves (sorted, found), not django-tables2's BoundRow
        # of each: the rows of the page shown, or every row.
        records = self.data.data
        if self.long and not self.all_rows:
            first = (self.page.number - 1) * PER_PAGE
            records = records[first : first + PER_PAGE]
        # On pages that load js/row-links.js (`ids_in_browser`), rows shown in
        # their stored order (a page of the unsorted, unfiltered table) get
        # their ids there, numbered from the first one: 3% of a long
        # article's compressed bytes (bench/page_weight.py).
        self.first_row = None
        if self.ids_in_browser and records and _consecutive(records):
            # A string: an int in a template is localised (number_format).
            self.first_row = str(records[0]["position"])
        self.rows_html = rows_html(self, records, ids=self.first_row is None)

    @cached_property
    def words(self) -> dict[str, str]:
        """The words of its controls, in the active language (WORDS)."""
        return translated_words(get_language())

    @property
    def filter_field(self) -> str:
        return f"{self.prefix}q"

    def query_with(self, **changes) -> QueryDict:
        """The request's query string with this table's parameters changed,
        as a QueryDict: what `query_string` stands in for (a test compares
        them). A value of None removes the parameter.
        """
        query = self.request.GET.copy() if self.request else QueryDict(mutable=True)
        for name, value in changes.items():
            name = self.prefix + name
            if value is None:
                query.pop(name, None)
            else:  # keeps its place
                query[name] = str(value)
        return query

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

    def query_string(self, **changes) -> str:
        """`query_with(**changes).urlencode()`, without copying the request's
        QueryDict (a deep copy, for each of a table's dozen links)."""
        # This table's own names and values (`t1-sort=-c2`, `t1-page=3`,
        # `t1-page=all`) are URL-safe as they are: only the rest of the
        # query string is encoded, as urlencode() does (about 10 µs a link).
        changes = {self.prefix + name: value for name, value in changes.items()}
        pairs = []
        for name, values in self.request.GET.lists() if self.request else ():
            if name not in changes:
                pairs += [f"{quote_plus(name)}={quote_plus(value)}" for value in values]
            elif (value := changes.pop(name)) is not None:  # keeps its place
                pairs.append(f"{name}={value}")
        pairs += [
            f"{name}={value}" for name, value in changes.items() if value is not None
        ]
        return "&".join(pairs)

    def href(self, query: str) -> SafeString:
        """The link to this table with the query string `query`, escaped.

        What `{% querystring query %}#{{ table.anchor }}` renders, without
        the tag's copy of the query and its escaping of each part: about 30
        µs a link, and a table has one per column. A query string alone
        stays on the page's own path (the article page, the embed page),
        and saves bytes in every link; "?" even when it is empty, or the
        link would keep the page's query.
        """
        # html.escape: what escape() calls, without its check for lazy strings.
        return SafeString(f"?{html.escape(query)}#{self.anchor}")

    @property
    def clear_filter_href(self) -> SafeString:
        return self.href(self.query_string(q=None, page=None))

    def _page_links(self) -> None:
        """Links to the pages of a long table ('…' where pages are left out)."""
        if not self.long or self.paginator.num_pages < 2:
            return
        page = self.page
        self.pages = []
        for number in self.paginator.get_elided_page_range(
            page.number, on_each_side=1, on_ends=1
        ):
            if not isinstance(number, int):  # Paginator.ELLIPSIS, a lazy string
                # (each comparison with it would translate it again)
                self.pages.append({"number": str(number), "href": "", "current": False})
                continue
            self.pages.append(
                {
                    "number": str(number),  # not localized in the template, like ids
                    "href": self.href(self.query_string(page=number)),
                    "current": number == page.number and not self.all_rows,
                }
            )
        all_rows = self.query_string(page=ALL)
        self.all_rows_href = self.href(all_rows)
        if self.all_rows:
            return
        # Print shows the page on screen, and where to find every row.
        self.print_all_url = self.request.build_absolute_uri(
            f"{self.request.path}?{all_rows}#{self.anchor}"
        )
        if page.has_previous():
            self.previous_href = self.href(
                self.query_string(page=page.previous_page_number())
            )
        if page.has_next():
            self.next_href = self.href(self.query_string(page=page.next_page_number()))

    def as_values(self, exclude_columns=None):
        """Rows for downloads: headers with units, then values by `export_value`."""
        names = list(self.columns.names())
        yield [column.export_header for column in self.cell_columns]
        for row in self.rows:
            yield [row.get_cell_value(name) for name in names]

    def export(self, export_format: str, *, name: str = "") -> ContentTableExport:
        """Return the exporter for one of EXPORT_FORMATS, every row in stored order.

        `name` is the download's file name without its extension.
        """
        title = plain_text(self.caption)[:31] or gettext("Table")
        return ContentTableExport(
            export_format, self, name=name, dataset_kwargs={"title": title}
        )

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


def _label_cells(columns: list[CellColumn]) -> None:
    """Give each cell of a stacked table its column's heading, with its unit."""
    for column in columns:
        label = column.heading
        if label:
            if column.unit:
                label = f"{label} ({column.unit})"
            column.attrs = {
                **column.attrs,
                "td": {**column.attrs["td"], "data-label": label},
            }


def _header_rows(
    columns: list[CellColumn], groups: list[dict]
) -> tuple[list[list[dict]], list[int]]:
    """The header's rows of cells for the template, and the `<colgroup>` spans.

    Without groups, one row: a cell per column. With groups, two: each
    group's label over its columns (`scope="colgroup"`, which needs the
    table's columns in `<colgroup>`s), then their labels; a column in no
    group has its label in the first row, spanning both. Cells are
    {"column": CellColumn} or {"group": label, "span": n}, with "rowspan".
    Each has every key (`_cell`): a template's lookup of a missing key tries
    three ways and calls dir(), a dozen µs per header cell.
    """
    if not groups:
        return [[_cell(column=column) for column in columns]], []
    starts = {entry["start"]: entry for entry in groups}
    upper, lower, spans = [], [], []
    index = 0
    while index < len(columns):
        entry = starts.get(index)
        if entry is None:
            upper.append(_cell(column=columns[index], rowspan=2))
            spans.append(1)
            index += 1
            continue
        upper.append(_cell(group=entry["label"], span=entry["span"]))
        lower += [_cell(column=column) for column in columns[index:][: entry["span"]]]
        spans.append(entry["span"])
        index += entry["span"]
    return [upper, lower], spans


def _attrs_html(attrs: dict) -> SafeString:
    """The attributes as HTML after a space, or "" for none."""
    if "data-label" in attrs:  # a stacked table's cells: its own headings
        return _render_attrs(tuple(attrs.items()))
    return _common_attrs(tuple(attrs.items()))


def _render_attrs(items: tuple) -> SafeString:
    html_ = AttributeDict(items).as_html() if items else ""
    return SafeString(f" {html_}" if html_ else "")


# The few attributes of headers and cells of every kind (scope, alignment,
# aria-sort), rendered once per process rather than for each table.
_common_attrs = functools.lru_cache(maxsize=64)(_render_attrs)


def _cell(*, column=None, group="", span=1, rowspan=0) -> dict:
    return {"column": column, "group": group, "span": span, "rowspan": rowspan}


def header_html(table: ContentTableView) -> SafeString:
    """Return the `<thead>`'s rows (`header_rows`): groups, labels, sort links.

    Each labelled column's header is its sort link, named for screen readers
    "Sort by <group: label> (<unit>)"; a column without a label (the corner
    above row headers) has an empty `<td>`. Built here rather than in the
    template, as the rows are (`rows_html`): a template loop over the cells
    cost about 70 µs a table, a tenth of a small article's render
    (bench/render_profile.py).
    """
    sort_by = table.words["sort_by"]
    # Groups, labels and units are plain text: html.escape, what Django's
    # escape() calls, without its check for lazy strings (nine a table).
    rows = []
    for row in table.header_rows:
        cells = []
        for cell in row:
            rowspan = f' rowspan="{cell["rowspan"]}"' if cell["rowspan"] else ""
            column = cell["column"]
            if cell["group"]:
                group = html.escape(cell["group"])
                cells.append(
                    f'<th scope="colgroup" colspan="{cell["span"]}">{group}</th>'
                )
            elif column.verbose_name:
                unit = html.escape(column.unit)
                name = f"{sort_by} {html.escape(column.heading)}"
                shown = html.escape(column.verbose_name)
                if unit:
                    name, shown = (
                        f"{name} ({unit})",
                        f'{shown} <span class="unit">({unit})</span>',
                    )
                cells.append(
                    f'<th{column.th_html}{rowspan}><a class="sort-button"'
                    f' href="{column.sort_href}" aria-label="{name}">{shown}</a></th>'
                )
            else:
                cells.append(f"<td{rowspan}></td>")
        rows.append(f"<tr>{''.join(cells)}</tr>\n")
    return mark_safe("".join(rows))  # noqa: S308 - escaped above


def rows_html(table: ContentTableView, records: list[dict], *, ids=True) -> SafeString:
    """Return the rows' `<tr>`s, each cell with its column's `td` attributes.

    The first cell is a `<th scope="row">` when the first column names the
    rows. With `ids`, a row has its anchor as id (`table-1-row-3`), so that
    it can be linked to; without, js/row-links.js gives them from the
    `<tbody>`'s `data-first-row`. The "#" link to a row at its start is
    added in the browser (js/row-links.js, from the `<tbody>`'s
    `data-row-link` label), not sent with every row. Contents come from
    `CellColumn.markup`: numbers escaped as shown, text cleaned to the inline
    allow-list. Cells have no end tags:
    HTML closes a `td`/`th` at the next cell or at the row's end (as it does
    `p` and `li`), and on a long article the 5 bytes a cell were 2% of the
    compressed page (bench/page_weight.py).

    The one part of a content table built outside its template, because it is
    the measured hot spot: the large benchmark article shows 250 rows (its
    10 tables). django-tables2's own cell loop
    (`row.items`: accessor, render signature, attributes) cost about 90 µs a
    cell; a template block per row over cells joined here, about 12 µs a row
    (the large page's cold render went from 32.9 to 26.4 ms of CPU when the
    rows moved here; bench/render_profile.py). `html.escape` is what
    `django.utils.html.escape` calls, without its lazy-string check (a
    microsecond a cell); the rows are marked safe once, at the end.
    """
    if not records:
        return SafeString()
    first, *others = table.cell_columns
    tag, scope = ("th", ' scope="row"') if table.row_headers else ("td", "")
    opening = f"<{tag}{scope}{first.td_html}>"
    # Looked up once, not for each cell: a text cell is only cleaned.
    first_markup = first.markup if first.numeric else inline_html
    others = [
        (f"<td{c.td_html}>", c.index, c.markup if c.numeric else inline_html)
        for c in others
    ]
    anchor = table.anchor
    parts = []
    for record in records:
        position = record["position"]
        if position in table.marks:  # the review screen's commented cells
            parts.append(_marked_row(table, record, tag, scope))
            continue
        cells = record["cells"]
        parts.append(
            (f'<tr id="{anchor}-row-{position}">' if ids else "<tr>")
            + f"{opening}{first_markup(cells[first.index])}"
            + "".join([f"{td}{markup(cells[i])}" for td, i, markup in others])
            + "</tr>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - escaped or cleaned above


def _consecutive(records: list[dict]) -> bool:
    """Whether the rows are in their stored order, none left out between them."""
    start = records[0]["position"]
    return all(
        record["position"] == start + offset for offset, record in enumerate(records)
    )


def _marked_row(table: ContentTableView, record: dict, tag: str, scope: str) -> str:
    """A row as `rows_html` makes it, its commented cells carrying their markers.

    The marker is inside the cell and the comments' ids on it
    (`data-comments`), so that the mark goes wherever sorting puts the row.
    """
    anchor, position = table.anchor, record["position"]
    marks = table.marks[position]
    cells = []
    for column in table.cell_columns:
        content = column.markup(record["cells"][column.index])
        attrs = column.td_html
        if column.index in marks:
            ids, marker = marks[column.index]
            attrs = f'{attrs} data-comments="{ids}"'
            content = f"{marker}{content}"
        if column is table.cell_columns[0]:
            cells.append(f"<{tag}{scope}{attrs}>{content}</{tag}>")
        else:
            cells.append(f"<td{attrs}>{content}</td>")
    return f'<tr id="{anchor}-row-{position}">{"".join(cells)}</tr>\n'


def _web_address(url: str) -> str:
    return url if url.startswith(("https://", "http://")) else ""


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
