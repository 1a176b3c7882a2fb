"""What an import produces: the article's structure and the notes on its repairs.

These are plain dataclasses with no database access. `ImportedArticle.to_json`
is a stable public form (tools and golden files read it); `to_body` gives the
sections in the snapshot format that `services.replace_body` takes.

Every text is sanitised before it gets here: paragraph, list item and cell
HTML holds only bold, italic and links (`articles.sanitize.clean_inline`);
title, headings, captions and column labels are plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import snapshot
from ..sanitize import plain_text


class ImportRefused(Exception):
    """The source cannot be imported; the message says why, for an editor."""


@dataclass
class Note:
    """One repair or doubt, for an editor to check.

    `code` is stable (tools filter on it), `where` points into the result
    (e.g. "section 3, block 4, row 3, column 3") and `message` explains.
    """

    code: str
    where: str
    message: str

    def to_json(self) -> dict:
        return {"code": self.code, "where": self.where, "message": self.message}


@dataclass
class Paragraph:
    html: str

    @property
    def text(self) -> str:
        """The paragraph's visible text, whitespace normalised."""
        return plain_text(self.html)


@dataclass
class BulletList:
    ordered: bool
    items: list[str]  # sanitised inline HTML


@dataclass
class Table:
    caption: str | None  # plain text
    columns: list[str]  # plain-text labels, unique within their group; may be ""
    rows: list[list[str]]  # sanitised inline HTML, one cell per column
    # Labels over runs of columns: snapshot.GroupData (start counts from 0).
    groups: list[dict] = field(default_factory=list)


Block = Paragraph | BulletList | Table


@dataclass
class Section:
    heading: str | None  # None for the text before the first heading (the lede)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class ImportedArticle:
    title: str
    sections: list[Section]
    notes: list[Note]
    source_format: str  # "html" | "markdown"

    def to_json(self) -> dict:
        """Return the stable public JSON form, every text plain."""
        return {
            "title": self.title,
            "sections": [
                {
                    "heading": section.heading,
                    "blocks": [_block_json(block) for block in section.blocks],
                }
                for section in self.sections
            ],
            "notes": [note.to_json() for note in self.notes],
        }

    def to_body(self) -> list[snapshot.SectionData]:
        """Return the sections in the snapshot format of `services.replace_body`."""
        return [
            snapshot.section(
                section.heading or "", [_block_body(block) for block in section.blocks]
            )
            for section in self.sections
        ]


def _block_json(block: Block) -> dict:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text}
    if isinstance(block, BulletList):
        return {
            "type": "list",
            "ordered": block.ordered,
            "items": [plain_text(item) for item in block.items],
        }
    data = {
        "type": "table",
        "caption": block.caption,
        "columns": list(block.columns),
        "rows": [[plain_text(cell) for cell in row] for row in block.rows],
    }
    if block.groups:  # only then: the golden files of tables without stay as they were
        data["groups"] = [dict(group) for group in block.groups]
    return data


def _block_body(block: Block) -> snapshot.BlockData:
    if isinstance(block, Paragraph):
        return snapshot.paragraph(block.html)
    if isinstance(block, BulletList):
        return snapshot.bullet_list(block.items, ordered=block.ordered)
    return snapshot.table(
        block.caption or "",
        [snapshot.column(label) for label in block.columns],
        block.rows,
        groups=block.groups,
    )
