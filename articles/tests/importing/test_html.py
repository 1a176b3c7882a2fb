"""HTML imports: pages, tables (headers, spans, nesting), sanitising, titles."""

import pytest

from articles.importing import detect_format, parse
from articles.snapshot import column

from .helpers import assert_valid_for_cms, codes, golden, note, tables_of


def html(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def only_table(source: str) -> dict:
    (table,) = parse(source, format="html").to_json()["sections"][0]["blocks"]
    assert table["type"] == "table"
    return table


def test_legacy_page_matches_its_golden_file():
    """A full legacy page imports exactly as its reviewed golden file says."""
    article, expected = golden("legacy-page")
    assert article.to_json() == expected
    assert article.source_format == "html"
    assert_valid_for_cms(article)


def test_page_chrome_is_left_out():
    """Navigation, header, footer, asides, ads, forms and scripts are not content."""
    article = golden("legacy-page")[0]
    text = str(article.to_json()) + str(article.to_body())
    for chrome in (
        "Politics",
        "The Daily Example",
        "ADVERTISEMENT",
        "Share on social",
        "By A. Reporter",
        "Subscribe",
        "Other story",
        "Filed under",
        "tracking",
        "evil",
        "steal",
    ):
        assert chrome not in text


def test_thead_gives_the_labels():
    """Labels come from <thead>, with no note."""
    article = parse(
        "<table><thead><tr><th>A</th><th>B</th></tr></thead>"
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
        format="html",
    )
    assert tables_of(article)[0]["columns"] == [column("A"), column("B")]
    assert "header-inferred" not in codes(article)


def test_a_first_row_of_th_is_the_header():
    """Without <thead>, a first row of <th> cells is the header, with no note."""
    article = parse(
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>",
        format="html",
    )
    assert tables_of(article)[0]["rows"] == [["1", "2"]]
    assert "header-inferred" not in codes(article)


def test_without_a_header_the_first_row_is_taken_and_noted():
    """A table of plain rows gets its first row as labels, noted."""
    article = parse(
        "<table><tr><td>A</td><td>B</td></tr><tr><td>1</td><td>2</td></tr></table>",
        format="html",
    )
    table = only_table(
        "<table><tr><td>A</td><td>B</td></tr><tr><td>1</td><td>2</td></tr></table>"
    )
    assert table["columns"] == ["A", "B"] and table["rows"] == [["1", "2"]]
    assert note(article, "header-inferred").where == "section 1, block 1, header"


def test_colspan_and_rowspan_make_a_rectangular_grid():
    """Spanned cells are expanded: rows copied down, columns kept in the first."""
    source = (
        "<table><tr><th>Name</th><th>Q1</th><th>Q2</th></tr>"
        "<tr><td rowspan='2'>North</td><td colspan='2'>closed</td></tr>"
        "<tr><td>3</td><td>4</td></tr>"
        "<tr><td>South</td><td>5</td><td>6</td></tr></table>"
    )
    article = parse(source, format="html")
    assert tables_of(article)[0]["rows"] == [
        ["North", "closed", ""],
        ["North", "3", "4"],
        ["South", "5", "6"],
    ]
    assert "span-expanded" in codes(article)
    assert_valid_for_cms(article)


def test_header_colspans_become_a_group_over_the_labels_below():
    """Two header rows with a spanning label: a column group, not merged labels."""
    table = only_table(
        "<table><thead><tr><th rowspan=2>Gate</th><th colspan=2>Travellers</th></tr>"
        "<tr><th>2023</th><th>2024</th></tr></thead>"
        "<tbody><tr><td>North</td><td>1</td><td>2</td></tr></tbody></table>"
    )
    assert table["columns"] == ["Gate", "2023", "2024"]
    assert table["groups"] == [{"label": "Travellers", "start": 1, "span": 2}]


def test_a_nested_table_is_flattened_into_its_cell():
    """A table inside a cell becomes that cell's text, noted."""
    source = (
        "<table><tr><th>Gate</th><th>Hours</th></tr><tr><td>North</td><td>"
        "<table><tr><td>Mon</td><td>9-5</td></tr><tr><td>Sun</td><td>shut</td></tr>"
        "</table></td></tr></table>"
    )
    article = parse(source, format="html")
    assert tables_of(article)[0]["rows"] == [["North", "Mon, 9-5; Sun, shut"]]
    assert note(article, "nested-table-flattened").where == "section 1, block 1"
    assert_valid_for_cms(article)


def test_caption_is_kept():
    table = only_table(
        "<table><caption> Crossings  by year </caption><tr><th>A</th></tr>"
        "<tr><td>1</td></tr></table>"
    )
    assert table["caption"] == "Crossings by year"


def test_a_cell_holding_a_heading_and_paragraphs_is_split_out():
    """A <td> that swallowed a heading and paragraphs keeps its own text only."""
    source = (
        "<table><tr><th>Measure</th><th>Status</th></tr>"
        "<tr><td>Hotline</td><td>Planned<h2>Next Steps</h2><p>One.</p><p>Two.</p>"
        "</td></tr></table><p>After.</p>"
    )
    article = parse(source, format="html")
    data = article.to_json()
    assert data["sections"][0]["blocks"][0]["rows"] == [["Hotline", "Planned"]]
    assert data["sections"][1] == {
        "heading": "Next Steps",
        "blocks": [
            {"type": "paragraph", "text": "One."},
            {"type": "paragraph", "text": "Two."},
            {"type": "paragraph", "text": "After."},
        ],
    }
    assert (
        note(article, "cell-split-out").where == "section 1, block 1, row 1, column 2"
    )


def test_inline_links_and_emphasis_are_kept_and_the_rest_removed():
    """Links, bold and italic survive; scripts, handlers and javascript: do not."""
    source = (
        '<p onclick="steal()">See <a href="https://example.org" onclick="x()" '
        'style="color:red">this</a>, <strong>bold</strong>, <i>it</i>, '
        '<a href="javascript:alert(1)">bad</a><script>alert(2)</script>'
        "<span class='x'>span</span> &amp; <img src=x onerror=y()>done.</p>"
        "<table><tr><th>A</th></tr><tr><td><a href='https://example.org'>l</a>"
        "<script>z()</script> <u>u</u></td></tr></table>"
    )
    paragraph, table = parse(source, format="html").to_body()[0]["blocks"]
    assert paragraph["html"] == (
        'See <a href="https://example.org" rel="noopener noreferrer">this</a>, '
        "<strong>bold</strong>, <i>it</i>, "
        '<a rel="noopener noreferrer">bad</a>span &amp; done.'
    )
    assert table["rows"] == [
        ['<a href="https://example.org" rel="noopener noreferrer">l</a> u']
    ]


def test_paragraphs_split_at_double_line_breaks():
    """<br><br> separates paragraphs; a single <br> separates words."""
    data = parse("<p>One<br>two<br><br>Three</p>", format="html").to_json()
    assert [b["text"] for b in data["sections"][0]["blocks"]] == ["One two", "Three"]


def test_the_article_element_is_the_content():
    """Navigation, header, footer and aside around an <article> are left out."""
    source = html(
        "<header><h1>Site name</h1><nav>Home World Politics</nav></header>"
        "<aside>Most read: other story</aside>"
        "<article><h1>Real headline</h1><p>Body text.</p></article>"
        "<footer>Copyright site</footer>"
    )
    article = parse(source)
    assert article.title == "Real headline"
    assert article.to_json()["sections"] == [
        {"heading": None, "blocks": [{"type": "paragraph", "text": "Body text."}]}
    ]


@pytest.mark.parametrize(
    ("wrapper", "expected"),
    [
        ("<main>{}</main>", "In main."),
        ("<div role='main'>{}</div>", "In main."),
        ("<div>{}</div>", "In main."),
    ],
)
def test_main_and_role_main_and_body_hold_the_content(wrapper, expected):
    """Without <article>, <main> or [role=main] is the content, else the body."""
    source = html(
        "<nav>Menu item</nav><div class='sidebar'>Side</div>"
        + wrapper.format("<p>In main.</p>")
        + "<footer>Foot</footer>"
    )
    data = parse(source).to_json()
    assert [b["text"] for b in data["sections"][0]["blocks"]] == [expected]


@pytest.mark.parametrize(
    ("head", "body", "title", "derived"),
    [
        ("<title>Tab title</title>", "<h1>Headline</h1><p>x</p>", "Headline", False),
        (
            '<title>Tab title</title><meta property="og:title" content="Social title">',
            "<p>x</p>",
            "Social title",
            False,
        ),
        ("<title>Tab title</title>", "<p>x</p>", "Tab title", False),
        ("", "<h2>First heading</h2><p>x</p>", "First heading", True),
        (
            "",
            "<p>A sentence makes the title. Then more.</p>",
            "A sentence makes the title",
            True,
        ),
    ],
)
def test_title_from_h1_then_og_title_then_title_then_derived(
    head, body, title, derived
):
    """The title is the first of h1, og:title, <title>; else derived and noted."""
    article = parse(html(body, head))
    assert article.title == title
    assert ("title-derived" in codes(article)) is derived


def test_a_site_name_in_the_page_header_does_not_beat_og_title():
    """An <h1> in the page's <header> (a logo) gives way to the page's metadata."""
    source = html(
        "<header><h1><a href='/'>Site name</a></h1></header><main><p>Text.</p></main>",
        '<meta property="og:title" content="Story title">',
    )
    assert parse(source).title == "Story title"


def test_the_h1_used_as_title_is_not_repeated_in_the_body():
    article = parse(
        "<h1>Title</h1><p>Text.</p><h2>Part</h2><p>More.</p>", format="html"
    )
    assert article.title == "Title"
    assert [s.heading for s in article.sections] == [None, "Part"]


def test_a_layout_table_is_read_as_text():
    """A one-row table holding the page's paragraphs is layout, not data."""
    source = "<table><tr><td><h2>Section</h2><p>Body text.</p></td></tr></table>"
    data = parse(source, format="html").to_json()
    assert data["sections"] == [
        {"heading": "Section", "blocks": [{"type": "paragraph", "text": "Body text."}]}
    ]


def test_long_tables_and_wide_tables_fit_the_cms_limits():
    """Over 1,000 rows splits the table; over 40 columns cuts it; both noted."""
    head = "".join(f"<th>C{c}</th>" for c in range(45))
    rows = "".join(f"<tr><td>{r}</td></tr>" for r in range(1001))
    article = parse(f"<table><tr>{head}</tr>{rows}</table>", format="html")
    tables = tables_of(article)
    assert [len(t["rows"]) for t in tables] == [1000, 1]
    assert all(len(t["columns"]) == 40 for t in tables)
    assert {"table-split", "table-truncated"} <= set(codes(article))
    assert_valid_for_cms(article)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("<p>One</p>\n<p>Two</p>", "html"),
        ("# Heading\n\nText with <b>bold</b>.", "markdown"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "markdown"),
        ("Plain text, a < b & c > d.", "markdown"),
    ],
)
def test_detect_format(text, expected):
    assert detect_format(text) == expected


@pytest.mark.parametrize("end", ["</body>", "</body></html>", "</html>"])
def test_text_after_the_end_of_the_body_is_imported(end):
    """What follows </body> or </html> shows in a browser: it is imported too."""
    source = (
        f"<html><body><h1>Title</h1><div><p>First.</p>{end}"
        "<p>After the end tag.</p><div>And more.</div>"
    )
    data = parse(source, format="html").to_json()
    assert [block["text"] for block in data["sections"][0]["blocks"]] == [
        "First.",
        "After the end tag.",
        "And more.",
    ]
