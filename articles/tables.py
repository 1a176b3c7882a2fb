"""django-tables2 classes: the one rendering path for content tables."""

import django_tables2 as tables
from django.utils.safestring import mark_safe

from .models import ContentTableColumn
from .sanitize import clean_inline


def effective_align(column: dict) -> str:
    """Return left, right or center for a snapshot column; 'auto' follows its kind."""
    align = column.get("align") or ContentTableColumn.Align.AUTO
    if align != ContentTableColumn.Align.AUTO:
        return align
    return "right" if column.get("kind") in ContentTableColumn.NUMERIC_KINDS else "left"


class CellColumn(tables.Column):
    """A column of inline-HTML cells; empty cells stay empty rather than '—'."""

    empty_values = ()

    def render(self, value):
        return mark_safe(clean_inline(value))  # noqa: S308 - cleaned on the line itself


class ContentTableView(tables.Table):
    """A content table as readers see it, built from a snapshot's table data."""

    class Meta:
        template_name = "django_tables2/content_table.html"
        orderable = False
        attrs = {"class": "content-table"}

    def __init__(self, data: dict, *, prefix: str, anchor: str):
        self.caption = data.get("caption") or ""
        self.source_note = data.get("source_note") or ""
        self.anchor = anchor
        columns = data["columns"]
        keys = [f"c{j}" for j in range(len(columns))]
        extra_columns = [
            (
                key,
                CellColumn(
                    verbose_name=column["label"],
                    attrs={
                        "th": {
                            "scope": "col",
                            "class": f"align-{effective_align(column)}",
                        },
                        "td": {"class": f"align-{effective_align(column)}"},
                    },
                ),
            )
            for key, column in zip(keys, columns, strict=True)
        ]
        rows = [dict(zip(keys, row, strict=True)) for row in data["rows"]]
        super().__init__(rows, prefix=prefix, extra_columns=extra_columns)
