"""Public pages from a cache that every app server shares, invalidated exactly.

The page cache (`PageCacheMiddleware`) keeps whole GET responses (status 200)
of public URLs for anonymous readers: a request without a session cookie, or
whose session has no logged-in user. Staff always get a fresh page marked
`Cache-Control: private, no-store`, and nothing they see is stored. The admin,
share-link previews and static files are never cached, nor is any response
that sets a cookie, varies, or says `private`/`no-store`/`no-cache` itself.

Key scheme. Every public URL belongs to one *scope*, read from the keyword
arguments of the URL pattern that matched, so new public pages are covered
without listing them here:

    article:<desk>/<slug>   URLs with `desk` and `slug`: the article page (every
                            query string: table sorting, filtering, paging), its
                            table embeds and downloads
    desk:<desk>             URLs with `desk` only: the desk's pages, its feeds
    listings                every other public URL: home, search, site feeds,
                            sitemaps, robots.txt

Each scope, and `site` (what every page shows: the desks), has a *generation*:
a random token kept under `gen:<scope>` without expiry. A page is stored for
NEWSROOM_PAGE_CACHE_SECONDS under

    page:<md5 of scheme, host, path and query string>

together with the two generations it was rendered under, and it is served
only while both are still current. `invalidate_article` gives new tokens to
the article's scope, its desk's and `listings` in one `set_many`: O(1) however
many pages and query-string variants exist, seen at once by every app server
(the tokens live in the shared cache), and exact: other articles' pages keep
matching. Random tokens rather than counters: a token lost to eviction or a
restart comes back as a new one, so an old page can never match again. A
lookup is a single `get_many` (the generations and the page together); a
stale page is replaced by the next render of its address.

Scheduled articles appear by themselves at their time (the public queries
filter on it). So that listings cached before that moment do not hide them,
`schedule` holds the publication times of scheduled articles; a listing or
desk page rendered before such a time, which has now passed, counts as stale.

Every page cached or not gets an `ETag` and a `Last-Modified`, and a matching
`If-None-Match` / `If-Modified-Since` gets `304 Not Modified`; anonymous
pages get `Cache-Control: public, max-age=..., s-maxage=...` for browsers and
a CDN or Varnish, which on pages listing articles ends by the next scheduled
publication, and the surrogate keys of what they show (`keys`: `xkey`,
`Surrogate-Key`). Invalidating also purges those keys (and addresses) from
the caches in front, once the transaction commits (newsroom/purge.py).

The cache failing (Redis down) never breaks a page: the error is logged, the
page is served uncached, and this process leaves the cache alone for
RETRY_SECONDS before trying again. Only errors of the cache's own calls count:
a request that is refused (a Host not in ALLOWED_HOSTS) or the database
failing must not turn the cache off for every reader.

Rendered bodies (`article_body`): an approved revision never changes, so the
HTML of its body in the tables' default state is kept by revision, for staff
and for pages the page cache does not hold.

Modules: `scopes` (which scope a URL is in), `store` (the cache and its
breaker), `invalidation`, `middleware` (PageCacheMiddleware, conditional GETs),
`keys` (surrogate keys; `tag` for views) and `bodies` (article_body).
"""

from .bodies import article_body
from .invalidation import invalidate_article, invalidate_site
from .keys import tag
from .middleware import PageCacheMiddleware
from .scopes import LISTINGS, SCHEDULE_KEY, SITE, article_scope, desk_scope, page_scope
from .store import RETRY_SECONDS, page_cache, unusable_until

__all__ = [
    "LISTINGS",
    "RETRY_SECONDS",
    "SCHEDULE_KEY",
    "SITE",
    "PageCacheMiddleware",
    "article_body",
    "article_scope",
    "desk_scope",
    "invalidate_article",
    "invalidate_site",
    "page_cache",
    "page_scope",
    "tag",
    "unusable_until",
]
