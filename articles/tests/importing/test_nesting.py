"""Deeply nested HTML: read whole (flattened, noted) or refused, never cut short."""

import json
import re

import pytest
from lxml import etree
from lxml import html as lxml_html

from articles.importing import ImportRefused, nesting, parse
from articles.importing.html import BLOCK_TAGS
from articles.sanitize import clean_inline, plain_text

from .helpers import assert_valid_for_cms, codes, note


def page(body: str) -> str:
    return f"<!DOCTYPE html><html><head></head><body>{body}</body></html>"


def paragraphs(article) -> list[str]:
    return [
        block["text"]
        for section in article.to_json()["sections"]
        for block in section["blocks"]
        if block["type"] == "paragraph"
    ]


def everything(article) -> str:
    return json.dumps(article.to_json(), ensure_ascii=False)


def libxml2_limit(text: str) -> str | None:
    """The resource limit libxml2 hits reading `text`, if any."""
    parser = lxml_html.HTMLParser(encoding="utf-8")
    lxml_html.document_fromstring(text.encode(), parser=parser)
    for error in parser.error_log:
        if error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            return error.message
    return None


def test_paragraphs_in_400_unclosed_divs_all_import_with_a_note():
    """A legacy page of 400 paragraphs in unclosed <div>s imports all 400, noted."""
    source = page(
        "".join(f"<div><p>Paragraph {i} of the story.</p>" for i in range(400))
    )
    assert libxml2_limit(source)  # the case: libxml2 alone stops at 256 levels

    article = parse(source, format="html")

    assert paragraphs(article) == [f"Paragraph {i} of the story." for i in range(400)]
    found = note(article, "deep-nesting-flattened")
    assert found.where == "document"
    assert "No text was removed" in found.message
    assert_valid_for_cms(article)


@pytest.mark.parametrize("depth", [1000, 5000])
@pytest.mark.parametrize(
    "opening", ["<div>", '<font face="Arial">', "<span>", "<center>", "<blockquote>"]
)
def test_unclosed_wrappers_lose_no_text_at_any_depth(opening, depth):
    """Thousands of unclosed wrappers keep every word after them, in order."""
    source = page("".join(f"{opening}word{i} " for i in range(depth)) + "the end.")

    article = parse(source, format="html")

    text = " ".join(paragraphs(article))
    assert re.findall(r"word\d+", text) == [f"word{i}" for i in range(depth)]
    assert text.endswith("the end.")
    assert "deep-nesting-flattened" in codes(article)


def test_a_table_after_the_deep_part_still_imports_as_a_table():
    """A table after 1,000 unclosed <font> and <div> tags is still a table."""
    deep = "".join(f"<font size=2><div><p>Text {i}.</p>" for i in range(500))
    table = (
        "<table><tr><th>Country</th><th>Votes</th></tr>"
        "<tr><td>Kazakhstan</td><td>12</td></tr>"
        "<tr><td>Armenia</td><td>7</td></tr></table>"
    )
    article = parse(page(deep + table + "<p>After the table.</p>"), format="html")

    blocks = [block for s in article.to_json()["sections"] for block in s["blocks"]]
    (found,) = [block for block in blocks if block["type"] == "table"]
    assert found["columns"] == ["Country", "Votes"]
    assert found["rows"] == [["Kazakhstan", "12"], ["Armenia", "7"]]
    assert paragraphs(article) == [f"Text {i}." for i in range(500)] + [
        "After the table."
    ]
    assert_valid_for_cms(article)


@pytest.mark.slow
@pytest.mark.parametrize(
    "opening",
    [
        "<table><tr><td>",
        "<ul><li>",
        "<dl><dd>",
        "<h2>",
        "<blockquote><p>",
        "<div><section><font>",
    ],
)
def test_a_5000_deep_document_reads_within_the_recursion_limit(opening):
    """Nesting 5,000 deep of any kind imports whole: no RecursionError, no loss."""
    source = page("".join(f"{opening}w{i}x " for i in range(5000)))

    article = parse(source, format="html")  # the reader recurses once a level or so

    text = everything(article)
    assert all(f"w{i}x" in text for i in range(5000))


def test_a_page_within_the_limit_is_read_as_before():
    """Only a page past libxml2's limit is flattened: 200 levels get no note."""
    source = page("".join(f"<div><p>Paragraph {i}.</p>" for i in range(200)))
    assert libxml2_limit(source) is None

    article = parse(source, format="html")

    assert len(paragraphs(article)) == 200
    assert "deep-nesting-flattened" not in codes(article)


def test_chrome_and_scripts_in_the_deep_part_stay_out():
    """Flattening never turns navigation, ads or scripts into article text."""
    deep = "".join(
        f"<div><p>Text {i}.</p>"
        + (
            "<nav>Home | Politics</nav><div class='advert'>Buy now</div>"
            "<script>var tracking = 1;</script>"
            if i % 50 == 0
            else ""
        )
        for i in range(400)
    )
    article = parse(page(deep), format="html")

    assert paragraphs(article) == [f"Text {i}." for i in range(400)]
    for chrome in ("Politics", "Buy now", "tracking"):
        assert chrome not in everything(article)


def test_boilerplate_nested_past_the_limit_is_refused_not_cut():
    """Chrome nested 300 deep cannot be flattened: the page is refused, not cut."""
    source = page(
        "<p>The story.</p>" + "<aside>Related " * 300 + "<p>Lost otherwise.</p>"
    )

    with pytest.raises(ImportRefused, match="more than 256 deep"):
        parse(source, format="html")


def test_deep_html_inside_markdown_loses_no_text():
    """Raw HTML in markdown with 400 unclosed <div>s is read whole, noted."""
    html_block = "".join(f"<div><p>Paragraph {i}.</p>" for i in range(400))
    source = f"# A title\n\nThe lede.\n\n{html_block}\n\nThe last paragraph.\n"

    article = parse(source, format="markdown")

    assert paragraphs(article) == [
        "The lede.",
        *(f"Paragraph {i}." for i in range(400)),
        "The last paragraph.",
    ]
    assert "deep-nesting-flattened" in codes(article)


@pytest.mark.parametrize("tag", ["b", "font", "span", "div"])
def test_the_sanitiser_keeps_the_text_of_deep_inline_nesting(tag):
    """nh3 (html5ever) has no depth limit: 5,000 nested tags keep all their words."""
    fragment = "".join(f"<{tag}>w{i} " for i in range(5000)) + "end"
    words = [f"w{i}" for i in range(5000)] + ["end"]

    assert plain_text(clean_inline(fragment)).split() == words
    assert plain_text(fragment).split() == words


def test_deep_inline_html_in_a_markdown_paragraph_keeps_its_text():
    """A markdown paragraph with 1,000 unclosed <font> tags keeps every word."""
    source = "# A title\n\nStart " + "".join(
        f"<font color=red>w{i} " for i in range(1000)
    )
    article = parse(source + "end.\n\nNext paragraph.\n", format="markdown")

    first, second = paragraphs(article)
    assert first.split() == ["Start", *(f"w{i}" for i in range(1000)), "end."]
    assert second == "Next paragraph."


def test_flatten_changes_only_tags():
    """The flattened source holds the same text, comments and scripts."""
    source = page(
        "<!-- a <div> comment -->"
        + "".join(f"<div class=x><span>text {i} &amp; more</span>" for i in range(300))
        + "<script>if (a < b && c > d) { x = '<div>'; }</script><p>end</p>"
    )

    flat, count = nesting.flatten(source, blocks=BLOCK_TAGS)

    assert count > 0
    assert libxml2_limit(flat) is None
    assert re.sub(r"<[a-z/][^>]*>", "", flat) == re.sub(r"<[a-z/][^>]*>", "", source)
    assert "<!-- a <div> comment -->" in flat
    assert "<script>if (a < b && c > d) { x = '<div>'; }</script>" in flat
