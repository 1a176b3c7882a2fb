"""What changed between two snapshots: the dataclasses templates walk."""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

BLOCK_KINDS = {
    "paragraph": gettext_lazy("Paragraph"),
    "list": gettext_lazy("List"),
    "table": gettext_lazy("Table"),
}
Piece = tuple[str, str]  # (op, text), op being "equal", "insert" or "delete"
# Unchanged blocks shown on each side of a change; the rest are folded away.
CONTEXT = 1


@dataclass
class FieldChange:
    """A named value that changed: an article field, a caption, a setting."""

    name: str
    label: str
    old: str
    new: str

    @property
    def pieces(self) -> list[Piece]:
        return word_diff(self.old, self.new)


@dataclass
class ItemChange:
    status: str  # "added", "removed" or "changed"
    number: int  # 1-based, in the new list (in the old one when removed)
    old: str = ""
    new: str = ""

    @property
    def pieces(self) -> list[Piece]:
        return word_diff(self.old, self.new)


@dataclass
class RowChange:
    number: int  # 1-based, in the new table (in the old one when removed)
    label: str  # the row's first cell
    cells: list[str]


@dataclass
class CellChange:
    row: int  # 1-based, in the new table
    row_label: str
    column: str
    old: str  # as readers see it: numbers with the column's decimals and unit
    new: str
    unit: str = ""  # the unit readers see after the column's label


@dataclass
class TableChange:
    caption: str
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    rows_added: list[RowChange] = field(default_factory=list)
    rows_removed: list[RowChange] = field(default_factory=list)
    cells: list[CellChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.columns_added
            or self.columns_removed
            or self.rows_added
            or self.rows_removed
            or self.cells
        )


@dataclass
class BlockChange:
    status: str  # "added", "removed", "changed" or "unchanged" (context)
    kind: str  # "paragraph", "list" or "table"
    number: int  # 1-based position in the section (the old one when removed)
    # The text of an added, removed or unchanged block.
    lines: list[str] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)  # a changed paragraph
    settings: list[FieldChange] = field(default_factory=list)  # caption, units...
    items: list[ItemChange] = field(default_factory=list)
    table: TableChange | None = None
    folded = False  # a block is shown; see Fold

    @property
    def kind_label(self) -> str:
        return str(BLOCK_KINDS.get(self.kind, self.kind))

    @property
    def formatting_only(self) -> bool:
        """Return whether only markup changed, not the visible text."""
        return self.status == "changed" and not (
            self.pieces or self.settings or self.items or self.table
        )


@dataclass
class Fold:
    """A stretch of unchanged blocks, shown folded away."""

    blocks: list[BlockChange]
    folded = True

    @property
    def summary(self) -> str:
        count = len(self.blocks)
        if all(block.kind == "paragraph" for block in self.blocks):
            text = ngettext(
                "%(count)d unchanged paragraph", "%(count)d unchanged paragraphs", count
            )
        else:
            text = ngettext(
                "%(count)d unchanged block", "%(count)d unchanged blocks", count
            )
        return text % {"count": count}


@dataclass
class SectionChange:
    status: str  # "added", "removed", "changed" or "unchanged"
    anchor: str
    heading: str  # the new heading (the old one when removed)
    old_heading: str | None = None  # set only when renamed
    moved: bool = False
    blocks: list[BlockChange] = field(default_factory=list)  # the changes only
    # Every block in order, unchanged ones included (empty for a whole
    # section added or removed, whose `blocks` are all of them).
    every_block: list[BlockChange] = field(default_factory=list)

    @property
    def renamed(self) -> bool:
        return self.old_heading is not None

    @property
    def parts(self) -> list[BlockChange | Fold]:
        """Return the blocks in order, unchanged ones folded but next to a change.

        CONTEXT unchanged blocks stay in view on each side of every change; a
        single unchanged block left between them is shown rather than folded.
        """
        blocks = self.every_block or self.blocks
        near = set()
        for i, block in enumerate(blocks):
            if block.status != "unchanged":
                near.update(range(i - CONTEXT, i + CONTEXT + 1))
        parts, run = [], []
        for i, block in enumerate(blocks):
            if i not in near:
                run.append(block)
                continue
            parts += _folded(run)
            run = []
            parts.append(block)
        return parts + _folded(run)


@dataclass
class ArticleDiff:
    """What changed between two snapshots; unchanged sections are left out.

    `outline` has every section in order, unchanged ones included, for a
    reader who wants the changes in their place.
    """

    fields: list[FieldChange] = field(default_factory=list)
    sections: list[SectionChange] = field(default_factory=list)
    outline: list[SectionChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.fields or self.sections)

    def fact_changes(self) -> list[str]:
        """Summarise changed cells and reworded text in short plain sentences.

        Meant to prefill a reader-visible correction line; added or removed
        blocks and formatting changes are left out.
        """
        facts = []
        for section in self.sections:
            if section.status != "changed":
                continue
            where = _section_phrase(section)
            paragraphs = items = 0
            for block in section.blocks:
                if block.table:
                    facts += [
                        _cell_fact(where, block.table, c) for c in block.table.cells
                    ]
                if block.kind == "paragraph" and block.pieces:
                    paragraphs += 1
                items += sum(item.status == "changed" for item in block.items)
            values = {"where": _section_phrase(section, start=True)}
            if paragraphs:
                facts.append(
                    ngettext(
                        "%(where)s: a paragraph was reworded.",
                        "%(where)s: %(count)d paragraphs were reworded.",
                        paragraphs,
                    )
                    % {**values, "count": paragraphs}
                )
            if items:
                facts.append(
                    ngettext(
                        "%(where)s: a list item was reworded.",
                        "%(where)s: %(count)d list items were reworded.",
                        items,
                    )
                    % {**values, "count": items}
                )
        return facts


def word_diff(old: str, new: str) -> list[Piece]:
    """Return the word-level differences between two plain texts."""
    a, b = old.split(), new.split()
    pieces = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("equal", " ".join(a[i1:i2])))
            continue
        if i1 < i2:
            pieces.append(("delete", " ".join(a[i1:i2])))
        if j1 < j2:
            pieces.append(("insert", " ".join(b[j1:j2])))
    return pieces


def _folded(run: list[BlockChange]) -> list[BlockChange | Fold]:
    return [Fold(run)] if len(run) > 1 else run


def _section_phrase(section: SectionChange, *, start: bool = False) -> str:
    """Name a section inside a sentence, or at its start."""
    if section.heading:
        if start:
            return _("Section “%(heading)s”") % {"heading": section.heading}
        return _("section “%(heading)s”") % {"heading": section.heading}
    return _("The introduction") if start else _("the introduction")


def _cell_fact(where: str, table: TableChange, cell: CellChange) -> str:
    if table.caption:
        place = _("“%(caption)s”") % {"caption": table.caption}
    else:
        place = _("the table in %(section)s") % {"section": where}
    column = cell.column
    if cell.unit:
        column = _("%(label)s (%(unit)s)") % {"label": column, "unit": cell.unit}
    return _("In %(place)s, %(row)s / %(column)s: %(old)s → %(new)s.") % {
        "place": place,
        "row": cell.row_label or _("row %(number)d") % {"number": cell.row},
        "column": column,
        "old": cell.old or _("(empty)"),
        "new": cell.new or _("(empty)"),
    }
