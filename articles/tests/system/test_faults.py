"""Faults under traffic: PostgreSQL or Redis stops, and comes back.

Only the tests' private PostgreSQL cluster is ever stopped (conftest.py).
"""

import threading
import time
from collections import Counter

from . import admin_http
from .conftest import NEW_TEXT, OLD_TEXT
from .servers import Browser, tail, wait_until

UNAVAILABLE = "<title>Temporarily unavailable</title>"


def log_text(*app_servers) -> str:
    return "\n".join(server.log.read_text(errors="replace") for server in app_servers)


class Traffic:
    """Readers asking both servers for cached and uncached pages, in a thread."""

    def __init__(self, app_servers, cached: list[str], uncached: str):
        self.readers = [Browser(server.base, timeout=10) for server in app_servers]
        self.cached, self.uncached = cached, uncached
        self.seen: list[tuple[str, str, int, str]] = []  # kind, url, status, body
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        for number in range(100_000):
            if self._stop.is_set():
                return
            for reader in self.readers:
                urls = [("cached", url) for url in self.cached]
                urls.append(("uncached", f"{self.uncached}?probe=t{number}"))
                for kind, url in urls:
                    try:
                        response = reader.get(url)
                    except OSError as error:
                        self.errors.append(f"{url}: {error!r}")
                        continue
                    self.seen.append((kind, url, response.status, response.text))


def answers(reader: Browser, url: str) -> int:
    try:
        return reader.get(url).status
    except OSError:
        return 0


def test_database_down_cached_pages_200_others_503_then_recovery(
    app_servers, postgres, content
):
    """Stop PostgreSQL under traffic, then start it again; gunicorn keeps running."""
    readers = [Browser(server.base) for server in app_servers]
    cached = [content.seed_url, content.story_url, content.desk_url, "/"]
    for url in cached:  # rendered, then read from the cache by both servers
        for reader in readers * 2:
            assert reader.get(url).status == 200, url
    probes = iter(range(100_000))

    def uncached_status(reader: Browser) -> int:
        return answers(reader, f"{content.desk_url}?probe=m{next(probes)}")

    with Traffic(app_servers, cached, content.desk_url) as traffic:
        time.sleep(0.3)
        postgres.stop("fast")
        down_at = time.monotonic()
        wait_until(
            lambda: all(uncached_status(reader) == 503 for reader in readers * 2),
            timeout=10,
            what="503 from both servers with the database down",
        )
        time.sleep(0.5)  # traffic meanwhile
        for reader in readers:
            response = reader.get(f"{content.story_url}?probe=x")
            assert response.status == 503
            assert response.headers["Retry-After"] == "30"
            assert response.headers["Cache-Control"] == "no-store"
            assert UNAVAILABLE in response.text
            for url in cached:
                assert reader.get(url).status == 200, url
        outage = time.monotonic() - down_at

        postgres.start()
        up_at = time.monotonic()
        # Every worker of both servers, its persistent connection included.
        wait_until(
            lambda: all(uncached_status(reader) == 200 for reader in readers * 4),
            timeout=10,
            what="200 again from both servers after PostgreSQL restarted",
        )
        recovered = time.monotonic() - up_at
        time.sleep(0.3)

    statuses = Counter((kind, status) for kind, _, status, _ in traffic.seen)
    print(f"outage {outage:.1f} s, recovered in {recovered:.2f} s: {dict(statuses)}")
    assert not traffic.errors, traffic.errors[:5]
    assert {status for _, status in statuses} <= {200, 503}, statuses
    assert statuses[("cached", 503)] == 0, "a cached page needed the database"
    assert statuses[("uncached", 503)] > 0 and statuses[("cached", 200)] > 0
    for _kind, url, status, body in traffic.seen:
        if status == 503:
            assert UNAVAILABLE in body and "Traceback" not in body, url
    logs = log_text(*app_servers)
    assert "Database unavailable; answered 503 to GET" in logs
    assert "Traceback" not in logs, tail(app_servers[0].log)


def test_redis_down_pages_served_and_publishing_works(
    app_servers, redis_server, content, moderator_at
):
    """Without the shared cache: fresh pages, no stale ones; then it is used again."""
    a, b = app_servers
    reader = Browser(b.base)
    pages = [content.seed_url, content.story_url, content.desk_url, "/"]
    pages.append("/search/?q=csto")
    for url in pages:
        assert reader.get(url).status == 200, url
    assert OLD_TEXT in reader.get(content.story_url).text  # now from the cache

    redis_server.stop()

    for server in app_servers:
        for url in [*pages, f"{content.desk_url}?probe=1"]:
            assert Browser(server.base).get(url).status == 200, (server.name, url)
    moderator = moderator_at(a)  # sessions: written to the database too
    admin_http.approve(moderator, content.story_pk)
    updated = reader.get(content.story_url)
    assert updated.status == 200
    assert NEW_TEXT in updated.text and OLD_TEXT not in updated.text
    assert "page cache failed" in log_text(a, b)

    redis_server.start()  # empty, on the same port

    def caching_again() -> bool:
        for server in app_servers:
            Browser(server.base).get(content.story_url)
        return bool(redis_server.keys("*:page:*"))

    # Each worker leaves a failed cache alone for caching.RETRY_SECONDS (5 s).
    wait_until(caching_again, timeout=15, interval=0.5, what="pages cached again")
    for server in app_servers:
        page = Browser(server.base).get(content.story_url)
        assert NEW_TEXT in page.text, server.name
    admin_http.unpublish(moderator, content.story_pk, "Taken down by a test.")
    assert reader.get(content.story_url).status == 404
