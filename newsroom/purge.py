"""Telling HTTP caches in front of the app servers that pages changed.

A public response carries the *surrogate keys* of what it shows (see
articles/caching/keys.py) in the headers NEWSROOM_SURROGATE_KEY_HEADERS
names: `xkey` for Varnish's xkey vmod, `Surrogate-Key` for CDNs (Fastly and
others). When something readers see changes, `purge(keys, urls)` asks every
cache in NEWSROOM_PURGE_BACKENDS to drop it, once the transaction commits:

    NEWSROOM_PURGE_BACKENDS = [
        {"BACKEND": "newsroom.purge.VarnishXkeyBackend",
         "LOCATION": "http://127.0.0.1:6081"},
        {"BACKEND": "newsroom.purge.HTTPPurgeBackend",
         "LOCATION": "http://cache.internal:8080", "HOSTS": ["news.example.org"]},
    ]

A backend is a class with `purge(keys, urls)` that raises on failure; its
dict's other entries are keyword arguments (lower-cased). Each backend is
tried ATTEMPTS times with a short backoff and a TIMEOUT per request; a
failure is logged (logger `newsroom.purge`) and never raised: publishing
must not wait on, or fail because of, a cache. Pages that a cache kept
anyway expire after their s-maxage (NEWSROOM_PAGE_CDN_MAX_AGE).

Purges run in the request that published, after its commit, one backend
after the other: with the defaults an unreachable cache costs at most
ATTEMPTS * TIMEOUT plus the backoff, and a refused connection almost nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from functools import partial
from http.client import HTTPConnection, HTTPSConnection
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF_SECONDS = 0.2  # then twice as long before each next attempt
TIMEOUT = 2.0


class PurgeError(Exception):
    """A cache did not confirm a purge."""


class PurgeBackend:
    """A cache that can be told to drop pages, by key or by address."""

    def __init__(self, location: str, *, timeout: float = TIMEOUT, **options):
        address = urlsplit(location)
        if address.scheme not in ("http", "https") or not address.hostname:
            raise ValueError(f"A purge LOCATION is an http(s) URL, not {location!r}.")
        self.location = location
        self.address = address
        self.timeout = timeout

    def __str__(self) -> str:
        return f"{type(self).__name__} at {self.location}"

    def purge(self, keys: Sequence[str], urls: Sequence[str]) -> None:
        raise NotImplementedError

    def send(self, method: str, path: str, headers: dict[str, str]) -> int:
        """Send one request to the cache; raise PurgeError unless it answers 2xx."""
        connection_class = (
            HTTPSConnection if self.address.scheme == "https" else HTTPConnection
        )
        connection = connection_class(
            self.address.hostname, self.address.port, timeout=self.timeout
        )
        try:
            connection.request(method, path, headers=headers)
            answer = connection.getresponse()
            answer.read()
        except OSError as error:
            raise PurgeError(f"{method} {path}: {error}") from error
        finally:
            connection.close()
        if not 200 <= answer.status < 300:
            raise PurgeError(f"{method} {path}: {answer.status} {answer.reason}")
        return answer.status


class VarnishXkeyBackend(PurgeBackend):
    """Varnish with the xkey vmod and deploy/varnish/newsroom.vcl.

    One `PURGE` request whose `xkey-purge` header lists the keys: every
    object tagged with any of them goes, whatever its address or query
    string. Addresses are not needed.
    """

    # Varnish's default limit on a request header is 8 KB.
    KEYS_PER_REQUEST = 200

    def purge(self, keys, urls):
        keys = list(keys)
        for start in range(0, len(keys), self.KEYS_PER_REQUEST):
            chunk = keys[start : start + self.KEYS_PER_REQUEST]
            self.send("PURGE", "/", {"xkey-purge": " ".join(chunk)})


class HTTPPurgeBackend(PurgeBackend):
    """Any cache that drops one address on `PURGE <path>` (no keys).

    One request per address and host in HOSTS (default: the concrete names
    in ALLOWED_HOSTS), since such caches key pages by host and path. Only
    the addresses given are dropped: not the query-string variants of a
    page (sorted or filtered tables), which expire after their s-maxage.
    """

    def __init__(self, location: str, *, hosts: Iterable[str] = (), **options):
        super().__init__(location, **options)
        self.hosts = list(hosts)

    def purge(self, keys, urls):
        hosts = self.hosts or [
            host
            for host in settings.ALLOWED_HOSTS
            if host and not host.startswith(".") and "*" not in host
        ]
        failures = []
        for url in urls:
            for host in hosts:
                try:
                    self.send("PURGE", url, {"Host": host})
                except PurgeError as error:
                    # Unreachable: the other addresses would each wait out
                    # the timeout too.
                    if isinstance(error.__cause__, OSError):
                        raise
                    failures.append(str(error))
        if failures:
            raise PurgeError("; ".join(failures))


def backends() -> list[PurgeBackend]:
    """The configured purge backends (NEWSROOM_PURGE_BACKENDS)."""
    made = []
    for config in settings.NEWSROOM_PURGE_BACKENDS:
        options = {
            name.lower(): value
            for name, value in config.items()
            if name not in ("BACKEND", "LOCATION")
        }
        made.append(import_string(config["BACKEND"])(config["LOCATION"], **options))
    return made


def purge(keys: Iterable[str], urls: Iterable[str] = ()) -> None:
    """Purge `keys` (and `urls`, for caches without keys) once the transaction commits.

    Outside a transaction, at once. Never raises.
    """
    if not settings.NEWSROOM_PURGE_BACKENDS:
        return
    transaction.on_commit(
        partial(purge_now, sorted(set(keys)), sorted(set(urls))), robust=True
    )


def purge_now(keys: Sequence[str], urls: Sequence[str]) -> bool:
    """Send the purge to every backend, retrying; log failures; True if all took it."""
    try:
        configured = backends()
    except Exception:
        logger.exception("The purge backends are misconfigured; nothing was purged")
        return False
    done = True
    for backend in configured:
        done = _attempt(backend, keys, urls) and done
    return done


def _attempt(backend: PurgeBackend, keys, urls) -> bool:
    delay = BACKOFF_SECONDS
    for attempt in range(1, ATTEMPTS + 1):
        try:
            backend.purge(keys, urls)
        except Exception as error:
            if attempt == ATTEMPTS:
                logger.error(
                    "Purge failed after %s attempts at %s (keys: %s): %s",
                    ATTEMPTS,
                    backend,
                    " ".join(keys),
                    error,
                )
                return False
            logger.warning(
                "Purge attempt %s at %s failed, retrying: %s", attempt, backend, error
            )
            time.sleep(delay)
            delay *= 2
        else:
            logger.info("Purged at %s: keys %s", backend, " ".join(keys))
            return True
    return False
