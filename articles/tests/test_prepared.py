"""Prepared queries (articles/prepared.py): compiled once, always run afresh."""

from datetime import timedelta

import lxml.html
import pytest
from django.utils import timezone

from articles.context_processors import LIVE_DESKS
from articles.models import Article, Correction, Desk, Revision
from articles.prepared import PreparedQuery
from articles.testing.factories import DeskFactory, make_article
from articles.views import CORRECTIONS, LIVE_ARTICLE


@pytest.fixture(autouse=True)
def cold(settings):
    """Pages rendered each time: what the prepared queries answer is shown."""
    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_BODY_CACHE = False


def desk_menu(response) -> list[str]:
    doc = lxml.html.fromstring(response.content)
    return [a.text_content() for a in doc.xpath("//ul[@class='desk-nav']//a")]


@pytest.mark.django_db
def test_the_same_query_with_other_values_finds_other_rows():
    one = make_article(publish=True, slug="one")
    two = make_article(publish=True, slug="two", desk=one.desk)
    now = timezone.now()
    for article in (one, two):
        found = LIVE_ARTICLE.run(desk=article.desk.slug, slug=article.slug, now=now)
        assert found == [article]
        # As the queryset's own objects: related rows and the annotation.
        assert found[0].desk == article.desk
        assert found[0].live_revision.snapshot == article.live_revision.snapshot
        assert found[0].has_corrections is False
    assert LIVE_ARTICLE.run(desk=one.desk.slug, slug="three", now=now) == []
    # The time is a value too: before its publication, the article is not live.
    before = one.published_at - timedelta(seconds=1)
    assert LIVE_ARTICLE.run(desk=one.desk.slug, slug="one", now=before) == []


@pytest.mark.django_db
def test_a_renamed_or_new_desk_shows_on_the_next_render(client):
    article = make_article(publish=True, desk=DeskFactory(name="World"))
    url = article.get_absolute_url()
    assert desk_menu(client.get(url)) == ["World"]

    Desk.objects.filter(pk=article.desk.pk).update(name="The World")  # no signal
    other = make_article(publish=True, desk=DeskFactory(name="Sport"))

    assert sorted(desk_menu(client.get(url))) == ["Sport", "The World"]
    # Scheduled for later: no longer live, its desk empty.
    later = timezone.now() + timedelta(days=1)
    Article.objects.filter(pk=other.pk).update(published_at=later)
    assert desk_menu(client.get(url)) == ["The World"]
    assert client.get(other.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_the_desk_menu_is_one_query_only_when_a_page_shows_it(
    client, django_assert_num_queries
):
    article = make_article(publish=True)
    assert LIVE_DESKS.run(now=timezone.now()) == [article.desk]
    with django_assert_num_queries(2):  # the article, the desk menu
        assert client.get(article.get_absolute_url()).status_code == 200


def test_a_value_the_query_does_not_use_is_refused(db):
    query = PreparedQuery(
        lambda slug: Desk.objects.filter(name="World"),
        slug=Desk._meta.get_field("slug"),
    )
    with pytest.raises(ValueError, match="'slug' is 0 times"):
        query.run(slug="world")


@pytest.mark.django_db
def test_a_page_shows_the_corrections_up_to_its_revision(
    client, django_assert_num_queries
):
    article = make_article(publish=True)
    first = article.live_revision
    Correction.objects.create(article=article, revision=first, text="First fix.")
    later = Revision.objects.create(
        article=article, number=first.number + 1, snapshot=first.snapshot
    )
    Correction.objects.create(article=article, revision=later, text="Later fix.")

    with django_assert_num_queries(3):  # the article, its corrections, the desks
        page = client.get(article.get_absolute_url()).content.decode()
    assert "First fix." in page
    assert "Later fix." not in page  # not live yet
    found = CORRECTIONS.run(article=article.pk, number=later.number)
    assert [c.text for c in found] == ["First fix.", "Later fix."]
    assert found[0].article_id == article.pk
