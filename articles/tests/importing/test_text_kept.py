"""Property: an import never loses text silently.

Generated legacy documents (paragraphs, pipe tables with ragged rows, wrapped
rows, empty and repeated rows, stray pipes; HTML pages with tables holding
spans, lists, headings and long cells) are imported, and every word of the
input must be in the result (title, headings, blocks, cells, captions) or in
a note's text.
"""

import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importing import ImportedArticle, parse

from .helpers import assert_valid_for_cms

# Hypothesis imports a few hundred documents: a few seconds.
pytestmark = pytest.mark.slow

# IMPORTING_EXAMPLES=2000 runs a longer search, e.g. after changing a parser.
EXAMPLES = int(os.environ.get("IMPORTING_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
STEMS = (
    "border talks budget vote crossing ferry council district turnout ballot "
    "summit treaty reform harbour station library pension transport"
).split()
TOKEN = re.compile(rf"\b(?:{'|'.join(STEMS)})\d+\b", re.IGNORECASE)
WORD = re.compile(r"\w+")


class Words:
    """Draws words that are each unique in a document (`stem` + number)."""

    def __init__(self, draw):
        self.draw = draw
        self.count = 0

    def __call__(self, low: int = 1, high: int = 3) -> str:
        words = []
        for _ in range(self.draw(st.integers(low, high))):
            self.count += 1
            words.append(f"{self.draw(st.sampled_from(STEMS))}{self.count}")
        return " ".join(words)

    def sentence(self) -> str:
        text = self(4, 12)
        return text[0].upper() + text[1:] + "."


HTML_CELLS = (
    "<b>{}</b> {}",
    "<https://example.org/{}> {}",
    "<em>{}</em><br>{}",
    "<ul><li>{} </li><li> {}</li></ul>",
    "{}<br/>{}",
)


@st.composite
def pipe_tables(draw, words: Words) -> list[str]:
    """A legacy pipe table: ragged rows, stray pipes, wrapped, empty and
    repeated rows."""
    width = draw(st.integers(1, 5))
    outer = draw(st.booleans())  # rows written as "| a | b |" or "a | b"
    stray = draw(st.sampled_from(["", "", " ||||", " |"]))

    def row(cells: list[str]) -> str:
        line = " | ".join(cells)
        line = f"| {line} |" if outer or len(cells) == 1 else line
        return line + (stray if draw(st.booleans()) else "")

    labels = [words(1, 2) for _ in range(width)]
    lines = [row(labels), "|" + "---|" * width if outer else "|".join(["---"] * width)]
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(
            st.sampled_from(["row", "row", "row", "ragged", "empty", "header", "html"])
        )
        if kind == "html":  # inline HTML, autolinks, lists and breaks in cells
            cells = [
                draw(st.sampled_from(HTML_CELLS)).format(words(), words())
                for _ in range(width)
            ]
            lines.append(row(cells))
        elif kind == "ragged":
            lines.append(row([words(0, 2) for _ in range(draw(st.integers(1, 7)))]))
        elif kind == "empty":
            lines.append("|" + " |" * width)
        elif kind == "header":
            lines.append(row(labels))
        else:
            lines.append(row([words(0, 3) for _ in range(width)]))
            if outer and draw(st.integers(0, 5)) == 0:
                lines.append(words(1, 4))  # the row goes on over the next line
    return lines


@st.composite
def legacy_texts(draw) -> str:
    """Legacy text: one block a line, or blank lines between blocks."""
    words = Words(draw)
    blocks: list[list[str]] = [[words.sentence()]]
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["paragraph", "paragraph", "table", "pipes"]))
        if kind == "paragraph":
            blocks.append(
                [" ".join(words.sentence() for _ in range(draw(st.integers(1, 3))))]
            )
        elif kind == "table":
            blocks.append(draw(pipe_tables(words)))
        else:
            blocks.append([draw(st.sampled_from(["|", "||||", "| |"]))])
    separator = draw(st.sampled_from(["\n", "\n\n"]))
    return separator.join("\n".join(block) for block in blocks) + "\n"


@st.composite
def html_tables(draw, words: Words) -> str:
    """An HTML table with spans, header cells, lists, headings and long cells."""
    width = draw(st.integers(1, 4))
    parts = ["<table>"]
    if draw(st.booleans()):
        parts.append(f"<caption>{words(1, 4)}</caption>")
    for r in range(draw(st.integers(1, 6))):
        cells = []
        for _ in range(draw(st.integers(1, width + 1))):
            tag = "th" if r == 0 and draw(st.booleans()) else "td"
            span = draw(
                st.sampled_from(
                    ["", "", "", ' colspan="2"', ' rowspan="2"', ' rowspan="0"']
                )
            )
            content = draw(
                st.sampled_from(
                    ["words", "words", "empty", "list", "paragraphs", "heading"]
                )
            )
            if content == "words":
                text = words(1, 3)
            elif content == "empty":
                text = draw(st.sampled_from(["", "&nbsp;", " "]))
            elif content == "list":
                text = f"<ul><li>{words()} </li><li> {words()}</li></ul>"
            elif content == "paragraphs":
                text = "".join(
                    f"<p>{words.sentence()} {words.sentence()}</p>" for _ in "ab"
                )
            else:
                text = (
                    f"{words()}<h3>{words(2, 4).title()}</h3><p>{words.sentence()}</p>"
                )
            cells.append(f"<{tag}{span}>{text}</{tag}>")
        parts.append(f"<tr>{''.join(cells)}</tr>")
    parts.append("</table>")
    return "".join(parts)


@st.composite
def html_pages(draw) -> str:
    words = Words(draw)
    body = [f"<p>{words.sentence()}</p>"]
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            body.append(f"<p>{words.sentence()} {words.sentence()}</p>")
        else:
            body.append(draw(html_tables(words)))
    return (
        f"<!DOCTYPE html><html><body><article>{''.join(body)}</article></body></html>"
    )


def imported_words(article: ImportedArticle) -> set[str]:
    """Every word of the import: title, headings, blocks, cells, captions, notes."""
    return set(WORD.findall(json.dumps(article.to_json(), ensure_ascii=False)))


@SETTINGS
@given(legacy_texts())
def test_legacy_text_loses_no_word(text):
    """Every word of a legacy text is in its import, or in a note."""
    article = parse(text, format="markdown")
    assert set(TOKEN.findall(text)) - imported_words(article) == set()
    assert_valid_for_cms(article)


@SETTINGS
@given(html_pages())
def test_html_page_loses_no_word(page):
    """Every word of an HTML page is in its import, or in a note."""
    article = parse(page, format="html")
    assert set(TOKEN.findall(page)) - imported_words(article) == set()
    assert_valid_for_cms(article)
