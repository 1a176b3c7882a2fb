"""Every public model; import them from `articles.models`."""

from .article import Article, ArticleQuerySet
from .body import (
    Block,
    BulletItem,
    ContentTable,
    ContentTableColumn,
    ContentTableRow,
    Section,
    TableInvalid,
    check_row_width,
    validate_table,
)
from .comment import Comment, CommentQuerySet
from .desk import RESERVED_DESK_SLUGS, Desk
from .revision import (
    Correction,
    PreviewLink,
    Revision,
    RevisionImmutableError,
    TransitionLog,
)
from .source import ImportedSource
from .working_copy import WorkingCopy

__all__ = [
    "RESERVED_DESK_SLUGS",
    "Article",
    "ArticleQuerySet",
    "Block",
    "BulletItem",
    "Comment",
    "CommentQuerySet",
    "ContentTable",
    "ContentTableColumn",
    "ContentTableRow",
    "Correction",
    "Desk",
    "ImportedSource",
    "PreviewLink",
    "Revision",
    "RevisionImmutableError",
    "Section",
    "TableInvalid",
    "TransitionLog",
    "WorkingCopy",
    "check_row_width",
    "validate_table",
]
