"""Column groups and empty labels: the model, the checks, the page, downloads, diff."""

import csv
import io
import json

import lxml.html
import openpyxl
import pytest

from articles import revisions, snapshot, workflow
from articles.diff import diff
from articles.editor.body import BodyInvalid, parse_body
from articles.models import TableInvalid, validate_table
from articles.tabledata import check_table, snapshot_warnings
from articles.testing.bodies import table
from articles.testing.factories import UserFactory, make_article

# Results by year: a corner with no label over the teams, two groups.
RESULTS_COLUMNS = [
    "",
    {"label": "Wins", "kind": "number"},
    {"label": "Losses", "kind": "number"},
    {"label": "Wins", "kind": "number"},
    {"label": "Losses", "kind": "number"},
]
RESULTS_ROWS = [["Lions", "10", "2", "8", "4"], ["Tigers", "7", "5", "9", "3"]]
RESULTS_GROUPS = [snapshot.group("2024", 1, 2), snapshot.group("2025", 3, 2)]


# The same without groups needs labels of its own.
UNGROUPED_COLUMNS = ["", "Wins 2024", "Losses 2024", "Wins 2025", "Losses 2025"]


def results(columns=RESULTS_COLUMNS, **settings):
    return table(
        "Results by year",
        columns,
        RESULTS_ROWS,
        source_note="League",
        groups=settings.pop("groups", RESULTS_GROUPS),
        **settings,
    )


def publish(*blocks):
    return make_article([{"heading": "", "blocks": list(blocks)}], publish=True)


def problems(block, level="error"):
    return [
        p.message
        for p in check_table(
            block["columns"],
            block["rows"],
            caption=block["caption"],
            source_note=block["source_note"],
            groups=block.get("groups", []),
            row_headers=block.get("row_headers", True),
        )
        if p.level == level
    ]


def body(block):
    return [{"heading": "", "anchor": "", "blocks": [block]}]


# --- the model and its checks


def test_a_grouped_table_with_an_empty_corner_has_no_problems():
    """The corner needs no label, and columns in different groups share labels."""
    assert problems(results()) == []
    assert problems(results(), "warning") == []


def test_a_missing_label_outside_the_corner_is_a_warning_that_blocks_approval():
    block = results()
    block["columns"][2]["label"] = ""
    assert problems(block) == []
    assert problems(block, "warning") == ["Column 3 has no label: say what it holds."]
    article = {"sections": body(block)}
    assert snapshot_warnings(article) == [
        "Table 1 (“Results by year”): Column 3 has no label: say what it holds."
    ]


def test_the_first_column_needs_a_label_when_it_does_not_name_the_rows():
    assert problems(results(row_headers=False), "warning") == [
        "Column 1 has no label: say what it holds."
    ]


def test_the_same_label_twice_in_one_group_is_refused():
    groups = [snapshot.group("2024", 1, 4)]
    assert problems(results(groups=groups)) == [
        "Columns 2 and 4 are both labelled “Wins”: give each column its own label.",
        "Columns 3 and 5 are both labelled “Losses”: give each column its own label.",
    ]


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        (
            [snapshot.group("2024", 1, 2), snapshot.group("2025", 2, 2)],
            "The group “2025” overlaps the group before it: a column belongs to "
            "one group at most.",
        ),
        (
            [snapshot.group("2025", 3, 3)],
            "The group “2025” covers columns 4–6, which the table does not have.",
        ),
        (
            [snapshot.group("2025", 3, 0)],
            "The group “2025” covers columns 4–3, which the table does not have.",
        ),
        ([snapshot.group(" ", 3, 2)], "The group over columns 4–5 needs a label."),
    ],
)
def test_groups_outside_the_columns_overlapping_or_unlabelled_are_refused(
    groups, message
):
    assert problems(results(groups=groups))[0] == message


def test_parse_body_refuses_groups_of_the_wrong_shape_and_names_the_key():
    block = results(groups=[{"label": "2024", "start": "1", "span": 2, "x": 1}])
    with pytest.raises(BodyInvalid) as refused:
        parse_body(body(block))
    messages = [error["message"] for error in refused.value.errors]
    assert messages == [
        "Section 1, block 1, column groups: “x” does not belong here.",
        "Section 1, block 1, first column: this must be a whole number.",
    ]


def test_parse_body_puts_a_group_refusal_at_its_first_column():
    block = results(groups=[snapshot.group("2025", 3, 3)])
    with pytest.raises(BodyInvalid) as refused:
        parse_body(body(block))
    [error] = refused.value.errors
    assert error["place"] == {"section": 0, "block": 0, "column": 3}


def test_a_table_without_groups_takes_none():
    """Tables saved before migration 0011 have no `groups` key."""
    block = results(UNGROUPED_COLUMNS)
    del block["groups"]
    [section] = parse_body(body(block))
    assert section["blocks"][0]["groups"] == []


def test_validate_table_refuses_a_malformed_group_from_any_caller():
    with pytest.raises(TableInvalid, match="A column group needs a label"):
        validate_table([{"label": "A"}], [], groups=[{"label": "x"}])


@pytest.mark.django_db
def test_groups_and_an_empty_corner_are_stored_and_read_back():
    article = publish(results())
    [section] = revisions.snapshot(article)["sections"]
    [block] = section["blocks"]
    assert block["groups"] == RESULTS_GROUPS
    assert [column["label"] for column in block["columns"]] == [
        "",
        "Wins",
        "Losses",
        "Wins",
        "Losses",
    ]
    assert parse_body(revisions.snapshot(article)["sections"])[0]["blocks"] == [block]


# --- the page


def screen_table(doc):
    return doc.get_element_by_id("table-1").find(".//div[@role='region']/table")


def text(element) -> str:
    return " ".join(element.text_content().split())


@pytest.mark.django_db
def test_groups_are_a_second_header_row_with_colgroup_scope(client):
    article = publish(results())
    doc = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    grid = screen_table(doc)
    assert [c.get("span") for c in grid.findall("colgroup")] == [None, "2", "2"]
    upper, lower = grid.findall("thead/tr")
    # The corner is an empty cell over both rows: no header without a name.
    corner, *groups = upper
    assert (corner.tag, corner.get("rowspan"), text(corner)) == ("td", "2", "")
    assert [(th.get("scope"), th.get("colspan"), text(th)) for th in groups] == [
        ("colgroup", "2", "2024"),
        ("colgroup", "2", "2025"),
    ]
    assert [(th.get("scope"), text(th)) for th in lower] == [
        ("col", "Wins"),
        ("col", "Losses"),
        ("col", "Wins"),
        ("col", "Losses"),
    ]
    # The sort buttons name the group, as the downloads do.
    assert lower[2].find("a").get("aria-label") == "Sort by 2025: Wins"
    # Row headers still name the rows.
    assert [text(tr[0]) for tr in grid.findall("tbody/tr")] == ["Lions", "Tigers"]


@pytest.mark.django_db
def test_a_column_outside_any_group_spans_both_header_rows(client):
    columns = ["Team", *RESULTS_COLUMNS[1:3], {"label": "Coach"}]
    rows = [["Lions", "10", "2", "Ann"]]
    block = table(
        "T",
        columns,
        rows,
        source_note="S",
        groups=[snapshot.group("2024", 1, 2)],
    )
    doc = lxml.html.fromstring(client.get(publish(block).get_absolute_url()).content)
    upper, lower = screen_table(doc).findall("thead/tr")
    assert [(c.tag, c.get("rowspan"), text(c)) for c in upper] == [
        ("th", "2", "Team"),
        ("th", None, "2024"),
        ("th", "2", "Coach"),
    ]
    assert [text(th) for th in lower] == ["Wins", "Losses"]


@pytest.mark.django_db
def test_group_labels_are_escaped_on_the_page(client):
    groups = [snapshot.group('"><img src=x>1 < 2 & 3', 1, 2)]
    html = client.get(publish(results(groups=groups)).get_absolute_url()).content
    assert b"<img src=x>" not in html
    assert b"&quot;&gt;&lt;img src=x&gt;1 &lt; 2 &amp; 3</th>" in html


@pytest.mark.django_db
def test_a_table_without_groups_keeps_its_one_header_row(client):
    doc = lxml.html.fromstring(
        client.get(
            publish(results(UNGROUPED_COLUMNS, groups=[])).get_absolute_url()
        ).content
    )
    grid = screen_table(doc)
    assert grid.findall("colgroup") == []
    [row] = grid.findall("thead/tr")
    assert [c.tag for c in row] == ["td", "th", "th", "th", "th"]


# --- downloads


def download(client, article, export_format):
    return client.get(f"{article.get_absolute_url()}r1/table-1.{export_format}")


GROUPED_HEADERS = ["", "2024: Wins", "2024: Losses", "2025: Wins", "2025: Losses"]


@pytest.mark.django_db
def test_downloads_name_each_column_with_its_group(client):
    article = publish(results())
    rows = list(csv.reader(io.StringIO(download(client, article, "csv").text)))
    assert rows[0] == GROUPED_HEADERS
    assert rows[1] == ["Lions", "10", "2", "8", "4"]
    book = openpyxl.load_workbook(io.BytesIO(download(client, article, "xlsx").content))
    header = [cell.value for cell in book.active[1]]
    assert header == [None, *GROUPED_HEADERS[1:]]
    resource = json.loads(download(client, article, "json").content)
    names = ["column 1", *GROUPED_HEADERS[1:]]
    assert [field["name"] for field in resource["schema"]["fields"]] == names
    assert [field.get("group") for field in resource["schema"]["fields"]] == [
        None,
        "2024",
        "2024",
        "2025",
        "2025",
    ]
    assert resource["data"][0] == dict(zip(names, ["Lions", 10, 2, 8, 4], strict=True))


@pytest.mark.django_db
def test_json_keeps_every_column_when_labels_are_missing(client):
    """Two empty labels (approved over the warning) would share one key."""
    columns = ["", "", {"label": "Losses", "kind": "number"}]
    rows = [["Lions", "x", "2"], ["Tigers", "y", "5"]]
    block = table("Results", columns, rows, source_note="League")
    article = make_article(body(block))
    workflow.submit(article, by=UserFactory(username="submitter", is_superuser=True))
    moderator = UserFactory(username="approver", is_superuser=True)
    workflow.approve(article, by=moderator, override_reason="Labels to follow.")
    data = json.loads(download(client, article, "json").content)["data"]
    assert data[0] == {"column 1": "Lions", "column 2": "x", "Losses": 2}


@pytest.mark.django_db
def test_a_group_label_that_reads_as_a_formula_stays_text_in_csv(client):
    groups = [snapshot.group("=HYPERLINK(1)", 1, 2)]
    article = publish(results(groups=groups))
    rows = list(csv.reader(io.StringIO(download(client, article, "csv").text)))
    assert rows[0][1] == "'=HYPERLINK(1): Wins"


# --- diff


def as_article(block):
    return {
        "version": 1,
        "title": "T",
        "standfirst": "",
        "byline": "",
        "source_credit": "",
        "sections": [{"heading": "", "anchor": "intro", "blocks": [block]}],
    }


def test_a_group_change_is_a_table_setting_in_words():
    old = as_article(results(groups=[]))
    new = as_article(results())
    [changed] = diff(old, new).sections
    [block] = changed.blocks
    assert [(s.label, s.old, s.new) for s in block.settings] == [
        (
            "Column groups",
            "",
            "“2024” over Wins, Losses; “2025” over Wins, Losses",
        )
    ]
    assert block.table is None


def test_a_table_saved_before_groups_existed_had_none():
    before = results(groups=[])
    del before["groups"]
    assert diff(as_article(before), as_article(results(groups=[]))).sections == []


def test_a_changed_cell_under_the_second_group_is_named_with_its_group():
    """Columns sharing a label are matched one to one, not all to the first."""
    new = results()
    new["rows"] = [["Lions", "10", "2", "8", "5"], RESULTS_ROWS[1]]
    [changed] = diff(as_article(results()), as_article(new)).sections
    [cell] = changed.blocks[0].table.cells
    assert (cell.column, cell.old, cell.new) == ("2025: Losses", "4", "5")


def test_renaming_a_group_leaves_its_columns_matched():
    new = results(groups=[snapshot.group("Season 2024", 1, 2), RESULTS_GROUPS[1]])
    [changed] = diff(as_article(results()), as_article(new)).sections
    [block] = changed.blocks
    assert [s.label for s in block.settings] == ["Column groups"]
    assert block.table is None
