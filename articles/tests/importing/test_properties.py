"""Properties: export then import keeps the structure; nothing crashes the parser."""

import html
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importing import (
    BulletList,
    ImportedArticle,
    ImportRefused,
    Paragraph,
    Section,
    Table,
    export_html,
    parse,
)
from articles.importing.stream import clean_fragments
from articles.sanitize import clean_inline, plain_text

from .helpers import assert_valid_for_cms

# IMPORTING_EXAMPLES=2000 runs a longer search, e.g. after changing a parser.
EXAMPLES = int(os.environ.get("IMPORTING_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# Printable text of any script, with the characters that break tables and
# markup over-represented. (The importer drops stray byte-order marks.)
CHARACTERS = st.one_of(
    st.sampled_from("|<>&\"' -:*#`\\"),
    st.characters(
        blacklist_categories=("Cc", "Cs", "Co", "Cn"), blacklist_characters="\ufeff"
    ),
)


def normalised(text: str) -> str:
    return " ".join(text.split())


words = st.text(CHARACTERS, min_size=1, max_size=30).map(normalised).filter(bool)
# A label must read the same when the CMS takes it for markup (plain_text).
labels = words.filter(lambda label: plain_text(label) == label)


@st.composite
def inline_html(draw) -> str:
    """Escaped text, some of it bold, italic or linked."""
    parts = []
    for text in draw(st.lists(words, min_size=1, max_size=4)):
        escaped = html.escape(text, quote=False)
        wrap = draw(st.sampled_from(["", "b", "em", "a"]))
        if wrap == "a":
            parts.append(f'<a href="https://example.org/{len(parts)}">{escaped}</a>')
        elif wrap:
            parts.append(f"<{wrap}>{escaped}</{wrap}>")
        else:
            parts.append(escaped)
    return " ".join(parts)


@st.composite
def tables(draw) -> Table:
    columns = draw(
        st.lists(
            labels, min_size=1, max_size=5, unique_by=lambda label: label.casefold()
        )
    )
    cell = st.one_of(st.just(""), inline_html())
    rows = draw(
        st.lists(
            st.lists(cell, min_size=len(columns), max_size=len(columns)).filter(
                # A row needs some text, and is not a copy of the header.
                lambda row: (
                    any(row)
                    and [plain_text(c).casefold() for c in row]
                    != [label.casefold() for label in columns]
                )
            ),
            max_size=5,
        )
    )
    caption = draw(st.one_of(st.none(), words))
    return Table(caption, columns, rows)


blocks = st.one_of(
    inline_html().map(Paragraph),
    st.builds(
        BulletList, st.booleans(), st.lists(inline_html(), min_size=1, max_size=4)
    ),
    tables(),
)


@st.composite
def articles(draw) -> ImportedArticle:
    sections = []
    if draw(st.booleans()):
        sections.append(Section(None, draw(st.lists(blocks, min_size=1, max_size=3))))
    for _ in range(draw(st.integers(0 if sections else 1, 3))):
        sections.append(Section(draw(words), draw(st.lists(blocks, max_size=3))))
    return ImportedArticle(draw(words), sections, [], "html")


def structure(article: ImportedArticle) -> dict:
    data = article.to_json()
    del data["notes"]
    return data


@SETTINGS
@given(articles())
def test_export_then_import_gives_the_same_structure(article):
    """An article written out as HTML reads back as the same article."""
    imported = parse(export_html(article))
    assert structure(imported) == structure(article)
    assert_valid_for_cms(imported)


@SETTINGS
@given(articles())
def test_export_then_import_bytes_gives_the_same_structure(article):
    """The same holds for the HTML as UTF-8 bytes, the way uploads arrive."""
    imported = parse(export_html(article).encode(), name="article.html")
    assert structure(imported) == structure(article)


MARKUP_PIECES = st.sampled_from(
    [
        "|", "||||", "|---|---|", "| a | b |", "\n", "\n\n", "# ", "## ", "- ", "1. ",
        "> ", "**", "*", "`", "```", "<p>", "</p>", "<table>", "<tr>", "<td>", "</td>",
        "<th colspan=3>", "<td rowspan=0>", "<h2>", "<ul><li>", "<br>", "&amp;", "&#0;",
        "<script>", "<!--", "Title Case Line", "A sentence. Another one. ", ":",
    ]
)  # fmt: skip
documents = st.lists(st.one_of(MARKUP_PIECES, st.text(max_size=20)), max_size=40).map(
    "".join
)


@SETTINGS
@given(documents, st.sampled_from(["auto", "html", "markdown"]))
def test_any_text_parses_or_is_refused(text, format):
    """Whatever the text, parse returns a valid article or refuses it."""
    try:
        article = parse(text, format=format)
    except ImportRefused:
        return
    assert article.title
    assert_valid_for_cms(article)


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from(["auto", "html", "markdown"]))
def test_any_bytes_parse_or_are_refused(data, format):
    """Whatever the bytes, parse returns an article or refuses them."""
    try:
        parse(data, format=format)
    except ImportRefused:
        pass


PLAIN = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="<>&\u00a0",
        codec="utf-8",
    ).filter(
        lambda c: (
            not (
                "\x00" <= c <= "\x08" or "\x0b" <= c <= "\x1f" or "\x7f" <= c <= "\x9f"
            )
        )
    ),
    max_size=60,
)


@SETTINGS
@given(st.lists(st.one_of(PLAIN, inline_html()), max_size=6))
def test_clean_fragments_is_clean_inline(fragments):
    """The batched sanitiser and its plain-text shortcut equal clean_inline."""
    assert clean_fragments(fragments) == [clean_inline(f) for f in fragments]
