"""Compare two article snapshots the way editors read them.

`diff(old, new)` returns plain dataclasses for a template to walk: changed
article fields, then sections matched by anchor with their changed blocks
(paragraphs as word diffs, list items, table rows, columns and cells). Block
texts are plain (markup removed), so templates escape them as usual; a change
of markup alone (bold, links) shows as `BlockChange.formatting_only`.

Modules: `compare` (matching the two snapshots up) and `changes` (the
dataclasses, and the sentences a correction line is drafted from).
"""

from .changes import (
    ArticleDiff,
    BlockChange,
    CellChange,
    FieldChange,
    ItemChange,
    RowChange,
    SectionChange,
    TableChange,
    word_diff,
)
from .compare import diff

__all__ = [
    "ArticleDiff",
    "BlockChange",
    "CellChange",
    "FieldChange",
    "ItemChange",
    "RowChange",
    "SectionChange",
    "TableChange",
    "diff",
    "word_diff",
]
