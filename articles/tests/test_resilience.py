"""With the database down, readers get cached pages or a 503 page, never a 500."""

import contextlib
import logging
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.utils import OperationalError, ProgrammingError
from django.test import Client

from articles import caching
from articles.testing.factories import UserFactory, make_article
from newsroom import resilience

REFUSED = (
    'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
    "Connection refused\n\tIs the server running on that host and accepting "
    "TCP/IP connections?"
)


@contextlib.contextmanager
def database_down(error: Exception | None = None):
    """Every query on this thread's connection fails as if the server were down."""

    def refuse(execute, sql, params, many, context):
        raise error or OperationalError(REFUSED)

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    caching.unusable_until.clear()


@pytest.fixture
def lenient_client():
    """A client that returns 500 responses instead of raising the view's error."""
    return Client(raise_request_exception=False)


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(resilience.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert "<title>Temporarily unavailable</title>" in html
    assert "Traceback" not in html and "OperationalError" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_a_page_needing_the_database_answers_503_while_it_is_down(
    client, settings, caplog, debug
):
    """The 503 page, never Django's 500 or its DEBUG traceback page."""
    settings.DEBUG = debug
    article = make_article(publish=True)
    with database_down(), caplog.at_level(logging.INFO):
        response = client.get(article.get_absolute_url())
    assert_unavailable_page(response)
    [record] = [r for r in caplog.records if r.name == "newsroom.resilience"]
    assert record.levelno == logging.ERROR
    assert "answered 503 to GET /" in record.getMessage()
    assert "Connection refused Is the server running" in record.getMessage()
    # Django adds its usual "Service Unavailable: <path>" line; no tracebacks.
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.django_db
def test_cached_pages_are_still_served_while_the_database_is_down(client):
    article = make_article(publish=True, title="Kept story")
    urls = [article.get_absolute_url(), "/", f"/{article.desk.slug}/"]
    pages = {}
    for url in urls:  # the second request is a cache hit (listings: and schedule)
        client.get(url)
        pages[url] = client.get(url)
    with database_down():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.content == pages[url].content
        assert_unavailable_page(client.get(f"{urls[0]}?t1-sort=c1"))


@pytest.mark.django_db
def test_the_database_down_never_turns_the_page_cache_off(client, caplog):
    """A listing that needs the schedule from the database fails alone."""
    article = make_article(publish=True)
    url = article.get_absolute_url()
    for page in (url, "/"):
        client.get(page)
    caching.page_cache().delete(caching.SCHEDULE_KEY)  # evicted, or Redis restarted
    with database_down():
        assert_unavailable_page(client.get("/"))
        response = client.get(url)
    assert response.status_code == 200
    assert b"The lede." in response.content
    assert "page cache failed" not in caplog.text


@pytest.mark.django_db
def test_staff_get_503_when_their_session_cannot_be_loaded(lenient_client, caplog):
    """The session is loaded by middleware, not a view: still a 503."""
    user = UserFactory(username="staffer", is_staff=True, is_superuser=True)
    lenient_client.force_login(user)
    article = make_article(publish=True)
    with database_down():
        for url in ("/", article.get_absolute_url(), "/admin/"):
            assert_unavailable_page(lenient_client.get(url))
        response = lenient_client.post("/admin/logout/")
    assert_unavailable_page(response)


@pytest.mark.django_db
def test_other_database_errors_are_still_500(lenient_client):
    """A bad query is a bug: it is not hidden behind a 'try again later'."""
    article = make_article(publish=True)
    with database_down(ProgrammingError("relation does not exist")):
        response = lenient_client.get(article.get_absolute_url())
    assert response.status_code == 500


@pytest.mark.django_db
def test_the_503_page_is_never_kept_by_the_page_cache(client):
    article = make_article(publish=True)
    url = article.get_absolute_url()
    with database_down():
        assert client.get(url).status_code == 503
    response = client.get(url)
    assert response.status_code == 200
    assert b"The lede." in response.content


@pytest.mark.django_db
def test_a_broken_503_template_still_gives_a_503_page(client, caplog):
    article = make_article(publish=True)
    with (
        mock.patch.object(resilience, "get_template", side_effect=OSError("gone")),
        database_down(),
    ):
        response = client.get(article.get_absolute_url())
    assert_unavailable_page(response)
    assert "Could not render 503.html" in caplog.text


def test_the_middleware_wraps_sessions_auth_and_the_page_cache():
    """Right after SecurityMiddleware: outside everything that may query."""
    middleware = django_settings.MIDDLEWARE
    position = middleware.index("newsroom.resilience.DatabaseUnavailableMiddleware")
    assert middleware[position - 1] == "django.middleware.security.SecurityMiddleware"
    for inner in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "articles.caching.PageCacheMiddleware",
    ):
        assert middleware.index(inner) > position
