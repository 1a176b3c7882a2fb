"""Faults under traffic: PostgreSQL or Redis stops, and comes back.

Only the tests' private PostgreSQL cluster is ever stopped (conftest.py).
"""

import threading
import time
from collections import Counter

from articles.testing import servers
from articles.testing.servers import Browser, tail, wait_until

from . import admin_http
from .conftest import NEW_TEXT, OLD_TEXT

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


def test_every_server_answers_as_soon_as_postgresql_is_back(
    workdir, postgres, content, database_url, redis_server
):
    """No server keeps answering 503 once the database accepts connections again.

    One sync worker per server, so that the pool's retries are the ones of
    the first request that failed: one server keeps a connection
    (CONN_MAX_AGE), the other a psycopg pool (DB_POOL).
    """
    env = servers.site_env(
        database_url, redis_server.url, static_root=workdir / "static"
    )
    pooled = {**env, "CONN_MAX_AGE": "0", "DB_POOL": "1", "DB_POOL_MAX_SIZE": "2"}
    pair = [
        servers.AppServer("kept", workdir, env, workers=1),
        servers.AppServer("pooled", workdir, pooled, workers=1),
    ]
    probes = iter(range(100_000))

    def statuses() -> list[int]:
        """Each server's answer for a page nobody asked for yet (not in Redis)."""
        return [
            answers(Browser(server.base), f"{content.desk_url}?probe=p{next(probes)}")
            for server in pair
        ]

    try:
        for server in pair:
            server.start()
        for server in pair:
            server.wait_ready()
        assert statuses() == [200, 200]

        postgres.stop("fast")
        first_failure = time.monotonic()
        # psycopg_pool retries a failed connection 1, 3, 7, 15, 31 s (each
        # +-10%) after the first failure: bring PostgreSQL back well inside
        # the gap from 15 to 31 s, with requests failing meanwhile.
        while time.monotonic() < first_failure + 19:
            assert statuses() == [503, 503]
            time.sleep(0.5)
        postgres.start()  # returns once it accepts connections

        assert statuses() == [200, 200], tail(pair[1].log)
        assert statuses() == [200, 200], tail(pair[1].log)
        assert "Traceback" not in log_text(*pair)
    finally:
        for server in pair:
            server.stop()


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
