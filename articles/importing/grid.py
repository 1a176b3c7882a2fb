"""Lay an HTML table's cells on a rectangular grid, and find its header rows.

A cell spanning rows is repeated in each row it spans; a cell spanning
columns is repeated across them in the header (so grouped labels reach each
column) and kept in its first column only in the body. rowspan="0" spans to
the end of the table. Spans are capped at MAX_SPAN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .stream import RawBlock

MAX_SPAN = 100  # colspan/rowspan above this are taken as this
LAYOUT_CONTENT = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "table", "ul", "ol")


@dataclass
class Cell:
    """A cell read: its inline HTML (all its text), and its blocks when it holds
    more than a value (a heading, long paragraphs), which may be text that
    followed the table (`html_table` decides)."""

    html: str
    split: list[RawBlock] = field(default_factory=list)
    flattened: bool = False  # several paragraphs or a list joined into one line
    nested: bool = False  # held a table, flattened to text
    colspan: int = 1  # in a header row: how many columns it was written over


def table_rows(table) -> list:
    """The table's own rows in reading order: head, bodies, then foot."""
    head, body, foot = [], [], []
    for child in table:
        tag = child.tag
        if tag == "tr":
            body.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows = list(child.iterchildren("tr"))
            (head if tag == "thead" else foot if tag == "tfoot" else body).extend(rows)
    return head + body + foot


def header_rows(table, rows) -> int:
    thead = table.find("thead")
    if thead is not None:
        count = sum(1 for tr in thead if tr.tag == "tr")
        if count:
            return count
    count = 0
    for tr in rows:
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if cells and all(c.tag == "th" for c in cells):
            count += 1
        else:
            break
    if count == len(rows):  # every row is all <th>: only the first is the header
        count = min(count, 1)
    return count


def is_layout(table, rows) -> bool:
    role = (table.get("role") or "").strip().lower()
    if role in ("presentation", "none"):
        return True
    if len(rows) != 1:
        return False
    return any(
        cell.find(f".//{tag}") is not None
        for cell in rows[0]
        if isinstance(cell.tag, str)
        for tag in LAYOUT_CONTENT
    )


def _span(element, name: str) -> int:
    given = element.get(name)
    if given is None:  # most cells: no span (a hot path for long tables)
        return 1
    try:
        value = int(given.strip() or "1")
    except ValueError:
        return 1
    return max(0, min(value, MAX_SPAN))


def expand(rows: list[list], header_count: int, read: Callable[..., Cell]):
    """Place the cells (elements, read by `read`) on a grid by their spans.

    Returns the grid, rows of Cell or None where a row is short, and whether
    any cell spanned rows or columns.
    """
    future: dict[int, dict[int, object]] = {}
    grid = []
    spans = False
    total = len(rows)
    for r, cells in enumerate(rows):
        placed = future.pop(r, {})
        column = 0
        for element in cells:
            while column in placed:
                column += 1
            cell = read(element)
            if element.get("colspan") is None and element.get("rowspan") is None:
                cell.colspan = 1  # most cells: no span (a hot path for long tables)
                placed[column] = cell
                column += 1
                continue
            colspan = _span(element, "colspan") or 1
            rowspan = _span(element, "rowspan")
            rowspan = total - r if rowspan == 0 else rowspan
            if colspan > 1 or rowspan > 1:
                spans = True
            cell.colspan = colspan
            blank = Cell("")
            for k in range(colspan):
                value = cell if k == 0 or r < header_count else blank
                placed[column + k] = value
                for below in range(r + 1, min(r + rowspan, total)):
                    if k == 0 or below < header_count:
                        copy = Cell(cell.html, [], cell.flattened, cell.nested)
                    else:
                        copy = blank
                    future.setdefault(below, {})[column + k] = copy
            column += colspan
        width = max(placed) + 1 if placed else 0
        grid.append([placed.get(c) for c in range(width)])
    return grid, spans


def row_spans(row: list[Cell | None]) -> list[tuple[int, int]]:
    """A header row's cells written over several columns: (first column, count).

    `expand` puts the same cell in each column a header cell spans.
    """
    found = []
    for c, cell in enumerate(row):
        if cell is None or cell.colspan < 2 or (c and row[c - 1] is cell):
            continue
        count = 1
        while c + count < len(row) and row[c + count] is cell:
            count += 1
        if count > 1:
            found.append((c, count))
    return found
