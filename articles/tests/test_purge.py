"""Purging the caches in front: by key or by address, after commit, never blocking."""

import io
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from articles import services, workflow
from articles.testing.bodies import paragraph
from articles.testing.factories import DeskFactory, UserFactory, make_article
from newsroom import purge


class RecordingCache(ThreadingHTTPServer):
    """A local HTTP server that records what it is sent and answers `statuses`."""

    daemon_threads = True

    def __init__(self, statuses=()):
        self.seen: list[tuple[str, str, dict]] = []
        self.statuses = list(statuses)  # answered in turn, then 200

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(handler):
                self.seen.append(
                    (handler.command, handler.path, dict(handler.headers.items()))
                )
                status = self.statuses.pop(0) if self.statuses else 200
                handler.send_response(status)
                handler.send_header("Content-Length", "0")
                handler.end_headers()

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


@pytest.fixture
def boss(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(purge, "BACKOFF_SECONDS", 0.01)


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def publish_edit(article, by, text="Changed."):
    services.replace_body(article, [{"heading": "", "blocks": [paragraph(text)]}])
    workflow.revise(article, by=by)
    workflow.submit(article, by=by)
    return workflow.approve(article, by=by)


@pytest.mark.django_db
def test_publishing_purges_by_key_once_committed(
    settings, boss, django_capture_on_commit_callbacks
):
    article = make_article(publish=True)
    with RecordingCache() as cache:
        settings.NEWSROOM_PURGE_BACKENDS = [
            {"BACKEND": "newsroom.purge.VarnishXkeyBackend", "LOCATION": cache.url}
        ]
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            publish_edit(article, boss)
        assert cache.seen == []  # nothing before the commit
        for callback in callbacks:
            callback()
    assert len(cache.seen) == 1
    method, path, headers = cache.seen[0]
    assert (method, path) == ("PURGE", "/")
    assert set(headers["xkey-purge"].split()) == {
        f"article-{article.pk}",
        f"desk-{article.desk_id}",
        "home",
        "feeds",
        "sitemaps",
        "search",
    }


@pytest.mark.django_db
def test_unpublishing_and_desk_changes_purge_too(
    settings, boss, django_capture_on_commit_callbacks
):
    article = make_article(publish=True)
    with RecordingCache() as cache:
        settings.NEWSROOM_PURGE_BACKENDS = [
            {"BACKEND": "newsroom.purge.VarnishXkeyBackend", "LOCATION": cache.url}
        ]
        with django_capture_on_commit_callbacks(execute=True):
            workflow.unpublish(article, by=boss)
        with django_capture_on_commit_callbacks(execute=True):
            DeskFactory(name="Sport", slug="sport")
    purged = [headers["xkey-purge"].split() for _, _, headers in cache.seen]
    assert f"article-{article.pk}" in purged[0]
    assert purged[-1] == ["site"]


@pytest.mark.django_db
def test_a_scheduled_article_going_live_purges(
    settings, boss, django_capture_on_commit_callbacks
):
    article = make_article()
    workflow.submit(article, by=boss)
    at = timezone.now() + timedelta(minutes=5)
    workflow.approve(article, by=boss, at=at)
    with RecordingCache() as cache:
        settings.NEWSROOM_PURGE_BACKENDS = [
            {"BACKEND": "newsroom.purge.VarnishXkeyBackend", "LOCATION": cache.url}
        ]
        with (
            time_machine.travel(at + timedelta(seconds=1)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command("publish_scheduled", stdout=io.StringIO())
    assert len(cache.seen) == 1
    keys = cache.seen[0][2]["xkey-purge"].split()
    assert {f"article-{article.pk}", f"desk-{article.desk_id}", "home"} <= set(keys)


@pytest.mark.django_db
def test_plain_purge_backend_sends_each_address_for_each_host(
    settings, boss, django_capture_on_commit_callbacks
):
    article = make_article(publish=True)
    with RecordingCache() as cache:
        settings.NEWSROOM_PURGE_BACKENDS = [
            {
                "BACKEND": "newsroom.purge.HTTPPurgeBackend",
                "LOCATION": cache.url,
                "HOSTS": ["news.example.org"],
            }
        ]
        with django_capture_on_commit_callbacks(execute=True):
            publish_edit(article, boss)
    paths = {path for _, path, _ in cache.seen}
    assert {article.get_absolute_url(), article.desk.get_absolute_url(), "/"} <= paths
    assert {"/feeds/rss/", "/sitemap.xml"} <= paths
    assert {headers["Host"] for _, _, headers in cache.seen} == {"news.example.org"}


def test_a_failed_attempt_is_retried():
    with RecordingCache(statuses=[503]) as cache:
        backend = purge.VarnishXkeyBackend(cache.url)
        assert purge._attempt(backend, ["home"], [])
    assert len(cache.seen) == 2


@pytest.mark.django_db
def test_an_unreachable_cache_never_blocks_publishing(
    settings, boss, caplog, django_capture_on_commit_callbacks
):
    """The publication stands; the failure is retried, then logged as an error."""
    article = make_article(publish=True)
    settings.NEWSROOM_PURGE_BACKENDS = [
        {
            "BACKEND": "newsroom.purge.VarnishXkeyBackend",
            "LOCATION": f"http://127.0.0.1:{unused_port()}",
            "TIMEOUT": 0.5,
        }
    ]
    with (
        caplog.at_level(logging.INFO, logger="newsroom.purge"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        article = publish_edit(article, boss, "Published anyway.")
    assert callbacks  # the purge ran, after the commit
    article.refresh_from_db()
    assert article.live_revision.number == 2
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "Purge failed after 3 attempts" in errors[0].getMessage()
    assert f"article-{article.pk}" in errors[0].getMessage()


def test_a_misconfigured_backend_is_logged_not_raised(settings, caplog):
    settings.NEWSROOM_PURGE_BACKENDS = [
        {"BACKEND": "newsroom.purge.VarnishXkeyBackend", "LOCATION": "not a url"}
    ]
    assert purge.purge_now(["home"], []) is False
    assert "misconfigured" in caplog.text


def test_an_address_purge_gives_up_at_the_first_unanswered_request():
    """A silent cache costs one timeout per attempt, not one per address."""
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        backend = purge.HTTPPurgeBackend(
            f"http://127.0.0.1:{port}", hosts=["news.example.org"], timeout=0.2
        )
        started = time.monotonic()
        with pytest.raises(purge.PurgeError):
            backend.purge([], [f"/page-{n}/" for n in range(10)])
        assert time.monotonic() - started < 1.0


def test_the_environment_configures_the_backends_and_headers():
    script = (
        "import json; from newsroom import settings as s; "
        "print(json.dumps([s.NEWSROOM_PURGE_BACKENDS, "
        "s.NEWSROOM_SURROGATE_KEY_HEADERS]))"
    )
    env = {
        **os.environ,
        "DEBUG": "1",
        "PURGE_VARNISH_URLS": "http://10.0.0.21:6081, http://10.0.0.22:6081",
        "PURGE_URLS": "http://cache:8080",
        "PURGE_HOSTS": "news.example.org",
        "SURROGATE_KEY_HEADERS": "Surrogate-Key",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True
    )
    backends, headers = json.loads(done.stdout)
    varnish = "newsroom.purge.VarnishXkeyBackend"
    assert backends == [
        {"BACKEND": varnish, "LOCATION": "http://10.0.0.21:6081"},
        {"BACKEND": varnish, "LOCATION": "http://10.0.0.22:6081"},
        {
            "BACKEND": "newsroom.purge.HTTPPurgeBackend",
            "LOCATION": "http://cache:8080",
            "HOSTS": ["news.example.org"],
        },
    ]
    assert headers == ["Surrogate-Key"]
