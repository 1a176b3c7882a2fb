"""Make a raw table valid for the CMS, noting every repair.

Tables come out as `articles.models.validate_table` requires: every column
has a non-empty label, unique ignoring case (as plain text, the way the CMS
reads labels); every row has one cell per column; no cell holds block
content; at most MAX_COLUMNS columns (more are cut) and MAX_ROWS rows (more
make further tables). Rows are padded to the widest (HTML); several header
rows merge their labels; columns with no label and no text, empty rows and
rows repeating the header are dropped.

The swallowed-cell rule (text that followed a markdown table and ran on into
its last cell): the last non-empty cell of the last row is taken for
swallowed text when it is at least SWALLOWED_MIN characters of at least two
sentences and at least SWALLOWED_RATIO times the median length of the
table's other cells and labels (and of 40). All its text leaves the table,
whose cell is left empty (the source gives no way to tell where a value
would end). A leading title-case run becomes a new section's heading
(`text.leading_heading`) and the rest is split into paragraphs at sentence
boundaries (`text.group_paragraphs`); both guesses are noted.
"""

from __future__ import annotations

import html
from statistics import median

from ..sanitize import clean_inline, plain_text
from ..tabledata import MAX_COLUMNS, MAX_ROWS
from .document import Paragraph, Table
from .stream import Built, Item, Marker, RawHeading, RawNote, RawTable
from .text import (
    group_paragraphs,
    inline_text,
    leading_heading,
    sentence_spans,
    shorten,
    split_inline,
)

CAPTION_MAX = 300  # ContentTable.caption


LABEL_MAX = 120  # ContentTableColumn.label


SWALLOWED_MIN = 200


SWALLOWED_RATIO = 4


MANY = 10  # above this many rows, one note lists them all


def build_table(raw: RawTable) -> list[Item]:
    """Make a valid table of a raw one; return it with what left it (or a marker)."""
    notes = list(raw.notes)
    rows, texts = [list(r) for r in raw.rows], [list(r) for r in raw.texts]
    header_texts = raw.header_texts
    width = max((len(row) for row in header_texts), default=0)
    if raw.widen or not width:
        width = max([width, *(len(row) for row in rows)])
    _pad(rows, texts, width, notes, report=raw.widen)
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
    after: list[Item] = []
    if raw.swallow_check and rows:
        after = _swallowed(rows, texts, labels, notes)
    _drop_empty_columns(labels, rows, texts, notes)
    _drop_rows(labels, rows, texts, notes)
    if not labels or (not any(labels) and not rows):
        dropped = RawNote(
            "empty-table-dropped", "", "A table with no text in any cell was dropped."
        )
        return [Marker("note", [dropped]), *after]
    _fix_labels(labels, notes)
    caption = raw.caption
    before: list[Item] = []
    if caption and len(caption) > CAPTION_MAX:
        before.append(
            Built(
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
        )
        caption = None
    if len(labels) > MAX_COLUMNS:
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
        labels = labels[:MAX_COLUMNS]
        rows = [row[:MAX_COLUMNS] for row in rows]
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
    return [*before, *tables, *after]


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


def _swallowed(rows, texts, labels, notes) -> list[Item]:
    last = texts[-1]
    column = next((c for c in range(len(last) - 1, -1, -1) if last[c]), None)
    if column is None:
        return []
    text = last[column]
    others = [len(t) for row in texts[:-1] for t in row if t]
    others += [len(t) for t in last[:column] if t] + [
        len(label) for label in labels if label
    ]
    if (
        len(text) < SWALLOWED_MIN
        or not others
        or len(text) < SWALLOWED_RATIO * max(40, median(others))
    ):
        return []
    fragment = rows[-1][column]
    flat = inline_text(fragment)
    found = leading_heading(flat)
    start = found[1] if found else 0
    spans = [(start + a, start + b) for a, b in sentence_spans(flat[start:])]
    if len(spans) < 2 and not found:
        return []
    groups = group_paragraphs(flat, spans)
    pieces = [
        clean_inline(piece) for piece in split_inline(fragment, [a for a, _ in groups])
    ]
    heading_html, paragraphs = pieces[0], [p for p in pieces[1:] if plain_text(p)]
    rows[-1][column], texts[-1][column] = "", ""
    where = f"row {len(rows)}, column {column + 1}"
    heading_text = plain_text(heading_html) if found else ""
    notes.append(
        RawNote(
            "cell-split-out",
            where,
            f"This cell held {len(spans)} sentences of text that followed the table "
            "(its line ran on past the last cell)"
            + (f", under the heading “{heading_text}”" if heading_text else "")
            + ". The text was moved out, after the table"
            + (" as a new section" if heading_text else "")
            + ", and the cell left empty: fill it in if it had a value of its own.",
        )
    )
    items: list[Item] = [Built(Paragraph(p), [], plain_text(p)) for p in paragraphs]
    guessed = []
    if len(groups) > 1 or len(spans) > 1:
        guessed.append(
            RawNote(
                "paragraph-breaks-guessed",
                "",
                f"The text taken out of the table had lost its paragraph breaks; it "
                f"was split into {len(paragraphs)} paragraph"
                f"{'s' if len(paragraphs) != 1 else ''} at sentence ends: a paragraph "
                "ends once it is about 350 characters long, before a sentence that "
                "does not continue the one before it (as one opening with "
                "“Additionally”, “This” or “Furthermore” does), and a sentence "
                "ending in a colon ends its paragraph. Check the breaks.",
            )
        )
    if heading_text:
        heading = RawHeading(2, heading_html, guessed, inferred=True, text=heading_text)
        return [heading, *items]
    if items:
        items[0].notes.extend(guessed)
    return items


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
