"""Making cached pages stale when what they show changes."""

import logging
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse

from newsroom import purge

from ..models import Article, Desk
from . import keys
from .scopes import LISTINGS, SCHEDULE_KEY, SITE, article_scope, desk_scope
from .store import generation_key, new_token, page_cache

# One logger for the whole page cache, as before it was a package.
logger = logging.getLogger("articles.caching")


def invalidate_article(article: Article) -> None:
    """Make stale every cached page that shows `article`, on every app server.

    Its own pages (all query strings), its desk's pages and feeds, and the
    listings (home, search, feeds, sitemaps). Call it whenever the article's
    live revision changes. It acts at once and again when the transaction
    commits: a reader who came in between rendered the old state and may
    have stored it under the new generation.
    """
    scopes = (
        article_scope(article.desk.slug, article.slug),
        desk_scope(article.desk.slug),
        LISTINGS,
    )
    bump(scopes, schedule=True)
    transaction.on_commit(partial(bump, scopes, schedule=True), robust=True)
    # The same pages in the HTTP caches in front, once committed.
    purge.purge(
        [keys.article_key(article), keys.desk_key(article.desk_id), *keys.LISTINGS],
        [
            article.get_absolute_url(),
            article.desk.get_absolute_url(),
            reverse("articles:desk_feed_rss", kwargs={"desk": article.desk.slug}),
            reverse("articles:desk_feed_atom", kwargs={"desk": article.desk.slug}),
            *listing_urls(),
        ],
    )


def invalidate_site() -> None:
    """Make every cached page stale: for site-wide changes (desks, a restore)."""
    bump((SITE,), schedule=True)
    transaction.on_commit(partial(bump, (SITE,), schedule=True), robust=True)
    # A cache purging by address only can drop the listings, not every page.
    purge.purge([keys.SITE], listing_urls())


def listing_urls() -> list[str]:
    """Addresses of the pages every publication changes, for caches without keys."""
    names = ("home", "feed_rss", "feed_atom", "sitemap", "news_sitemap")
    return [reverse(f"articles:{name}") for name in names]


@receiver([post_save, post_delete], sender=Desk, dispatch_uid="caching.desk_changed")
def _desk_changed(**kwargs) -> None:
    # Every page lists the desks in its header.
    invalidate_site()


def bump(scopes: Iterable[str], *, schedule: bool = False) -> None:
    values = {generation_key(scope): new_token() for scope in scopes}
    try:
        if schedule:
            values[SCHEDULE_KEY] = scheduled_times()
        page_cache().set_many(values, timeout=None)
    except Exception:
        # Never fail a publication because of the cache: pages already stored
        # stay until they expire (NEWSROOM_PAGE_CACHE_SECONDS).
        logger.exception("Could not invalidate cached pages of %s", ", ".join(scopes))


def scheduled_times() -> list[float]:
    """When each scheduled article becomes public, as sorted POSIX times."""
    times = Article.objects.filter(status=Article.Status.SCHEDULED).values_list(
        "published_at", flat=True
    )
    return sorted(when.timestamp() for when in times if when is not None)
