import functools

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Article, Desk
from .prepared import PreparedQuery

# The site's own pages that every public page links to.
SITE_PAGES = ("home", "search", "feed_rss", "feed_atom")

# The words of the site's frame (base.html) and of an article's contents,
# translated once per process and language: a {% translate %} costs about
# 9 µs more than a variable (its catalog walk), and each page showed six.
SITE_WORDS = {
    "skip_to_content": _("Skip to content"),
    "desks": _("Desks"),
    "search": _("Search"),
    "search_articles": _("Search articles"),
    "contents": _("Contents"),
}


def site(request):
    """The site's name, its desks and its own addresses, for every public page."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        # Only desks readers find something in (an empty "Imported" desk is
        # not one); still one query, inside the page readers' cache keeps,
        # made when a template first asks.
        "desks": SimpleLazyObject(_desks),
        "site_urls": _site_urls(get_script_prefix()),
        "site_words": _site_words(get_language()),
    }


# The desks with live articles, compiled once (prepared.py).
LIVE_DESKS = PreparedQuery(
    lambda now: Desk.objects.filter(
        Exists(Article.objects.live_filter(now).filter(desk=OuterRef("pk")))
    ),
    now=Article._meta.get_field("published_at"),
)


def _desks() -> list[Desk]:
    return LIVE_DESKS.run(now=timezone.now())


@functools.lru_cache(maxsize=64)
def _site_words(language: str | None) -> dict[str, SafeString]:
    # Escaped once, not by the template on every page (tables.translated_words).
    return {name: escape(str(word)) for name, word in SITE_WORDS.items()}


@functools.cache
def _site_urls(script_prefix: str) -> dict[str, str]:
    # Reversed once per process (and prefix): a {% url %} tag costs about
    # 40 us, and the page frame had six of them, a tenth of a cold page.
    return {name: reverse(f"articles:{name}") for name in SITE_PAGES}
