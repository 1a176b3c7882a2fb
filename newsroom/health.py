"""`/healthz`: whether this app server can reach its database and its cache.

Answers JSON, e.g. `{"database": "ok", "cache": "ok"}` (and "replica" when a
read replica is configured), with "error" beside what failed:

- 503 when a database cannot be reached or holds no Newsroom tables (a
  missing SQLite file, a database never migrated): the server cannot
  render pages;
- 200 when only the cache fails: the site keeps serving, uncached (the
  page cache steps aside by itself), so a load balancer should keep the
  server; monitoring should still alert on "cache": "error".

The reason goes to the log, never into the response: the address is public.
Never cached (the page cache excludes it, `Cache-Control: no-store`) and
never redirected to HTTPS (SECURE_REDIRECT_EXEMPT), so a load balancer can
ask over plain HTTP.
"""

import logging
import secrets

from django.conf import settings
from django.core.cache import caches
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from articles.models import Article

logger = logging.getLogger(__name__)

CACHE_KEY = "healthz"


@require_safe
def healthz(request):
    checks = {"database": _database("default"), "cache": _cache()}
    if "replica" in settings.DATABASES:
        checks["replica"] = _database("replica")
    serving = all(state == "ok" for name, state in checks.items() if name != "cache")
    response = JsonResponse(checks, status=200 if serving else 503)
    response["Cache-Control"] = "no-store"
    return response


def _database(alias: str) -> str:
    try:
        # A table the migrations make, not `SELECT 1`: SQLite answers that on
        # a missing database file too (it creates an empty one).
        Article.objects.using(alias).exists()
    except Exception as error:
        _failed(alias, error)
        return "error"
    return "ok"


def _cache() -> str:
    value = secrets.token_hex(8)
    try:
        cache = caches["default"]
        cache.set(CACHE_KEY, value, timeout=30)
        if cache.get(CACHE_KEY) != value:
            raise RuntimeError("the value read back differs from the value set")
    except Exception as error:
        _failed("cache", error)
        return "error"
    return "ok"


def _failed(what: str, error: Exception) -> None:
    # One line without a traceback: a load balancer asks every few seconds.
    logger.warning(
        "Health check: %s failed (%s: %s)", what, type(error).__name__, error
    )
