"""Surrogate keys: what a public response shows, for the caches in front.

Every public response carries keys naming what it shows, in the headers
NEWSROOM_SURROGATE_KEY_HEADERS names (`xkey`, `Surrogate-Key`); publishing
purges them by key (newsroom/purge.py), as `invalidation` renews the page
cache's generations:

    site             every page (each lists the desks)      desk saved, restore
    article-<id>     its page, table downloads and embeds,  the article changes
                     oEmbed answers about it
    desk-<id>        the desk's pages and feeds             one of its articles
    home, feeds,     the home page, the feeds, the          any article
    sitemaps, search sitemaps, search results

Views name the objects they show with `tag(request, ...)`; the keys that
follow from the URL alone (home, feeds, sitemaps, search) are added here.
The page cache stores responses with their headers, so its hits carry them.
"""

from django.conf import settings

SITE = "site"
HOME = "home"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
SEARCH = "search"
# What any article's publication changes besides its own pages and its desk's.
LISTINGS = (HOME, FEEDS, SITEMAPS, SEARCH)

BY_URL_NAME = {
    "home": HOME,
    "search": SEARCH,
    "feed_rss": FEEDS,
    "feed_atom": FEEDS,
    "desk_feed_rss": FEEDS,
    "desk_feed_atom": FEEDS,
    "sitemap": SITEMAPS,
    "news_sitemap": SITEMAPS,
}


def article_key(article_or_pk) -> str:
    return f"article-{getattr(article_or_pk, 'pk', article_or_pk)}"


def desk_key(desk_or_pk) -> str:
    return f"desk-{getattr(desk_or_pk, 'pk', desk_or_pk)}"


def tag(request, *, article=None, desk=None) -> None:
    """Record that the response to `request` shows `article` and/or `desk`."""
    keys = request.__dict__.setdefault("_surrogate_keys", set())
    if article is not None:
        keys.add(article_key(article))
    if desk is not None:
        keys.add(desk_key(desk))


def response_keys(request) -> list[str]:
    """The keys of a public response to `request`, sorted."""
    keys = {SITE, *getattr(request, "_surrogate_keys", ())}
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in BY_URL_NAME:
        keys.add(BY_URL_NAME[match.url_name])
    return sorted(keys)


def add_headers(request, response) -> None:
    """Put the request's keys in each configured header of a public response."""
    headers = settings.NEWSROOM_SURROGATE_KEY_HEADERS
    if not headers:
        return
    value = " ".join(response_keys(request))
    for header in headers:
        response[header] = value
