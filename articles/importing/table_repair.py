"""Make a raw table valid for the CMS, noting every repair.

Tables come out as `articles.models.validate_table` requires: labels
unique within their group, ignoring case (as plain text, the way the CMS
reads labels); every row has one cell per column; no cell holds block
content; at most MAX_COLUMNS columns (more are cut) and MAX_ROWS rows (more
make further tables). Rows are padded to the widest (HTML); columns with no
label and no text, empty rows at the table's edges and rows repeating the
header after rows of data are dropped.

Headers are kept as they are (`_header`): a header cell over several
columns becomes a column group over the labels of the row below; a missing
label stays empty (noted, and a warning in the CMS, except in the corner
above the row headers); header rows that are not groups become data.

Text that followed a markdown table and ran on into its last cell is moved
out after it (`swallowed_cell`).
"""

from __future__ import annotations

import html
from operator import itemgetter

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
    labels, groups, data_rows, data_texts = _header(raw, width, notes)
    rows[:0], texts[:0] = data_rows, data_texts
    _pad(rows, texts, width, notes, report=raw.widen)
    after: list[Item] = []
    if raw.swallow_check and rows:
        after = move_out_swallowed(rows, texts, labels, notes)
    _drop_empty_columns(labels, rows, texts, notes, groups)
    _drop_rows(labels, rows, texts, notes)
    if not labels or (not any(labels) and not any(groups) and not rows):
        caption = f" Its caption read: “{raw.caption}”." if raw.caption else ""
        dropped = RawNote(
            "empty-table-dropped",
            "",
            f"A table with no text in any cell was dropped.{caption}",
        )
        return [Marker("note", [dropped]), *after]
    _fix_labels(labels, notes, groups)
    caption, before = _fit_caption(raw.caption)
    labels, rows = _cut_columns(labels, rows, notes)
    return [
        *before,
        *_split_rows(caption, labels, rows, notes, _group_runs(groups[: len(labels)])),
        *after,
    ]


def _width(raw: RawTable) -> int:
    """The header's width; the widest row's if wider and rows widen the table."""
    width = max((len(row) for row in raw.header_texts), default=0)
    if raw.widen or not width:
        width = max([width, *(len(row) for row in raw.rows)])
    return width


def _header(
    raw: RawTable, width: int, notes: list[RawNote]
) -> tuple[list[str], list, list[list[str]], list[list[str]]]:
    """Return the labels, each column's group, and header rows that become data.

    A first header row with a cell over several columns holds groups, and the
    row below the labels; otherwise the first row holds the labels. Each
    column's group is None or (first column, label); further header rows are
    returned (inline HTML and text) to lead the body rows.
    """
    texts = raw.header_texts
    spans = raw.header_spans or [[] for _ in texts]
    if not texts:
        return [""] * width, [None] * width, [], []
    grouped = len(texts) > 1 and bool(spans[0])
    if not grouped and spans[0]:  # one row: its spanning cells are groups
        grouped, label_row = True, None
    else:
        label_row = 1 if grouped else 0
    groups: list = [None] * width
    labels = [""] * width
    if label_row is not None:
        labels = _without_span_copies(texts[label_row], spans[label_row], width)
    if grouped:
        top = _without_span_copies(texts[0], spans[0], width)
        for start, count in spans[0]:
            for c in range(start, min(start + count, width)):
                groups[c] = (start, texts[0][start]) if texts[0][start] else None
        spanned = {c for start, count in spans[0] for c in range(start, start + count)}
        for c in range(width):
            if c in spanned or not top[c] or top[c] == labels[c]:
                continue
            if labels[c]:  # a label over one column's own label
                groups[c] = (c, top[c])
            else:
                labels[c] = top[c]
    first_data = (label_row or 0) + 1
    moved_html = [
        _without_span_copies(row, spans[r], width)
        for r, row in enumerate(raw.header[first_data:], start=first_data)
    ]
    moved_texts = [
        _without_span_copies(row, spans[r], width)
        for r, row in enumerate(texts[first_data:], start=first_data)
    ]
    if moved_texts:
        kept = "groups and labels" if first_data == 2 else "labels"
        notes.append(
            RawNote(
                "header-rows-as-data",
                "header",
                f"The table had {len(texts)} header rows: the first "
                f"{first_data} became its {kept}, and the other "
                f"{len(moved_texts)} its first rows. Check that they are data, "
                "not labels.",
            )
        )
    return labels, groups, moved_html, moved_texts


def _without_span_copies(row: list[str], spans, width: int) -> list[str]:
    """The row padded to `width`, each spanning cell's copies emptied."""
    cells = [*row[:width], *[""] * (width - len(row))]
    for start, count in spans:
        for c in range(start + 1, min(start + count, width)):
            cells[c] = ""
    return cells


def _group_runs(groups: list) -> list[dict]:
    """The snapshot's groups of each column's (first column, label) or None."""
    runs: list[dict] = []
    for c, group in enumerate(groups):
        if group is None:
            continue
        if c and groups[c - 1] == group:
            runs[-1]["span"] += 1
        else:
            runs.append({"label": group[1], "start": c, "span": 1})
    return runs


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
    caption: str | None,
    labels: list[str],
    rows: list[list[str]],
    notes: list,
    groups: list[dict],
) -> list[Built]:
    """Return the table, or tables of MAX_ROWS rows each; the first gets `notes`."""
    tables = [
        Built(Table(caption, labels, rows[start : start + MAX_ROWS], list(groups)), [])
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


def _drop_empty_columns(labels, rows, texts, notes, groups) -> None:
    empty = [
        c
        for c in range(len(labels))
        if not labels[c] and groups[c] is None and not any(row[c] for row in texts)
    ]
    if not empty or len(empty) == len(labels):
        return
    for c in reversed(empty):
        del labels[c]
        del groups[c]
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
    """Drop the empty rows at the table's edges and the header's repeats, noted.

    An empty row between rows with text is kept (it parts groups of rows, as
    in the source); before the first or after the last it is padding. A row
    equal to the header is a repeat (a page break in a long table) only once
    a row of data came before it: the first row of data is never one.
    """
    header = [label.casefold() for label in labels] if any(labels) else None
    if _none_to_drop(texts, header):
        return
    has_text = [any(text) for text in texts]
    filled = [index for index, text in enumerate(has_text) if text]
    first, last = (filled[0], filled[-1]) if filled else (len(texts), -1)
    empty, repeated, keep = [], [], []
    data_seen = False
    for index, text in enumerate(texts):
        is_header = _is_header(text, header)
        if not has_text[index]:
            if first < index < last:
                keep.append(index)
                rows[index] = [""] * len(rows[index])  # not even a &nbsp; left
            else:
                empty.append(index + 1)
        elif data_seen and is_header:
            repeated.append(index + 1)
        else:
            keep.append(index)
            data_seen = data_seen or not is_header
    if not empty and not repeated:
        return
    rows[:] = [rows[i] for i in keep]
    texts[:] = [texts[i] for i in keep]
    for code, numbers, message in (
        (
            "empty-row-dropped",
            empty,
            "An empty row at the table's start or end was dropped.",
        ),
        (
            "duplicate-header-removed",
            repeated,
            "A row repeating the header after rows of data (as where a long table "
            "goes on over a page break) was removed.",
        ),
    ):
        if len(numbers) > MANY:
            notes.append(RawNote(code, "", f"{len(numbers)} rows like this: {message}"))
        else:
            notes.extend(RawNote(code, f"row {n}", message) for n in numbers)


def _none_to_drop(texts: list[list[str]], header: list[str] | None) -> bool:
    """Whether no row is empty and none starts as the header does (most tables),
    so that `_drop_rows` keeps them all as they are. (Told in C: no call per row.)
    """
    return all(map(any, texts)) and (
        header is None or header[0] not in map(str.casefold, map(itemgetter(0), texts))
    )


def _is_header(text: list[str], header: list[str] | None) -> bool:
    """Whether a row's text is the header's (casefolded), told at its first
    difference."""
    return (
        header is not None
        and len(text) == len(header)
        and text[0].casefold() == header[0]  # (most rows differ there)
        and all(
            cell.casefold() == label for cell, label in zip(text, header, strict=True)
        )
    )


def _fix_labels(labels: list[str], notes: list[RawNote], groups: list) -> None:
    """Make labels plain text of at most LABEL_MAX characters, unique in a group.

    A missing label stays empty: in the first column (the corner above the
    row headers) silently, elsewhere with a note.
    """
    seen: set[tuple] = set()
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
            if c:
                notes.append(
                    RawNote(
                        "label-missing",
                        where,
                        "This column has no label: give it one before the "
                        "article is approved.",
                    )
                )
            continue
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
        group = groups[c][1].casefold() if groups[c] else ""
        if (group, label.casefold()) in seen:
            number = 2
            while (group, f"{label} ({number})".casefold()) in seen:
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
        seen.add((group, label.casefold()))
        labels[c] = label
