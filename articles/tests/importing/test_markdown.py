"""Markdown and plain-text imports: the legacy sample, GFM tables and repairs."""

import json
from pathlib import Path

import pytest

from articles import services
from articles.importing import ImportRefused, parse
from articles.testing.factories import ArticleFactory
from articles.testing.import_corpus import tables_read

from .helpers import assert_valid_for_cms, codes, golden, note, tables_of

DATA = Path(__file__).parent / "data"

SAMPLE_SECTIONS = [
    None,
    "Kazakh Leader’s Role in Strengthening CSTO Security Cooperation",
    "Implications of Closed CSTO Talks for Regional Stability and Defense Strategies",
    "Recommendations for Enhancing Transparency and Dialogue within the CSTO Framework",
]


def blocks_of(data: dict, kind: str) -> list[dict]:
    return [
        block
        for section in data["sections"]
        for block in section["blocks"]
        if block["type"] == kind
    ]


def test_sample_matches_its_golden_file():
    """The CSTO sample imports exactly as its reviewed golden file says."""
    article, expected = golden("csto-talks")
    assert article.to_json() == expected
    assert article.source_format == "markdown"


def test_sample_structure():
    """The sample's lede, sections, lists and both tables come out whole."""
    data = golden("csto-talks")[0].to_json()
    assert [section["heading"] for section in data["sections"]] == SAMPLE_SECTIONS
    lede = data["sections"][0]["blocks"]
    assert len(lede) == 1 and lede[0]["text"].startswith("In a significant development")
    lists = blocks_of(data, "list")
    assert [len(item["items"]) for item in lists] == [3, 3]
    assert not any(item["ordered"] for item in lists)
    first, second = blocks_of(data, "table")
    assert first["columns"] == [
        "Security Focus Area",
        "Proposed Enhancement",
        "Timeline",
    ]
    assert first["rows"][2] == [
        "Cyber Defense",
        "Integrated threat detection systems",
        "Mid 2025",
    ]
    assert second["columns"] == ["Aspect", "Current Status", "Post-Talk Outlook"]
    assert len(second["rows"]) == 3
    assert second["rows"][2] == [
        "Cybersecurity Cooperation",
        "Minimal coordination",
        "",
    ]


def test_sample_swallowed_cell_becomes_a_section_with_its_text():
    """The text run into the last cell is the recommendations section, not a cell."""
    article = golden("csto-talks")[0]
    data = article.to_json()
    recommendations = data["sections"][3]["blocks"]
    texts = [block["text"] for block in recommendations]
    assert all(block["type"] == "paragraph" for block in recommendations)
    assert texts[0].startswith("Enhancing transparency within the Collective Security")
    assert texts[1].startswith("Equally important is the improvement of dialogue")
    assert texts[-1] == (
        "The table below outlines a proposed framework for dialogue enhancement "
        "measures and their potential impacts:"
    )
    split = note(article, "cell-split-out")
    assert split.where == "section 3, block 4, row 3, column 3"
    assert "Recommendations for Enhancing Transparency" in split.message
    assert note(article, "paragraph-breaks-guessed").where == "section 4"


def test_sample_notes_stray_cells_and_the_missing_table():
    """Stray pipes are noted; the cut-off last table is reported, not made up."""
    article = golden("csto-talks")[0]
    assert note(article, "trailing-empty-cells-dropped").where == "section 3, block 4"
    missing = note(article, "table-missing")
    assert missing.where == "section 4, after block 3"
    assert len(tables_of(article)) == 2
    title = note(article, "title-derived")
    assert article.title == SAMPLE_SECTIONS[1] and title.where == "title"


def test_sample_is_valid_for_the_cms():
    """Every table of the sample passes the CMS's table checks."""
    assert_valid_for_cms(golden("csto-talks")[0])


@pytest.mark.django_db
def test_sample_body_is_accepted_by_replace_body():
    """`to_body` is in the snapshot format the services write."""
    article = ArticleFactory()
    services.replace_body(article, golden("csto-talks")[0].to_body())
    assert [s.heading for s in article.sections.all()] == [
        heading or "" for heading in SAMPLE_SECTIONS
    ]


# The table examples of the GFM spec (0.29-gfm, examples 198 to 205), each with
# the tables and paragraphs cmark-gfm reads in it.
GFM_EXAMPLES = {
    case["example"]: case
    for case in json.loads((DATA / "gfm-spec-tables.json").read_text())["examples"]
}
# More cases, each read by cmark-gfm: one-column tables, rows opening with
# HTML, tables interrupting a paragraph, what ends a table.
GFM_READINGS = json.loads((DATA / "gfm-readings.json").read_text())["examples"]


@pytest.mark.parametrize("number", sorted(GFM_EXAMPLES))
def test_gfm_table_examples_parse_as_cmark_gfm_reads_them(number):
    """Each table example of the GFM spec gives cmark-gfm's tables and paragraphs."""
    case = GFM_EXAMPLES[number]
    article = parse(case["markdown"], format="markdown")
    assert tables_read(article) == case["tables"]
    assert [b["text"] for b in blocks_of(article.to_json(), "paragraph")] == (
        case["paragraphs"]
    )
    assert_valid_for_cms(article)


@pytest.mark.parametrize(
    "case", GFM_READINGS, ids=[case["why"] for case in GFM_READINGS]
)
def test_tables_are_read_where_and_as_cmark_gfm_reads_them(case):
    """Where GitHub's reader finds a table, the same table is read, cell for cell."""
    article = parse(case["markdown"], format="markdown")
    assert tables_read(article) == case["tables"]
    assert_valid_for_cms(article)


def test_gfm_example_200_keeps_the_inline_markup():
    """Escaped pipes stay text inside code and bold; bold is kept as markup."""
    article = parse(GFM_EXAMPLES[200]["markdown"], format="markdown")
    rows = tables_of(article)[0]["rows"]
    assert rows == [["b | az"], ["b <strong>|</strong> im"]]


def test_gfm_example_204_notes_the_padded_and_trimmed_rows():
    """The padded row and the dropped extra cell are both noted, with its text."""
    article = parse(GFM_EXAMPLES[204]["markdown"], format="markdown")
    assert note(article, "row-padded").where == "section 1, block 1, row 1"
    trimmed = note(article, "row-trimmed")
    assert trimmed.where == "section 1, block 1, row 2"
    assert "“boo”" in trimmed.message


def test_table_straight_after_a_list_item_is_found():
    """Legacy text puts tables right under a list item, where strict GFM sees none."""
    source = (
        "Intro paragraph that is long enough to show this text was written one "
        "paragraph per line, as legacy exports are.\n"
        "- first item\n- second item\n| A | B |\n|---|---|\n| 1 | 2 |\n"
        "After the table comes a paragraph."
    )
    data = parse(source, format="markdown").to_json()
    kinds = [block["type"] for block in data["sections"][0]["blocks"]]
    assert kinds == ["paragraph", "list", "table", "paragraph"]
    assert blocks_of(data, "list")[0]["items"] == ["first item", "second item"]
    assert blocks_of(data, "table")[0]["rows"] == [["1", "2"]]


def test_prose_holding_a_pipe_stays_prose():
    """A line with a | but no delimiter row under it is not a table."""
    source = "Rock | Paper | Scissors is a game.\n\nIt has no winner | loser table."
    data = parse(source, format="markdown").to_json()
    assert blocks_of(data, "table") == []
    assert [b["text"] for b in blocks_of(data, "paragraph")] == [
        "Rock | Paper | Scissors is a game.",
        "It has no winner | loser table.",
    ]


def test_pipes_in_a_code_fence_are_not_a_table():
    """A fenced block keeps its pipe lines as text."""
    source = "Before.\n\n```\n| a | b |\n|---|---|\n| 1 | 2 |\n```\n\nAfter."
    data = parse(source, format="markdown").to_json()
    assert blocks_of(data, "table") == []


def test_ragged_rows_and_stray_cells_are_repaired_and_noted():
    """Rows get the header's width; trailing | are dropped and noted once."""
    source = (
        "| A | B | C | ||||\n|---|---|---|\n"
        "| 1 | 2 |\n| 4 | 5 | 6 | 7 |\n| 8 | 9 | 10 | |||"
    )
    article = parse(source, format="markdown")
    table = tables_of(article)[0]
    assert [c["label"] for c in table["columns"]] == ["A", "B", "C"]
    assert table["rows"] == [["1", "2", ""], ["4", "5", "6"], ["8", "9", "10"]]
    assert codes(article) == [
        "title-missing",
        "trailing-empty-cells-dropped",
        "row-padded",
        "row-trimmed",
    ]
    assert (
        "from the header and row 3"
        in note(article, "trailing-empty-cells-dropped").message
    )
    assert_valid_for_cms(article)


def test_a_repeated_header_after_data_and_trailing_empty_rows_are_removed():
    """A header repeated after rows of data and an empty last row are dropped,
    each noted; an empty row between rows of data stays."""
    source = (
        "Intro.\n\nMore text.\n\n"
        "| Name | Value |\n|---|---|\n| a | 1 |\n| Name | Value |\n| | |\n"
        "| b | 2 |\n| | |"
    )
    article = parse(source, format="markdown")
    assert tables_of(article)[0]["rows"] == [["a", "1"], ["", ""], ["b", "2"]]
    assert note(article, "duplicate-header-removed").where.endswith("row 2")
    assert note(article, "empty-row-dropped").where.endswith("row 5")


def test_a_missing_label_stays_empty_and_a_duplicate_is_renamed():
    """No label is invented; a label written twice gets its own, noted."""
    source = "| Year | | Year |\n|---|---|---|\n| 2024 | x | 1 |"
    article = parse(source, format="markdown")
    labels = [c["label"] for c in tables_of(article)[0]["columns"]]
    assert labels == ["Year", "", "Year (2)"]
    assert note(article, "label-missing").where.endswith("column 2")
    assert "duplicate-label-renamed" in codes(article)
    assert_valid_for_cms(article)


def test_an_empty_table_and_an_empty_list_are_dropped():
    """A table with no text and a list with no items leave only notes."""
    source = "Text before.\n\n| | |\n|---|---|\n| | |\n\n-\n-\n\nText after."
    article = parse(source, format="markdown")
    data = article.to_json()
    assert [b["type"] for b in data["sections"][0]["blocks"]] == [
        "paragraph",
        "paragraph",
    ]
    assert {"empty-table-dropped", "empty-list-dropped"} <= set(codes(article))


def test_title_comes_from_a_level_one_heading():
    """A markdown `#` heading is the title; `##` headings start sections."""
    source = "# The Title\n\nLede.\n\n## Part one\n\nText."
    article = parse(source, format="markdown")
    assert article.title == "The Title"
    assert [s.heading for s in article.sections] == [None, "Part one"]
    assert "title-derived" not in codes(article)


def test_plain_lines_are_headings_only_without_markdown_headings():
    """A title-case line is a heading in plain text, not where # marks headings."""
    plain = "Lede sentence here.\n\nWhat Happens Next\n\nThe talks go on."
    assert [s.heading for s in parse(plain, format="markdown").sections] == [
        None,
        "What Happens Next",
    ]
    marked = "## Real heading\n\n" + plain
    assert [s.heading for s in parse(marked, format="markdown").sections] == [
        "Real heading"
    ]


def test_a_sentence_is_never_taken_for_a_heading():
    """Lines ending in a full stop or colon, or in sentence case, stay paragraphs."""
    source = (
        "Key points of the talks include:\n\n"
        "The talks went on late into the night.\n\nMore."
    )
    assert [s.heading for s in parse(source, format="markdown").sections] == [None]


def test_long_cell_without_a_heading_moves_out_as_paragraphs():
    """Swallowed text with no title-case lead stays in the section, after the table."""
    sentences = " ".join(
        f"this is sentence number {n} of the text that ran on." for n in range(8)
    )
    swallowed = "The text " + sentences.replace(". this", ". This")
    source = (
        f"| A | B |\n|---|---|\n| one | two |\n| three | {swallowed}\n\nLast paragraph."
    )
    article = parse(source, format="markdown")
    data = article.to_json()
    assert [s["heading"] for s in data["sections"]] == [None]
    table, *paragraphs = data["sections"][0]["blocks"]
    assert table["rows"] == [["one", "two"], ["three", ""]]
    assert paragraphs[0]["text"].startswith("The text this is sentence number 0")
    assert paragraphs[-1]["text"] == "Last paragraph."
    assert "cell-split-out" in codes(article)


def test_a_moderately_long_cell_stays_in_the_table():
    """Cells that are long like their neighbours are data, not swallowed text."""
    long_cell = "A fairly long description of the measure. It has two sentences."
    source = (
        f"| Measure | Description |\n|---|---|\n| a | {long_cell} |\n"
        f"| b | {long_cell} |"
    )
    article = parse(source, format="markdown")
    assert tables_of(article)[0]["rows"][1][1] == long_cell
    assert "cell-split-out" not in codes(article)


def test_a_table_announced_and_given_gets_no_note():
    """Only an announcement with no table after it is reported missing."""
    source = "The table below shows the figures:\n\n| A | B |\n|---|---|\n| 1 | 2 |"
    assert "table-missing" not in codes(parse(source, format="markdown"))
    cut = "The table below shows the figures:\n\nAnd then the text goes on."
    assert note(parse(cut, format="markdown"), "table-missing").where == (
        "section 1, after block 1"
    )


def test_inline_bold_italic_and_links_are_kept_in_cells_and_text():
    """Markdown emphasis and links become the allowed inline HTML; the rest goes."""
    source = (
        "Some **bold**, *italic* and [a link](https://example.org) and "
        "<span onclick='x()'>raw</span> html.\n\n"
        "| A |\n|---|\n| **b** [l](https://example.org) `code` |"
    )
    body = parse(source, format="markdown").to_body()
    paragraph, table = body[0]["blocks"]
    assert paragraph["html"] == (
        'Some <strong>bold</strong>, <em>italic</em> and <a href="https://example.org" '
        'rel="noopener noreferrer">a link</a> and raw html.'
    )
    assert table["rows"] == [
        [
            "<strong>b</strong> "
            '<a href="https://example.org" rel="noopener noreferrer">l</a> code'
        ]
    ]


def test_html_inside_markdown_is_read_as_html():
    """A raw HTML table in a markdown file becomes a table like any other."""
    source = "Intro.\n\n<table><tr><th>A</th></tr><tr><td>1</td></tr></table>\n\nAfter."
    data = parse(source, format="markdown").to_json()
    assert blocks_of(data, "table")[0]["rows"] == [["1"]]


def test_lists_nested_30_deep_lose_nothing_after_them():
    """A list nested 30 levels imports every item and all that follows it."""
    items = "".join("  " * level + f"- item {level}\n" for level in range(30))
    source = f"# Outline\n\nThe lede.\n\n{items}\nThe last paragraph.\n"
    data = parse(source, format="markdown").to_json()
    (outline,) = blocks_of(data, "list")
    assert outline["items"] == [f"item {level}" for level in range(30)]
    assert blocks_of(data, "paragraph")[-1]["text"] == "The last paragraph."


def test_quotations_nested_40_deep_are_read_whole():
    """Forty levels of “>” are read; the text after them too."""
    quotes = "".join(">" * level + f" Reply {level}.\n>\n" for level in range(1, 41))
    source = f"# Thread\n\nThe lede.\n\n{quotes}\nThe last paragraph.\n"
    texts = [b["text"] for b in blocks_of(parse(source).to_json(), "paragraph")]
    assert texts == [
        "The lede.",
        *(f"Reply {level}." for level in range(1, 41)),
        "The last paragraph.",
    ]


@pytest.mark.parametrize(
    "nested",
    [
        ">" * 150 + " Too deep.\n",
        "".join("  " * level + f"- item {level}\n" for level in range(60)),
    ],
)
def test_nesting_past_the_parser_limit_is_refused_not_cut(nested):
    """Past markdown-it's limit the rest would be lost, so the text is refused."""
    with pytest.raises(ImportRefused, match="nests quotations or lists deeper"):
        parse(f"# Title\n\nThe lede.\n\n{nested}\nThe last paragraph.\n")


def test_a_swallowed_cell_with_deeply_nested_bold_keeps_all_its_sentences():
    """Text after 300 nested <b> in a swallowed cell still moves out whole."""
    before = " ".join(f"Sentence {n} opens the text that ran on." for n in range(8))
    deep = "<b>" * 300 + "The bold sentence. Another bold one." + "</b>" * 300
    source = (
        "| A | B |\n|---|---|\n| one | two |\n"
        f"| three | {before} {deep} The very last sentence. |\n\nAfter."
    )
    article = parse(source, format="markdown")
    text = " ".join(b["text"] for b in blocks_of(article.to_json(), "paragraph"))
    for sentence in ("Sentence 7 opens", "The bold sentence.", "The very last"):
        assert sentence in text
    assert "cell-split-out" in codes(article)
