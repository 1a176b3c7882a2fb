"""Make a raw table valid for the CMS, noting every repair.

Tables come out as `articles.models.validate_table` requires: every column
has a non-empty label, unique ignoring case (as plain text, the way the CMS
reads labels); every row has one cell per column; no cell holds block
content; at most MAX_COLUMNS columns (more are cut) and MAX_ROWS rows (more
make further tables). Rows are padded to the widest (HTML); several header
rows merge their labels; columns with no label and no text, empty rows and
rows repeating the header are dropped.

Text that followed a markdown table and ran on into its last cell is moved
out after it (`swallowed_cell`).
"""

from __future__ import annotations

import html

from ..sanitize import plain_text
from ..tabledata import MAX_COLUMNS, MAX_ROWS
from .document import Paragraph, Table
from .stream import Built, Item, Marker, RawNote, RawTable
from .swallowed_cell import move_out_swallowed
from .text import shorten

CAPTION_MAX = 300  # ContentTable.caption


LABEL_MAX = 120  # ContentTableColumn.label


MANY = 10  # above this many rows, one note lists them all


def build_table(raw: RawTable) -> list[Item]:
    """Make a valid table of a raw one; return it with what left it (or a marker)."""
    notes = list(raw.notes)
    rows, texts = [list(r) for r in raw.rows], [list(r) for r in raw.texts]
    width = _width(raw)
    _pad(rows, texts, width, notes, report=raw.widen)
    labels = _merged_labels(raw.header_texts, width, notes)
    after: list[Item] = []
    if raw.swallow_check and rows:
        after = move_out_swallowed(rows, texts, labels, notes)
    _drop_empty_columns(labels, rows, texts, notes)
    _drop_rows(labels, rows, texts, notes)
    if not labels or (not any(labels) and not rows):
        dropped = RawNote(
            "empty-table-dropped", "", "A table with no text in any cell was dropped."
        )
        return [Marker("note", [dropped]), *after]
    _fix_labels(labels, notes)
    caption, before = _fit_caption(raw.caption)
    labels, rows = _cut_columns(labels, rows, notes)
    return [*before, *_split_rows(caption, labels, rows, notes), *after]


def _width(raw: RawTable) -> int:
    """The header's width; the widest row's if wider and rows widen the table."""
    width = max((len(row) for row in raw.header_texts), default=0)
    if raw.widen or not width:
        width = max([width, *(len(row) for row in raw.rows)])
    return width


def _merged_labels(
    header_texts: list[list[str]], width: int, notes: list[RawNote]
) -> list[str]:
    """Each column's label: its header rows' distinct texts, joined by " – "."""
    labels = [
        " – ".join(
            dict.fromkeys(row[c] for row in header_texts if c < len(row) and row[c])
        )
        for c in range(width)
    ]
    if len(header_texts) > 1:
        notes.append(
            RawNote(
                "header-rows-merged",
                "header",
                f"The table had {len(header_texts)} header rows: each column's "
                "labels were joined into one.",
            )
        )
    return labels


def _fit_caption(caption: str | None) -> tuple[str | None, list[Item]]:
    """Return the caption, or None and a paragraph of it when it is too long."""
    if not caption or len(caption) <= CAPTION_MAX:
        return caption, []
    moved = Built(
        Paragraph(html.escape(caption, quote=False)),
        [
            RawNote(
                "caption-moved",
                "",
                f"The table's caption was longer than {CAPTION_MAX} "
                "characters: it was kept as this paragraph, before the table.",
            )
        ],
    )
    return None, [moved]


def _cut_columns(
    labels: list[str], rows: list[list[str]], notes: list[RawNote]
) -> tuple[list[str], list[list[str]]]:
    """Return the labels and rows without the columns past MAX_COLUMNS, noted."""
    if len(labels) <= MAX_COLUMNS:
        return labels, rows
    left_out = ", ".join(f"“{label}”" for label in labels[MAX_COLUMNS:][:5])
    notes.append(
        RawNote(
            "table-truncated",
            "",
            f"The table had {len(labels)} columns; a table holds at most "
            f"{MAX_COLUMNS}. Columns {MAX_COLUMNS + 1}–{len(labels)} ({left_out}"
            f"{'…' if len(labels) > MAX_COLUMNS + 5 else ''}) were left out: "
            "they are in the original file.",
        )
    )
    return labels[:MAX_COLUMNS], [row[:MAX_COLUMNS] for row in rows]


def _split_rows(
    caption: str | None, labels: list[str], rows: list[list[str]], notes: list
) -> list[Built]:
    """Return the table, or tables of MAX_ROWS rows each; the first gets `notes`."""
    tables = [
        Built(Table(caption, labels, rows[start : start + MAX_ROWS]), [])
        for start in range(0, max(len(rows), 1), MAX_ROWS)
    ]
    tables[0].notes = notes
    if len(tables) > 1:
        notes.append(
            RawNote(
                "table-split",
                "",
                f"The table had {len(rows):,} rows; a table holds at most "
                f"{MAX_ROWS:,}. It was split into {len(tables)} tables that follow "
                "each other, with the same columns.",
            )
        )
        for part in tables[1:]:
            part.block.caption = f"{caption} (continued)" if caption else None
    return tables


def _pad(rows, texts, width, notes, *, report: bool) -> None:
    short = []
    for number, (row, text) in enumerate(zip(rows, texts, strict=True), start=1):
        if len(row) < width:
            short.append((number, len(row)))
            missing = width - len(row)
            row.extend([""] * missing)
            text.extend([""] * missing)
    if not report or not short:
        return
    if len(short) > MANY:
        notes.append(
            RawNote(
                "row-padded",
                "",
                f"{len(short)} rows had fewer cells than the table's {width} "
                "columns: empty cells were added at their ends. Check that their "
                "values are under the right labels.",
            )
        )
        return
    for number, had in short:
        notes.append(
            RawNote(
                "row-padded",
                f"row {number}",
                f"This row had {had} of the table's {width} cells: empty cells "
                "were added at its end. Check that its values are under the "
                "right labels.",
            )
        )


def _drop_empty_columns(labels, rows, texts, notes) -> None:
    empty = [
        c
        for c in range(len(labels))
        if not labels[c] and not any(row[c] for row in texts)
    ]
    if not empty or len(empty) == len(labels):
        return
    for c in reversed(empty):
        del labels[c]
        for row, text in zip(rows, texts, strict=True):
            del row[c]
            del text[c]
    columns = ", ".join(str(c + 1) for c in empty)
    notes.append(
        RawNote(
            "empty-column-dropped",
            "",
            f"Column{'s' if len(empty) > 1 else ''} {columns} had no label and no "
            f"text in any cell, and {'were' if len(empty) > 1 else 'was'} dropped.",
        )
    )


def _drop_rows(labels, rows, texts, notes) -> None:
    header = [label.casefold() for label in labels]
    empty, repeated, keep = [], [], []
    for number, text in enumerate(texts, start=1):
        if not any(text):
            empty.append(number)
        elif any(labels) and [cell.casefold() for cell in text] == header:
            repeated.append(number)
        else:
            keep.append(number - 1)
    if not empty and not repeated:
        return
    rows[:] = [rows[i] for i in keep]
    texts[:] = [texts[i] for i in keep]
    for code, numbers, message in (
        ("empty-row-dropped", empty, "An empty row was dropped."),
        (
            "duplicate-header-removed",
            repeated,
            "A row repeating the header (as when a table is pasted page by page) "
            "was removed.",
        ),
    ):
        if len(numbers) > MANY:
            notes.append(RawNote(code, "", f"{len(numbers)} rows like this: {message}"))
        else:
            notes.extend(RawNote(code, f"row {n}", message) for n in numbers)


def _fix_labels(labels: list[str], notes: list[RawNote]) -> None:
    seen: set[str] = set()
    for c, label in enumerate(labels):
        for _ in range(3):  # the CMS reads labels as markup: make that a no-op
            if "<" not in label and "&" not in label:
                break
            cleaned = plain_text(label)
            if cleaned == label:
                break
            label = cleaned
        where = f"column {c + 1}"
        if not label:
            label = f"Column {c + 1}"
            notes.append(
                RawNote(
                    "column-label-added",
                    where,
                    f"This column had no label: it was named “{label}”. Give it "
                    "a proper one.",
                )
            )
        if len(label) > LABEL_MAX:
            notes.append(
                RawNote(
                    "label-shortened",
                    where,
                    f"This column's label was longer than {LABEL_MAX} characters "
                    f"and was cut. It read: “{label}”.",
                )
            )
            label = shorten(label, LABEL_MAX)
        if label.casefold() in seen:
            number = 2
            while f"{label} ({number})".casefold() in seen:
                number += 1
            renamed = f"{label} ({number})"
            notes.append(
                RawNote(
                    "duplicate-label-renamed",
                    where,
                    f"Another column is also labelled “{label}”: this one was "
                    f"renamed “{renamed}”, as each column needs its own label.",
                )
            )
            label = renamed
        seen.add(label.casefold())
        labels[c] = label
