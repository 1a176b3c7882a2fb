"""PageCacheMiddleware: readers' pages served from the shared cache."""

import hashlib
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe

from . import keys
from .invalidation import scheduled_times
from .scopes import SCHEDULE_KEY, SITE, page_scope
from .store import cache_alias, failed, generation_key, new_token, page_cache, usable

# One logger for the whole page cache, as before it was a package.
logger = logging.getLogger("articles.caching")


# Longer query strings (or larger pages) are served but not stored.
MAX_QUERY_STRING = 512
MAX_PAGE_BYTES = 2 * 1024 * 1024
# Response headers that make a page unfit to share between readers.
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")
# Pages that list articles, which scheduled ones appear on by themselves.
LISTS_ARTICLES = frozenset({"desk", *keys.BY_URL_NAME})
# The Cache-Control that `_finish` gives readers' pages.
LIFETIME = re.compile(r"public, max-age=\d+, s-maxage=\d+")


@dataclass
class _Plan:
    """What the middleware decided for one request."""

    reader: bool
    key: str = ""  # empty: nothing to read or store (cache off or unavailable)
    generations: tuple[str, ...] = ()
    started: float = 0.0
    listing: bool = False  # lists articles: scheduled ones appear on it
    schedule: list[float] | None = None  # None: not read yet


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
        backend = settings.CACHES[cache_alias()]["BACKEND"]
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
                stored = self._look_up(request, match)
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
        return self._look_up(request, request.resolver_match)

    def _look_up(self, request, match: ResolverMatch) -> HttpResponse | None:
        """Plan the request's caching; return the stored page if it is fresh."""
        if request.method not in ("GET", "HEAD") or _excluded(request.path_info):
            return None
        if not _is_reader(request):
            request._page_cache = _Plan(reader=False)
            return None
        scope = page_scope(match.kwargs)
        plan = request._page_cache = _Plan(
            reader=True, started=time.time(), listing=match.url_name in LISTS_ARTICLES
        )
        if (
            not settings.NEWSROOM_PAGE_CACHE
            or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING
            or not usable()
        ):
            return None
        # What the request says is read before the cache is asked: a Host
        # that is not allowed is the request's error (a 400), not the cache's,
        # and must not turn the cache off for everyone (RETRY_SECONDS).
        key = _page_key(request)
        try:
            generations, entry, schedule = _find(key, scope)
        except Exception as error:
            failed(error)
            return None
        plan.key, plan.generations, plan.schedule = key, generations, schedule
        if entry is None:
            return None
        if schedule is None:
            try:
                schedule = plan.schedule = scheduled_times()
            except DatabaseError:
                # Not the cache's failure either: the view renders the page,
                # or answers 503 if the database is down (newsroom/resilience.py).
                return None
            _remember_schedule(schedule)
        if _appeared_since(entry, schedule):
            return None
        response = _from_entry(request, entry)
        if LIFETIME.fullmatch(response.get("Cache-Control", "")):
            response["Cache-Control"] = _lifetime(schedule if plan.listing else [])
        return response


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
    cache = page_cache()
    names = [generation_key(SITE), generation_key(scope)]
    listing = not scope.startswith("article:")
    found = cache.get_many([*names, key, SCHEDULE_KEY] if listing else [*names, key])
    generations = tuple(
        found.get(name) or new_generation(cache, name) for name in names
    )
    entry = found.get(key)
    schedule = found.get(SCHEDULE_KEY) if listing else []
    if entry is None or entry[5] != generations:
        return generations, None, schedule  # never stored, or invalidated since
    return generations, entry, schedule


def _remember_schedule(schedule: list[float]) -> None:
    try:
        page_cache().add(SCHEDULE_KEY, schedule, timeout=None)
    except Exception as error:
        failed(error)


def _lifetime(schedule: list[float]) -> str:
    """Cache-Control for a reader's page, not outliving the next scheduled publication.

    Scheduled articles appear by themselves at their time: a listing that
    browsers or a CDN keep must have expired by then.
    """
    max_age = settings.NEWSROOM_PAGE_MAX_AGE
    cdn_max_age = settings.NEWSROOM_PAGE_CDN_MAX_AGE
    now = time.time()
    upcoming = [when - now for when in schedule if when > now]
    if upcoming:
        left = int(min(upcoming))
        max_age, cdn_max_age = min(max_age, left), min(cdn_max_age, left)
    return f"public, max-age={max_age}, s-maxage={cdn_max_age}"


def _plan_schedule(plan: _Plan) -> list[float]:
    """The schedule a page's lifetime is bounded by: none but for lists of articles.

    Usually read from the cache with the page (`_find`); from the database
    (one query) when the cache does not hold it or is off.
    """
    if not plan.listing:
        return []
    if plan.schedule is None:
        try:
            plan.schedule = scheduled_times()
        except DatabaseError:
            return []
        if plan.key:
            _remember_schedule(plan.schedule)
    return plan.schedule


def _appeared_since(entry: tuple, schedule: list[float]) -> bool:
    """Whether a scheduled article became public after the page was rendered."""
    rendered, now = entry[3], time.time()
    return any(rendered < when <= now for when in schedule)


def new_generation(cache, name: str) -> str:
    token = new_token()
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
        response["Cache-Control"] = _lifetime(_plan_schedule(plan))
    keys.add_headers(request, response)
    if "ETag" not in response:
        set_response_etag(response)
    if "Last-Modified" not in response:
        response["Last-Modified"] = http_date(plan.started)
    if plan.key and len(response.content) <= MAX_PAGE_BYTES and usable():
        entry = (
            response.content,
            tuple(response.items()),
            response.status_code,
            plan.started,
            getattr(response, "xframe_options_exempt", False),
            plan.generations,
        )
        try:
            page_cache().set(plan.key, entry, settings.NEWSROOM_PAGE_CACHE_SECONDS)
        except Exception as error:
            failed(error)
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
