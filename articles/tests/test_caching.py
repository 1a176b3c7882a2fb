"""The page cache: readers get cached pages, never stale ones; staff get fresh ones."""

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest
import time_machine
from django.core.cache import cache, caches
from django.test import RequestFactory
from django.utils import timezone

from articles import caching, services, workflow
from articles.models import Desk, Revision
from articles.testing.bodies import paragraph
from articles.testing.factories import (
    DeskFactory,
    UserFactory,
    large_body,
    make_article,
)
from articles.testing.servers import RedisServer

from .helpers import require_tool


@pytest.fixture(autouse=True)
def page_cache(settings):
    """Every test here starts with the page cache on and empty."""
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_BODY_CACHE = True
    caching.unusable_until.clear()
    cache.clear()
    yield
    caching.unusable_until.clear()


@pytest.fixture
def boss(db):
    """Approves without the four-eyes rule getting in the way."""
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def approve_edit(article, by, text: str):
    """Edit the body, then submit and approve the edit, as the newsroom does."""
    services.replace_body(article, [{"heading": "", "blocks": [paragraph(text)]}])
    workflow.revise(article, by=by)
    workflow.submit(article, by=by)
    return workflow.approve(article, by=by)


def titles(response) -> list[str]:
    doc = lxml.html.fromstring(response.content)
    return [" ".join(a.text_content().split()) for a in doc.xpath("//main//h2/a")]


def cached(client, url, django_assert_num_queries):
    """GET `url` twice; the second answer must come from the cache (no queries)."""
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    return second


# --- readers never get what is no longer published


@pytest.mark.django_db
def test_unpublished_article_leaves_its_page_desk_and_home_at_once(
    client, boss, django_assert_num_queries
):
    """Unpublishing takes the article off its page, every desk page and home."""
    desk = DeskFactory(name="World")
    for n in range(21):  # the desk's second page shows the oldest
        make_article(publish=True, desk=desk, title=f"Older story {n}")
    article = make_article(
        large_body(sections=1, tables=1), publish=True, desk=desk, title="Big story"
    )
    url = article.get_absolute_url()
    pages = [url, f"{url}?t1-sort=-c1", "/world/", "/world/?page=2", "/"]
    for page in pages:
        cached(client, page, django_assert_num_queries)
    assert titles(client.get("/world/?page=2")) == ["Older story 1", "Older story 0"]
    assert "Big story" in titles(client.get("/world/"))
    assert "Big story" in titles(client.get("/"))

    workflow.unpublish(article, by=boss)

    assert client.get(url).status_code == 404
    assert client.get(f"{url}?t1-sort=-c1").status_code == 404
    assert "Big story" not in titles(client.get("/world/"))
    assert "Big story" not in titles(client.get("/"))
    # Every page of the desk moved up by one, its second page included.
    assert titles(client.get("/world/?page=2")) == ["Older story 0"]


@pytest.mark.django_db
def test_an_approved_edit_changes_the_page_at_once(
    client, boss, django_assert_num_queries
):
    """Readers see an approved edit on their next request, not after a timeout."""
    article = make_article(publish=True, title="Story")
    url = article.get_absolute_url()
    before = cached(client, url, django_assert_num_queries)
    assert b"The lede." in before.content

    approve_edit(article, boss, "A brand new lede.")

    after = client.get(url)
    assert b"A brand new lede." in after.content
    assert b"The lede." not in after.content
    assert after["ETag"] != before["ETag"]


@pytest.mark.django_db
def test_an_edit_waiting_for_approval_changes_nothing_for_readers(client, boss):
    article = make_article(publish=True)
    url = article.get_absolute_url()
    before = client.get(url)
    services.replace_body(article, [{"heading": "", "blocks": [paragraph("Draft")]}])
    workflow.revise(article, by=boss)
    workflow.submit(article, by=boss)
    assert client.get(url).content == before.content


@pytest.mark.django_db
def test_scheduled_article_appears_in_cached_listings_at_its_time(client, boss):
    """A listing cached before an article's time does not hide it afterwards."""
    desk = DeskFactory(name="World")
    make_article(publish=True, desk=desk, title="Already out")
    article = make_article(desk=desk, title="Embargoed story")
    workflow.submit(article, by=boss)
    # Sooner than cached pages expire (NEWSROOM_PAGE_CACHE_SECONDS).
    at = timezone.now() + timedelta(minutes=2)
    workflow.approve(article, by=boss, at=at)
    for page in ("/", "/world/"):
        assert "Embargoed story" not in titles(client.get(page))
        assert "Embargoed story" not in titles(client.get(page))  # now cached
    with time_machine.travel(at + timedelta(seconds=1)):
        for page in ("/", "/world/"):
            assert "Embargoed story" in titles(client.get(page))
        assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_renaming_a_desk_refreshes_every_page(client, django_assert_num_queries):
    desk = DeskFactory(name="World")
    article = make_article(publish=True, desk=desk)
    cached(client, article.get_absolute_url(), django_assert_num_queries)
    desk.name = "The World"
    desk.save()
    assert b"The World" in client.get(article.get_absolute_url()).content


# --- exact invalidation and query budgets


@pytest.mark.django_db
def test_approving_one_article_keeps_the_others_cached(
    client, boss, django_assert_num_queries
):
    """Invalidation is exact: another article of the same desk stays cached."""
    desk = DeskFactory(name="World")
    a = make_article(publish=True, desk=desk, title="Story A")
    b = make_article(publish=True, desk=desk, title="Story B")
    other_desk = make_article(publish=True, title="Story C")
    for article in (a, b, other_desk):
        cached(client, article.get_absolute_url(), django_assert_num_queries)
    cached(client, other_desk.desk.get_absolute_url(), django_assert_num_queries)

    approve_edit(a, boss, "News about A.")

    with django_assert_num_queries(0):
        assert client.get(b.get_absolute_url()).status_code == 200
        assert client.get(other_desk.get_absolute_url()).status_code == 200
        assert client.get(other_desk.desk.get_absolute_url()).status_code == 200
    assert b"News about A." in client.get(a.get_absolute_url()).content


@pytest.mark.django_db
def test_article_page_costs_2_queries_cold_and_none_warm(
    client, django_assert_num_queries
):
    article = make_article(large_body(), publish=True)
    url = article.get_absolute_url()
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_page_cache_off_renders_every_time(
    client, settings, django_assert_max_num_queries
):
    settings.NEWSROOM_PAGE_CACHE = False
    article = make_article(publish=True)
    client.get(article.get_absolute_url())
    with django_assert_max_num_queries(3) as queries:
        response = client.get(article.get_absolute_url())
    assert len(queries) > 0
    assert response["Cache-Control"].startswith("public")  # the headers stay


# --- HTTP caching: headers and conditional requests


@pytest.mark.django_db
def test_readers_get_public_pages_with_etag_and_last_modified(client):
    article = make_article(publish=True)
    for url in (article.get_absolute_url(), "/", article.desk.get_absolute_url()):
        for _ in ("cold", "warm"):
            response = client.get(url)
            assert response["Cache-Control"] == "public, max-age=60, s-maxage=60"
            assert response["ETag"].startswith('"')
            assert response["Last-Modified"].endswith("GMT")


@pytest.mark.django_db
def test_conditional_requests_get_304(client, boss):
    """If-None-Match with the ETag, or If-Modified-Since, answers 304."""
    article = make_article(publish=True)
    url = article.get_absolute_url()
    first = client.get(url)
    for headers in (
        {"If-None-Match": first["ETag"]},
        {"If-Modified-Since": first["Last-Modified"]},
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == first["ETag"]
        assert response["Cache-Control"].startswith("public")

    approve_edit(article, boss, "Changed.")

    response = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == (
        304
    )


@pytest.mark.django_db
def test_head_requests_are_served_from_the_cache_without_a_body(
    client, django_assert_num_queries
):
    article = make_article(publish=True)
    full = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.head(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == full["ETag"]


@pytest.mark.django_db
def test_staff_see_fresh_private_pages_that_are_never_stored(
    client, boss, django_assert_num_queries, django_assert_max_num_queries
):
    article = make_article(publish=True)
    url = article.get_absolute_url()
    cached(client, url, django_assert_num_queries)
    # A change no invalidation hears of: only a fresh render shows it.
    Desk.objects.filter(pk=article.desk.pk).update(name="Renamed quietly")

    staff = type(client)()
    staff.force_login(boss)
    response = staff.get(url)
    assert b"Renamed quietly" in response.content
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response
    # Readers still get the cached page: the staff page was not stored.
    with django_assert_num_queries(0):
        assert b"Renamed quietly" not in client.get(url).content


@pytest.mark.django_db
def test_logged_out_session_reads_the_cache_like_any_reader(
    client, boss, django_assert_max_num_queries
):
    article = make_article(publish=True)
    url = article.get_absolute_url()
    client.get(url)
    client.force_login(boss)
    client.logout()
    client.cookies["sessionid"] = "no-such-session"
    with django_assert_max_num_queries(1):  # the session lookup, not the page
        response = client.get(url)
    assert response["Cache-Control"].startswith("public")


@pytest.mark.django_db
def test_previews_and_admin_are_never_cached(client, boss):
    from articles.models import PreviewLink

    article = make_article()
    link = PreviewLink.objects.create(
        article=article,
        revision=article.revisions.get(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    for _ in range(2):
        response = client.get(f"/preview/{link.token}/")
        assert response["Cache-Control"] == "private, no-store"
    link.revoked_at = timezone.now()
    link.save()
    assert client.get(f"/preview/{link.token}/").status_code == 404


@pytest.mark.django_db
def test_embeds_stay_frameable_when_served_from_the_cache(
    client, django_assert_num_queries
):
    article = make_article(publish=True)
    embed = f"{article.get_absolute_url()}table-1/embed/"
    page = article.get_absolute_url()
    for url in (embed, page):
        client.get(url)
    with django_assert_num_queries(0):
        assert "X-Frame-Options" not in client.get(embed)
        assert client.get(page)["X-Frame-Options"] == "DENY"


# --- rendered bodies


@pytest.mark.django_db
def test_body_is_rendered_once_per_revision_in_the_default_state(boss):
    article = make_article(publish=True)
    revision = article.live_revision
    renders = []

    def render():
        renders.append(1)
        return f"<p>body {len(renders)}</p>"

    factory = RequestFactory()
    plain = factory.get(article.get_absolute_url())
    sorted_ = factory.get(article.get_absolute_url(), {"t1-sort": "c1"})
    assert caching.article_body(plain, revision, render, public=True) == "<p>body 1</p>"
    assert caching.article_body(plain, revision, render, public=True) == "<p>body 1</p>"
    # A sorted table, or the same revision in a preview, is rendered again.
    assert caching.article_body(sorted_, revision, render, public=True) == (
        "<p>body 2</p>"
    )
    assert caching.article_body(plain, revision, render, public=False) == (
        "<p>body 3</p>"
    )
    approve_edit(article, boss, "New")
    article.refresh_from_db()
    assert caching.article_body(plain, article.live_revision, render, public=True) == (
        "<p>body 4</p>"
    )


@pytest.mark.django_db
def test_the_body_of_a_revision_not_saved_is_never_kept():
    """Working copies previewed at one address would otherwise share one body."""
    article = make_article()
    request = RequestFactory().get("/admin/articles/article/1/editor/preview/")
    bodies = iter(["<p>typed</p>", "<p>typed more</p>"])
    for expected in ("<p>typed</p>", "<p>typed more</p>"):
        unsaved = Revision(article=article, number=2, snapshot={})
        body = caching.article_body(
            request, unsaved, lambda: next(bodies), public=False
        )
        assert body == expected


# --- Redis: shared by app servers, and never a reason for a page to fail


def redis_cache(url: str) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "newsroom-tests",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


def start_redis() -> RedisServer:
    require_tool(
        shutil.which("redis-server") is not None,
        "redis-server is not installed (apt-get install redis-server)",
    )
    server = RedisServer(Path(tempfile.mkdtemp(prefix="newsroom-redis-")))
    server.start()
    return server


@pytest.fixture(scope="session")
def redis_server():
    server = start_redis()
    yield server
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


@pytest.fixture
def two_app_servers(settings, redis_server):
    """Two cache clients of one Redis, as two app servers have."""
    settings.CACHES = {
        "default": redis_cache(redis_server.url),
        "other": redis_cache(redis_server.url),
    }
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.mark.django_db
def test_redis_invalidation_reaches_the_other_app_server(
    client, boss, settings, two_app_servers, django_assert_num_queries
):
    """A page cached through one client is invalidated through another."""
    assert caches["default"] is not caches["other"]
    article = make_article(publish=True)
    url = article.get_absolute_url()
    settings.NEWSROOM_PAGE_CACHE_ALIAS = "other"
    client.get(url)  # server 2 renders and stores the page
    settings.NEWSROOM_PAGE_CACHE_ALIAS = "default"
    with django_assert_num_queries(0):  # server 1 reads what server 2 stored
        assert client.get(url).status_code == 200

    settings.NEWSROOM_PAGE_CACHE_ALIAS = "other"
    workflow.unpublish(article, by=boss)  # the moderator's request on server 2

    settings.NEWSROOM_PAGE_CACHE_ALIAS = "default"
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_redis_down_never_breaks_a_page(client, boss, settings, caplog):
    server = start_redis()
    try:
        settings.CACHES = {"default": redis_cache(server.url)}
        article = make_article(publish=True)
        url = article.get_absolute_url()
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200  # from Redis
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)

    response = client.get(url)
    assert response.status_code == 200
    assert b"The lede." in response.content
    assert "page cache failed" in caplog.text
    workflow.unpublish(article, by=boss)  # the invalidation fails quietly
    assert client.get(url).status_code == 404
    caching.unusable_until.clear()  # the retry delay is over: it fails again
    assert client.get("/").status_code == 200


@pytest.fixture
def redis_page_cache(settings, redis_server):
    """The page cache in Redis, as on the app servers."""
    settings.CACHES = {"default": redis_cache(redis_server.url)}
    caches["default"].clear()
    yield
    caches["default"].clear()


# Requests any reader can send: each is answered (400 for a Host that is not
# allowed), and none may keep the page cache from other readers.
ODD_REQUESTS = {
    "host not allowed": ("", {"HTTP_HOST": "evil.example"}),
    "host with a bad port": ("", {"HTTP_HOST": "testserver:http"}),
    "host not ascii": ("", {"HTTP_HOST": "b\u00e4d.example"}),
    "host with a path": ("", {"HTTP_HOST": "testserver/x"}),
    "broken utf-8 in the path": ("%ff%fe/", {}),
    "broken query string": ("?%zz=%ff&&=&t1-sort", {}),
    "long query string": ("?q=" + "x" * 2000, {}),
    "bad dates and etags": (
        "",
        {"HTTP_IF_MODIFIED_SINCE": "yesterday", "HTTP_IF_NONE_MATCH": '"'},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("suffix, headers", ODD_REQUESTS.values(), ids=ODD_REQUESTS)
def test_no_request_turns_the_page_cache_off_for_other_readers(
    client, redis_page_cache, caplog, django_assert_num_queries, suffix, headers
):
    """Only the cache's own errors make the page cache step aside, never a request's."""
    article = make_article(publish=True)
    url = article.get_absolute_url()
    cached(client, url, django_assert_num_queries)
    response = client.get(url + suffix, **headers)
    if "HTTP_HOST" in headers:
        assert response.status_code == 400
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    assert "page cache failed" not in caplog.text
