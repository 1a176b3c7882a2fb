from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from lxml import etree

from articles.testing.factories import DeskFactory, large_body, make_article

from .helpers import empty_caches

# sitemap.xsd as published by sitemaps.org for the 0.9 protocol.
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data/sitemap.xsd")))
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
HOST = "news.example.org"


def xml(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def locations(doc):
    return doc.xpath("/sm:urlset/sm:url/sm:loc/text()", namespaces=NS)


@pytest.fixture
def host(settings):
    settings.ALLOWED_HOSTS = [HOST]
    return {"HTTP_HOST": HOST, "secure": True}


@pytest.mark.django_db
def test_sitemap_is_valid_and_lists_live_articles_and_desks(client, host):
    world = DeskFactory(name="World")
    live = make_article(publish=True, desk=world, title="Live story")
    make_article(desk=world, title="Draft story")
    doc = xml(client, "/sitemap.xml", **host)
    SCHEMA.assertValid(doc)
    assert set(locations(doc)) == {
        f"https://{HOST}/world/",
        f"https://{HOST}/world/live-story/",
    }
    (lastmod,) = doc.xpath(
        "//sm:url[sm:loc='https://news.example.org/world/live-story/']/sm:lastmod",
        namespaces=NS,
    )
    assert parse_datetime(lastmod.text) == live.published_at


@pytest.mark.django_db
def test_news_sitemap_lists_only_the_last_two_days(client, host):
    desk = DeskFactory(name="World")
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=3)):
        make_article(publish=True, desk=desk, title="Old news")
    with time_machine.travel(now - timedelta(days=1)):
        yesterday = make_article(publish=True, desk=desk, title="Yesterday & today")
    make_article(desk=desk, title="Unpublished news")
    doc = xml(client, "/sitemap-news.xml", **host)
    assert locations(doc) == [f"https://{HOST}/world/yesterday-today/"]
    (news,) = doc.xpath("//sm:url/news:news", namespaces=NS)

    def text(path):
        return news.xpath(path + "/text()", namespaces=NS)

    assert text("news:publication/news:name") == ["Newsroom"]
    assert text("news:publication/news:language") == ["en"]
    assert text("news:title") == ["Yesterday & today"]
    (published,) = text("news:publication_date")
    assert parse_datetime(published) == yesterday.published_at


@pytest.mark.django_db
def test_robots_txt_points_at_both_sitemaps(client, host):
    response = client.get("/robots.txt", **host)
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: https://{HOST}/sitemap.xml" in lines
    assert f"Sitemap: https://{HOST}/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines


@pytest.mark.django_db
def test_sitemaps_cost_a_constant_number_of_queries(client):
    desk = DeskFactory(name="World")
    counts = []
    for total, body in ((2, None), (12, large_body())):
        while desk.articles.count() < total:
            make_article(body, publish=True, desk=desk)
        for url in ("/sitemap.xml", "/sitemap-news.xml"):
            empty_caches()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append((url, len(queries)))
        assert len(locations(xml(client, "/sitemap-news.xml"))) == total
    assert counts[:2] == counts[2:]
    # Lists of articles also read when the next scheduled article appears (their
    # lifetime ends then), from the cache, or the database when it is empty as here.
    assert dict(counts) == {"/sitemap.xml": 5, "/sitemap-news.xml": 3}
