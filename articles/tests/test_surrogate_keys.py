"""Surrogate keys: each public response names what it shows, for the caches in front."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from articles import caching, workflow
from articles.testing.bodies import paragraph, table
from articles.testing.factories import UserFactory, make_article


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_SURROGATE_KEY_HEADERS = ["xkey", "Surrogate-Key"]
    caching.unusable_until.clear()
    cache.clear()
    yield
    caching.unusable_until.clear()


def keys_of(response) -> set[str]:
    assert response["xkey"] == response["Surrogate-Key"]
    return set(response["xkey"].split())


def with_table(**fields):
    block = table(
        "Votes by region",
        ["Region", {"label": "Votes", "kind": "number"}],
        [["North", "100"], ["South", "200"]],
        source_note="Electoral commission",
        chart="bar",
        chart_category=0,
        chart_series=[1],
    )
    body = [{"heading": "", "blocks": [paragraph("Text."), block]}]
    return make_article(body, publish=True, **fields)


@pytest.mark.django_db
def test_article_page_names_the_article_on_misses_and_page_cache_hits(client):
    article = make_article(publish=True)
    url = article.get_absolute_url()
    for _ in ("rendered", "from the page cache"):
        response = client.get(url)
        assert keys_of(response) == {f"article-{article.pk}", "site"}
    assert keys_of(client.get(url, {"t1-sort": "Votes"})) == {
        f"article-{article.pk}",
        "site",
    }


@pytest.mark.django_db
def test_table_download_embed_and_oembed_name_their_article(client):
    article = with_table()
    url = article.get_absolute_url()
    for address in (
        f"{url}r1/table-1.csv",
        f"{url}r1/chart-1.png",
        f"{url}table-1/embed/",
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert keys_of(response) == {f"article-{article.pk}", "site"}, address
    response = client.get("/oembed/", {"url": f"http://testserver{url}"})
    assert response.status_code == 200
    assert f"article-{article.pk}" in keys_of(response)


@pytest.mark.django_db
def test_desk_home_feeds_sitemaps_and_search_have_their_keys(client):
    article = make_article(publish=True)
    desk = article.desk
    expected = {
        desk.get_absolute_url(): {f"desk-{desk.pk}", "site"},
        "/": {"home", "site"},
        "/feeds/rss/": {"feeds", "site"},
        "/feeds/atom/": {"feeds", "site"},
        f"/feeds/{desk.slug}/rss/": {"feeds", f"desk-{desk.pk}", "site"},
        "/sitemap.xml": {"sitemaps", "site"},
        "/sitemap-news.xml": {"sitemaps", "site"},
        "/search/?q=story": {"search", "site"},
        "/robots.txt": {"site"},
    }
    for url, keys in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert keys_of(response) == keys, url


@pytest.mark.django_db
def test_a_setting_chooses_the_headers(client, settings):
    article = make_article(publish=True)
    settings.NEWSROOM_SURROGATE_KEY_HEADERS = ["Surrogate-Key"]
    response = client.get(article.get_absolute_url())
    assert "xkey" not in response
    assert f"article-{article.pk}" in response["Surrogate-Key"].split()
    settings.NEWSROOM_SURROGATE_KEY_HEADERS = []
    response = client.get(article.desk.get_absolute_url())
    assert "xkey" not in response and "Surrogate-Key" not in response


@pytest.mark.django_db
def test_private_and_missing_pages_carry_no_keys(client):
    article = make_article(publish=True)
    assert "xkey" not in client.get("/no-such-desk/").headers
    staff = type(client)()
    staff.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    response = staff.get(article.get_absolute_url())
    assert response["Cache-Control"] == "private, no-store"
    assert "xkey" not in response


def s_maxage(response) -> int:
    return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"])[1])


@pytest.mark.django_db
def test_listings_expire_by_the_next_scheduled_publication(client):
    """A CDN or Varnish must not keep a listing past the moment an article appears."""
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    published = make_article(publish=True)
    scheduled = make_article()
    workflow.submit(scheduled, by=boss)
    workflow.approve(scheduled, by=boss, at=timezone.now() + timedelta(seconds=30))
    for _ in ("rendered", "from the page cache"):
        response = client.get("/")
        assert 25 <= s_maxage(response) <= 30
        assert response["Cache-Control"].startswith("public, max-age=")
    # An article's own page shows no other article: its full lifetime.
    assert s_maxage(client.get(published.get_absolute_url())) == 60
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert s_maxage(client.get("/")) == 60
