"""Properties: export then import keeps the structure; nothing crashes the parser;
no nesting, however deep, loses text."""

import html
import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from articles.importing import (
    BulletList,
    ImportedArticle,
    ImportRefused,
    Paragraph,
    Section,
    Table,
    export_html,
    nesting,
    parse,
)
from articles.importing.html import BLOCK_TAGS
from articles.importing.stream import clean_fragments
from articles.sanitize import clean_inline, plain_text

from .helpers import assert_valid_for_cms

# Hypothesis runs each property on many generated documents.
pytestmark = pytest.mark.slow

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


# Deeply nested pages: legacy HTML leaves wrappers open by the hundred, past
# libxml2's limit of 256 levels (which cut the rest of the page off unseen).
DEEP_SETTINGS = settings(
    max_examples=max(EXAMPLES // 6, 10),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
WRAPPERS = (
    "<div>", "<font size=2>", "<span>", "<center>", "<b>", "<i>", "<blockquote>",
    "<section>", "<small>", "<u>", "<o:p>",
)  # fmt: skip
plain_words = st.text(
    st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=12
)


@st.composite
def deep_pages(draw) -> tuple[str, list[str], int]:
    """A page of blocks behind runs of wrappers, most left open: its source,
    the texts it holds (each unique) and how many tables."""
    parts, texts, table_count = [], [], 0

    def text() -> str:
        texts.append(f"{draw(plain_words)} t{len(texts)}")
        return texts[-1]

    for _ in range(draw(st.integers(1, 10))):
        for _ in range(draw(st.integers(0, 3))):
            wrapper = draw(st.sampled_from(WRAPPERS))
            count = draw(st.integers(0, 400))
            parts.append(wrapper * count)
            if draw(st.integers(0, 3)) == 0:  # now and then, some are closed
                name = wrapper[1:].split(">")[0].split()[0]
                parts.append(f"</{name}>" * draw(st.integers(0, count)))
        kind = draw(st.sampled_from(["p", "h2", "list", "table"]))
        if kind == "p":
            parts.append(f"<p>{text()}</p>")
        elif kind == "h2":
            parts.append(f"<h2>{text()}</h2>")
        elif kind == "list":
            parts.append(f"<ul><li>{text()}</li><li>{text()}</li></ul>")
        else:
            table_count += 1
            parts.append(
                f"<table><tr><th>{text()}</th><th>{text()}</th></tr>"
                f"<tr><td>{text()}</td><td>{text()}</td></tr></table>"
            )
    source = f"<!DOCTYPE html><html><body>{''.join(parts)}</body></html>"
    return source, texts, table_count


def _libxml2_limit(source: str) -> bool:
    parser = lxml_html.HTMLParser(encoding="utf-8")
    lxml_html.document_fromstring(source.encode(), parser=parser)
    return any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log)


@DEEP_SETTINGS
@given(deep_pages())
def test_deep_pages_lose_no_text(page):
    """However deep the nesting, every text of the page is in the import."""
    source, texts, table_count = page
    article = parse(source, format="html")
    imported = json.dumps(article.to_json(), ensure_ascii=False)
    assert [text for text in texts if text not in imported] == []
    tables = [b for s in article.sections for b in s.blocks if isinstance(b, Table)]
    assert len(tables) == table_count
    if _libxml2_limit(source):
        assert "deep-nesting-flattened" in [note.code for note in article.notes]
    assert_valid_for_cms(article)


SOUP_TAGS = (
    "div", "span", "font", "b", "i", "em", "strong", "center", "blockquote", "section",
    "p", "a", "ul", "ol", "li", "dl", "dt", "dd", "table", "tbody", "thead", "tr",
    "td", "th", "caption", "h2", "h3", "pre", "small", "o:p",
)  # fmt: skip
SOUP_PIECES = st.one_of(
    st.sampled_from(SOUP_TAGS).map(lambda tag: f"<{tag}>"),
    st.sampled_from(SOUP_TAGS).map(lambda tag: f"</{tag}>"),
    st.sampled_from(["<br>", "<hr>", "<img src=x>", "<div/>", "<p/>"]),
    st.integers(0, 10**6).map(lambda n: f" w{n}x "),
)


@DEEP_SETTINGS
@given(
    st.lists(st.tuples(SOUP_PIECES, st.integers(1, 300)), min_size=1, max_size=30).map(
        lambda runs: "".join(piece * count for piece, count in runs)
    )
)
def test_flattened_tag_soup_is_read_whole(soup):
    """Flattening changes only tags, and libxml2 then reads every word."""
    source = f"<html><body>{soup}</body></html>"
    flat, _ = nesting.flatten(source, blocks=BLOCK_TAGS)
    assert re.sub(r"<[^>]*>", "", flat) == re.sub(r"<[^>]*>", "", source)
    assert not _libxml2_limit(flat)
    parser = lxml_html.HTMLParser(encoding="utf-8")
    text = lxml_html.document_fromstring(flat.encode(), parser=parser).text_content()
    assert re.findall(r"w\d+x", text) == re.findall(r"w\d+x", soup)
