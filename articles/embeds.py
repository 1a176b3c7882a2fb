"""A table on other sites: the `<iframe>` code readers copy, and oEmbed.

The embed page (`views.table_embed`) is the one page other sites may frame.
Its code is offered under every table of a live article (the "Share / embed"
control of `templates/articles/tables/content_table.html`) and answered to
oEmbed consumers (`views.oembed`, https://oembed.com). docs/embeds.md is
the guide for the sites that embed, with the optional resizing snippet.
"""

from django.utils.html import escape
from django.utils.translation import gettext

from .tables.content import PER_PAGE

# Height of the embed page, in CSS pixels, measured in Chromium at 640 px wide
# with the site's fonts (articles/tests/test_embeds_browser.py checks it):
# the page's padding, caption, header row and credit line; each row; and the
# filter form, status line and page links of a long table. Rows whose cells
# wrap (narrow frames, long text) make it taller: the frame then scrolls,
# unless the host page runs the resizing snippet (static/js/embed-height.js).
FRAME_BASE_HEIGHT = 150
FRAME_ROW_HEIGHT = 38
FRAME_LONG_TABLE_HEIGHT = 130


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
