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
a CDN.

The cache failing (Redis down) never breaks a page: the error is logged, the
page is served uncached, and this process leaves the cache alone for
RETRY_SECONDS before trying again. Only errors of the cache's own calls count:
a request that is refused (a Host not in ALLOWED_HOSTS) or the database
failing must not turn the cache off for every reader.

Rendered bodies (`article_body`): an approved revision never changes, so the
HTML of its body in the tables' default state is kept by revision, for staff
and for pages the page cache does not hold.
"""

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.safestring import SafeString, mark_safe

from .models import Article, Desk

logger = logging.getLogger(__name__)

SITE = "site"
LISTINGS = "listings"
SCHEDULE_KEY = "schedule"
# After a cache error, this process serves pages without the cache this long.
RETRY_SECONDS = 5.0
# Longer query strings (or larger pages) are served but not stored.
MAX_QUERY_STRING = 512
MAX_PAGE_BYTES = 2 * 1024 * 1024
# Response headers that make a page unfit to share between readers.
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")


def article_scope(desk: str, slug: str) -> str:
    return f"article:{desk}/{slug}"


def desk_scope(desk: str) -> str:
    return f"desk:{desk}"


def page_scope(url_kwargs: dict) -> str:
    """Return the scope of a public URL from its pattern's keyword arguments."""
    desk, slug = url_kwargs.get("desk"), url_kwargs.get("slug")
    if desk and slug:
        return article_scope(desk, slug)
    if desk:
        return desk_scope(desk)
    return LISTINGS


# --- invalidation


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
    _bump(scopes, schedule=True)
    transaction.on_commit(partial(_bump, scopes, schedule=True), robust=True)


def invalidate_site() -> None:
    """Make every cached page stale: for site-wide changes (desks, a restore)."""
    _bump((SITE,), schedule=True)
    transaction.on_commit(partial(_bump, (SITE,), schedule=True), robust=True)


@receiver([post_save, post_delete], sender=Desk, dispatch_uid="caching.desk_changed")
def _desk_changed(**kwargs) -> None:
    # Every page lists the desks in its header.
    invalidate_site()


def _bump(scopes: Iterable[str], *, schedule: bool = False) -> None:
    values = {_generation_key(scope): _token() for scope in scopes}
    try:
        if schedule:
            values[SCHEDULE_KEY] = _scheduled_times()
        _cache().set_many(values, timeout=None)
    except Exception:
        # Never fail a publication because of the cache: pages already stored
        # stay until they expire (NEWSROOM_PAGE_CACHE_SECONDS).
        logger.exception("Could not invalidate cached pages of %s", ", ".join(scopes))


def _scheduled_times() -> list[float]:
    """When each scheduled article becomes public, as sorted POSIX times."""
    times = Article.objects.filter(status=Article.Status.SCHEDULED).values_list(
        "published_at", flat=True
    )
    return sorted(when.timestamp() for when in times if when is not None)


# --- the middleware


@dataclass
class _Plan:
    """What the middleware decided for one request."""

    reader: bool
    key: str = ""  # empty: nothing to read or store (cache off or unavailable)
    generations: tuple[str, ...] = ()
    started: float = 0.0


class PageCacheMiddleware:
    """Serve anonymous readers' public pages from the shared cache, and fill it.

    Goes near the top of MIDDLEWARE: a request without a session cookie is
    answered from the cache before the session, CSRF, auth and messages
    middleware and the URL resolver's view run at all (about half the cost of
    a hit). Requests with a session cookie are decided in `process_view`,
    once the user is known. Responses are stored as the middleware below
    left them (X-Frame-Options and Content-Security-Policy included).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        backend = settings.CACHES[_alias()]["BACKEND"]
        if not settings.DEBUG and backend.endswith("LocMemCache"):
            logger.info(
                "The page cache is in this process's memory: with several "
                "processes or servers, set REDIS_URL so that they share it."
            )

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None:
                stored = self._look_up(request, match.kwargs)
                if stored is not None:
                    return stored
        response = self.get_response(request)
        plan = getattr(request, "_page_cache", None)
        if plan is None or getattr(response, "from_page_cache", False):
            return response
        if not plan.reader:
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-store"
            return response
        return _finish(request, response, plan)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if hasattr(request, "_page_cache"):  # decided in __call__
            return None
        return self._look_up(request, request.resolver_match.kwargs)

    def _look_up(self, request, url_kwargs: dict) -> HttpResponse | None:
        """Plan the request's caching; return the stored page if it is fresh."""
        if request.method not in ("GET", "HEAD") or _excluded(request.path_info):
            return None
        if not _is_reader(request):
            request._page_cache = _Plan(reader=False)
            return None
        plan = request._page_cache = _Plan(reader=True, started=time.time())
        if (
            not settings.NEWSROOM_PAGE_CACHE
            or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING
            or not _usable()
        ):
            return None
        # What the request says is read before the cache is asked: a Host
        # that is not allowed is the request's error (a 400), not the cache's,
        # and must not turn the cache off for everyone (RETRY_SECONDS).
        key = _page_key(request)
        try:
            generations, entry, schedule = _find(key, page_scope(url_kwargs))
        except Exception as error:
            _failed(error)
            return None
        plan.key, plan.generations = key, generations
        if entry is None:
            return None
        if schedule is None:
            try:
                schedule = _scheduled_times()
            except DatabaseError:
                # Not the cache's failure either: the view renders the page,
                # or answers 503 if the database is down (resilience.py).
                return None
            _remember_schedule(schedule)
        if _appeared_since(entry, schedule):
            return None
        return _from_entry(request, entry)


def _excluded(path: str) -> bool:
    return path.startswith(tuple(settings.NEWSROOM_PAGE_CACHE_EXCLUDE))


def _is_reader(request) -> bool:
    """Whether the request is anonymous; no session lookup without a cookie."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _page_key(request) -> str:
    """Return the cache key of the request's page; DisallowedHost if its Host is bad."""
    address = "\n".join(
        [
            request.scheme,
            request.get_host(),
            request.path,
            request.META.get("QUERY_STRING", ""),
        ]
    )
    return "page:" + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()


def _find(key: str, scope: str) -> tuple[tuple[str, ...], tuple | None, list | None]:
    """Return the current generations, the page if current, and the schedule.

    The schedule is what a listing is checked against: empty for an article's
    page, None when the cache does not hold it. Only cache calls here: what
    this raises is the cache failing.
    """
    cache = _cache()
    names = [_generation_key(SITE), _generation_key(scope)]
    listing = not scope.startswith("article:")
    found = cache.get_many([*names, key, SCHEDULE_KEY] if listing else [*names, key])
    generations = tuple(
        found.get(name) or _new_generation(cache, name) for name in names
    )
    entry = found.get(key)
    if entry is None or entry[5] != generations:
        return generations, None, []  # never stored, or invalidated since
    return generations, entry, found.get(SCHEDULE_KEY) if listing else []


def _remember_schedule(schedule: list[float]) -> None:
    try:
        _cache().add(SCHEDULE_KEY, schedule, timeout=None)
    except Exception as error:
        _failed(error)


def _appeared_since(entry: tuple, schedule: list[float]) -> bool:
    """Whether a scheduled article became public after the page was rendered."""
    rendered, now = entry[3], time.time()
    return any(rendered < when <= now for when in schedule)


def _new_generation(cache, name: str) -> str:
    token = _token()
    if cache.add(name, token, timeout=None):
        return token
    return cache.get(name) or token  # another process made it first


def _from_entry(request, entry: tuple) -> HttpResponse:
    content, headers, status, _rendered, frameable, _generations = entry
    response = HttpResponse(
        b"" if request.method == "HEAD" else content, status=status, headers=headers
    )
    response["Content-Length"] = str(len(content))
    response.from_page_cache = True
    if frameable:
        response.xframe_options_exempt = True
    return _conditional(request, response)


def _finish(request, response, plan: _Plan):
    """Add the caching headers to a reader's response; store it when it may be."""
    if not _shareable(request, response):
        return response
    if "Cache-Control" not in response:
        response["Cache-Control"] = (
            f"public, max-age={settings.NEWSROOM_PAGE_MAX_AGE}, "
            f"s-maxage={settings.NEWSROOM_PAGE_CDN_MAX_AGE}"
        )
    if "ETag" not in response:
        set_response_etag(response)
    if "Last-Modified" not in response:
        response["Last-Modified"] = http_date(plan.started)
    if plan.key and len(response.content) <= MAX_PAGE_BYTES and _usable():
        entry = (
            response.content,
            tuple(response.items()),
            response.status_code,
            plan.started,
            getattr(response, "xframe_options_exempt", False),
            plan.generations,
        )
        try:
            _cache().set(plan.key, entry, settings.NEWSROOM_PAGE_CACHE_SECONDS)
        except Exception as error:
            _failed(error)
    return _conditional(request, response)


def _shareable(request, response) -> bool:
    """Whether the same response may go to every anonymous reader."""
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or response.has_header("Vary"):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(directive in cache_control for directive in PRIVATE_DIRECTIVES):
        return False
    # Set on the way out by the middleware before this one: a CSRF cookie, a
    # changed session or messages (new, or shown) make the page this visitor's.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.added_new or messages.used):
        return False
    return _is_reader(request)


def _conditional(request, response):
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


# --- rendered bodies


def article_body(
    request, revision, render: Callable[[], SafeString], *, public: bool
) -> SafeString:
    """Return the HTML of a revision's body: `render()`'s, kept by revision.

    Kept only for the tables' default state (a request without a query
    string): sorted, filtered or paged tables are rendered each time. `public`
    says whether the body is the live one, with download and embed links.
    Revisions never change, so nothing invalidates these; they expire after
    NEWSROOM_BODY_CACHE_SECONDS.
    """
    if not settings.NEWSROOM_BODY_CACHE or request.META.get("QUERY_STRING"):
        return render()
    where = hashlib.md5(request.path.encode(), usedforsecurity=False).hexdigest()
    key = f"body:{revision.pk}:{int(public)}:{where}"
    html = None
    if _usable():
        try:
            html = _cache().get(key)
        except Exception as error:
            _failed(error)
    if html is None:
        html = str(render())
        if _usable():
            try:
                _cache().set(key, html, settings.NEWSROOM_BODY_CACHE_SECONDS)
            except Exception as error:
                _failed(error)
    return mark_safe(html)  # noqa: S308 - rendered by render(), or its copy


# --- the cache itself


_unusable_until: dict[str, float] = {}


def _alias() -> str:
    return settings.NEWSROOM_PAGE_CACHE_ALIAS


def _cache():
    return caches[_alias()]


def _usable() -> bool:
    return time.monotonic() >= _unusable_until.get(_location(), 0.0)


def _failed(error: Exception) -> None:
    _unusable_until[_location()] = time.monotonic() + RETRY_SECONDS
    logger.warning(
        "The page cache failed (%s: %s); pages are served without it for %s s.",
        type(error).__name__,
        error,
        RETRY_SECONDS,
    )


def _location() -> str:
    return str(settings.CACHES[_alias()].get("LOCATION", _alias()))


def _generation_key(scope: str) -> str:
    return f"gen:{scope}"


def _token() -> str:
    return secrets.token_hex(8)
