"""Import legacy articles: HTML or markdown/plain text to the article structure.

`parse` reads a document (no database access) into an `ImportedArticle`:
title, sections of paragraphs, lists and tables, and the notes on every
repair it made. The steps:

1. `source.decode`: bytes to text, or ImportRefused (empty, binary,
   undecodable, over MAX_BYTES).
2. `html.read` (lxml through `nesting`, which flattens what is nested past
   libxml2's depth limit; `page` finds the article, `grid` lays out spans) or
   `markdown.read` (markdown-it-py with GFM tables, after `legacy.prepare`
   has made legacy text readable): a flat stream of blocks (`stream`).
3. `stream.sanitize_stream`: every inline fragment to the allow-list
   (`articles.sanitize.clean_inline`).
4. `markdown.infer_headings`, `repair.choose_title`, `repair.repair_stream`
   (tables: `table_repair`): headings, title and repairs, each noted.
5. `repair.assemble`: sections, with every note located.

Every note has a stable code: see README.md beside this file for the list.

`export_html` writes an article back as plain HTML.
"""

from __future__ import annotations

import html as html_module
import re
from itertools import islice

from django.utils.translation import gettext as _

from . import html as html_reader
from . import markdown as markdown_reader
from .document import (
    BulletList,
    ImportedArticle,
    ImportRefused,
    Note,
    Paragraph,
    Section,
    Table,
)
from .repair import assemble, choose_title, repair_stream
from .source import MAX_BYTES, decode
from .stream import sanitize_stream

__all__ = [
    "MAX_BYTES",
    "BulletList",
    "ImportRefused",
    "ImportedArticle",
    "Note",
    "Paragraph",
    "Section",
    "Table",
    "detect_format",
    "export_html",
    "parse",
]

FORMATS = ("auto", "html", "markdown")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")
_HTML_START = re.compile(
    r"\s*(?:<!doctype\s+html|<html[\s>]|<\?xml|<head[\s>]|<body[\s>])", re.I
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|table|tr|td|th|h[1-6]|ul|ol|li|article|section|main|body|"
    r"blockquote|br)\b[^<>]*>",
    re.I,
)
_MARKDOWN_LINE = re.compile(
    r"^(?: {0,3}(?:#{1,6} |[-*+] |\d+[.)] |>|\||```)|.*\|\s*$)", re.M
)


def detect_format(text: str) -> str:
    """Return "html" or "markdown" for a document's text (plain text is markdown).

    HTML: it opens as a page (doctype, <html>, <head>, <body>), or its block
    tags (<p>, <div>, <table>, <br>...) outnumber its markdown lines (headings,
    list items, pipe rows) and there are at least two of them.
    """
    if _HTML_START.match(text):
        return "html"
    sample = text[:200_000]
    tags = sum(1 for _ in islice(_BLOCK_TAG.finditer(sample), 10_000))
    if tags < 2:
        return "markdown"
    lines = sum(1 for _ in islice(_MARKDOWN_LINE.finditer(sample), 10_000))
    return "html" if tags > lines else "markdown"


def parse(
    source: str | bytes, *, format: str = "auto", name: str = ""
) -> ImportedArticle:
    """Read a legacy article into its structure and the notes on its repairs.

    `format` is "html", "markdown" (which covers plain text) or "auto": an
    HTML file name (`name`) or `detect_format` decides. Bytes are decoded
    (UTF-8, else Windows-1252 or Latin-1, noted). Raises ImportRefused when
    the source is empty, binary, undecodable, too large (MAX_BYTES), nested
    too deeply to be read whole, or holds no article text.
    """
    if format not in FORMATS:
        raise ValueError(f"Unknown format {format!r}; use one of {', '.join(FORMATS)}.")
    text, source_notes = decode(source)
    if format == "auto":
        format = (
            "html" if name.lower().endswith(HTML_EXTENSIONS) else detect_format(text)
        )
    if format == "html":
        page = html_reader.read(text)
        stream, candidates, document_notes = page.stream, page.titles, page.notes
        sanitize_stream(stream)
    else:
        stream, document_notes, explicit = markdown_reader.read(text)
        candidates = []
        sanitize_stream(stream)
        if not explicit:
            markdown_reader.infer_headings(stream)
    title, title_notes = choose_title(
        stream, candidates, name, markdown=format == "markdown"
    )
    notes = [
        Note(note.code, "document", note.message)
        for note in (*source_notes, *document_notes)
    ]
    article = assemble(repair_stream(stream), title, notes + title_notes, format)
    if not article.sections:
        only_a_title = title_notes == [] and candidates
        raise ImportRefused(
            _(
                "No article text was found in the file (only a title). Check that "
                "it is the article itself and not an empty page."
            )
            if only_a_title
            else _(
                "No article text was found in the file. Check that it is the "
                "article itself and not an empty page."
            )
        )
    return article


def export_html(article: ImportedArticle) -> str:
    """Write the article as a plain HTML document (h1, h2, p, ul/ol, table)."""
    escape = html_module.escape
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8">',
        f"<title>{escape(article.title)}</title></head>",
        f"<body><article><h1>{escape(article.title)}</h1>",
    ]
    for section in article.sections:
        if section.heading is not None:
            parts.append(f"<h2>{escape(section.heading)}</h2>")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(f"<p>{block.html}</p>")
            elif isinstance(block, BulletList):
                tag = "ol" if block.ordered else "ul"
                items = "".join(f"<li>{item}</li>" for item in block.items)
                parts.append(f"<{tag}>{items}</{tag}>")
            else:
                parts.append(_table_html(block))
    parts.append("</article></body></html>")
    return "\n".join(parts)


def _table_html(table: Table) -> str:
    escape = html_module.escape
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    head = "".join(f"<th>{escape(label)}</th>" for label in table.columns)
    if table.groups:  # a row of the groups over the labels; blank cells elsewhere
        starts = {group["start"]: group for group in table.groups}
        cells, c = [], 0
        while c < len(table.columns):
            group = starts.get(c, {"label": "", "span": 1})
            cells.append(
                f'<th colspan="{group["span"]}">{escape(group["label"])}</th>'
                if group["label"]
                else "<td></td>"
            )
            c += group["span"]
        head = f"{''.join(cells)}</tr><tr>{head}"
    body = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return (
        f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )
