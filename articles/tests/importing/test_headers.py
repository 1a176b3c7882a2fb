"""Headers as they are: column groups, empty labels, header rows that are data."""

import csv
import io
import json

import lxml.html
import openpyxl
import pytest

from articles import revisions, services
from articles.diff import diff
from articles.importing import export_html, parse
from articles.tabledata import check_table
from articles.testing.factories import make_article

from .helpers import assert_valid_for_cms, codes, note, tables_of

RESULTS = """<html><head><title>Results</title></head><body><h1>Results</h1>
<p>The league's results by year.</p>
<table><caption>Results by year</caption>
<thead><tr><th></th><th colspan="2">2024</th><th colspan="2">2025</th></tr>
<tr><th></th><th>Wins</th><th>Losses</th><th>Wins</th><th>Losses</th></tr></thead>
<tbody><tr><td>Lions</td><td>10</td><td>2</td><td>8</td><td>4</td></tr>
<tr><td>Tigers</td><td>7</td><td>5</td><td>9</td><td>3</td></tr></tbody></table>
</body></html>"""
GROUPS = [
    {"label": "2024", "start": 1, "span": 2},
    {"label": "2025", "start": 3, "span": 2},
]


def only_table(source, **options):
    """The article and its one table, with the labels as a list of texts."""
    article = parse(source, format=options.pop("format", "html"))
    (table,) = tables_of(article)
    return article, {**table, "columns": [c["label"] for c in table["columns"]]}


def test_a_header_cell_over_columns_becomes_a_group_over_the_labels_below():
    article, table = only_table(RESULTS)
    assert table["columns"] == ["", "Wins", "Losses", "Wins", "Losses"]
    assert table["groups"] == GROUPS
    assert table["rows"] == [
        ["Lions", "10", "2", "8", "4"],
        ["Tigers", "7", "5", "9", "3"],
    ]
    # Nothing invented, nothing renamed, the rows merged into nothing.
    for code in ("label-missing", "duplicate-label-renamed", "header-rows-as-data"):
        assert code not in codes(article)
    assert_valid_for_cms(article)


def test_an_empty_corner_imports_empty_without_a_note():
    source = (
        "<table><tr><th></th><th>Votes</th></tr>"
        "<tr><td>North</td><td>12</td></tr></table>"
    )
    article, table = only_table(source)
    assert table["columns"] == ["", "Votes"]
    assert "label-missing" not in codes(article)
    [body] = article.to_body()
    [block] = body["blocks"]
    warnings = check_table(
        block["columns"], block["rows"], caption="C", source_note="S"
    )
    assert [p for p in warnings if "label" in p.message] == []


def test_an_empty_corner_in_markdown_imports_empty_without_a_note():
    article, table = only_table(
        "|  | Votes |\n|---|---|\n| North | 12 |", format="markdown"
    )
    assert table["columns"] == ["", "Votes"]
    assert "label-missing" not in codes(article)


def test_a_missing_label_elsewhere_stays_empty_with_a_note_and_a_warning():
    source = (
        "<table><tr><th>Team</th><th></th><th>Coach</th></tr>"
        "<tr><td>Lions</td><td>10</td><td>Ann</td></tr></table>"
    )
    article, table = only_table(source)
    assert table["columns"] == ["Team", "", "Coach"]
    assert note(article, "label-missing").where == "section 1, block 1, column 2"
    [body] = article.to_body()
    [block] = body["blocks"]
    problems = check_table(
        block["columns"], block["rows"], caption="C", source_note="S"
    )
    assert [(p.level, p.column) for p in problems] == [("warning", 2)]


def test_two_header_rows_without_spans_keep_the_first_and_make_the_second_data():
    source = (
        "<table><thead><tr><th>Jahr</th><th>Punkte</th></tr>"
        "<tr><th>vs. Teamkollege</th><th>+3</th></tr></thead>"
        "<tbody><tr><td>2023</td><td>12</td></tr></tbody></table>"
    )
    article, table = only_table(source)
    assert table["columns"] == ["Jahr", "Punkte"]
    assert table["groups"] == []
    assert table["rows"] == [["vs. Teamkollege", "+3"], ["2023", "12"]]
    assert "header-rows-merged" not in codes(article)
    assert note(article, "header-rows-as-data").where == "section 1, block 1, header"


def test_a_third_header_row_under_groups_becomes_data():
    source = RESULTS.replace(
        "</tr></thead>",
        "</tr><tr><th></th><th>n</th><th>n</th><th>n</th><th>n</th></tr></thead>",
    )
    article, table = only_table(source)
    assert table["groups"] == GROUPS
    assert table["rows"][0] == ["", "n", "n", "n", "n"]
    assert "header-rows-as-data" in codes(article)


def test_one_header_row_over_columns_is_a_group_whose_labels_are_left_empty():
    source = (
        "<table><tr><th>Region</th><th colspan=2>Votes</th></tr>"
        "<tr><td>North</td><td>12</td><td>40%</td></tr></table>"
    )
    article, table = only_table(source)
    assert table["columns"] == ["Region", "", ""]
    assert table["groups"] == [{"label": "Votes", "start": 1, "span": 2}]
    assert [n.where for n in article.notes if n.code == "label-missing"] == [
        "section 1, block 1, column 2",
        "section 1, block 1, column 3",
    ]


def test_a_label_over_one_column_under_a_spanning_row_is_a_one_column_group():
    source = (
        "<table><thead><tr><th>Name</th><th colspan=2>Score</th></tr>"
        "<tr><th>first</th><th>home</th><th>away</th></tr></thead>"
        "<tbody><tr><td>Ann</td><td>1</td><td>2</td></tr></tbody></table>"
    )
    _, table = only_table(source)
    assert table["columns"] == ["first", "home", "away"]
    assert table["groups"] == [
        {"label": "Name", "start": 0, "span": 1},
        {"label": "Score", "start": 1, "span": 2},
    ]


def test_labels_written_twice_are_still_renamed_outside_groups():
    article, table = only_table(
        "| Year | Year |\n|---|---|\n| 2024 | 1 |", format="markdown"
    )
    assert table["columns"] == ["Year", "Year (2)"]
    assert "duplicate-label-renamed" in codes(article)


@pytest.mark.django_db
def test_grouped_headers_round_trip_to_the_page_downloads_and_diff(client):
    """Import, snapshot, page (two header rows), CSV/XLSX/JSON, then a diff."""
    body = parse(RESULTS.encode(), name="results.html").to_body()
    body[0]["blocks"][1]["source_note"] = "League"
    article = make_article(body, publish=True)
    [section] = revisions.snapshot(article)["sections"]
    block = section["blocks"][1]
    assert block["groups"] == GROUPS

    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    grid = page.get_element_by_id("table-1").find(".//div[@role='region']/table")
    upper, lower = grid.findall("thead/tr")
    assert [(c.tag, c.get("scope"), c.get("colspan")) for c in upper] == [
        ("td", None, None),
        ("th", "colgroup", "2"),
        ("th", "colgroup", "2"),
    ]
    assert [th.text_content().strip() for th in lower] == [
        "Wins",
        "Losses",
        "Wins",
        "Losses",
    ]

    base = f"{article.get_absolute_url()}r1/table-1"
    headers = ["", "2024: Wins", "2024: Losses", "2025: Wins", "2025: Losses"]
    rows = list(csv.reader(io.StringIO(client.get(f"{base}.csv").text)))
    assert rows[0] == headers
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}.xlsx").content))
    assert [cell.value for cell in book.active[1]][1:] == headers[1:]
    data = json.loads(client.get(f"{base}.json").content)
    fields = [field["name"] for field in data["schema"]["fields"]]
    assert fields == ["column 1", *headers[1:]]
    assert [field.get("group") for field in data["schema"]["fields"]] == [
        None,
        "2024",
        "2024",
        "2025",
        "2025",
    ]
    assert list(data["data"][0]) == fields

    old = revisions.snapshot(article)
    block["groups"] = [{**GROUPS[0], "label": "Season 2024"}, GROUPS[1]]
    services.replace_body(article, [section])
    [changed] = diff(old, revisions.snapshot(article)).sections
    [setting] = changed.blocks[0].settings
    assert changed.blocks[0].table is None
    assert setting.label == "Column groups"
    assert setting.new.startswith("“Season 2024” over Wins, Losses")


def test_exported_html_of_a_grouped_table_imports_the_same():
    article = parse(RESULTS.encode(), name="results.html")
    again = parse(export_html(article).encode(), name="results.html")
    assert tables_of(again) == tables_of(article)
