"""A table on other sites: the `<iframe>` code readers copy, and oEmbed.

The embed page (`views.table_embed`) is the one page other sites may frame.
Its code is offered on the "Share / embed" page of every table of a live
article (`views.table_share`, linked under the table) and answered to oEmbed
consumers (`views.oembed`, https://oembed.com). docs/embeds.md is
the guide for the sites that embed, with the optional resizing snippet.
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.html import escape
from django.utils.translation import gettext

from .addresses import cached_reverse
from .tables.content import PER_PAGE

# Height of the embed page, in CSS pixels, measured in Chromium at 640 px wide
# with the site's fonts (articles/tests/test_embeds_browser.py checks it):
# the page's padding, caption, header row and credit line; each row; and the
# filter form, status line and page links of a long table. Rows whose cells
# wrap (narrow frames, long text) make it taller: the frame then scrolls,
# unless the host page runs the resizing snippet (static/js/embed-height.js).
FRAME_BASE_HEIGHT = 240
FRAME_ROW_HEIGHT = 40
FRAME_LONG_TABLE_HEIGHT = 120
# oEmbed answers give a width in pixels; the copied code says 100% instead.
OEMBED_WIDTH = 640
# How long oEmbed consumers may keep an answer, in seconds (`cache_age`).
OEMBED_CACHE_AGE = 3600


def frame_height(rows: int) -> int:
    """Return the iframe height that shows a table of `rows` rows without scrolling.

    A long table shows a page of PER_PAGE rows at a time, with its filter form
    and page links.
    """
    shown = min(rows, PER_PAGE) or 1  # an empty table says "No rows match."
    extra = FRAME_LONG_TABLE_HEIGHT if rows > PER_PAGE else 0
    return FRAME_BASE_HEIGHT + shown * FRAME_ROW_HEIGHT + extra


def frame_title(caption: str, article_title: str) -> str:
    """Name the frame for screen readers: the table's caption, else its article's.

    Both are plain text, shown escaped on the pages: the title is the same
    text, for `iframe_code` to escape.
    """
    return " ".join(caption.split()) or gettext("Table from “%(title)s”") % {
        "title": " ".join(article_title.split())
    }


def iframe_code(src: str, *, title: str, height: int, width: str = "100%") -> str:
    """Return the `<iframe>` element as text to paste into another site.

    A plain str, not safe HTML: the attributes are escaped here, and the page
    that shows the code escapes it again as the text it is. `width="100%"`
    rather than a style attribute, which pages with a strict CSP refuse.
    """
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}"'
        f' width="{escape(width)}" height="{int(height)}" loading="lazy"'
        ' style="border: 0;"></iframe>'
    )


def discovery_url(request, url: str) -> str:
    """Return the oEmbed endpoint's address for `url`, for a discovery `<link>`."""
    query = urlencode({"url": url, "format": "json"})
    return request.build_absolute_uri(f"{cached_reverse('articles:oembed')}?{query}")


class BadRequest(Exception):
    """The oEmbed request is malformed or asks about another site (a 400)."""


@dataclass
class Target:
    """What an address given to the oEmbed endpoint names: an article, maybe a table."""

    desk: str
    slug: str
    number: int | None  # None: the article itself (its first table, if any)


def target(request, url: str) -> Target:
    """Read the article and table named by an address on this site.

    Raises BadRequest for an address on another host (or none), Http404 for a
    path that is not an article page or a table's embed page. The article
    page's address with a table's anchor (`...#table-2`) names that table.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadRequest(gettext("The url parameter must be an http(s) address."))
    if parts.netloc.lower() != request.get_host().lower():
        raise BadRequest(gettext("This site answers only for its own addresses."))
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        raise Http404 from None
    kwargs = match.kwargs
    if match.view_name == "articles:table_embed":
        return Target(kwargs["desk"], kwargs["slug"], kwargs["number"])
    if match.view_name == "articles:detail":
        number = None
        if parts.fragment.startswith("table-") and parts.fragment[6:].isdigit():
            number = int(parts.fragment[6:])
        return Target(kwargs["desk"], kwargs["slug"], number)
    raise Http404


def dimension(request, name: str) -> int | None:
    """Return the positive integer `maxwidth` or `maxheight`, if given; else None."""
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        message = gettext("%(name)s must be a positive integer.")
        raise BadRequest(message % {"name": name})
    return int(value)
