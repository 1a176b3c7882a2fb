"""The line pre-processor that makes legacy text readable as markdown.

Legacy text is rarely strict markdown. Before markdown-it reads it:

- A pipe table is a header row line, a delimiter row line (`|---|:-:|`) with
  as many cells, then its rows. It is found wherever it stands (straight
  after a list item or a paragraph, where strict GFM misses it), rewritten
  with one cell per column and fenced by blank lines, so that markdown-it's
  GFM table rule reads exactly those rows. Ragged rows are padded (missing
  cells) or trimmed (extra cells, as GFM ignores them; the note keeps their
  text), and empty cells after the last column, stray `|`s, are dropped
  (`pipe_table` does the rewriting).
  Prose that merely holds a `|` has no delimiter row and stays prose.
- Rows end as GFM says (a blank line or the start of another block) in a
  document that separates its paragraphs with blank lines. In one that does
  not, a table also ends at the first line without a `|`, which there is the
  next paragraph or heading.
- A document whose paragraphs are not separated by blank lines, one per line,
  has a blank line put between its lines (not inside lists or pipe lines).
- A line of nothing but `|` is dropped and left as a marker: a table begun
  and cut off, or debris.

Cells are split at unescaped pipes exactly as markdown-it splits them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .pipe_table import PipeTable, empty_table_note, rewrite
from .stream import Marker, RawNote

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A line that starts a block other than a paragraph (GFM ends a table there).
_BLOCK_START = re.compile(
    r"^ {0,3}(?:>|#{1,6}(?:\s|$)|`{3,}|~{3,}|[-*+](?:\s|$)|\d{1,9}[.)](?:\s|$)"
    r"|<[A-Za-z/!?]|(?:[-*_])(?:\s*[-*_]){2,}\s*$)"
)
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
_DELIMITER_CELL = re.compile(r"^:?-+:?$")
_PIPE = re.compile(r"\|")
_SENTENCE_END = (".", "!", "?", ":", '"', "”", "’", ")")
LONG_LINE = 100  # characters: longer lines are not hard-wrapped text


@dataclass
class Prepared:
    text: str
    tables: dict[int, PipeTable]  # by the line of the rewritten header row
    markers: list[tuple[int, Marker]]  # by line, in order
    notes: list[RawNote]  # about the whole document


def split_row(line: str) -> list[str]:
    """Split a table row at unescaped pipes, as markdown-it does (cells raw)."""
    text = line.strip()
    cells, start = [], 0
    for match in _PIPE.finditer(text):
        position = match.start()
        if position and text[position - 1] == "\\":
            continue
        cells.append(text[start:position])
        start = position + 1
    cells.append(text[start:])
    if cells and cells[0] == "" and text.startswith("|"):
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return [cell.strip() for cell in cells]


def delimiter_width(line: str) -> int | None:
    """The number of cells of a delimiter row (`|---|:-:|`), else None.

    markdown-it's rule, except that empty cells are also allowed at the end,
    where stray pipes make them.
    """
    text = line.strip()
    if len(text) < 2 or text[0] not in "|-:" or "-" not in text:
        return None
    if text[0] == "-" and text[1] in " \t":
        return None  # a list item
    if text.strip("|-: \t"):
        return None
    cells = [cell.strip() for cell in text.split("|")]
    if cells and not cells[0]:
        cells.pop(0)
    while cells and not cells[-1]:
        cells.pop()
    if not cells or not all(_DELIMITER_CELL.match(cell) for cell in cells):
        return None
    return len(cells)


def _has_pipe(line: str) -> bool:
    for match in _PIPE.finditer(line):
        if not match.start() or line[match.start() - 1] != "\\":
            return True
    return False


def _only_pipes(line: str) -> bool:
    return "|" in line and not line.strip("| \t")


def _table_width(header: list[str], count: int) -> bool:
    """Whether the header and delimiter rows agree (GFM), or would but for
    stray empty cells at the end of the header."""
    if len(header) == count:
        return True
    filled = len(header)
    while filled and not header[filled - 1]:
        filled -= 1
    return filled < len(header) and 0 < filled <= count


def _is_prose(line: str) -> bool:
    return bool(
        line.strip()
        and not line[:1].isspace()
        and not _BLOCK_START.match(line)
        and not _has_pipe(line)
    )


def prepare(text: str) -> Prepared:
    """Find and normalise pipe tables and paragraph breaks (see the module doc)."""
    lines = text.split("\n")
    fenced = _fenced_lines(lines)
    strict, per_line = _layout(lines, fenced)
    out: list[str] = []
    tables: dict[int, PipeTable] = {}
    markers: list[tuple[int, Marker]] = []
    notes: list[RawNote] = []
    count = len(lines)
    i = 0
    while i < count:
        line = lines[i]
        if fenced[i]:
            out.append(line)
            i += 1
            continue
        header = _table_start(lines, fenced, i)
        if header is not None:
            end = _table_end(lines, fenced, i + 2, strict)
            rows = [split_row(row) for row in lines[i + 2 : end]]
            out.append("")
            table = rewrite(header, delimiter_width(lines[i + 1]), rows, out)
            if table is None:
                markers.append((len(out), Marker("note", [empty_table_note()])))
            else:
                tables[len(out) - len(rows) - 2] = table
            out.append("")
            i = end
            continue
        if _only_pipes(line):
            out.append("")
            markers.append((len(out) - 1, Marker("stray-pipes")))
            i += 1
            continue
        if per_line and out and out[-1].strip() and _break_between(out[-1], line):
            out.append("")
        out.append(line)
        i += 1
    if per_line:
        notes.append(
            RawNote(
                "line-breaks-as-paragraphs",
                "",
                "The text had no blank lines between its paragraphs: each line "
                "was taken as a paragraph (or a heading, or a list item).",
            )
        )
    return Prepared("\n".join(out), tables, markers, notes)


def _fenced_lines(lines: list[str]) -> list[bool]:
    """Which lines are inside (or open or close) a fenced code block."""
    fenced = [False] * len(lines)
    opening = None
    for number, line in enumerate(lines):
        match = _FENCE.match(line) if "`" in line or "~" in line else None
        if opening is None:
            if match:
                opening = match.group(1)
                fenced[number] = True
        else:
            fenced[number] = True
            if (
                match
                and match.group(1)[0] == opening[0]
                and len(match.group(1)) >= len(opening)
            ):
                if not line.strip().strip(opening[0]):
                    opening = None
    return fenced


def _layout(lines: list[str], fenced: list[bool]) -> tuple[bool, bool]:
    """Return (strict, per_line) for the document.

    strict: some blank line separates two paragraphs of prose, so the author
    knew blank lines separate blocks (GFM rules apply to table rows).
    per_line: not strict, and the prose lines are paragraphs, not a
    hard-wrapped text: one is longer than LONG_LINE, or most end a sentence.
    """
    previous_prose = None  # whether the last non-blank line was prose
    blank_since = False
    strict = False
    prose_lines = ends = longest = 0
    for number, line in enumerate(lines):
        if fenced[number]:
            previous_prose, blank_since = False, False
            continue
        if not line.strip():
            blank_since = True
            continue
        prose = _is_prose(line)
        if prose:
            prose_lines += 1
            longest = max(longest, len(line))
            if line.rstrip().endswith(_SENTENCE_END):
                ends += 1
            if previous_prose and blank_since:
                strict = True
        previous_prose, blank_since = prose, False
    if strict or prose_lines < 2:
        return strict, False
    return False, longest > LONG_LINE or ends * 2 >= prose_lines


def _break_between(previous: str, line: str) -> bool:
    """Whether a blank line goes between two lines of a one-line-per-block text."""
    if line[:1].isspace():
        return False  # continues a list item
    if _SETEXT.match(line):
        return False  # underlines a heading
    if _has_pipe(previous) and _has_pipe(line):
        return False  # pipe lines that are not a table stay together, as in GFM
    if _LIST_ITEM.match(line) and (
        _LIST_ITEM.match(previous) or previous[:1].isspace()
    ):
        return False
    return True


def _table_start(lines, fenced, i) -> list[str] | None:
    if i + 1 >= len(lines) or fenced[i + 1]:
        return None
    line = lines[i]
    if "|" not in line or len(line) - len(line.lstrip(" ")) > 3 or line[:1] == "\t":
        return None
    nxt = lines[i + 1]
    if "-" not in nxt or len(nxt) - len(nxt.lstrip(" ")) > 3:
        return None
    delimiter = delimiter_width(nxt)
    if delimiter is None:
        return None
    header = split_row(line)
    if not header or not _table_width(header, delimiter):
        return None
    return header


def _table_end(lines, fenced, j, strict) -> int:
    count = len(lines)
    while j < count:
        line = lines[j]
        if fenced[j] or not line.strip() or _BLOCK_START.match(line):
            break
        if not strict and not _has_pipe(line):
            break
        if not strict and _only_pipes(line):
            following = lines[j + 1] if j + 1 < count else ""
            if not _has_pipe(following) or _only_pipes(following):
                break  # a lone "|" after the table: a table begun and cut off
        if _table_start(lines, fenced, j) is not None:
            break  # the next table starts straight away
        j += 1
    return j
