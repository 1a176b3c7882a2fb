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
  Prose that merely holds a `|` has no delimiter row and stays prose. As in
  GFM, a header line without a `|` over a one-cell delimiter row is a
  one-column table, and a line of only `-` underlines a heading instead.
- Rows end as GFM says (a blank line or the start of another block, an HTML
  block included, but not inline HTML or an autolink opening a row, nor an
  HTML block's start on a line holding cells) in a document that separates
  its paragraphs with blank lines. In one that does not, a table also ends at
  the first line without a `|`, which there is the next paragraph or heading
  (unless a one-column table writes all its rows so).
- A row wrapped over several lines is joined back, noted: lines without a
  `|` directly between two rows, or a row cut between its opening and
  closing `|` (see `_table_rows`).
- A document whose paragraphs are not separated by blank lines, one per line,
  has a blank line put between its lines (not inside lists or pipe lines).
- A line of nothing but `|` is dropped and left as a marker: a table begun
  and cut off, or debris.

Cells are split at unescaped pipes exactly as markdown-it splits them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.rules_block.html_block import HTML_SEQUENCES

from .pipe_table import PipeTable, empty_table_note, joined_row_note, rewrite
from .stream import Marker, RawNote

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A line that starts a block other than a paragraph (GFM ends a table there);
# HTML blocks are told by `_starts_html_block`.
_BLOCK_START = re.compile(
    r"^ {0,3}(?:>|#{1,6}(?:\s|$)|`{3,}|~{3,}|[-*+](?:\s|$)|\d{1,9}[.)](?:\s|$)"
    r"|(?:[-*_])(?:\s*[-*_]){2,}\s*$)"
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
    if "\\|" in text:
        cells, start = [], 0
        for match in _PIPE.finditer(text):
            position = match.start()
            if position and text[position - 1] == "\\":
                continue
            cells.append(text[start:position])
            start = position + 1
        cells.append(text[start:])
    else:  # every pipe splits (the common case)
        cells = text.split("|")
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
    if "|" not in line:
        return False
    if "\\|" not in line:
        return True
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


def _starts_block(line: str) -> bool:
    """Whether the line starts a block other than a paragraph (or a table row)."""
    return bool(_BLOCK_START.match(line)) or _starts_html_block(line)


def _ends_table(line: str) -> bool:
    """Whether the line starts a block, which ends a table as in GFM; but a
    line starting an HTML block that holds cells (`<p>Archive</p> | 2010`)
    goes on with the table, where GFM would lose its cells to the block."""
    if _BLOCK_START.match(line):
        return True
    return _starts_html_block(line) and len(split_row(line)) < 2


def _starts_html_block(line: str) -> bool:
    """Whether the line starts an HTML block, as CommonMark (and markdown-it)
    say: `<div>`, `<!--`, a tag alone on its line... but not inline HTML or an
    autolink followed by text (`<b>Name</b> | 12`, `<https://…> | site`)."""
    text = line.lstrip(" ")
    if not text.startswith("<") or len(line) - len(text) > 3:
        return False
    return any(opening.search(text) for opening, _, _ in HTML_SEQUENCES)


def _blank(line: str) -> bool:
    return not line or line.isspace()  # (no stripped copy of a long line)


def _is_prose(line: str) -> bool:
    if line[:1].isalpha():  # (most lines) no block but a paragraph opens so
        return not _has_pipe(line)
    return bool(
        line
        and not line[:1].isspace()
        and not _has_pipe(line)
        and not _starts_block(line)
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
        header = (  # (a delimiter row has a "-": most lines are not followed by one)
            _table_start(lines, fenced, i)
            if i + 1 < count and "-" in lines[i + 1]
            else None
        )
        if header is not None:
            width = delimiter_width(lines[i + 1])
            end, row_lines, joined = _table_rows(lines, fenced, i + 2, strict, width)
            rows = [split_row(row) for row in row_lines]
            out.append("")
            table = rewrite(header, width, rows, out)
            if table is None:
                markers.append((len(out), Marker("note", [empty_table_note()])))
            else:
                table.notes[:0] = [joined_row_note(*join) for join in joined]
                tables[len(out) - len(rows) - 2] = table
            out.append("")
            i = end
            continue
        if _only_pipes(line):
            out.append("")
            markers.append((len(out) - 1, Marker("stray-pipes")))
            i += 1
            continue
        if per_line and out and not _blank(out[-1]) and _break_between(out[-1], line):
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
        if fenced[number] or line.startswith("|"):  # (a row holds a "|": no prose)
            previous_prose, blank_since = False, False
            continue
        if _blank(line):
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
    if line[:1].isalpha():  # (most lines) neither an underline nor a list item
        return not (_has_pipe(previous) and _has_pipe(line))
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
    """The header's cells if a table starts at line `i`, else None.

    As in GFM, a header line without any `|` is a one-cell header (a
    one-column table), and a line of only `-` under a line underlines a
    heading instead.
    """
    if i + 1 >= len(lines) or "-" not in lines[i + 1] or fenced[i + 1]:
        return None  # (a delimiter row has a "-")
    line = lines[i]
    if len(line) - len(line.lstrip(" ")) > 3 or line[:1] == "\t":
        return None
    nxt = lines[i + 1]
    if len(nxt) - len(nxt.lstrip(" ")) > 3 or _SETEXT.match(nxt):
        return None
    delimiter = delimiter_width(nxt)
    if delimiter is None:
        return None
    if "|" not in line:
        return [line.strip()] if delimiter == 1 and _is_prose(line) else None
    header = split_row(line)
    if not header or not _table_width(header, delimiter):
        return None
    return header


def _table_rows(
    lines, fenced, j, strict, width
) -> tuple[int, list[str], list[tuple[int, str]]]:
    """Read a table's rows from line `j`: where they end, the rows' text, and
    the rows joined from wrapped lines (row number, the text joined).

    A row wrapped over several lines is joined back: one whose next line, or
    up to MAX_WRAPPED lines, holds no `|` and is followed by another row, or
    one without its closing `|` followed by a line without the opening one
    whose cells make up the missing ones. (GFM would read each line as a row,
    or end the table there.)
    """
    count = len(lines)
    rows: list[str] = []
    joined: list[tuple[int, str]] = []
    while j < count:
        line = lines[j]
        if (
            line.startswith("|")
            and line.strip("| \t")
            and not fenced[j]
            and (
                j + 1 == count
                or "-" not in lines[j + 1]  # (as `_table_start` tells first)
                or _table_start(lines, fenced, j) is None
            )
        ):  # most rows: `| a | b |`, to which none of the rules below apply
            rows.append(line)
            j += 1
            continue
        if fenced[j] or not line.strip() or _ends_table(line):
            break
        if rows and not _has_pipe(line):
            wrapped = _wrapped_lines(lines, fenced, j)
            if wrapped:
                text = " ".join(part.strip() for part in lines[j : j + wrapped])
                rows[-1] = _append_to_last_cell(rows[-1], text)
                joined.append((len(rows), text))
                j += wrapped
                continue
        if not strict and not _has_pipe(line) and not _pipeless_rows(rows, width):
            break
        if not strict and _only_pipes(line) and len(split_row(line)) != width:
            following = lines[j + 1] if j + 1 < count else ""
            if not _has_pipe(following) or _only_pipes(following):
                break  # a lone "|" after the table: a table begun and cut off
        if _table_start(lines, fenced, j) is not None:
            break  # the next table starts straight away
        if rows and _completes(rows[-1], line, width):
            rows[-1] = f"{rows[-1].rstrip()} {line.strip()}"
            joined.append((len(rows), line.strip()))
        else:
            rows.append(line)
        j += 1
    return j, rows, joined


def _pipeless_rows(rows: list[str], width: int) -> bool:
    """Whether the table writes its rows without `|`, as only a one-column
    table can (GFM reads such lines as rows, blank lines apart)."""
    return width == 1 and not any(_has_pipe(row) for row in rows)


MAX_WRAPPED = 3  # lines without a "|" that a wrapped row may go on over


def _wrapped_lines(lines, fenced, j) -> int:
    """How many lines from `j` continue the row before them (0 if none do).

    They hold no `|`, start no other block, and are directly followed by a
    row of the table (a line with a `|` that starts no new table).
    """
    for k in range(j, min(j + MAX_WRAPPED, len(lines) - 1) + 1):
        line = lines[k]
        if k > j and _has_pipe(line) and not _only_pipes(line):
            if fenced[k] or _ends_table(line) or _table_start(lines, fenced, k):
                return 0
            return k - j
        if fenced[k] or not line.strip() or _starts_block(line) or _has_pipe(line):
            return 0
    return 0


def _completes(row: str, line: str, width: int) -> bool:
    """Whether `line` is the end of `row`, cut after its opening `|` and before
    its closing one: together their cells make the table's width."""
    line = line.strip()
    if line.startswith("|") or not line.endswith("|"):
        return False  # (most lines: a row of their own)
    row = row.strip()
    if not row.startswith("|"):
        return False
    if row.endswith("|") and not row.endswith("\\|"):
        return False
    return len(split_row(row)) + len(split_row(line)) - 1 == width


def _append_to_last_cell(row: str, text: str) -> str:
    """The row with `text` added to its last cell (before a closing `|`)."""
    row = row.rstrip()
    if row.endswith("|") and not row.endswith("\\|"):
        return f"{row[:-1].rstrip()} {text} |"
    return f"{row} {text}"
