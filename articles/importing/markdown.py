"""Read markdown or plain text (markdown-it-py, GFM tables) into the block stream.

Legacy text is first made readable by `legacy.prepare` (pipe tables found
and normalised, paragraph breaks put back, stray pipes marked); markdown-it
then reads it, with its GFM table rule, inline content parsed on demand.

After sanitising, `infer_headings` takes standalone title-case lines for
headings when the document has no markdown headings at all.
"""

from __future__ import annotations

import html
import re

from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from ..sanitize import clean_inline
from . import html as html_reader
from .document import ImportRefused
from .legacy import Prepared, prepare
from .stream import (
    Marker,
    RawBlock,
    RawHeading,
    RawList,
    RawNote,
    RawParagraph,
    RawTable,
    dedupe,
    list_item_blocks,
)
from .text import looks_like_heading

# Characters that may start inline markdown; text without them is plain.
_INLINE_SYNTAX = re.compile(r"[\n\\`*_~\[!<&]")
# markdown-it's nesting limit (a quotation is one level, a list and its item
# two). Past it, markdown-it skips the rest of the quotation or list item,
# and for a list item all that follows it in the document, raising nothing:
# `read` refuses such a text instead. (The commonmark preset's 20 lost all
# that followed a list nested 10 deep.)
MAX_NESTING = 100
# Tokens whose content markdown-it reads one level deeper, as blocks.
_CONTAINERS = ("blockquote_open", "list_item_open")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    # Inline content is parsed on demand (most table cells are plain text).
    md.core.ruler.disable(["inline", "text_join"])
    return md


_MD = _parser()


def read(text: str) -> tuple[list[RawBlock], list[RawNote], bool]:
    """Read markdown or plain text: the blocks, document notes, and whether
    the document marks its headings (so plain lines are not taken for them).

    Raises ImportRefused for quotations or lists nested past MAX_NESTING.
    """
    prepared = prepare(text)
    env: dict = {}
    tokens = _MD.parse(prepared.text, env)
    if any(
        token.type in _CONTAINERS and token.level >= MAX_NESTING - 1 for token in tokens
    ):
        raise ImportRefused(
            _(
                "The text nests quotations or lists deeper than the importer "
                "reads (over %(quotes)d levels of “>”, or lists inside lists over "
                "%(lists)d levels): the rest would be lost. Reduce the nesting and "
                "import it again."
            )
            % {"quotes": MAX_NESTING - 1, "lists": MAX_NESTING // 2 - 1}
        )
    walker = _Walker(prepared, env)
    stream = walker.blocks(tokens, 0, len(tokens), top=True)
    stream.extend(marker for _, marker in walker.markers[walker.next_marker :])
    explicit = any(isinstance(block, RawHeading) for block in stream)
    return stream, [*prepared.notes, *walker.notes], explicit


class _Walker:
    """Turn markdown-it tokens into blocks, in order, with the line markers."""

    def __init__(self, prepared: Prepared, env: dict):
        self.tables = prepared.tables
        self.markers = prepared.markers
        self.next_marker = 0
        self.env = env
        self.notes: list[RawNote] = []  # about the whole document

    def inline(self, token) -> str:
        content = token.content
        if not _INLINE_SYNTAX.search(content):
            return html.escape(content, quote=False)
        children: list = []
        _MD.inline.parse(content, _MD, self.env, children)
        raw = False
        for child in children:
            if child.type == "text_special":
                child.type = "text"
            elif child.type == "html_inline":
                raw = True
        rendered = _MD.renderer.renderInline(children, _MD.options, self.env)
        # Raw HTML may be unbalanced: clean it alone, not in a batch.
        return clean_inline(rendered) if raw else rendered

    def _flush_markers(self, line: int, out: list[RawBlock]) -> None:
        while (
            self.next_marker < len(self.markers)
            and self.markers[self.next_marker][0] < line
        ):
            out.append(self.markers[self.next_marker][1])
            self.next_marker += 1

    def blocks(
        self, tokens, start: int, end: int, *, top: bool = False
    ) -> list[RawBlock]:
        out: list[RawBlock] = []
        i = start
        while i < end:
            token = tokens[i]
            if top and token.map and token.nesting >= 0:
                self._flush_markers(token.map[0], out)
            kind = token.type
            if kind == "heading_open":
                out.append(RawHeading(int(token.tag[1]), self.inline(tokens[i + 1])))
                i += 3
            elif kind == "paragraph_open":
                inline = tokens[i + 1]
                out.append(
                    RawParagraph(
                        self.inline(inline), single_line="\n" not in inline.content
                    )
                )
                i += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                close = _closing(tokens, i)
                out.extend(self.list(tokens, i, close))
                i = close + 1
            elif kind == "table_open":
                close = _closing(tokens, i)
                out.append(self.table(tokens, i, close))
                i = close + 1
            elif kind == "blockquote_open":
                close = _closing(tokens, i)
                out.extend(self.blocks(tokens, i + 1, close))
                i = close + 1
            elif kind in ("code_block", "fence"):
                if token.content.strip():
                    out.append(RawParagraph(html.escape(token.content, quote=False)))
                i += 1
            elif kind == "html_block":
                blocks, notes = html_reader.read_fragment(token.content)
                out.extend(blocks)
                self.notes.extend(notes)
                i += 1
            elif token.nesting == 1:  # anything else that opens: read inside it
                close = _closing(tokens, i)
                out.extend(self.blocks(tokens, i + 1, close))
                i = close + 1
            else:
                i += 1
        return out

    def list(self, tokens, start: int, close: int) -> list[RawBlock]:
        items: list[str] = []
        after: list[RawBlock] = []
        notes: list[RawNote] = []
        i = start + 1
        while i < close:
            if tokens[i].type != "list_item_open":
                i += 1
                continue
            item_close = _closing(tokens, i)
            blocks = self.blocks(tokens, i + 1, item_close)
            text = [b.html for b in blocks if isinstance(b, RawParagraph | RawHeading)]
            if text:
                items.append(" ".join(text))
            list_item_blocks(
                [b for b in blocks if not isinstance(b, RawParagraph | RawHeading)],
                items,
                after,
                notes,
            )
            i = item_close + 1
        ordered = tokens[start].type == "ordered_list_open"
        return [RawList(ordered, items, dedupe(notes)), *after]

    def table(self, tokens, start: int, close: int) -> RawTable:
        header: list[list[str]] = []
        rows: list[list[str]] = []
        target = rows
        row: list[str] = []
        for i in range(start + 1, close):
            token = tokens[i]
            kind = token.type
            if kind == "thead_open":
                target = header
            elif kind == "tbody_open":
                target = rows
            elif kind == "tr_open":
                row = []
            elif kind == "tr_close":
                target.append(row)
            elif kind == "inline":
                row.append(self.inline(token))
        info = self.tables.get(tokens[start].map[0]) if tokens[start].map else None
        return RawTable(
            None,
            header,
            rows,
            list(info.notes) if info else [],
            swallow_check=True,
            widen=False,
        )


def _closing(tokens, start: int) -> int:
    """The index of the token that closes the one at `start`."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def infer_headings(stream: list[RawBlock]) -> None:
    """Take standalone title-case lines for headings (once sanitised).

    Only for a single-line paragraph followed by a paragraph, list or table;
    see `text.looks_like_heading` for what reads as a heading.
    """
    following: list[RawBlock | None] = [None] * len(stream)
    after = None
    for index in range(len(stream) - 1, -1, -1):
        following[index] = after
        if not isinstance(stream[index], Marker):
            after = stream[index]
    for index, block in enumerate(stream):
        if not isinstance(block, RawParagraph) or not block.single_line:
            continue
        if not isinstance(following[index], RawParagraph | RawList | RawTable):
            continue
        emphasised = _wholly_emphasised(block.html)
        if not looks_like_heading(block.text, emphasised=emphasised):
            continue
        heading = RawHeading(2, block.html, inferred=True, text=block.text)
        heading.notes.append(
            RawNote(
                "heading-inferred",
                "",
                f"The line “{block.text}” stands alone"
                + (" in bold" if emphasised else ", in title case,")
                + " with no closing punctuation, so it was taken as a heading.",
            )
        )
        heading.notes.extend(block.notes)
        stream[index] = heading


def _wholly_emphasised(fragment: str) -> bool:
    for tag in ("strong", "b", "em", "i"):
        opening, closing = f"<{tag}>", f"</{tag}>"
        if (
            fragment.startswith(opening)
            and fragment.endswith(closing)
            and fragment.count(opening) == 1
        ):
            return True
    return False
