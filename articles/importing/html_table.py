"""Make a RawTable of an HTML data table, noting what was changed to fit.

`html.py` reads each cell by its elements (`_Reader.cell`); here the cells are
laid on a grid (`grid.expand`), the first row is taken as the header when no
row is marked as one, and what a cell held that does not belong in a table
is moved out, after the table (a body cell), or joined into its one line (a
header cell, whose label cannot be moved).
"""

from __future__ import annotations

from collections.abc import Callable

from .grid import Cell, expand, header_rows, row_spans
from .stream import RawBlock, RawHeading, RawList, RawNote, RawParagraph, RawTable


def row_cells(tr) -> list:
    """The row's cell elements (`<td>` and `<th>`), without comments and text."""
    return [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]


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
    grid, spans = expand([row_cells(tr) for tr in rows], header_count, read_cell)
    if spans:
        notes.append(_span_expanded_note())
    html_grid, split_out = _grid_html(grid, header_count, notes)
    notes.extend(_flattening_notes(grid))
    raw = RawTable(
        caption,
        html_grid[:header_count],
        html_grid[header_count:],
        notes,
        header_inferred=inferred,
        header_spans=[row_spans(row) for row in grid[:header_count]],
    )
    return [raw, *split_out]


def _caption(table) -> str | None:
    element = table.find("caption")
    if element is None:
        return None
    return " ".join(element.text_content().split()) or None


def _grid_html(
    grid: list[list[Cell | None]], header_count: int, notes: list[RawNote]
) -> tuple[list[list[str]], list[RawBlock]]:
    """Return the grid's inline HTML, and the blocks moved out of its body cells.

    Appends a note to `notes` for each body cell that had blocks moved out.
    """
    html_grid: list[list[str]] = []
    split_out: list[RawBlock] = []
    for r, row in enumerate(grid):
        in_header = r < header_count
        html_grid.append([_cell_html(cell, in_header=in_header) for cell in row])
        if in_header:
            continue
        for c, cell in enumerate(row):
            if cell is not None and cell.split:
                split_out.extend(cell.split)
                notes.append(_split_out_note(r - header_count + 1, c + 1))
    return html_grid, split_out


def _cell_html(cell: Cell | None, *, in_header: bool) -> str:
    if cell is None:
        return ""
    if cell.split and in_header:
        return " ".join(filter(None, [cell.html, *map(inline_html, cell.split)]))
    return cell.html


def inline_html(block: RawBlock) -> str:
    """The block as one line of inline HTML, as a cell holds it."""
    if isinstance(block, RawParagraph | RawHeading):
        return block.html
    if isinstance(block, RawList):
        return "; ".join(block.items)
    if isinstance(block, RawTable):
        rows = [*block.header, *block.rows]
        return "; ".join(", ".join(cell for cell in row if cell) for row in rows)
    return ""


def _flattening_notes(grid: list[list[Cell | None]]) -> list[RawNote]:
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
        "This cell held headings or paragraphs that do not "
        "belong in a table (text that followed the table ended "
        "up inside it). They were moved out, after the table.",
    )
