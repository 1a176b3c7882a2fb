"""Charts of a table's data, drawn on the server.

A table block may also be shown as a chart (snapshot keys `chart`,
`chart_category`, `chart_series`, `chart_only`): bars, columns, a line or
stacked bars, categories from a text or date column, one series per chosen
numeric column. `data` checks the settings (`check_chart`, called by
`validate_table`) and reads the figures (`chart_data`, `summary`); `draw`
makes the SVG (inline in the page, embed and preview: no script needed) and
the PNG served as the article's og:image.

A revision never changes, so each chart is drawn once per revision and table
(`rendered`, `rendered_png`), kept in the page cache for
NEWSROOM_BODY_CACHE_SECONDS; a revision not saved yet (the editor's preview)
is drawn every time. The cache is never a database query, so pages keep
their query counts.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from ..caching.store import failed, page_cache, usable
from .data import (
    CATEGORY_KINDS,
    MAX_SERIES,
    ChartData,
    chart_data,
    check_chart,
    summary,
)

# Part of the cache keys: bump it when drawing changes, so old drawings go.
DRAW_VERSION = 1

__all__ = [
    "CATEGORY_KINDS",
    "MAX_SERIES",
    "Chart",
    "ChartData",
    "chart_data",
    "check_chart",
    "first_chart",
    "rendered",
    "rendered_png",
    "summary",
]


@dataclass(frozen=True)
class Chart:
    """A drawn chart for a template: its SVG, summary and the table's anchor."""

    svg: SafeString
    summary: str
    caption: str
    source: str
    only: bool  # the table is shown on request only


def _cached(key: str | None, make):
    if key is None or not settings.NEWSROOM_BODY_CACHE or not usable():
        return make()
    try:
        found = page_cache().get(key)
    except Exception as error:  # a cache that fails never breaks a page
        failed(error)
        return make()
    if found is None:
        found = make()
        try:
            page_cache().set(key, found, settings.NEWSROOM_BODY_CACHE_SECONDS)
        except Exception as error:
            failed(error)
    return found


def rendered(
    block: dict, *, anchor: str, revision_id: int | None = None
) -> Chart | None:
    """The chart of a table block as SVG, or None when it has none.

    `revision_id` and `anchor` ("table-2") name it for the cache; without a
    revision it is drawn each time.
    """
    data = chart_data(block)
    if data is None:
        return None
    key = (
        None if revision_id is None else f"chart:{DRAW_VERSION}:{revision_id}:{anchor}"
    )

    def make() -> dict:
        from .draw import svg

        text = summary(data)
        title = data.caption or data.category_name
        return {
            "svg": svg(data, prefix=f"{anchor}-chart-", title=title, desc=text),
            "summary": text,
        }

    drawn = _cached(key, make)
    return Chart(
        svg=mark_safe(drawn["svg"]),  # noqa: S308 - made by lxml from escaped text
        summary=drawn["summary"],
        caption=data.caption,
        source=data.source,
        only=bool(block.get("chart_only")),
    )


def rendered_png(block: dict, *, anchor: str, revision_id: int) -> bytes | None:
    """The chart of a table block as a PNG with its caption and source, cached."""
    data = chart_data(block)
    if data is None:
        return None

    def make() -> bytes:
        from .draw import png

        return png(data)

    return _cached(f"chart-png:{DRAW_VERSION}:{revision_id}:{anchor}", make)


def first_chart(snapshot: dict) -> int | None:
    """The number of the article's first table with a chart that can be drawn."""
    from ..snapshot import numbered_tables

    for number, block in numbered_tables(snapshot):
        if block.get("chart") and chart_data(block) is not None:
            return number
    return None
