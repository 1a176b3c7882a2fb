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
from dataclasses import dataclass
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
    width = _width(raw)
    _pad(rows, texts, width, notes, report=raw.widen)
    labels = _merged_labels(raw.header_texts, width, notes)
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


def _swallowed(rows, texts, labels, notes) -> list[Item]:
    """Move text that ran on into the last row's last cell out, after the table.

    Returns the blocks made of it (see the module's doc for the rule); the
    cell is left empty.
    """
    column = _swallowing_column(texts, labels)
    if column is None:
        return []
    run_on = _read_run_on(rows[-1][column])
    if run_on is None:
        return []
    rows[-1][column], texts[-1][column] = "", ""
    notes.append(_moved_out_note(len(rows), column + 1, run_on))
    return _run_on_blocks(run_on)


@dataclass
class _RunOn:
    """The text run on into a cell, cut into a heading and paragraphs."""

    heading_html: str
    heading_text: str  # "" when no heading was found
    paragraphs: list[str]  # inline HTML
    sentences: int
    breaks_guessed: bool


def _swallowing_column(texts: list[list[str]], labels: list[str]) -> int | None:
    """The last row's last non-empty column, if its text looks swallowed; else None."""
    last = texts[-1]
    column = next((c for c in range(len(last) - 1, -1, -1) if last[c]), None)
    if column is None:
        return None
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
        return None
    return column


def _read_run_on(fragment: str) -> _RunOn | None:
    """Cut a cell's text into a leading heading and paragraphs of sentences.

    None when it has neither a heading nor two sentences.
    """
    flat = inline_text(fragment)
    found = leading_heading(flat)
    start = found[1] if found else 0
    spans = [(start + a, start + b) for a, b in sentence_spans(flat[start:])]
    if len(spans) < 2 and not found:
        return None
    groups = group_paragraphs(flat, spans)
    pieces = [
        clean_inline(piece) for piece in split_inline(fragment, [a for a, _ in groups])
    ]
    return _RunOn(
        heading_html=pieces[0],
        heading_text=plain_text(pieces[0]) if found else "",
        paragraphs=[p for p in pieces[1:] if plain_text(p)],
        sentences=len(spans),
        breaks_guessed=len(groups) > 1 or len(spans) > 1,
    )


def _run_on_blocks(run_on: _RunOn) -> list[Item]:
    """The paragraphs, under a new section's heading if one was found."""
    paragraphs = run_on.paragraphs
    items: list[Item] = [Built(Paragraph(p), [], plain_text(p)) for p in paragraphs]
    guessed = []
    if run_on.breaks_guessed:
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
    if run_on.heading_text:
        heading = RawHeading(
            2, run_on.heading_html, guessed, inferred=True, text=run_on.heading_text
        )
        return [heading, *items]
    if items:
        items[0].notes.extend(guessed)
    return items


def _moved_out_note(row: int, column: int, run_on: _RunOn) -> RawNote:
    heading_text = run_on.heading_text
    return RawNote(
        "cell-split-out",
        f"row {row}, column {column}",
        f"This cell held {run_on.sentences} sentences of text that followed the "
        "table (its line ran on past the last cell)"
        + (f", under the heading “{heading_text}”" if heading_text else "")
        + ". The text was moved out, after the table"
        + (" as a new section" if heading_text else "")
        + ", and the cell left empty: fill it in if it had a value of its own.",
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
