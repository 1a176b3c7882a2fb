import functools

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import get_script_prefix, reverse

from .models import Article, Desk

# The site's own pages that every public page links to.
SITE_PAGES = ("home", "search", "feed_rss", "feed_atom")


def site(request):
    """The site's name, its desks and its own addresses, for every public page."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        # Only desks readers find something in (an empty "Imported" desk is
        # not one); still one query, inside the page readers' cache keeps.
        "desks": Desk.objects.filter(
            Exists(Article.objects.live_filter().filter(desk=OuterRef("pk")))
        ),
        "site_urls": _site_urls(get_script_prefix()),
    }


@functools.cache
def _site_urls(script_prefix: str) -> dict[str, str]:
    # Reversed once per process (and prefix): a {% url %} tag costs about
    # 40 us, and the page frame had six of them, a tenth of a cold page.
    return {name: reverse(f"articles:{name}") for name in SITE_PAGES}
