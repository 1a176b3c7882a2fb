from datetime import timedelta

import feedparser
import lxml.html
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.testing.factories import DeskFactory, large_body, make_article

from .helpers import empty_caches

FEEDS = ["/feeds/rss/", "/feeds/atom/"]


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


def publish_in_order(*specs):
    """Publish articles a minute apart, oldest first; return them newest first."""
    start = timezone.now() - timedelta(hours=1)
    articles = []
    for minutes, fields in enumerate(specs):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            articles.append(make_article(publish=True, **fields))
    return articles[::-1]


@pytest.mark.django_db
@pytest.mark.parametrize("url", FEEDS)
def test_site_feeds_list_live_articles_newest_first(client, url):
    """Both feeds parse cleanly and list every live article, newest first."""
    world, sport = DeskFactory(name="World"), DeskFactory(name="Sport")
    articles = publish_in_order(
        {"desk": world, "title": "First out", "standfirst": "Earliest."},
        {"desk": sport, "title": "Second out", "byline": "Jo Writer"},
        {"desk": world, "title": "Third out"},
    )
    make_article(desk=world, title="Never published")
    feed = parsed(client, url)
    assert feed.feed.title == "Newsroom"
    assert [entry.title for entry in feed.entries] == [
        "Third out",
        "Second out",
        "First out",
    ]
    newest, middle, oldest = feed.entries
    assert newest.link == "http://testserver" + articles[0].get_absolute_url()
    assert middle.author == "Jo Writer"
    assert [tag.term for tag in middle.tags] == ["Sport"]
    assert oldest.summary == "Earliest."
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True)
    assert newest.published_parsed[:5] == articles[0].published_at.utctimetuple()[:5]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_desk_feeds_list_only_that_desk(client, kind):
    world, sport = DeskFactory(name="World"), DeskFactory(name="Sport")
    publish_in_order(
        {"desk": world, "title": "World one"},
        {"desk": sport, "title": "Sport one"},
        {"desk": world, "title": "World two"},
    )
    feed = parsed(client, f"/feeds/world/{kind}/")
    assert [entry.title for entry in feed.entries] == ["World two", "World one"]
    assert "World" in feed.feed.title
    assert client.get(f"/feeds/no-such-desk/{kind}/").status_code == 404


@pytest.mark.django_db
def test_feeds_show_the_live_revision_not_the_working_copy(client, editor):
    """An edit waiting for approval reaches no feed reader."""
    from articles import services, workflow

    article = make_article(
        publish=True, title="Approved title", standfirst="Approved standfirst."
    )
    article.title, article.standfirst, article.byline = "Draft", "Draft.", "Drafter"
    article.save()
    services.replace_body(article, [])
    workflow.revise(article, by=editor)
    for url in FEEDS:
        (entry,) = parsed(client, url).entries
        assert (entry.title, entry.summary, entry.author) == (
            "Approved title",
            "Approved standfirst.",
            "A. Reporter",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("url", FEEDS)
def test_feed_text_is_text_not_markup(client, url):
    """A title with markup in it arrives as that text, and nothing runs."""
    make_article(
        publish=True,
        title="Fish & chips <script>alert(1)</script>",
        standfirst="<b>Bold?</b> & more",
    )
    (entry,) = parsed(client, url).entries
    assert entry.title == "Fish & chips <script>alert(1)</script>"
    assert entry.summary == "&lt;b&gt;Bold?&lt;/b&gt; &amp; more"


@pytest.mark.django_db
def test_pages_announce_the_site_feed_and_their_desk_feeds(client):
    article = make_article(publish=True, desk=DeskFactory(name="World"))

    def feeds(url):
        doc = lxml.html.fromstring(client.get(url).content)
        return {
            (link.get("type"), link.get("href"))
            for link in doc.xpath("//head/link[@rel='alternate']")
            # Article pages also name their oEmbed answer (test_embeds.py).
            if link.get("type") != "application/json+oembed"
        }

    site = {
        ("application/rss+xml", "/feeds/rss/"),
        ("application/atom+xml", "/feeds/atom/"),
    }
    desk = {
        ("application/rss+xml", "/feeds/world/rss/"),
        ("application/atom+xml", "/feeds/world/atom/"),
    }
    assert feeds("/") == site
    assert feeds("/search/?q=x") == site
    assert feeds("/world/") == site | desk
    assert feeds(article.get_absolute_url()) == site | desk


@pytest.mark.django_db
def test_feeds_cost_a_constant_number_of_queries(client):
    desk = DeskFactory(name="World")
    counts = []
    for total, body in ((2, None), (12, large_body())):
        while desk.articles.count() < total:
            make_article(body, publish=True, desk=desk)
        for url in (*FEEDS, "/feeds/world/rss/", "/feeds/world/atom/"):
            empty_caches()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append((url, len(queries)))
    assert counts[:4] == counts[4:]
    # Lists of articles also read when the next scheduled article appears (their
    # lifetime ends then), from the cache, or the database when it is empty as here.
    assert dict(counts) == {
        "/feeds/rss/": 2,
        "/feeds/atom/": 2,
        "/feeds/world/rss/": 3,
        "/feeds/world/atom/": 3,
    }
