"""Rewrite a pipe table found in legacy text as strict GFM, noting the repairs.

`legacy.prepare` finds the table (its header row, delimiter row and rows, cells
already split, wrapped rows joined); here it is written back with one cell per
column. Ragged rows are padded (missing cells) or trimmed (extra cells, as GFM
ignores them; the note keeps their text), and empty cells after the last
column, made by stray `|`s, are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .stream import RawNote


@dataclass
class PipeTable:
    """A rewritten table: the notes on its repairs, and its rows as written
    (the header first), one cell per column, as markdown-it reads them."""

    notes: list[RawNote] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def empty_table_note() -> RawNote:
    return RawNote(
        "empty-table-dropped", "", "A table with no text in any cell was dropped."
    )


def rewrite(
    header: list[str], columns: int, rows: list[list[str]], out: list[str]
) -> PipeTable | None:
    """Append the table as strict GFM with one cell per column; return its notes.

    The table is as wide as its last column holding any text, but no wider
    than its header and delimiter rows (GFM ignores cells beyond). Returns
    None (appending nothing) for a table without any text.
    """
    width = _text_width([header, *rows], min(len(header), columns))
    if width == 0:
        return None
    written = [_cells(cells, width) for cells in (header, *rows)]
    out.append(_row(written[0]))
    out.append("|" + "---|" * width)
    out.extend(_row(cells) for cells in written[1:])
    return PipeTable(_ragged_notes(header, rows, width), written)


def _text_width(rows: list[list[str]], limit: int) -> int:
    """The number of columns up to the last one holding text (at most `limit`)."""
    width = 0
    for cells in rows:
        for index in range(min(len(cells), limit) - 1, width - 1, -1):
            if cells[index]:
                width = index + 1
                break
    return width


def _ragged_notes(
    header: list[str], rows: list[list[str]], width: int
) -> list[RawNote]:
    """Note the empty cells dropped past `width`, and the rows padded or trimmed."""
    notes = []
    in_header, stray_rows, stray_cells = _stray_cells(header, rows, width)
    if stray_cells:
        notes.append(_stray_cells_note(stray_cells, in_header, stray_rows))
    padded, trimmed = [], []
    for number, cells in enumerate(rows, start=1):
        if len(cells) < width:
            padded.append(_padded_note(number, len(cells), width))
        elif len(cells) > width and (kept := [cell for cell in cells[width:] if cell]):
            trimmed.append(_trimmed_note(number, len(cells), width, kept))
    return [*notes, *padded, *trimmed]


def _stray_cells(
    header: list[str], rows: list[list[str]], width: int
) -> tuple[bool, list[int], int]:
    """Where empty cells stand past `width` (whether in the header; the numbers
    of the rows), and how many.

    A row with text past `width` is trimmed instead (its cells are not stray).
    """
    in_header = len(header) > width
    stray_rows: list[int] = []
    stray_cells = len(header) - width if in_header else 0
    for number, cells in enumerate(rows, start=1):
        if len(cells) > width and not any(extra := cells[width:]):
            stray_rows.append(number)
            stray_cells += len(extra)
    return in_header, stray_rows, stray_cells


def _stray_cells_note(count: int, in_header: bool, rows: list[int]) -> RawNote:
    return RawNote(
        "trailing-empty-cells-dropped",
        "",
        f"Dropped {count} empty cells after the last column, made by "
        f"stray “|” characters, from {_listing(in_header, rows)}.",
    )


def joined_row_note(number: int, text: str) -> RawNote:
    return RawNote(
        "wrapped-row-joined",
        f"row {number}",
        "This row went on over the next line of the source, which was joined "
        f"to it: “{text}”. Check that its values are under the right labels.",
    )


def _padded_note(number: int, had: int, width: int) -> RawNote:
    missing = width - had
    return RawNote(
        "row-padded",
        f"row {number}",
        f"This row had {had} of the table's {width} cells: "
        f"{missing} empty cell{'s' if missing > 1 else ''} added at its end. "
        "Check that its values are under the right labels.",
    )


def _trimmed_note(number: int, had: int, width: int, kept: list[str]) -> RawNote:
    dropped = "; ".join(f"“{cell}”" for cell in kept)
    return RawNote(
        "row-trimmed",
        f"row {number}",
        f"This row had {had} cells but the table has {width} columns; the "
        f"cells beyond the last column were dropped: {dropped}.",
    )


def _cells(cells: list[str], width: int) -> list[str]:
    if len(cells) >= width:
        return cells[:width]
    return cells + [""] * (width - len(cells))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _listing(header: bool, numbers: list[int]) -> str:
    """'the header and rows 1–2' from (True, [1, 2])."""
    named = ["the header"] if header else []
    ranges = []
    for number in numbers:
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    if ranges:
        spans = [f"{a}" if a == b else f"{a}–{b}" for a, b in ranges]
        plural = len(numbers) > 1
        named.append(("rows " if plural else "row ") + ", ".join(spans))
    return " and ".join(named)
