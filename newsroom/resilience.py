"""Answer 503 Service Unavailable, not 500, while the database cannot be reached.

`DatabaseUnavailableMiddleware` turns `OperationalError` and `InterfaceError`
(connection refused, connection lost, server shutting down) into
templates/503.html with `Retry-After` and `Cache-Control: no-store`, with
DEBUG on or off. The page is static markup rendered without a request
context: the context processors query the database. The error is logged in
one line, without its traceback: during an outage every request fails alike.

It goes right after SecurityMiddleware, outside the session, auth, messages
and page cache middleware, because Django turns an exception raised inside a
middleware into a 500 response at that middleware, before the ones outside it
see the exception. Errors therefore arrive in two ways:

- from a view or its template: `process_exception` answers 503 before
  Django's 500 handling (no traceback page, no "Internal Server Error" log);
- from an inner middleware (the page cache reading `request.user`, which
  loads the session; the session middleware saving a session): the
  `got_request_exception` signal marks the request, and `__call__` replaces
  the 500 response with the 503 one. Django has logged that 500 by then.

Anonymous readers keep getting the pages the page cache holds
(articles/caching/ answers before anything touches the database). When the
database is back, Django reconnects by itself: it opens a connection per
request (CONN_MAX_AGE=0), or drops a persistent one that failed at the end of
the request that saw it fail (CONN_HEALTH_CHECKS checks it before use), or
gets one from its pool (DB_POOL), which retries for a request that waits
(`reconnect_timeout` in settings.py). Nothing here holds 503s for a while.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db.utils import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import get_template

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# What clients (and crawlers, which then keep the page indexed) should wait.
RETRY_AFTER_SECONDS = 30
TEMPLATE = "503.html"
# Served if the template itself cannot be loaded: this page must never fail.
FALLBACK_PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
    "<title>Temporarily unavailable</title></head>\n"
    "<body><main><h1>Temporarily unavailable</h1>"
    "<p>Please try again in a minute.</p></main></body>\n</html>\n"
)
_MARK = "_database_unavailable"


class DatabaseUnavailableMiddleware:
    """Serve the 503 page when the database is unreachable; see the module."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DATABASE_UNAVAILABLE as error:  # DEBUG_PROPAGATE_EXCEPTIONS
            return unavailable(request, error)
        error = getattr(request, _MARK, None)
        if error is not None and response.status_code >= 500:
            return unavailable(request, error)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return unavailable(request, exception)
        return None


@receiver(got_request_exception, dispatch_uid="resilience.database_unavailable")
def _note_database_error(sender, request=None, **kwargs) -> None:
    # Sent by Django's exception-to-response conversion, inside its `except`.
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_UNAVAILABLE):
        setattr(request, _MARK, error)


def unavailable(request, error: Exception) -> HttpResponse:
    """Return the 503 page for a request that failed on the database; log it."""
    logger.error(
        "Database unavailable; answered 503 to %s %s (%s: %s)",
        request.method,
        request.path,
        type(error).__name__,
        " ".join(str(error).split()),
    )
    response = HttpResponse(
        _page(), status=503, content_type="text/html; charset=utf-8"
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _page() -> str:
    try:
        return get_template(TEMPLATE).render()
    except Exception:
        logger.exception("Could not render %s; serving a plain page", TEMPLATE)
        return FALLBACK_PAGE
