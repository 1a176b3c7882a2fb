"""Move text that ran on into a table's last cell out of the table, noted.

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

from dataclasses import dataclass
from statistics import median

from ..sanitize import clean_inline, plain_text
from .document import Paragraph
from .stream import Built, Item, RawHeading, RawNote
from .text import (
    group_paragraphs,
    inline_text,
    leading_heading,
    sentence_spans,
    split_inline,
)

SWALLOWED_MIN = 200  # characters
SWALLOWED_RATIO = 4


def move_out_swallowed(rows, texts, labels, notes) -> list[Item]:
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
    if len(text) < SWALLOWED_MIN:
        return None  # (most cells: before measuring all the others)
    others = [len(t) for row in texts[:-1] for t in row if t]
    others += [len(t) for t in last[:column] if t] + [
        len(label) for label in labels if label
    ]
    if not others or len(text) < SWALLOWED_RATIO * max(40, median(others)):
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
