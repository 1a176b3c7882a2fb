"""The flat stream of blocks that both parsers produce, before repairs.

A parser turns its source into headings, paragraphs, lists, tables and
markers, in reading order, holding raw (balanced, not yet sanitised) inline
HTML. `sanitize_stream` then cleans every fragment to the allow-list at once;
the repairs in `repair.py` work on the cleaned stream and `assemble.py` turns
it into sections.

A note made here has a `where` relative to its block ("row 3, column 2"); the
section and block numbers are put in front once the final structure is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..sanitize import NEEDS_CLEANING as _MARKUP
from ..sanitize import clean_inline, plain_text
from .document import BulletList, Paragraph, Table

SEPARATOR = "\ue000"  # a private-use character: never markup, kept by nh3
# Elements whose content html5ever does not read as markup, or moves about:
# a fragment holding one is cleaned on its own, never in a batch. (ASCII
# case-insensitive, as `str.lower` is on these names.)
_UNBATCHABLE = re.compile(
    "<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext|"
    "noscript|template|select|table|svg|math|option)",
    re.IGNORECASE | re.ASCII,
)

# Bold and italic tags as the sanitiser writes them (group 1: a closing tag).
_SIMPLE_TAG = re.compile(r"<(/?)(b|strong|i|em)>")


@dataclass(slots=True)
class RawNote:
    code: str
    where: str  # relative to the block: "", "header", "row 3, column 2"...
    message: str


@dataclass(slots=True)
class RawHeading:
    level: int
    html: str
    notes: list[RawNote] = field(default_factory=list)
    inferred: bool = False  # a plain line taken for a heading
    text: str = ""  # filled by sanitize_stream


@dataclass(slots=True)
class RawParagraph:
    html: str
    notes: list[RawNote] = field(default_factory=list)
    single_line: bool = False  # markdown: one source line (may be a heading)
    length: int = 0  # HTML: the text's length before sanitising
    text: str = ""


@dataclass(slots=True)
class RawList:
    ordered: bool
    items: list[str]
    notes: list[RawNote] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RawTable:
    """Header rows and body rows of inline HTML cells, spans already expanded.

    `swallow_check` asks for the text heuristic for a last cell that swallowed
    what followed the table (markdown, where the source gives no structure to
    go by; the HTML parser splits such cells by their elements instead).
    `widen`: rows longer than the header add columns (HTML) rather than being
    cut to the header's width (GFM).
    """

    caption: str | None
    header: list[list[str]]
    rows: list[list[str]]
    notes: list[RawNote] = field(default_factory=list)
    header_inferred: bool = False
    swallow_check: bool = False
    widen: bool = True
    header_texts: list[list[str]] = field(default_factory=list)
    texts: list[list[str]] = field(default_factory=list)
    # Per header row, its cells written over several columns (HTML colspan),
    # as (first column, count): each is copied into every column it spans.
    header_spans: list[list[tuple[int, int]]] = field(default_factory=list)


@dataclass(slots=True)
class Marker:
    """A place in the stream with no content: something dropped or missing.

    kind "stray-pipes": a line of nothing but "|" (a table begun and cut off,
    or debris); kind "note": only carries notes (e.g. an empty table dropped).
    """

    kind: str
    notes: list[RawNote] = field(default_factory=list)


RawBlock = RawHeading | RawParagraph | RawList | RawTable | Marker


@dataclass(slots=True)
class Built:
    """A finished block (after repairs) and the notes about it."""

    block: Paragraph | BulletList | Table
    notes: list[RawNote]
    text: str = ""  # a paragraph's plain text


Item = Built | RawHeading | Marker


def list_item_blocks(
    blocks: list[RawBlock],
    items: list[str],
    after: list[RawBlock],
    notes: list[RawNote],
) -> None:
    """Fit what a list item held besides its text into its list.

    A nested list's items join `items` (flattened, noted); a table (or a
    marker) goes to `after`, to follow the list (noted).
    """
    for block in blocks:
        if isinstance(block, RawList):
            items.extend(block.items)
            notes.append(
                RawNote(
                    "nested-list-flattened",
                    "",
                    "A list inside this list was flattened: its items follow "
                    "the item they belonged to. Check the order still reads well.",
                )
            )
            notes.extend(block.notes)
        elif isinstance(block, RawTable | Marker):
            after.append(block)
            if isinstance(block, RawTable):
                notes.append(
                    RawNote(
                        "table-moved-out-of-list",
                        "",
                        "A table inside a list item was moved after the list.",
                    )
                )


def holds_any(text: str, characters: str) -> bool:
    """Whether `text` holds any of `characters`: a scan in C for each, much
    quicker on a long paragraph than a pattern of them all."""
    for character in characters:
        if character in text:
            return True
    return False


def needs_cleaning(text: str) -> bool:
    """Whether `_MARKUP` is found in `text`: in printable text (most), told by
    three scans in C, quicker than the pattern's, as of its characters only
    `<`, `>` and `&` are printable."""
    if text.isprintable():
        return "<" in text or ">" in text or "&" in text
    return _MARKUP.search(text) is not None


def dedupe(notes: list[RawNote]) -> list[RawNote]:
    """The notes without repeats of the same code at the same place."""
    seen, kept = set(), []
    for note in notes:
        key = (note.code, note.where)
        if key not in seen:
            seen.add(key)
            kept.append(note)
    return kept


def clean_fragments(fragments: list[str]) -> list[str]:
    """Return each fragment as `clean_inline` does, in few calls.

    Plain text (no `<`, `&`, `>`, no-break space, byte-order mark or control
    character) holds no markup, so it only has its whitespace collapsed,
    which is all `clean_inline` would do (a property test checks this). So
    does text whose only markup is bold and italic tags as the allow-list
    writes them (`_simple_text`), the commonest. The other fragments,
    balanced, are cleaned together, joined by a separator that the sanitiser
    keeps; the result is the same as cleaning them one by one.
    """
    return _clean_fragments(fragments)[0]


def _clean_fragments(
    fragments: list[str],
) -> tuple[list[str], list[int], dict[int, str]]:
    """`clean_fragments`; the indexes of the fragments the sanitiser cleaned;
    and the plain text of those with simple markup, by index. (The text of
    the others is the cleaned fragment's, or from `plain_fragments`.)"""
    result = list(fragments)
    sanitised, texts = [], {}
    for i, fragment in enumerate(fragments):
        collapsed = _collapsed(fragment)
        if collapsed and not holds_any(fragment, "<>&"):
            continue  # clean already, as most are (see `_collapsed`)
        if not collapsed:
            result[i] = " ".join(fragment.split())
        if not needs_cleaning(fragment):
            continue
        text = _simple_text(fragment)
        if text is None:
            sanitised.append(i)
        else:
            texts[i] = text
    if sanitised:
        cleaned = _batched([fragments[i] for i in sanitised], clean_inline)
        for i, fragment in zip(sanitised, cleaned, strict=True):
            result[i] = fragment
    return result, sanitised, texts


def _simple_text(fragment: str) -> str | None:
    """The plain text of a fragment whose only markup is `<b>`, `<strong>`,
    `<i>` and `<em>` tags, without attributes, balanced and properly nested,
    which the sanitiser keeps as they are (a property test checks this);
    else None."""
    opened = []
    for match in _SIMPLE_TAG.finditer(fragment):
        if match.group(1):  # a closing tag
            if not opened or opened.pop() != match.group(2):
                return None
        else:
            opened.append(match.group(2))
    if opened:
        return None
    text = _SIMPLE_TAG.sub("", fragment)
    return None if needs_cleaning(text) else " ".join(text.split())


def _collapsed(text: str) -> bool:
    """Whether `text` has its whitespace collapsed already: every whitespace
    character is a space, never two together nor at either end. Told by
    scans in C, quicker than splitting a long paragraph into its words to
    join them again, or `_MARKUP` searching it: printable text holds no
    other whitespace, nor any character of `_MARKUP` but `<`, `>` and `&`."""
    return (
        text.isprintable()
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


def plain_fragments(cleaned: list[str], marked: list[int] | None = None) -> list[str]:
    """Return the plain text of each cleaned fragment (see `plain_text`).

    `marked`, when given, are the indexes of the only fragments that may hold
    markup.
    """
    result = list(cleaned)
    if marked is None:
        marked = range(len(cleaned))
    todo = []
    for i in marked:
        fragment = cleaned[i]
        if not needs_cleaning(fragment):
            continue
        text = _simple_text(fragment)
        if text is None:
            todo.append(i)
        else:
            result[i] = text
    if todo:
        texts = _batched([cleaned[i] for i in todo], plain_text)
        for i, text in zip(todo, texts, strict=True):
            result[i] = text
    return result


def _batched(fragments: list[str], function) -> list[str]:
    result: list[str | None] = [None] * len(fragments)
    batch: list[int] = []
    for i, fragment in enumerate(fragments):
        if SEPARATOR in fragment or _unbatchable(fragment):
            result[i] = function(fragment)
        else:
            batch.append(i)
    if batch:
        parts = function(SEPARATOR.join(fragments[i] for i in batch)).split(SEPARATOR)
        if len(parts) == len(batch):
            for i, part in zip(batch, parts, strict=True):
                result[i] = part.strip()
        else:  # the batch did not survive cleaning intact: go one by one
            for i in batch:
                result[i] = function(fragments[i])
    return result  # type: ignore[return-value]


def _unbatchable(fragment: str) -> bool:
    if fragment.startswith("\ufeff"):
        return True  # html5ever drops a byte-order mark only at the very start
    return "<" in fragment and _UNBATCHABLE.search(fragment) is not None


def sanitize_stream(stream: list[RawBlock]) -> None:
    """Clean every fragment of the stream in place and fill in its plain text.

    A table whose cells are all clean already (`_clean_already`), as most
    are, is only copied: its cells are their own plain text.
    """
    blocks: list[RawBlock] = []  # those whose fragments need cleaning
    fragments: list[str] = []
    for block in stream:
        if isinstance(block, RawHeading | RawParagraph):
            fragments.append(block.html)
        elif isinstance(block, RawList):
            fragments.extend(block.items)
        elif isinstance(block, RawTable):
            if _clean_already([*block.header, *block.rows]):
                block.header_texts = [list(row) for row in block.header]
                block.texts = [list(row) for row in block.rows]
                block.header = [list(row) for row in block.header]
                block.rows = [list(row) for row in block.rows]
                continue
            for row in block.header:
                fragments.extend(row)
            for row in block.rows:
                fragments.extend(row)
        else:
            continue
        blocks.append(block)
    cleaned, sanitised, known = _clean_fragments(fragments)
    texts = plain_fragments(cleaned, sanitised)
    for i, text in known.items():
        texts[i] = text
    position = 0
    for block in blocks:
        if isinstance(block, RawHeading | RawParagraph):
            block.html, block.text = cleaned[position], texts[position]
            position += 1
        elif isinstance(block, RawList):
            end = position + len(block.items)
            block.items, block.texts = cleaned[position:end], texts[position:end]
            position = end
        else:
            block.header, block.header_texts, position = _take_rows(
                block.header, cleaned, texts, position
            )
            block.rows, block.texts, position = _take_rows(
                block.rows, cleaned, texts, position
            )


def _clean_already(rows: list[list[str]]) -> bool:
    """Whether every cell is plain text with its whitespace collapsed, which
    `clean_inline` and `plain_text` return unchanged; told by a few searches
    over all the cells at once.

    Plain: no markup (see `clean_fragments`). Collapsed: every whitespace
    character is a space (any other is not printable), never two together
    nor at either end of a cell.
    """
    text = "".join(map("".join, rows))
    if not text.isprintable() or holds_any(text, "<>&"):  # (see `needs_cleaning`)
        return False
    parted = "\x00".join(map("\x00".join, rows))
    return not (
        "  " in parted
        or " \x00" in parted
        or "\x00 " in parted
        or parted.startswith(" ")
        or parted.endswith(" ")
    )


def _take_rows(rows, cleaned, texts, position):
    """The rows' cleaned cells and their texts, from `position` on; and the
    position after them."""
    html_rows, text_rows = [], []
    for row in rows:
        end = position + len(row)
        html_rows.append(cleaned[position:end])
        text_rows.append(texts[position:end])
        position = end
    return html_rows, text_rows, position
