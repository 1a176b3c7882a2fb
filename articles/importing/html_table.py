"""Make a RawTable of an HTML data table, noting what was changed to fit.

`html.py` reads each cell by its elements (`_Reader.cell`); here the cells are
laid on a grid (`grid.expand`), the first row is taken as the header when no
row is marked as one, and a heading and paragraphs in a cell of the last row,
text that followed the table, are moved out after it. Any other cell keeps
all it held, joined into its one line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from lxml import etree

from ..sanitize import plain_text
from .grid import Cell, expand, header_rows, row_spans
from .stream import RawBlock, RawHeading, RawList, RawNote, RawParagraph, RawTable
from .text import looks_like_heading


def row_cells(tr) -> list:
    """The row's cell elements (`<td>` and `<th>`), without comments and text."""
    return list(tr.iterchildren("td", "th"))


def layout_note() -> RawNote:
    return RawNote(
        "layout-table-unwrapped",
        "",
        "A table used only to lay out the page was read as text.",
    )


def read_table(table, rows: list, read_cell: Callable[..., Cell]) -> list[RawBlock]:
    """Return the table's RawTable, then the blocks moved out of its cells.

    `rows` are the table's `<tr>` elements in reading order; `read_cell`
    reads one cell element.
    """
    caption = _caption(table)
    header_count = header_rows(table, rows)
    notes: list[RawNote] = []
    inferred = header_count == 0 and bool(rows)
    if inferred:
        header_count = 1
        notes.append(_header_inferred_note())
    plain = _plain_grid(table, rows)
    if plain is not None:
        return [
            RawTable(
                caption,
                plain[:header_count],
                plain[header_count:],
                notes,
                header_inferred=inferred,
                header_spans=[[] for _ in plain[:header_count]],
            )
        ]
    grid, spans = expand([row_cells(tr) for tr in rows], header_count, read_cell)
    if spans:
        notes.append(_span_expanded_note())
    html_grid, split_out = _grid_html(grid, header_count, notes)
    notes.extend(flattening_notes(grid))
    raw = RawTable(
        caption,
        html_grid[:header_count],
        html_grid[header_count:],
        notes,
        header_inferred=inferred,
        header_spans=[row_spans(row) for row in grid[:header_count]],
    )
    return [raw, *split_out]


_ESCAPED = re.compile("[&<>]")
# Whether any cell holds more than text or spans (or, to tell it quickly, a
# comment or processing instruction is anywhere in the table).
_NOT_PLAIN = etree.XPath(
    "boolean(.//td/* | .//th/* | .//comment() | .//processing-instruction()"
    " | .//@*[name() = 'colspan' or name() = 'rowspan'])"
)


def _plain_grid(table, rows: list) -> list[list[str]] | None:
    """The table's cells as inline HTML when every cell is plain text: no
    element (nor comment) inside, no span. Else None.

    Most legacy tables are such, and then there is nothing to lay out or
    split: the grid is the rows as written, each cell its escaped text, as
    `expand` and `_Reader.cell` would make it, read in one pass.
    """
    if _NOT_PLAIN(table):
        return None
    grid = [[cell.text or "" for cell in tr.iterchildren("td", "th")] for tr in rows]
    if _ESCAPED.search("".join(map("".join, grid))):
        escape = html.escape
        grid = [[escape(text, quote=False) for text in row] for row in grid]
    return grid


def _caption(table) -> str | None:
    element = table.find("caption")
    if element is None:
        return None
    return " ".join(element.text_content().split()) or None


def _grid_html(
    grid: list[list[Cell | None]], header_count: int, notes: list[RawNote]
) -> tuple[list[list[str]], list[RawBlock]]:
    """Return the grid's inline HTML, and the blocks moved out of its last row.

    A body cell holding more than a value (`Cell.split`) is text that
    followed the table only on strong evidence: it is in the last row with
    text, holds a heading followed by paragraphs (`run_on_start`), and no
    cell of another row does (else headings in cells are the table's style).
    Its blocks from the heading on are moved out, noted; any other such cell
    keeps all its text, noted too.
    """
    html_grid = [[cell.html if cell else "" for cell in row] for row in grid]
    split_out: list[RawBlock] = []
    body = range(header_count, len(grid))
    last = next((r for r in reversed(body) if any(map(_has_text, grid[r]))), None)
    headed = {
        r
        for r in body
        for cell in grid[r]
        if cell is not None and cell.split and run_on_start(cell.split) is not None
    }
    for r in body:
        for c, cell in enumerate(grid[r]):
            if cell is None or not cell.split:
                continue
            where = (r - header_count + 1, c + 1)
            start = None
            if r == last and headed == {r}:
                start = run_on_start(cell.split)
            if start is None:
                notes.append(_long_cell_kept_note(*where, cell))
                continue
            kept, moved = cell.split[:start], cell.split[start:]
            html_grid[r][c] = joined_html(kept)
            cell.flattened = len(kept) > 1 or any(isinstance(b, RawList) for b in kept)
            split_out.extend(moved)
            notes.append(_split_out_note(*where))
    return html_grid, split_out


def _has_text(cell: Cell | None) -> bool:
    return cell is not None and bool(cell.html.strip())


def run_on_start(blocks: list[RawBlock]) -> int | None:
    """Where text that followed the table starts among a cell's blocks, if it does.

    It starts at a heading element, or at a paragraph that reads as a heading
    (`text.looks_like_heading`) after the cell's own value, and at least one
    paragraph follows it. None when the blocks do not read so.
    """
    for index, block in enumerate(blocks):
        heading = isinstance(block, RawHeading) or (
            index > 0
            and isinstance(block, RawParagraph)
            and looks_like_heading(
                plain_text(block.html), emphasised=_wholly_bold(block.html)
            )
        )
        if heading and any(isinstance(b, RawParagraph) for b in blocks[index + 1 :]):
            return index
    return None


def _wholly_bold(fragment: str) -> bool:
    fragment = fragment.strip()
    return any(
        fragment.startswith(f"<{tag}>") and fragment.endswith(f"</{tag}>")
        for tag in ("b", "strong")
    )


def inline_html(block: RawBlock) -> str:
    """The block as one line of inline HTML, as a cell holds it."""
    if isinstance(block, RawParagraph | RawHeading):
        return block.html
    if isinstance(block, RawList):
        return "; ".join(filter(None, map(_trimmed, block.items)))
    if isinstance(block, RawTable):
        rows = [*block.header, *block.rows]
        return "; ".join(", ".join(cell for cell in row if cell) for row in rows)
    return ""


def joined_html(blocks: list[RawBlock]) -> str:
    """Blocks as one line of inline HTML: a cell's, or a heading's."""
    return " ".join(inline_html(block) for block in blocks)


_OPENING_TAG = re.compile(r"<[^/!>][^>]*>")


def _trimmed(fragment: str) -> str:
    """Inline HTML without the whitespace at its ends, inside its tags too, so
    that list items join as "a; b", never "a ; b"."""
    text, opening, closing = fragment.strip(), [], []
    while match := _OPENING_TAG.match(text):
        opening.append(match.group())
        text = text[match.end() :].lstrip()
    while text.endswith(">") and (start := text.rfind("</")) >= 0:
        if ">" in text[start:-1]:
            break
        closing.append(text[start:])
        text = text[:start].rstrip()
    return "".join(opening) + text + "".join(reversed(closing))


def flattening_notes(grid: list[list[Cell | None]]) -> list[RawNote]:
    """The notes on the cells that held a table, or several blocks, flattened."""
    cells = [cell for row in grid for cell in row if cell is not None]
    notes = []
    if any(cell.nested for cell in cells):
        notes.append(
            RawNote(
                "nested-table-flattened",
                "",
                "A table inside a cell was flattened to text in that cell "
                "(cells separated by commas, rows by semicolons).",
            )
        )
    if any(cell.flattened for cell in cells):
        notes.append(
            RawNote(
                "cell-flattened",
                "",
                "Some cells held several paragraphs or a list; each was "
                "joined into one line, as a cell holds one short value.",
            )
        )
    return notes


def _header_inferred_note() -> RawNote:
    return RawNote(
        "header-inferred",
        "header",
        "The table had no marked header row: its first row was taken "
        "as the column labels.",
    )


def _span_expanded_note() -> RawNote:
    return RawNote(
        "span-expanded",
        "",
        "Merged cells were split into a regular grid: a cell spanning "
        "several rows was copied into each of them; a cell spanning "
        "several columns was kept in the first and the others left "
        "empty (in the header, it became a group over those columns).",
    )


def _split_out_note(row: int, column: int) -> RawNote:
    return RawNote(
        "cell-split-out",
        f"row {row}, column {column}",
        "This cell, in the table's last row, held a heading and paragraphs "
        "that do not belong in a table (text that followed the table ended "
        "up inside it). They were moved out, after the table.",
    )


def _long_cell_kept_note(row: int, column: int, cell: Cell) -> RawNote:
    return RawNote(
        "long-cell-kept",
        f"row {row}, column {column}",
        "This cell holds "
        + (
            "a heading and paragraphs"
            if run_on_start(cell.split) is not None
            else f"{len(cell.split)} paragraphs"
        )
        + ", more than a table cell usually does. It was kept in the cell, "
        "joined into one line: if it is text that followed the table, move it "
        "out.",
    )
