"""Tables pasted into the editor: HTML (Word, web pages, spreadsheets) or TSV.

Both go the legacy importer's way, so a table pasted is made valid exactly as
an imported one: HTML is read by `importing.html.read_fragment` (cells read by
their elements, spans laid on a grid) and sanitised; the spreadsheet's
tab-separated text (quoted cells may hold tabs and line breaks) is read by
the csv module. Then `importing.table_repair.build_table` pads ragged rows,
names and de-duplicates labels, drops empty columns and the empty rows at the
table's edges, and splits tables past the row limit, noting every repair as
the importer writes it.
Each column's kind is proposed from its cells (`tabledata.propose_column`).

No database access.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field

from ..importing import MAX_BYTES
from ..importing.document import Table
from ..importing.html import read_fragment
from ..importing.stream import Built, RawNote, RawTable, sanitize_stream
from ..importing.table_repair import build_table
from ..snapshot import TableData, column
from ..snapshot import table as table_block
from ..tabledata import propose_column

__all__ = ["MAX_BYTES", "PastedTable", "tables_from_html", "tables_from_text"]


@dataclass
class PastedTable:
    """A table block in the snapshot's format, and the repairs made to it."""

    table: TableData
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"table": self.table, "notes": self.notes}


def tables_from_html(text: str) -> list[PastedTable]:
    """Return the tables of an HTML fragment (or page), in its order.

    What lies around them (paragraphs, headings) is left out. Raises
    `importing.ImportRefused` for HTML nested too deeply to be read whole.
    """
    stream, notes = read_fragment(text)
    sanitize_stream(stream)
    tables: list[PastedTable] = []
    for raw in stream:
        if isinstance(raw, RawTable):
            tables += _repaired(raw)
    if tables:
        tables[0].notes[:0] = [_say(note) for note in notes]
    return tables


def tables_from_text(text: str, *, first_row_labels: bool = True) -> list[PastedTable]:
    """Return the table of a spreadsheet's clipboard: tab-separated, quoted cells.

    The first row gives the labels unless `first_row_labels` is false (then
    the labels are left empty for the editor, noted).
    """
    rows = [
        [html.escape(cell, quote=False) for cell in row]
        for row in csv.reader(io.StringIO(text, newline=""), dialect="excel-tab")
    ]
    if not any(any(cell.strip() for cell in row) for row in rows):
        return []
    header = rows[:1] if first_row_labels else []
    raw = RawTable(None, header, rows[len(header) :])
    sanitize_stream([raw])
    return _repaired(raw)


def _repaired(raw: RawTable) -> list[PastedTable]:
    """The valid tables `build_table` makes of a raw one; the first gets every note.

    Notes of what it set apart (a caption too long for a table) go with it.
    """
    items = build_table(raw)
    built = [item for item in items if _is_table(item)]
    if not built:
        return []
    others = [note for item in items if not _is_table(item) for note in item.notes]
    return [
        PastedTable(
            _block(item.block),
            [_say(note) for note in (*item.notes, *(others if n == 0 else ()))],
        )
        for n, item in enumerate(built)
    ]


def _is_table(item) -> bool:
    return isinstance(item, Built) and isinstance(item.block, Table)


def _block(table: Table) -> TableData:
    columns = [
        column(label, **propose_column(row[c] for row in table.rows))
        for c, label in enumerate(table.columns)
    ]
    return table_block(table.caption or "", columns, table.rows, groups=table.groups)


def _say(note: RawNote) -> str:
    """A repair note as the importer writes it, with its place in the table."""
    if not note.where:
        return note.message
    return f"{note.where[:1].upper()}{note.where[1:]}: {note.message}"
