"""The parser's shortcuts for common cases read exactly as the general path.

Each shortcut (see the "Speed" section of articles/importing/README.md)
applies only when its preconditions hold; on text generated to stress them,
its result is compared with that of the general path it stands in for.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from articles.importing import html as html_reader
from articles.importing import (
    html_table,
    legacy,
    markdown,
    nesting,
    page,
    stream,
    table_repair,
)
from articles.importing.grid import table_rows
from articles.importing.legacy import prepare
from articles.importing.stream import (
    RawList,
    RawParagraph,
    RawTable,
    clean_fragments,
    sanitize_stream,
)
from articles.sanitize import clean_inline, plain_text

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def pieces(*choices: str):
    """Text made of the given pieces (the characters the shortcuts look at)."""
    return st.lists(st.sampled_from(choices), max_size=12).map("".join)


# Markdown ------------------------------------------------------------------

INLINE = pieces(
    "word", "Two words", "**bold**", "**two words9**", "*", "**", " ", "  ", '"',
    "'", ">", ".", ",", "(", ")", "\u00a0", "é", "_", "`", "[", "&", "<b>", "\\",
)  # fmt: skip


def general_inline(content: str) -> str:
    """markdown-it's inline rendering, as `_Walker.inline` makes it."""
    children: list = []
    markdown._MD.inline.parse(content, markdown._MD, {}, children)
    for child in children:
        if child.type == "text_special":
            child.type = "text"
    return markdown._MD.renderer.renderInline(children, markdown._MD.options, {})


@SETTINGS
@given(INLINE)
def test_bold_words_render_as_markdown_it_renders_them(content):
    fast = markdown._plain_strong(content)
    if fast is not None:
        assert fast == general_inline(content)


@SETTINGS
@given(st.lists(st.lists(INLINE, min_size=1, max_size=4), min_size=1, max_size=4))
def test_plain_cells_are_read_as_each_cell_is(rows):
    plain = markdown._plain_cells(rows)
    walker = markdown._Walker(prepare(""), {})
    if plain is not None:
        assert plain == [[walker.inline(cell) for cell in row] for row in rows]


LINES = st.sampled_from(
    [
        "- Plain item one.", "- plain item", "- **Bold** item", "-  Two spaces",
        "- ", "-", "-x", "* Star item", "+ Plus item", "1. Ordered", "",
        "", "  Indented line", "    Code line", "Paragraph line.", "Title Case Line",
        "| a | b |", "|---|---|", "---", "===", "> Quoted", "<div>", "- Item\t",
        "- Item ", "\tTabbed", "- 2024 figures", "- <b>x</b>", "# Heading",
    ]
)  # fmt: skip


def read_generally(text: str):
    """`markdown.read` without the one-line paragraph and plain list rules."""
    with pytest.MonkeyPatch.context() as patch:
        parser = markdown._parser()
        parser.block.ruler.disable(["paragraph_line", "plain_list"])
        patch.setattr(markdown, "_MD", parser)
        return markdown.read(text)


@SETTINGS
@given(st.lists(LINES, min_size=1, max_size=12).map("\n".join))
def test_paragraph_and_list_shortcuts_read_as_markdown_it_does(text):
    assert markdown.read(text) == read_generally(text)


@pytest.mark.parametrize(
    "text",
    [
        "- One item.\n\n- A loose list goes on.",
        "- One.\n- Two.\n\n  An indented paragraph of the last item.",
        "- One.\n- Two.\nA lazy line of the last item.",
        "- One.\n\n\n- Two.",
        "- One.\n\n-x is no item",
        "- One.\n\n* Another list.",
        "- Item\n\nNext paragraph.",
        "- Item\n---",
        "- Item\n===",
        "- Item | cell\n|---|---|",
        "Line one\nLine two",
        "Title\n\nText.",
        "Title\n---",
        "Para.\n- Item",
        "- Trailing space \n- Tab\t",
    ],
)
def test_shortcuts_stop_where_markdown_it_reads_on(text):
    assert markdown.read(text) == read_generally(text)


# HTML ----------------------------------------------------------------------

CELLS = st.sampled_from(
    [
        "<td>Plain</td>", "<td></td>", "<td> spaced  out </td>",
        "<td>a &amp; b</td>", "<td>1 &lt; 2 &gt; 0</td>", "<th>Label</th>",
        "<td><b>bold</b></td>", "<td>x<!-- note -->y</td>",
        '<td colspan="2">wide</td>', '<td rowspan="1">r</td>',
        "<td>line<br>break</td>", "<td>\u00a0</td>", "<td>café</td>",
    ]
)  # fmt: skip


@st.composite
def html_tables(draw) -> str:
    rows = draw(st.lists(st.lists(CELLS, max_size=4), min_size=1, max_size=4))
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    if draw(st.booleans()):
        head = (
            "<thead><tr>" + "".join(draw(st.lists(CELLS, max_size=4))) + "</tr></thead>"
        )
        return f"<table>{head}<tbody>{body}</tbody></table>"
    return f"<table>{body}</table>"


def read_table(source: str, *, shortcut: bool) -> list:
    root, _ = nesting.parse(source, blocks=html_reader.BLOCK_TAGS)
    table = root.find(".//table")
    rows = table_rows(table)
    with pytest.MonkeyPatch.context() as patch:
        if not shortcut:
            patch.setattr(html_table, "_plain_grid", lambda table, rows: None)
        return html_table.read_table(table, rows, html_reader._Reader().cell)


@SETTINGS
@given(html_tables())
def test_plain_html_tables_read_as_the_grid_reads_them(source):
    assert read_table(source, shortcut=True) == read_table(source, shortcut=False)


BLOCKS = st.sampled_from(
    [
        "<p>Text</p>", "<p> </p>", "<p></p>", "<p>a &amp; b &lt;c&gt;</p>", "\n",
        "<p>x<b>y</b></p>", "<div>Loose</div>", "tail text", "<br>", "<h2>Head</h2>",
        "<section><p>In</p></section>", "<p>line<br>break</p>",
    ]
)  # fmt: skip


def read_body(body: str, *, shortcut: bool) -> list:
    root, _ = nesting.parse(f"<body>{body}</body>", blocks=html_reader.BLOCK_TAGS)
    out: list = []
    with pytest.MonkeyPatch.context() as patch:
        if not shortcut:
            patch.setattr(
                html_reader._Reader,
                "block",
                lambda self, element, out, cell: self.container(element, out, cell),
            )
        html_reader._Reader().read(root.find("body"), out)
    return out


@SETTINGS
@given(st.lists(BLOCKS, max_size=8).map("".join))
def test_text_only_blocks_read_as_runs_read_them(body):
    assert read_body(body, shortcut=True) == read_body(body, shortcut=False)


ITEMS = st.sampled_from(
    ["One", "", " ", "a &amp; b", "A <i>b</i>", "c<ul><li>d</li></ul>", "<p>P</p>"]
)


@SETTINGS
@given(st.lists(ITEMS, min_size=1, max_size=5))
def test_text_only_list_items_read_as_runs_read_them(items):
    source = "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    (got, *after) = read_body(source, shortcut=True)
    root, _ = nesting.parse(source, blocks=html_reader.BLOCK_TAGS)
    expected = []
    for li in root.iter("li"):
        if li.getparent().getparent().tag == "li":
            continue  # nested: flattened into the list, tested elsewhere
        blocks: list = []
        html_reader._Reader().container(li, blocks)
        text = [b.html for b in blocks if isinstance(b, RawParagraph)]
        if text:
            expected.append(" ".join(text))
        expected.extend(b.items for b in blocks if isinstance(b, RawList))
    flat = [
        item
        for entry in expected
        for item in (entry if isinstance(entry, list) else [entry])
    ]
    assert got.items == flat


def test_elements_with_attributes_are_found_as_before():
    page_html = (
        '<body><div class="share"><p id="x">a</p><p>b</p></div><p hidden>c</p>'
        '<span style="display:none">d</span><main role="main"><b>e</b></main></body>'
    )
    root, _ = nesting.parse(page_html, blocks=html_reader.BLOCK_TAGS)
    before = etree.XPath("descendant-or-self::*[@*]")
    assert page._WITH_ATTRIBUTES(root) == before(root)


# The sanitiser -------------------------------------------------------------

# Balanced fragments, as the parsers make them.
FRAGMENTS = pieces(
    "word", " ", "  ", "\n", "\t", "<b>x</b>", "<b></b>", "<strong> y </strong>",
    "<i><em>z</em></i>", "<b><i>w</b></i>", "<B>v</B>", "<b >u</b>", "&amp;", "&",
    '<a href="https://example.org">link</a>', " < ", " > ", "\u00a0", "\u2003",
    "\x07", "é", '"', "<script>s</script>", "<table>t</table>",
)  # fmt: skip


def assert_cleaned_one_by_one(fragments: list[str]) -> None:
    """Fragments, in paragraphs or a table, are cleaned and read as each alone."""
    assert clean_fragments(fragments) == [clean_inline(f) for f in fragments]
    texts = [plain_text(clean_inline(fragment)) for fragment in fragments]
    paragraphs = [RawParagraph(fragment) for fragment in fragments]
    sanitize_stream(paragraphs)
    assert [paragraph.text for paragraph in paragraphs] == texts
    table = RawTable(None, [fragments[:1]], [fragments[1:]])
    sanitize_stream([table])
    assert [*table.header, *table.rows] == [
        [clean_inline(f) for f in fragments[:1]],
        [clean_inline(f) for f in fragments[1:]],
    ]
    assert [*table.header_texts, *table.texts] == [texts[:1], texts[1:]]


@SETTINGS
@given(st.lists(FRAGMENTS, min_size=1, max_size=8))
def test_fragments_clean_and_read_as_the_sanitiser_does(fragments):
    assert_cleaned_one_by_one(fragments)


@pytest.mark.parametrize(
    "fragment",
    [
        "a  b", " a", "a ", "a\nb", "a\tb", "a\u00a0b", "a\u2003b", "\ufeffa", "a\x07",
        "<b>a</b>  b", " <i>a</i>", "<b>a &amp; b</b>", "<b>a\u00a0</b>", "<b>a\nb</b>",
    ],
)  # fmt: skip
def test_whitespace_and_simple_markup_are_cleaned_as_the_sanitiser_does(fragment):
    assert_cleaned_one_by_one(["x", fragment, "y"])


@SETTINGS
@given(pieces("<SCRIPT", "<script", "<ſcript", "<Table", "<tab", "le", "\u212a", "x"))
def test_unbatchable_fragments_are_told_as_before(fragment):
    lowered = fragment.lower()
    names = re.findall(r"\w+", stream._UNBATCHABLE.pattern)
    before = "<" in fragment and any(f"<{name}" in lowered for name in names)
    assert stream._unbatchable(fragment) == before


TABLE_CELLS = st.sampled_from(["", "A", "a", "B", "&nbsp;", "Ä"])


def drop_rows(labels, texts, *, shortcut: bool) -> tuple:
    rows, texts, notes = [list(t) for t in texts], [list(t) for t in texts], []
    with pytest.MonkeyPatch.context() as patch:
        if not shortcut:
            patch.setattr(table_repair, "_none_to_drop", lambda texts, header: False)
        table_repair._drop_rows(labels, rows, texts, notes)
    return rows, texts, notes


@SETTINGS
@given(
    st.lists(TABLE_CELLS, min_size=1, max_size=3),
    st.lists(st.lists(TABLE_CELLS, min_size=1, max_size=3), max_size=6),
)
def test_tables_without_rows_to_drop_keep_them_as_before(labels, texts):
    assert drop_rows(labels, texts, shortcut=True) == drop_rows(
        labels, texts, shortcut=False
    )


LINE_STARTS = st.sampled_from(
    ["a", "É", "ß", "1", "١", "#", "- ", "* ", "> ", "<div>", "<b>", " ", "|", "_ _ _"]
)


@SETTINGS
@given(LINE_STARTS, st.text(alphabet="ab -|\\<>#1.", max_size=8))
def test_lines_opening_with_a_letter_are_prose_as_before(start, rest):
    line = start + rest
    assert legacy._is_prose(line) == bool(
        line
        and not line[:1].isspace()
        and not legacy._has_pipe(line)
        and not legacy._starts_block(line)
    )


def break_between_generally(previous: str, line: str) -> bool:
    if line[:1].isspace() or legacy._SETEXT.match(line):
        return False
    if legacy._has_pipe(previous) and legacy._has_pipe(line):
        return False
    return not (
        legacy._LIST_ITEM.match(line)
        and (legacy._LIST_ITEM.match(previous) or previous[:1].isspace())
    )


@SETTINGS
@given(
    st.tuples(LINE_STARTS, st.text(alphabet="ab -|\\=1.", max_size=6)).map("".join),
    st.tuples(LINE_STARTS, st.text(alphabet="ab -|\\=1.", max_size=6)).map("".join),
)
def test_lines_opening_with_a_letter_are_parted_as_before(previous, line):
    assert legacy._break_between(previous, line) == break_between_generally(
        previous, line
    )


@SETTINGS
@given(
    st.text(
        alphabet=st.sampled_from("ab <>&;\t\n\x00\x07\x7f\x85\x9f\xa0\ufeff\u2003é")
    )
)
def test_markup_is_told_as_the_pattern_tells_it(text):
    assert stream.needs_cleaning(text) == bool(stream._MARKUP.search(text))
