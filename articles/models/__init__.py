"""Every public model; import them from `articles.models`."""

from .article import Article, ArticleQuerySet
from .body import (
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    Block,
    BulletItem,
    ContentTable,
    ContentTableColumn,
    ContentTableRow,
    Section,
    check_row_width,
    validate_table,
)
from .desk import RESERVED_DESK_SLUGS, Desk
from .revision import (
    Correction,
    PreviewLink,
    Revision,
    RevisionImmutableError,
    TransitionLog,
)

__all__ = [
    "MAX_TABLE_COLUMNS",
    "MAX_TABLE_ROWS",
    "RESERVED_DESK_SLUGS",
    "Article",
    "ArticleQuerySet",
    "Block",
    "BulletItem",
    "ContentTable",
    "ContentTableColumn",
    "ContentTableRow",
    "Correction",
    "Desk",
    "PreviewLink",
    "Revision",
    "RevisionImmutableError",
    "Section",
    "TransitionLog",
    "check_row_width",
    "validate_table",
]
