"""Read markdown or plain text (markdown-it-py, GFM tables) into the block stream.

Legacy text is first made readable by `legacy.prepare` (pipe tables found
and normalised, paragraph breaks put back, stray pipes marked); markdown-it
then reads it, with its GFM table rule, inline content parsed on demand. The
tables `prepare` found keep the cells it split (`_legacy_table`), and a lone
line of text is read as a paragraph before the other rules are tried
(`_paragraph_line`): the same tokens, sooner.

After sanitising, `infer_headings` takes standalone title-case lines for
headings when the document has no markdown headings at all.
"""

from __future__ import annotations

import html
import re

from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, mdTrim
from markdown_it.rules_block import table as gfm_table
from markdown_it.token import Token

from ..sanitize import clean_inline
from . import html as html_reader
from .document import ImportRefused
from .grid import Cell
from .html_table import flattening_notes
from .legacy import Prepared, prepare
from .pipe_table import PipeTable
from .stream import (
    Marker,
    RawBlock,
    RawHeading,
    RawList,
    RawNote,
    RawParagraph,
    RawTable,
    dedupe,
    holds_any,
    list_item_blocks,
)
from .text import looks_like_heading

# Characters that may start inline markdown; text without them is plain.
_INLINE_SYNTAX = "*_\n\\`~[!<&"
# Bold words, `**x y**`, between spaces (or the ends); and any other syntax.
_PLAIN_STRONG = re.compile(r"(?<![^ ])\*\*([A-Za-z0-9]+(?: [A-Za-z0-9]+)*)\*\*(?![^ ])")
_NOT_STRONG = _INLINE_SYNTAX.replace("*", "")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
_UNDERLINE = re.compile(r" {0,3}-+[ \t]*$")
_PARTING_TAGS = html_reader.BLOCK_TAGS | {"br"}
# markdown-it's nesting limit (a quotation is one level, a list and its item
# two). Past it, markdown-it skips the rest of the quotation or list item,
# and for a list item all that follows it in the document, raising nothing:
# `read` refuses such a text instead. (The commonmark preset's 20 lost all
# that followed a list nested 10 deep.)
MAX_NESTING = 100
# Tokens whose content markdown-it reads one level deeper, as blocks.
_CONTAINERS = ("blockquote_open", "list_item_open")
# Tokens that are a block on their own (`_Walker.leaf`).
_LEAVES = frozenset(
    ("paragraph_line", "plain_list", "code_block", "fence", "html_block")
)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.core.ruler.at("normalize", _normalize)
    md.block.ruler.at("table", _table, {"alt": ["paragraph", "reference"]})
    md.block.ruler.before("table", "paragraph_line", _paragraph_line)
    md.block.ruler.before("table", "plain_list", _plain_list)
    # Inline content is parsed on demand (most table cells are plain text).
    md.core.ruler.disable(["inline", "text_join"])
    return md


def _normalize(state) -> None:
    """markdown-it's rule, without its regular expressions: line ends made
    `\\n` and NUL characters U+FFFD. (`source.decode` has already done both,
    so this usually only looks.)"""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


def _paragraph_line(state, start: int, end: int, silent: bool) -> bool:
    """A shortcut for the commonest block of legacy text: at the top level, a
    line starting with a letter, followed by a blank line or the end, is a
    paragraph, as markdown-it's paragraph rule reads it. One token of our own,
    `paragraph_line`, holds its text: `_Walker` reads it as it reads the
    paragraph's three.

    No other rule can take it: each needs an indent, a first character that
    is not a letter (`#`, `>`, `-`, `1.`, `<`, `[`, a fence, `|`...) or a
    following line (a table's delimiter row, a heading's underline).
    """
    if silent or state.level or state.blkIndent or state.tShift[start]:
        return False
    if not state.src[state.bMarks[start]].isalpha():
        return False
    following = start + 1
    if following < state.lineMax and not state.isEmpty(following):
        return False
    state.line = following
    token = state.push("paragraph_line", "p", 0)
    token.content = mdTrim(state.src[state.bMarks[start] : state.eMarks[start]])
    token.map = [start, following]
    return True


def _plain_list(state, start: int, end: int, silent: bool) -> bool:
    """A shortcut for the commonest list of legacy text: at the top level,
    lines that each start with "- " and a letter, up to a blank line or the
    end, is a tight list of one-line items, as markdown-it's list rule reads
    it (each item a paragraph). One token of our own, `plain_list`, holds the
    items' text (`meta["items"]`): `_Walker` reads it as it reads the list's
    tokens.

    It only applies when nothing can make the lines anything else: no rule
    takes a line starting with "-" and a space before the list rule but a
    table's (which needs a delimiter row, here an item), an item starting
    with a letter is a paragraph, and what follows the blank line neither
    continues the last item (indented) nor the list (a "-").
    """
    if silent or state.level or state.blkIndent or state.sCount[start]:
        return False
    src, begins, ends = state.src, state.bMarks, state.eMarks
    line = start
    while line < end and not state.isEmpty(line):
        begin, finish = begins[line], ends[line]
        if (
            state.sCount[line]
            or finish - begin < 3
            or not src.startswith("- ", begin)
            or not src[begin + 2].isalpha()
            or src[finish - 1].isspace()
        ):
            return False
        line += 1
    following = state.skipEmptyLines(line)
    if following < end and src[begins[following]] in " \t-":
        return False
    token = state.push("plain_list", "ul", 0)
    token.markup = "-"
    token.map = [start, line]
    items = [src[begins[number] + 2 : ends[number]] for number in range(start, line)]
    token.meta = {"items": items}
    state.line = line
    return True


def _table(state, start: int, end: int, silent: bool) -> bool:
    """markdown-it's GFM table rule, but a line of only `-` under a line makes
    it a heading, as in cmark-gfm (which tries headings before tables).

    A table `legacy.prepare` found and rewrote is not split into cells again:
    at the top level, where markdown-it reads exactly its rewritten rows (they
    are fenced by blank lines and start with `|`), its cells are taken as
    written (`_legacy_table`).
    """
    tables = state.env.get(_PIPE_TABLES)
    if (
        tables
        and not silent
        and start in tables
        and state.level == 0
        and state.blkIndent == 0
        and state.sCount[start] == 0
    ):
        return _legacy_table(state, start, tables[start])
    if start + 1 < end:
        following = state.src[state.bMarks[start + 1] : state.eMarks[start + 1]]
        if _UNDERLINE.match(following):
            return False
    return gfm_table(state, start, end, silent)


def _legacy_table(state, start: int, table: PipeTable) -> bool:
    """Read a rewritten pipe table as markdown-it's table rule would (the
    same lines, the same cells: an escaped `\\|` unescaped), in two tokens:
    `table_open` holds the cells in its `meta`."""
    end = start + 1 + len(table.rows)  # the header, delimiter and body rows
    token = state.push("table_open", "table", 1)
    token.map = [start, end]
    cells = table.rows
    if "\\|" in "".join(map("".join, cells)):
        cells = [[_unescape_pipes(cell) for cell in row] for row in cells]
    token.meta = {"cells": cells}
    state.push("table_close", "table", -1)
    state.line = end
    return True


def _unescape_pipes(cell: str) -> str:
    return cell.replace("\\|", "|") if "\\|" in cell else cell


_MD = _parser()
# The key in markdown-it's env of the pipe tables `legacy.prepare` rewrote.
_PIPE_TABLES = "newsroom_pipe_tables"


def read(text: str) -> tuple[list[RawBlock], list[RawNote], bool]:
    """Read markdown or plain text: the blocks, document notes, and whether
    the document marks its headings (so plain lines are not taken for them).

    Raises ImportRefused for quotations or lists nested past MAX_NESTING.
    """
    prepared = prepare(text)
    env: dict = {}
    if "\r" not in text and "\0" not in text:  # lines as markdown-it splits them
        env[_PIPE_TABLES] = prepared.tables
    tokens = _MD.parse(prepared.text, env)
    if any(
        token.level >= MAX_NESTING - 1 and token.type in _CONTAINERS for token in tokens
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

    def inline(self, content: str, cells: list[Cell] | None = None) -> str:
        """The inline HTML of inline markdown; in a table cell when `cells` is given.

        Where raw HTML parts blocks (`<br>`, `<li>`, `<p>`...), the words
        either side stay apart. A cell holding such HTML is read as an HTML
        table's cell is (a list's items joined by "; ") and added to `cells`.
        """
        if not holds_any(content, _INLINE_SYNTAX):  # no "&" nor "<" either
            return content.replace(">", "&gt;") if ">" in content else content
        strong = _plain_strong(content)
        if strong is not None:
            return strong
        children: list = []
        _MD.inline.parse(content, _MD, self.env, children)
        raw = parts = False
        for child in children:
            if child.type == "text_special":
                child.type = "text"
            elif child.type == "html_inline":
                raw = True
                parts = parts or _parts_blocks(child.content)
        if parts and cells is None:
            children = _with_breaks(children)
        rendered = _MD.renderer.renderInline(children, _MD.options, self.env)
        if parts and cells is not None:
            cell, notes = html_reader.read_cell(rendered)
            self.notes.extend(notes)
            cells.append(cell)
            rendered = cell.html
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
            if top and self.next_marker < len(self.markers):  # (most have none)
                if token.map and token.nesting >= 0:
                    self._flush_markers(token.map[0], out)
            kind = token.type
            if kind == "heading_open":
                out.append(
                    RawHeading(int(token.tag[1]), self.inline(tokens[i + 1].content))
                )
                i += 3
            elif kind == "paragraph_open":
                inline = tokens[i + 1]
                out.append(
                    RawParagraph(
                        self.inline(inline.content),
                        single_line="\n" not in inline.content,
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
            elif kind in _LEAVES:
                out.extend(self.leaf(token))
                i += 1
            elif token.nesting == 1:  # anything else that opens: read inside it
                close = _closing(tokens, i)
                out.extend(self.blocks(tokens, i + 1, close))
                i = close + 1
            else:
                i += 1
        return out

    def leaf(self, token) -> list[RawBlock]:
        """The blocks of a token that stands alone (see `_LEAVES`)."""
        kind = token.type
        if kind == "paragraph_line":  # see `_paragraph_line`
            return [RawParagraph(self.inline(token.content), single_line=True)]
        if kind == "plain_list":  # see `_plain_list`
            return [RawList(False, [self.inline(item) for item in token.meta["items"]])]
        if kind == "html_block":
            blocks, notes = html_reader.read_fragment(token.content)
            self.notes.extend(notes)
            return blocks
        if token.content.strip():  # code
            return [RawParagraph(html.escape(token.content, quote=False))]
        return []

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
        cells: list[Cell] = []  # those read as HTML cells
        written = tokens[start].meta.get("cells")
        if written:  # a pipe table legacy.prepare rewrote (see `_legacy_table`)
            plain = _plain_cells(written)
            if plain is None:
                plain = [[self.inline(cell, cells) for cell in row] for row in written]
            header, rows = plain[:1], plain[1:]
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
                row.append(self.inline(token.content, cells))
        info = self.tables.get(tokens[start].map[0]) if tokens[start].map else None
        return RawTable(
            None,
            header,
            rows,
            [*(info.notes if info else []), *flattening_notes([cells])],
            swallow_check=True,
            widen=False,
        )


def _plain_strong(content: str) -> str | None:
    """The inline HTML of text whose only markup is bold words (`a **b c** d`),
    as markdown-it renders it; else None.

    A shortcut for legacy text's commonest markup. Between spaces, each `**`
    before a letter or digit opens and each after one closes, in turn, and
    nothing else in the text is syntax: markdown-it makes each pair <strong>
    and escapes the text around (`"` too, unlike plain text).
    """
    if holds_any(content, _NOT_STRONG):
        return None
    parts = _PLAIN_STRONG.split(content)  # text, bold, text, ..., text
    if any("*" in text for text in parts[::2]):
        return None
    return "".join(
        f"<strong>{part}</strong>" if index % 2 else escapeHtml(part)
        for index, part in enumerate(parts)
    )


def _plain_cells(rows: list[list[str]]) -> list[list[str]] | None:
    """The cells' inline HTML if no cell holds inline syntax, else None.

    Most cells of legacy tables are plain words and figures: then each is its
    text escaped, as `_Walker.inline` would make it, found in one search over
    the whole table rather than one per cell.
    """
    text = "".join(map("".join, rows))
    if holds_any(text, _INLINE_SYNTAX):
        return None
    if ">" in text:  # the only character left that escaping changes
        return [[cell.replace(">", "&gt;") for cell in row] for row in rows]
    return [list(row) for row in rows]


def _parts_blocks(tag: str) -> bool:
    """Whether a raw HTML tag parts blocks (or lines), so words either side."""
    match = _TAG_NAME.match(tag)
    return bool(match) and match.group(1).lower() in _PARTING_TAGS


def _with_breaks(children: list) -> list:
    """The inline tokens with a line break after each tag that parts blocks
    (the sanitiser drops the tag, the break keeps the words apart)."""
    result = []
    for child in children:
        result.append(child)
        if child.type == "html_inline" and _parts_blocks(child.content):
            result.append(Token("softbreak", "br", 0))
    return result


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
    if not fragment.startswith("<"):
        return False  # (most lines)
    for tag in ("strong", "b", "em", "i"):
        opening, closing = f"<{tag}>", f"</{tag}>"
        if (
            fragment.startswith(opening)
            and fragment.endswith(closing)
            and fragment.count(opening) == 1
        ):
            return True
    return False
