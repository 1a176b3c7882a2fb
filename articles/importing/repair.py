"""Repairs on the sanitised block stream, and its assembly into sections.

Each repair leaves a note with a stable code; `assemble` puts the section
and block numbers in front of each note's place. Table repairs are in
`table_repair`.
"""

from __future__ import annotations

import re

from .document import BulletList, ImportedArticle, Note, Paragraph, Section, Table
from .stream import (
    Built,
    Item,
    Marker,
    RawBlock,
    RawHeading,
    RawList,
    RawNote,
    RawParagraph,
    RawTable,
)
from .table_repair import build_table
from .text import sentence_spans, shorten
from .title import is_navigation_heading

TITLE_MAX = 250  # Article.title
HEADING_MAX = 300  # Section.heading
DERIVED_TITLE_MAX = 120
_ANNOUNCES_TABLE = re.compile(r"\btables?\b", re.IGNORECASE)


def choose_title(
    stream: list[RawBlock], candidates: list[str], name: str, *, markdown: bool
) -> tuple[str, list[Note]]:
    """Return the title and notes on how it was found; may take a heading out.

    Markdown: the first level-1 heading, unless several stand without any
    lower heading (then they are sections); else a first line that reads as
    a heading. HTML: the reader's candidates (h1, og:title, <title>). Else
    the title is derived: from the first heading, the first sentence, or the
    file's name, and noted.
    """
    notes: list[Note] = []
    title = None
    if markdown:
        headings = [b for b in stream if isinstance(b, RawHeading) and b.text]
        firsts = [b for b in headings if b.level == 1]
        if firsts and (len(firsts) == 1 or any(b.level > 1 for b in headings)):
            title = firsts[0].text
            stream.remove(firsts[0])
        elif stream and isinstance(stream[0], RawHeading) and stream[0].inferred:
            title = stream.pop(0).text
            notes.append(
                Note(
                    "title-derived",
                    "title",
                    f"The source has no marked title: its first line, “{title}”, "
                    "was taken as the title. Check it.",
                )
            )
    if title is None:
        title = next((candidate for candidate in candidates if candidate), None)
    if title is None:
        title, how = _derive_title(stream, name)
        if how in (FROM_NAME, FROM_NOTHING):
            notes.append(
                Note(
                    "title-missing",
                    "title",
                    f"No title was found in the source: “{title}”, made from {how}, "
                    "only stands in for it. The editor must write the title.",
                )
            )
        else:
            notes.append(
                Note(
                    "title-derived",
                    "title",
                    f"The source has no title: “{title}” was made from {how}. "
                    "Write a proper title.",
                )
            )
    if len(title) > TITLE_MAX:
        title = shorten(title, TITLE_MAX)
        notes.append(
            Note(
                "title-shortened",
                "title",
                f"The title was longer than {TITLE_MAX} characters and was cut.",
            )
        )
    return title, notes


FROM_NAME = "the file's name"
FROM_NOTHING = "nothing (no heading or text was found)"


def _derive_title(stream: list[RawBlock], name: str) -> tuple[str, str]:
    for block in stream:
        if (
            isinstance(block, RawHeading)
            and 0 < len(block.text) <= HEADING_MAX
            and not is_navigation_heading(block.text)
        ):
            return block.text, "its first heading"
    for block in stream:
        if isinstance(block, RawParagraph) and block.text:
            start, end = sentence_spans(block.text)[0]
            sentence = block.text[start:end].rstrip(".:;, ")
            if sentence:
                return shorten(sentence, DERIVED_TITLE_MAX), "its first sentence"
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ").strip()
    if stem:
        return shorten(stem, DERIVED_TITLE_MAX), FROM_NAME
    return "Untitled import", FROM_NOTHING


def repair_stream(stream: list[RawBlock]) -> list[Item]:
    """Turn the sanitised stream into finished blocks, headings and markers."""
    items: list[Item] = []
    for block in stream:
        if isinstance(block, RawHeading):
            _heading(block, items)
        elif isinstance(block, RawParagraph):
            if block.text:
                items.append(Built(Paragraph(block.html), block.notes, block.text))
        elif isinstance(block, RawList):
            _list(block, items)
        elif isinstance(block, RawTable):
            items.extend(build_table(block))
        else:
            items.append(block)
    return _missing_tables(items)


def _heading(block: RawHeading, items: list[Item]) -> None:
    if not block.text:
        return
    if len(block.text) > HEADING_MAX:
        notes = [
            *block.notes,
            RawNote(
                "heading-too-long",
                "",
                f"A heading of {len(block.text):,} characters (the limit is "
                f"{HEADING_MAX}) was kept as a paragraph.",
            ),
        ]
        items.append(Built(Paragraph(block.html), notes))
        return
    items.append(block)


def _list(block: RawList, items: list[Item]) -> None:
    kept = [item for item, text in zip(block.items, block.texts, strict=True) if text]
    if kept:
        items.append(Built(BulletList(block.ordered, kept), block.notes))
    else:
        notes = [
            *block.notes,
            RawNote("empty-list-dropped", "", "A list with no text was dropped."),
        ]
        items.append(Marker("note", notes))


def announces_table(text: str) -> bool:
    """Whether a paragraph ends by announcing a table ('The table below shows:')."""
    if not text.endswith(":") or not _ANNOUNCES_TABLE.search(text):
        return False  # (then its last sentence cannot)
    spans = sentence_spans(text)
    last = text[spans[-1][0] : spans[-1][1]] if spans else text
    return bool(_ANNOUNCES_TABLE.search(last))


def _missing_tables(items: list[Item]) -> list[Item]:
    """Note tables announced or begun but cut off; never invent them."""
    result: list[Item] = []
    skip = -1
    for index, item in enumerate(items):
        if index == skip:
            continue
        if isinstance(item, Marker) and item.kind == "stray-pipes":
            result.append(
                _table_missing(
                    "A line holding only “|” stood here: a table was begun "
                    "and cut off. Nothing was invented: add the table from "
                    "the original, or ignore this note."
                )
            )
            continue
        result.append(item)
        if not (isinstance(item, Built) and isinstance(item.block, Paragraph)):
            continue
        text = item.text or item.block.text
        if not announces_table(text):
            continue
        following = items[index + 1] if index + 1 < len(items) else None
        if isinstance(following, Built) and isinstance(following.block, Table):
            continue
        if isinstance(following, Marker) and following.kind == "stray-pipes":
            skip = index + 1
        start = sentence_spans(text)[-1][0]
        result.append(
            _table_missing(
                f"The text announces a table (“{shorten(text[start:], 90)}”) "
                "but none follows: it was cut off in the source. Nothing "
                "was invented: add the table from the original, or reword "
                "the sentence."
            )
        )
    return result


def _table_missing(message: str) -> Marker:
    return Marker("note", [RawNote("table-missing", "", message)])


def assemble(
    items: list[Item], title: str, notes: list[Note], source_format: str
) -> ImportedArticle:
    """Group the items into sections and locate every note."""
    sections: list[Section] = []
    located = list(notes)
    current: Section | None = None
    for item in items:
        if isinstance(item, RawHeading):
            current = Section(item.text, [])
            sections.append(current)
            _locate(located, item.notes, f"section {len(sections)}")
        elif isinstance(item, Built):
            if current is None:
                current = Section(None, [])
                sections.append(current)
            current.blocks.append(item.block)
            if item.notes:
                _locate(
                    located,
                    item.notes,
                    f"section {len(sections)}, block {len(current.blocks)}",
                )
        else:
            if current is None:
                where = "start of the article"
            elif current.blocks:
                where = f"section {len(sections)}, after block {len(current.blocks)}"
            else:
                where = f"section {len(sections)}, after its heading"
            _locate(located, item.notes, where)
    return ImportedArticle(title, sections, located, source_format)


def _locate(located: list[Note], notes: list[RawNote], where: str) -> None:
    for note in notes:
        full = f"{where}, {note.where}" if note.where else where
        located.append(Note(note.code, full, note.message))
