"""The one allow-list for editor-written and imported inline text.

Paragraphs, list items and table cells may hold bold, italic and links, and
nothing else. Everything passes through `clean_inline` before it is stored and
again before it is marked safe in a template.
"""

import html
import re

import nh3

INLINE_TAGS = {"a", "b", "strong", "i", "em"}
INLINE_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_WHITESPACE = re.compile(r"\s+")


def clean_inline(text: str) -> str:
    """Return `text` keeping only bold, italic and links, whitespace collapsed."""
    cleaned = nh3.clean(
        text or "",
        tags=INLINE_TAGS,
        clean_content_tags={"script", "style"},
        attributes=INLINE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _WHITESPACE.sub(" ", cleaned).strip()


def plain_text(text: str) -> str:
    """Return the visible text of inline HTML, without any markup."""
    stripped = nh3.clean(text or "", tags=set(), clean_content_tags={"script", "style"})
    return _WHITESPACE.sub(" ", html.unescape(stripped)).strip()
