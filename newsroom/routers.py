"""Send anonymous readers' page reads to a read replica; everything else to the primary.

Active when DATABASE_REPLICA_URL is set (settings.DATABASES["replica"] and
DATABASE_ROUTERS). `ReplicaMiddleware` marks a request as a reader's when it
is a GET or HEAD without a session cookie (the page cache's test of an
anonymous reader) outside the staff URLs (`/admin/`, previews); only then
does `ReplicaRouter` send reads to the replica. Writes always go to the
primary, as do reads inside a transaction, reads by staff (they have a
session), and reads outside a request (management commands, cron).

Replica lag. A streaming replica replays the primary's changes a little
later (usually well under a second; more under load or after a network
problem). A reader rendering a page from a lagging replica right after a
publication would see the old version, and the page cache would keep that
page under the new generation until it expires. So every request that may
write (POST, PUT, PATCH, DELETE) sets a shared `HOLD_KEY` in the cache, at
its start and again at its end, and for REPLICA_HOLD_SECONDS after it reads
go to the primary on every app server. The hold is looked up once per request
and only when a read is about to go to the replica: page cache hits cost
nothing more. Writes outside requests (publish_scheduled, import_articles)
do not set it: scheduled articles appear by their time, which the replica
has long had, and imports are drafts.
"""

import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
HOLD_KEY = "replica:hold"
SAFE_METHODS = ("GET", "HEAD")
# Staff pages: always the primary, even for a request without a session.
STAFF_PREFIXES = ("/admin/", "/preview/")


@dataclass
class _Reader:
    """A request whose reads may go to the replica."""

    use_replica: bool | None = None  # None: the hold not looked up yet


_reader: ContextVar[_Reader | None] = ContextVar("replica_reader", default=None)


def is_reader_request(request) -> bool:
    """Whether the request is an anonymous reader's GET or HEAD of a public page."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(STAFF_PREFIXES)
    )


class ReplicaMiddleware:
    """Mark readers' requests for the router; hold reads on the primary after writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if REPLICA not in settings.DATABASES:
            return self.get_response(request)
        if request.method not in SAFE_METHODS:
            _hold()
            try:
                return self.get_response(request)
            finally:
                _hold()
        token = _reader.set(_Reader() if is_reader_request(request) else None)
        try:
            return self.get_response(request)
        finally:
            _reader.reset(token)


class ReplicaRouter:
    """Reads of readers' requests to the replica; the rest to the primary."""

    def db_for_read(self, model, **hints):
        reader = _reader.get()
        if reader is None or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if reader.use_replica is None:
            reader.use_replica = not _held()
        return REPLICA if reader.use_replica else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's very rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica is migrated by replaying the primary's changes.
        return db == PRIMARY


def _hold() -> None:
    seconds = settings.NEWSROOM_REPLICA_HOLD_SECONDS
    try:
        caches["default"].set(HOLD_KEY, time.time() + seconds, timeout=seconds)
    except Exception as error:
        logger.warning("Could not hold reads on the primary (%s)", error)


def _held() -> bool:
    try:
        until = caches["default"].get(HOLD_KEY)
    except Exception as error:
        # No shared cache: no page cache either, so a lagging read only shows
        # an older page for as long as the lag lasts.
        logger.warning("Could not look up the replica hold (%s)", error)
        return False
    return until is not None and until > time.time()
