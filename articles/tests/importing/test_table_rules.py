"""The rules that delete or move a table's data only on strong evidence, and the
readings of legacy pipe tables: each rule with the case that once lost data."""

import pytest

from articles.importing import parse
from articles.testing.import_corpus import tables_read

from .helpers import assert_valid_for_cms, codes, note, tables_of


def rows_of(source: str, format: str = "markdown") -> list[list[str]]:
    (table,) = tables_read(parse(source, format=format))
    return table["rows"]


# Repeated headers: removed only after rows of data.


def test_a_first_and_only_row_equal_to_the_header_is_kept():
    """`moo | moo` over `moo | moo` is a table with one row, not a header alone."""
    article = parse("moo | moo\n---|---\nmoo | moo\n", format="markdown")
    assert tables_of(article)[0]["rows"] == [["moo", "moo"]]
    assert "duplicate-header-removed" not in codes(article)
    assert_valid_for_cms(article)


def test_a_first_row_equal_to_the_header_is_data_and_a_later_repeat_is_not():
    """A header repeated after rows of data is a page break: only that goes."""
    source = (
        "| Name | Role |\n|---|---|\n| Name | Role |\n| Ana | Chair |\n"
        "| Name | Role |\n| Jonas | Deputy |\n"
    )
    article = parse(source, format="markdown")
    assert tables_of(article)[0]["rows"] == [
        ["Name", "Role"],
        ["Ana", "Chair"],
        ["Jonas", "Deputy"],
    ]
    assert note(article, "duplicate-header-removed").where.endswith("row 3")


def test_an_html_header_repeated_at_a_page_break_is_removed():
    """In HTML too: a `<th>` row repeating the header mid-table goes, noted."""
    source = (
        "<table><thead><tr><th>Flight</th><th>To</th></tr></thead>"
        "<tr><td>XA 1</td><td>Rome</td></tr><tr><th>Flight</th><th>To</th></tr>"
        "<tr><td>XA 2</td><td>Oslo</td></tr></table>"
    )
    article = parse(source, format="html")
    assert tables_of(article)[0]["rows"] == [["XA 1", "Rome"], ["XA 2", "Oslo"]]
    assert note(article, "duplicate-header-removed").where.endswith("row 2")


# Cells that swallowed what followed the table: moved out only from the last row.


def _recall_list(long_row: int, rows: int = 73) -> tuple[str, str]:
    """An HTML table of `rows` rows, row `long_row` holding a two-paragraph
    description of 373 characters; returns the page and the description."""
    first = (
        "The charging cable of this model can overheat when the charger is left "
        "plugged in for more than eight hours, and in two reported cases it melted "
        "the casing of the plug."
    )
    second = (
        "Owners should stop using the charger at once, unplug it, and return it to "
        "any shop of the chain, which will replace it free of charge; a receipt is "
        "not needed and the battery itself can be kept by owners."
    )
    cells = [
        f"<p>{first}</p>\n<p>{second}</p>" if r == long_row else f"Batch {r}"
        for r in range(1, rows + 1)
    ]
    body = "".join(
        f"<tr><td>{r}</td><td>{cell}</td></tr>" for r, cell in enumerate(cells, 1)
    )
    page = (
        "<h1>Recall</h1><table><tr><th>No.</th><th>Details</th></tr>"
        f"{body}</table><p>After the table.</p>"
    )
    return page, f"{first} {second}"


def test_a_long_cell_in_the_middle_of_a_table_stays_in_its_cell():
    """A 373-character, two-paragraph description in row 64 of 73 is data."""
    page, description = _recall_list(64)
    assert len(description) == 373
    article = parse(page, format="html")
    (table,) = tables_of(article)
    assert len(table["rows"]) == 73
    assert table["rows"][63] == ["64", description]
    assert [b["text"] for b in article.to_json()["sections"][0]["blocks"][1:]] == [
        "After the table."
    ]
    kept = note(article, "long-cell-kept")
    assert kept.where == "section 1, block 1, row 64, column 2"
    assert "cell-split-out" not in codes(article)
    assert_valid_for_cms(article)


def test_long_paragraphs_without_a_heading_in_the_last_row_stay_too():
    """Without a heading, even the last row's long cell is kept, noted."""
    page, description = _recall_list(3, rows=3)
    article = parse(page, format="html")
    assert tables_of(article)[0]["rows"][2] == ["3", description]
    assert note(article, "long-cell-kept").where.endswith("row 3, column 2")
    assert "cell-split-out" not in codes(article)


def test_a_heading_in_a_cell_mid_table_stays_in_its_cell():
    """Headings inside cells of a comparison table are their values, not text
    that followed the table."""
    source = (
        "<table><tr><th>Phone</th><th>Verdict</th></tr>"
        "<tr><td>Alpha</td><td><h4>Best Overall</h4><p>Fast.</p></td></tr>"
        "<tr><td>Gamma</td><td>Good value.</td></tr></table>"
    )
    article = parse(source, format="html")
    assert tables_of(article)[0]["rows"][0] == ["Alpha", "Best Overall Fast."]
    assert [s.heading for s in article.sections] == [None]
    assert note(article, "long-cell-kept").where.endswith("row 1, column 2")


@pytest.mark.parametrize(
    "heading",
    [
        "<h2>What Comes Next</h2>",
        "<p><b>What comes next</b></p>",
        "<p>What Comes Next</p>",
    ],
)
def test_a_heading_and_paragraphs_in_the_last_row_move_out(heading):
    """The sample's case: the last row's cell holds its value, then a heading
    (an element, or a line reading as one) and paragraphs that followed the table."""
    source = (
        "<table><tr><th>Measure</th><th>Status</th></tr>"
        "<tr><td>Patrols</td><td>Agreed</td></tr>"
        f"<tr><td>Hotline</td><td>Planned{heading}<p>One.</p><p>Two.</p></td></tr>"
        "<tr><td></td><td></td></tr></table>"
    )
    article = parse(source, format="html")
    assert tables_of(article)[0]["rows"] == [
        ["Patrols", "Agreed"],
        ["Hotline", "Planned"],
    ]
    texts = [
        b["text"]
        for s in article.to_json()["sections"]
        for b in s["blocks"]
        if b["type"] == "paragraph"
    ]
    assert texts[-2:] == ["One.", "Two."]
    assert note(article, "cell-split-out").where.endswith("row 2, column 2")


def test_a_heading_in_the_last_row_stays_where_other_rows_hold_headings_too():
    """Where cells of other rows hold a heading and text too, that is the
    table's style: the last row's is its value as well."""
    source = (
        "<table><tr><th>Phone</th><th>Verdict</th></tr>"
        "<tr><td>Alpha</td><td><h4>Best Overall</h4><p>Fast.</p></td></tr>"
        "<tr><td>Delta</td><td><h4>Best Value</h4><p>Cheap.</p></td></tr></table>"
    )
    article = parse(source, format="html")
    assert tables_of(article)[0]["rows"][1] == ["Delta", "Best Value Cheap."]
    assert "cell-split-out" not in codes(article)
    assert len([n for n in article.notes if n.code == "long-cell-kept"]) == 2


def test_a_bold_line_opening_a_last_cell_is_its_value():
    """A wholly bold first line is the cell's own value: nothing moves out."""
    source = (
        "<table><tr><th>Term</th><th>Meaning</th></tr>"
        "<tr><td>Quorum</td><td><p><b>Note</b></p><p>Half the members.</p></td></tr>"
        "</table>"
    )
    assert rows_of(source, "html") == [["Quorum", "Note Half the members."]]


def test_the_markdown_swallowed_cell_rule_fires_on_the_last_row_only():
    """A long description in a middle row of a pipe table stays in its cell."""
    long_cell = " ".join(
        f"Sentence {n} of a long description that a middle row holds." for n in range(8)
    )
    source = (
        f"| A | B |\n|---|---|\n| one | two |\n| three | {long_cell} |\n"
        "| four | five |\n"
    )
    article = parse(source, format="markdown")
    assert tables_of(article)[0]["rows"][1] == ["three", long_cell]
    assert "cell-split-out" not in codes(article)


# Rows opening with markup, empty rows, wrapped rows.


@pytest.mark.parametrize(
    ("row", "cells"),
    [
        ("<b>Gazette</b> | PDF", ["Gazette", "PDF"]),
        ("<https://gazette.example.org> | PDF", ["https://gazette.example.org", "PDF"]),
        ("<span>Library</span> | on request", ["Library", "on request"]),
        ("<p>Town archive</p> | microfilm", ["Town archive", "microfilm"]),
        ("<div>Museum</div> | <ul><li>a</li><li>b</li></ul>", ["Museum", "a; b"]),
        (
            "<em>Ministry</em> | <https://example.org/a>",
            ["Ministry", "https://example.org/a"],
        ),
    ],
)
def test_a_row_opening_with_inline_html_or_an_autolink_keeps_its_cells(row, cells):
    """A row opening with `<` (inline HTML, an autolink, even a block element)
    keeps its cells, and the rows after it stay in the table."""
    source = f"Source | Format\n---|---\n{row}\nArchive | HTML\n"
    assert rows_of(source) == [cells, ["Archive", "HTML"]]


def test_an_html_block_opening_a_line_ends_the_table_as_in_gfm():
    """A `<div>` line without cells starts an HTML block, which ends the table;
    its text is kept."""
    article = parse(
        "| a | b |\n|---|---|\n| 1 | 2 |\n<div>3</div>\n", format="markdown"
    )
    assert tables_of(article)[0]["rows"] == [["1", "2"]]
    assert article.to_json()["sections"][0]["blocks"][1]["text"] == "3"


@pytest.mark.parametrize("format", ["markdown", "html"])
def test_empty_rows_between_rows_stay_and_those_at_the_edges_go(format):
    """An empty row parting groups of rows is kept; padding at the ends is
    dropped, noted."""
    if format == "markdown":
        source = (
            "| Club | Points |\n|---|---|\n| | |\n| Rovers | 41 |\n| | |\n"
            "| City | 27 |\n| | |\n"
        )
    else:
        empty = '<tr><td colspan="2">&nbsp;</td></tr>'
        source = (
            f"<table><tr><th>Club</th><th>Points</th></tr>{empty}"
            f"<tr><td>Rovers</td><td>41</td></tr>{empty}"
            f"<tr><td>City</td><td>27</td></tr><tr><td></td><td></td></tr></table>"
        )
    article = parse(source, format=format)
    assert tables_of(article)[0]["rows"] == [["Rovers", "41"], ["", ""], ["City", "27"]]
    dropped = [n.where for n in article.notes if n.code == "empty-row-dropped"]
    assert [where.rsplit(", ", 1)[1] for where in dropped] == ["row 1", "row 5"]
    assert_valid_for_cms(article)


def test_a_row_wrapped_over_a_line_without_pipes_is_joined():
    """In legacy text a line without `|` between two rows continues the row,
    instead of ending the table and turning the rows after it into a paragraph."""
    source = (
        "Budget Lines Cut\n"
        "The council cut four lines of its budget on Thursday.\n"
        "| Line | Description | Cut |\n|---|---|---|\n"
        "| 4.1 | Street lighting | 1.2m |\n"
        "| 4.2 | Heating in the central library and |\n"
        "two branch libraries\n"
        "| 4.3 | Park maintenance | 0.3m |\n"
        "The opposition voted against.\n"
    )
    article = parse(source, format="markdown")
    assert tables_of(article)[0]["rows"] == [
        ["4.1", "Street lighting", "1.2m"],
        ["4.2", "Heating in the central library and two branch libraries", ""],
        ["4.3", "Park maintenance", "0.3m"],
    ]
    joined = note(article, "wrapped-row-joined")
    assert joined.where.endswith("row 2")
    assert "“two branch libraries”" in joined.message
    paragraphs = [
        b["text"] for b in article.to_json()["sections"][0]["blocks"] if "text" in b
    ]
    assert paragraphs[-1] == "The opposition voted against."


def test_a_row_cut_between_its_pipes_is_joined():
    """A row without its closing `|`, then a line without the opening one whose
    cells make up the row: one row, noted."""
    source = (
        "| Line | Description | Cut |\n|---|---|---|\n"
        "| 4.2 | Heating in the central library and\n"
        "two branch libraries | 0.8m |\n"
        "| 4.3 | Park maintenance | 0.3m |\n"
    )
    article = parse(source, format="markdown")
    assert tables_of(article)[0]["rows"] == [
        ["4.2", "Heating in the central library and two branch libraries", "0.8m"],
        ["4.3", "Park maintenance", "0.3m"],
    ]
    assert note(article, "wrapped-row-joined").where.endswith("row 1")


def test_a_paragraph_after_a_table_is_not_a_wrapped_row():
    """A line without `|` followed by no row is the next paragraph, as before."""
    source = (
        "Title Line Here\nSome text that opens the article.\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\nThe next paragraph.\n"
        "| x | y |\n|---|---|\n| 3 | 4 |\n"
    )
    article = parse(source, format="markdown")
    assert [t["rows"] for t in tables_read(article)] == [[["1", "2"]], [["3", "4"]]]
    assert "wrapped-row-joined" not in codes(article)


# Markdown readings: one-column tables, lists in cells.


@pytest.mark.parametrize(
    "source",
    [
        "Candidate\n| --- |\n| Ana |\n| Jonas |\n",
        "Candidate\n|---|\nAna\nJonas\n",
        "The candidates registered:\nCandidate\n|---|\n| Ana |\n| Jonas |\n",
        "| Candidate |\n| :-- |\n| Ana |\n| Jonas |\n",
    ],
)
def test_a_one_column_table_is_read_as_gfm_reads_it(source):
    """A header line without `|` over `| --- |` is a one-column table."""
    (table,) = tables_read(parse(source, format="markdown"))
    assert table == {"columns": ["Candidate"], "rows": [["Ana"], ["Jonas"]]}


def test_a_dashed_line_under_a_line_is_a_heading_not_a_table():
    """`---` under a line underlines a heading, as in GFM, even with pipes."""
    article = parse("Intro.\n\n| Candidate |\n---\nAna\n", format="markdown")
    assert tables_read(article) == []


def test_lists_and_line_breaks_in_markdown_cells_keep_their_words_apart():
    """HTML lists in a pipe table's cells join as "a; b", without stray spaces;
    a `<br>` parts words as a space."""
    source = (
        "| Party | Promises |\n|---|---|\n"
        "| Greens | <ul><li>Free buses</li><li>A carbon tax</li></ul> |\n"
        "| Liberals | <ul> <li>Lower tax </li> <li> <b>Fewer</b> permits </li></ul> |\n"
        "| Labour | Pensions<br>Nurses |\n"
    )
    article = parse(source, format="markdown")
    assert tables_of(article)[0]["rows"] == [
        ["Greens", "Free buses; A carbon tax"],
        ["Liberals", "Lower tax; <b>Fewer</b> permits"],
        ["Labour", "Pensions Nurses"],
    ]
    assert "cell-flattened" in codes(article)


def test_lists_in_html_cells_join_without_stray_spaces():
    """Whitespace at an item's ends, inside its tags too, is not kept before "; "."""
    source = (
        "<table><tr><th>Minister</th><th>Portfolio</th></tr><tr><td>Ana</td><td>"
        "<ul>\n<li>Finance </li>\n<li> <b>Trade </b> </li>\n<li>\n<p>Sport</p>\n</li>"
        "</ul></td></tr></table>"
    )
    assert rows_of(source, "html") == [["Ana", "Finance; Trade; Sport"]]


def test_a_line_break_in_a_markdown_paragraph_parts_its_words():
    """`one<br>two` reads "one two", never "onetwo"."""
    article = parse("Intro.\n\none<br>two, three<br/>four\n", format="markdown")
    texts = [b["text"] for b in article.to_json()["sections"][0]["blocks"]]
    assert texts[-1] == "one two, three four"


# What goes with a dropped or unwrapped table.


def test_a_dropped_empty_table_leaves_its_caption_in_the_note():
    """A table with no text in its cells goes, but its caption is in the note."""
    source = (
        "<p>Intro.</p><table><caption>Turnout 2024</caption><tr><td></td></tr></table>"
    )
    article = parse(source, format="html")
    assert tables_of(article) == []
    assert "“Turnout 2024”" in note(article, "empty-table-dropped").message


def test_a_layout_table_keeps_its_caption_as_text():
    """A one-row table of page content is read as text, its caption first."""
    source = (
        "<p>Intro.</p><table><caption>Contents</caption><tr><td><ul><li>One</li>"
        "<li>Two</li></ul></td></tr></table>"
    )
    blocks = parse(source, format="html").to_json()["sections"][0]["blocks"]
    assert [b.get("text") or b.get("items") for b in blocks] == [
        "Intro.",
        "Contents",
        ["One", "Two"],
    ]
