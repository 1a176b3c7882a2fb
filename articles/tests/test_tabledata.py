"""Table cells read by their column's kind, and the checks a table must pass."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services, tabledata, workflow
from articles.models import Block, Section
from articles.tabledata import Problem, check_table
from articles.testing.bodies import table
from articles.testing.factories import make_article


def col(label, kind="text", **settings):
    return {"label": label, "kind": kind, **settings}


def errors(columns, rows, **meta):
    return [p for p in check_table(columns, rows, **meta) if p.level == "error"]


# --- reading cells


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1,234.5", Decimal("1234.5"), ""),
        ("-3", Decimal("-3"), ""),
        ("− 12", Decimal("-12"), ""),
        ("6.2%", Decimal("6.2"), "%"),
        ("$1,200", Decimal("1200"), "$"),
        ("12 km", Decimal("12"), "km"),
        ("1 234", Decimal("1234"), ""),
        (".5", Decimal("0.5"), ""),
    ],
)
def test_numbers_are_read_with_their_unit(text, value, unit):
    assert tabledata.parse_number(text) == (value, unit)


@pytest.mark.parametrize("text", ["12a3", "Q4 2024", "1,23", "", "--5"])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        tabledata.parse_number(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2024-05-31", date(2024, 5, 31)),
        ("31 May 2024", date(2024, 5, 31)),
        ("May 31, 2024", date(2024, 5, 31)),
        ("31/05/2024", date(2024, 5, 31)),
        ("March 2025", date(2025, 3, 1)),
        ("2025", date(2025, 1, 1)),
    ],
)
def test_dates_are_read_in_the_usual_ways(text, value):
    assert tabledata.parse_date(text) == value


def test_sort_keys_order_by_value_with_empty_cells_last():
    cells = ["10", "", "-2", "1,000", "9.5"]
    ordered = sorted(cells, key=lambda cell: tabledata.sort_key("number", cell))
    assert ordered == ["-2", "9.5", "10", "1,000", ""]
    dates = ["1 March 2024", "2023-12-31", "Feb 2, 2024"]
    assert sorted(dates, key=lambda cell: tabledata.sort_key("date", cell)) == [
        "2023-12-31",
        "Feb 2, 2024",
        "1 March 2024",
    ]
    words = ["zebra", "Émile", "apple", "Zoe"]
    assert sorted(words, key=lambda cell: tabledata.sort_key("text", cell)) == [
        "apple",
        "Émile",
        "zebra",
        "Zoe",
    ]


def test_display_uses_the_columns_decimals_unit_and_grouping():
    assert tabledata.display(col("V", "number", decimals=1), "1234.56") == "1,234.6"
    assert tabledata.display(col("S", "percent", decimals=0), "6.4") == "6%"
    assert tabledata.display(col("P", "currency", unit="€", decimals=2), "5") == "€5.00"
    assert tabledata.display(col("P", "currency", unit="USD"), "1200") == "1,200 USD"
    assert tabledata.display(col("T"), "text") is None


def test_export_values_are_decimals_as_typed_and_dates():
    value = tabledata.export_value(col("V", "number"), "69.0")
    assert isinstance(value, Decimal) and str(value) == "69.0"
    assert tabledata.export_value(col("V", "number"), "1,200") == Decimal(1200)
    assert tabledata.export_value(col("V", "percent"), "6.5%") == Decimal("6.5")
    assert tabledata.export_value(col("D", "date"), "31 May 2024") == date(2024, 5, 31)
    assert tabledata.export_value(col("T"), "<b>x</b>") == "x"
    assert tabledata.export_value(col("V", "number"), "") is None


def test_plain_numbers_keep_their_digits_and_the_declared_decimals():
    assert tabledata.plain_number(Decimal("69"), 1) == "69.0"
    assert tabledata.plain_number(Decimal("69.0")) == "69.0"
    assert tabledata.plain_number(Decimal("1234.5"), 2) == "1234.50"
    # Digits typed beyond the declared ones are kept: the page rounds for show.
    assert tabledata.plain_number(Decimal("3.14159"), 2) == "3.14159"
    assert tabledata.plain_number(Decimal("-0.0"), 1) == "0.0"
    assert tabledata.plain_number(Decimal("1E+3")) == "1000"


# --- proposing a column's kind


@pytest.mark.parametrize(
    ("cells", "proposal"),
    [
        (["1,234.5", "12", "", "-3.25"], ("number", 2, "")),
        (["1,234.5", "980.1", "12"], ("number", 1, "")),
        (["12 km", "3.5 km"], ("number", 1, "km")),
        (["12%", "3.5 %", "-0.25%"], ("percent", 2, "")),
        (["$1,200", "$15.50"], ("currency", 2, "$")),
        (["1,200 USD", "15 USD"], ("currency", 0, "USD")),
        (["2024-05-31", "31 May 2024", "May 2024"], ("date", None, "")),
        (["2019", "2020", "2024"], ("date", None, "")),
        (["1200", "1500", "2020"], ("number", 0, "")),
        (["North", "12", "2024-05-31"], ("text", None, "")),
        (["12 km", "3 mi"], ("text", None, "")),
        (["", " ", "<b></b>"], ("text", None, "")),
        ([], ("text", None, "")),
        (["<b>1,200</b>", "<i>900</i>"], ("number", 0, "")),
    ],
)
def test_a_column_s_kind_is_proposed_from_its_cells(cells, proposal):
    kind, decimals, unit = proposal
    assert tabledata.propose_column(cells) == {
        "kind": kind,
        "decimals": decimals,
        "unit": unit,
    }


def test_a_kind_is_proposed_when_nearly_all_cells_read_as_it():
    """One stray cell in ten does not make a column of numbers text."""
    assert tabledata.propose_column([*map(str, range(9)), "n/a"])["kind"] == "number"
    assert tabledata.propose_column([*map(str, range(8)), "n/a", "-"])["kind"] == (
        "text"
    )


def test_a_proposed_column_passes_the_table_checks():
    cells = ["1,234.5", "12", "-3.25"]
    column = {"label": "Value", **tabledata.propose_column(cells)}
    assert errors([column], [[cell] for cell in cells]) == []


# --- each check and its message


def test_each_problem_points_at_its_cell():
    columns = [
        col("Region"),
        col("Votes", "number"),
        col("Share", "percent"),
        col("Held", "date"),
    ]
    rows = [
        ["North", "1,200", "40%", "2024-05-01"],
        ["South", "twelve", "x", "someday"],
    ]
    assert errors(columns, rows) == [
        Problem("error", "Row 2, “Votes”: “twelve” is not a number.", 2, 2),
        Problem("error", "Row 2, “Share”: “x” is not a percentage.", 2, 3),
        Problem(
            "error",
            "Row 2, “Held”: “someday” is not a date (e.g. 2024-05-31 or 31 May 2024).",
            2,
            4,
        ),
    ]


def test_duplicate_labels_are_refused_and_empty_ones_only_warned_of():
    """The corner above row headers needs no label; elsewhere it is a warning."""
    columns = [col(""), col("A"), col("a"), col("")]
    assert [p.message for p in errors(columns, [])] == [
        "Columns 2 and 3 are both labelled “a”: give each column its own label.",
    ]
    warnings = check_table(columns, [], caption="C", source_note="S")
    assert [p.message for p in warnings if p.level == "warning"] == [
        "Column 4 has no label: say what it holds.",
    ]


def test_mixed_units_in_a_column_are_refused():
    [problem] = errors([col("Distance", "number")], [["12 km"], ["3 km"], ["4 mi"]])
    assert problem.message == (
        "“Distance” mixes units: “km” (row 1), “mi” (row 3). Use one unit per "
        "column and put it in the column's unit setting."
    )
    assert (problem.row, problem.column) == (3, 1)
    assert not errors([col("Price", "currency")], [["$5"], ["$7"]])


def test_a_cell_holding_a_heading_and_paragraphs_is_refused():
    """The sample article's failure: text after the table swallowed by a cell."""
    swallowed = "<h2>Recommendations</h2><p>Enhancing transparency…</p><p>Equally…</p>"
    [problem] = errors([col("Aspect"), col("Outlook")], [["Cyber", swallowed]])
    assert problem.message.startswith("Row 1, “Outlook” holds several paragraphs")
    assert (problem.row, problem.column) == (1, 2)
    assert errors([col("A")], [["one line\n\nanother paragraph"]])


def test_a_very_long_cell_is_a_warning():
    [problem] = [
        p for p in check_table([col("A")], [["x" * 400]], caption="C", source_note="S")
    ]
    assert problem.level == "warning" and "400 characters long" in problem.message


def test_size_over_the_limit_says_which_limit():
    [problem] = errors([col("A")], [["x"]] * 1001)
    assert problem.message == (
        "This table has 1,001 rows and 1 columns; the limit is 1,000 rows × 40 columns."
    )


def test_missing_caption_and_source_are_warnings_not_errors():
    problems = check_table([col("A")], [["x"]])
    assert [p.level for p in problems] == ["warning", "warning"]
    assert [p.message for p in problems] == [
        "The table has no caption: say what it shows.",
        "The table has no source: say where the figures come from.",
    ]


# --- warnings block approval unless overridden


@pytest.mark.django_db
def test_table_warnings_block_approval_until_a_reason_is_given(editor, moderator):
    body = [{"heading": "", "blocks": [table("", ["A"], [["x"]])]}]
    article = workflow.submit(make_article(body, author=editor), by=editor)
    with pytest.raises(workflow.WorkflowError, match="no caption.*no source"):
        workflow.approve(article, by=moderator)
    article = workflow.approve(article, by=moderator, override_reason="Breaking news")
    entry = article.transitions.first()
    assert entry.action == "approve"
    assert "Reason: Breaking news" in entry.comment and "no caption" in entry.comment


@pytest.mark.django_db
def test_review_screen_asks_for_a_reason_when_there_are_warnings(
    client, editor, moderator
):
    body = [{"heading": "", "blocks": [table("Caption", ["A"], [["x"]])]}]
    article = workflow.submit(make_article(body, author=editor), by=editor)
    client.force_login(moderator)
    url = f"/admin/articles/article/{article.pk}/review/"
    html = client.get(url).content.decode()
    assert "Table 1 (“Caption”): The table has no source" in html
    client.post(url, {"decision": "approve", "reviewed_revision": 1})
    article.refresh_from_db()
    assert article.status == "in_review"
    client.post(
        url,
        {
            "decision": "approve",
            "reviewed_revision": 1,
            "override_reason": "Source given in the text",
        },
    )
    article.refresh_from_db()
    assert article.status == "published"


# --- saving a big table


def _save_table(rows: int) -> int:
    section = Section.objects.create(article=make_article(), heading=f"Rows {rows}")
    block = Block.objects.create(section=section, kind=Block.Kind.TABLE)
    data = table(
        "Big",
        [col(f"C{c}", "number") for c in range(10)],
        [[str(r * 10 + c) for c in range(10)] for r in range(rows)],
        source_note="Test",
    )
    with CaptureQueriesContext(connection) as queries:
        services.set_table(block, data)
    assert block.table.rows.count() == rows
    return len(queries)


@pytest.mark.django_db
def test_saving_a_200_by_10_table_costs_a_few_queries_whatever_its_size():
    assert _save_table(200) == _save_table(20) <= 8
