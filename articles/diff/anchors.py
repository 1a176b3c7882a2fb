"""Places in an article that comments point at, followed from revision to revision.

A place is a block (section and block index) or a table cell (also row and
column index), indexes from 0 into one revision's snapshot: snapshots hold no
ids of their own. A comment keeps the place in the revision it was written
on; `map_anchor` finds the same place in a later revision through the
alignment the diff makes (sections by anchor, blocks and rows matched as
`compare` matches them, columns by label), or None when it is gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..sanitize import plain_text
from ..snapshot import column_headings, numbered_tables
from .compare import _align, _plain_rows, _same_block, _signature, _similar, column_keys


@dataclass(frozen=True)
class Anchor:
    section: int
    block: int
    row: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        """The anchor as a form posts it: "1.0" (a block) or "1.0.3.2" (a cell)."""
        parts = [self.section, self.block]
        if self.is_cell:
            parts += [self.row, self.column]
        return ".".join(map(str, parts))

    @property
    def is_cell(self) -> bool:
        return self.row is not None

    @classmethod
    def parse(cls, text: str) -> Anchor | None:
        """The anchor `text` names (see `__str__`), or None for anything else."""
        parts = str(text or "").split(".")
        if len(parts) not in (2, 4) or not all(
            part.isascii() and part.isdigit() and len(part) < 7 for part in parts
        ):
            return None
        return cls(*map(int, parts))

    @classmethod
    def of(cls, comment) -> Anchor | None:
        """The place a Comment points at, or None for the whole article."""
        if comment.section is None:
            return None
        return cls(comment.section, comment.block, comment.row, comment.column)


def locate(snapshot: dict, anchor: Anchor) -> dict | None:
    """Return the block `anchor` is in, if the snapshot has that place, else None."""
    sections = snapshot.get("sections", [])
    if anchor.section >= len(sections):
        return None
    blocks = sections[anchor.section]["blocks"]
    if anchor.block >= len(blocks):
        return None
    block = blocks[anchor.block]
    if anchor.is_cell and (
        block["type"] != "table"
        or anchor.row >= len(block["rows"])
        or anchor.column >= len(block["columns"])
    ):
        return None
    return block


def map_anchor(old: dict, new: dict, anchor: Anchor) -> Anchor | None:
    """Find in snapshot `new` the place `anchor` names in snapshot `old`.

    None when the section, block, row or column is gone from `new` (or
    `anchor` was never a place in `old`).
    """
    if locate(old, anchor) is None:
        return None
    if old is new:
        return anchor
    old_section = old["sections"][anchor.section]
    section = next(
        (
            index
            for index, candidate in enumerate(new.get("sections", []))
            if candidate["anchor"] == old_section["anchor"]
        ),
        None,
    )
    if section is None:
        return None
    olds, news = old_section["blocks"], new["sections"][section]["blocks"]
    pairs = _align(olds, news, key=_signature, match=_same_block)
    block = next((j for i, j in pairs if i == anchor.block), None)
    if block is None:
        return None
    if not anchor.is_cell:
        return Anchor(section, block)
    found = _map_cell(olds[anchor.block], news[block], anchor.row, anchor.column)
    return None if found is None else Anchor(section, block, *found)


def _map_cell(old: dict, new: dict, row: int, column: int) -> tuple[int, int] | None:
    """The (row, column) of table `new` holding cell (row, column) of table `old`.

    Columns are matched by label (a repeated one by its occurrence) and rows
    on the columns both share, as `compare` matches them.
    """
    if new.get("type") != "table":
        return None
    old_labels, new_labels = column_keys(old), column_keys(new)
    label = old_labels[column]
    if label not in new_labels:
        return None
    common = [name for name in new_labels if name in old_labels]
    old_at = [old_labels.index(name) for name in common]
    new_at = [new_labels.index(name) for name in common]
    a = [tuple(cells[k] for k in old_at) for cells in _plain_rows(old)]
    b = [tuple(cells[k] for k in new_at) for cells in _plain_rows(new)]
    pairs = _align(a, b, match=lambda x, y: x[:1] == y[:1] or _similar(x, y))
    new_row = next((j for i, j in pairs if i == row), None)
    if new_row is None:
        return None
    return new_row, new_labels.index(label)


def describe(snapshot: dict, anchor: Anchor) -> str:
    """Say where `anchor` points in the snapshot, as people read the article.

    "Table 2, row “Aktau”, column “Cargo”", or "Section “Ports”, paragraph 2".
    """
    block = locate(snapshot, anchor)
    if block is None:
        return ""
    if block["type"] == "table":
        number = next(
            number for number, table in numbered_tables(snapshot) if table is block
        )
        if not anchor.is_cell:
            return _("Table %(number)d") % {"number": number}
        cells = _plain_rows(block)[anchor.row]
        row = cells[0] if cells and cells[0] else str(anchor.row + 1)
        return _("Table %(number)d, row “%(row)s”, column “%(column)s”") % {
            "number": number,
            "row": row,
            "column": column_headings(block)[anchor.column],
        }
    heading = snapshot["sections"][anchor.section]["heading"]
    kind = _("paragraph") if block["type"] == "paragraph" else _("list")
    place = {"kind": kind, "number": anchor.block + 1}
    if heading:
        return _("Section “%(heading)s”, %(kind)s %(number)d") % {
            **place,
            "heading": plain_text(heading),
        }
    return _("Introduction, %(kind)s %(number)d") % place


def places(snapshot: dict) -> list[tuple[Anchor, str]]:
    """Every block of the snapshot with its description, in reading order."""
    return [
        (anchor, describe(snapshot, anchor))
        for anchor in (
            Anchor(s, b)
            for s, section in enumerate(snapshot.get("sections", []))
            for b in range(len(section["blocks"]))
        )
    ]
