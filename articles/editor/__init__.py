"""The server side of the document editor: its body checks, working copies, tables.

`body`: a posted article read and checked as a whole, each error with its place.
`paste`: tables pasted as HTML or spreadsheet text, repaired as imports are.
The JSON endpoints are `articles.admin.views.editor`.
"""

from . import paste
from .body import (
    MAX_BLOCKS,
    MAX_BODY_BYTES,
    MAX_SECTIONS,
    MAX_TEXT,
    BodyInvalid,
    parse_article,
    parse_body,
    storable,
)

__all__ = [
    "MAX_BLOCKS",
    "MAX_BODY_BYTES",
    "MAX_SECTIONS",
    "MAX_TEXT",
    "BodyInvalid",
    "parse_article",
    "parse_body",
    "paste",
    "storable",
]
