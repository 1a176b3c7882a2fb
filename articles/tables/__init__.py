"""django-tables2 classes: content tables for readers, and editorial listings.

- `content`: a content table as readers see it (sorting, filtering, pages);
  its markup is templates/articles/tables/content_table.html.
- `export`: its downloads (CSV, XLSX, JSON).
- `listings`: the admin's queue, dashboard and revision history.
"""

from .content import PER_PAGE, CellColumn, ContentTableView, rows_html
from .export import EXPORT_FORMATS, ContentTableExport, runs_as_formula
from .listings import (
    ArticleTitleColumn,
    DashboardTable,
    ReviewQueueTable,
    RevisionTable,
)

__all__ = [
    "EXPORT_FORMATS",
    "PER_PAGE",
    "ArticleTitleColumn",
    "CellColumn",
    "ContentTableExport",
    "ContentTableView",
    "DashboardTable",
    "ReviewQueueTable",
    "RevisionTable",
    "rows_html",
    "runs_as_formula",
]
