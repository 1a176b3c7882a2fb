import json
from datetime import timedelta
from importlib import import_module

import lxml.html
import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import services, workflow
from articles.models import Article, PreviewLink
from articles.testing.bodies import paragraph
from articles.testing.factories import DeskFactory, make_article

ENDS_SCRIPT = "</script><script>alert(1)</script>"


def head_and_body(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def json_ld(doc):
    (script,) = doc.xpath("//head/script[@type='application/ld+json']")
    return json.loads(script.text)


def meta(doc):
    return {
        element.get("property") or element.get("name"): element.get("content")
        for element in doc.xpath("//head/meta[@property or @name]")
    }


def edit_and_approve(article, editor, moderator, text="Edited.", **approval):
    services.replace_body(article, [{"heading": "", "blocks": [paragraph(text)]}])
    workflow.revise(article, by=editor)
    workflow.submit(article, by=editor)
    return workflow.approve(article, by=moderator, **approval)


@pytest.fixture
def article(db):
    return make_article(
        publish=True,
        desk=DeskFactory(name="World"),
        title="Ports reopen after the storm",
        slug="ports-reopen",
        standfirst="Ships are moving again.",
        byline="Aigerim Sadykova",
    )


@pytest.mark.django_db
def test_json_ld_describes_the_news_article(client, article):
    doc = head_and_body(client, article.get_absolute_url())
    data = json_ld(doc)
    url = "http://testserver/world/ports-reopen/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Ports reopen after the storm"
    assert data["description"] == "Ships are moving again."
    assert data["author"] == {"@type": "Person", "name": "Aigerim Sadykova"}
    assert data["publisher"] == {"@type": "Organization", "name": "Newsroom"}
    assert data["articleSection"] == "World"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert parse_datetime(data["datePublished"]) == article.published_at
    assert parse_datetime(data["dateModified"]) == article.published_at


@pytest.mark.django_db
def test_opengraph_and_twitter_tags_describe_the_article(client, article):
    doc = head_and_body(client, article.get_absolute_url())
    tags = meta(doc)
    url = "http://testserver/world/ports-reopen/"
    assert doc.xpath("//link[@rel='canonical']/@href") == [url]
    assert {
        name: tags[name]
        for name in (
            "og:type",
            "og:title",
            "og:description",
            "og:url",
            "og:site_name",
            "article:section",
            "twitter:card",
            "twitter:title",
            "twitter:description",
        )
    } == {
        "og:type": "article",
        "og:title": "Ports reopen after the storm",
        "og:description": "Ships are moving again.",
        "og:url": url,
        "og:site_name": "Newsroom",
        "article:section": "World",
        "twitter:card": "summary",
        "twitter:title": "Ports reopen after the storm",
        "twitter:description": "Ships are moving again.",
    }
    assert parse_datetime(tags["article:published_time"]) == article.published_at
    assert parse_datetime(tags["article:modified_time"]) == article.published_at


@pytest.mark.django_db
def test_json_ld_cannot_be_broken_out_of(client):
    article = make_article(
        publish=True,
        title=f"Title {ENDS_SCRIPT}",
        standfirst="<!-- & -->",
        byline=f"Byline {ENDS_SCRIPT}",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    doc = lxml.html.fromstring(html)
    # The data block; the tables' scroll cues and row links (files).
    assert [(s.get("type"), s.get("src")) for s in doc.xpath("//script")] == [
        ("application/ld+json", None),
        ("module", "/static/js/table-scroll.js"),
        ("module", "/static/js/row-links.js"),
    ]
    script = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in script and ">" not in script and "&" not in script
    data = json.loads(script)
    assert data["headline"] == f"Title {ENDS_SCRIPT}"
    assert data["description"] == "<!-- & -->"
    assert data["author"]["name"] == f"Byline {ENDS_SCRIPT}"
    assert meta(doc)["og:title"] == f"Title {ENDS_SCRIPT}"


@pytest.mark.django_db
def test_previews_carry_no_sharing_metadata(client, editor):
    article = make_article(author=editor)
    link = PreviewLink.objects.create(
        article=article,
        revision=article.current_revision(),
        created_by=editor,
        expires_at=timezone.now() + timedelta(days=1),
    )
    doc = head_and_body(client, f"/preview/{link.token}/")
    assert doc.xpath("//script[@type='application/ld+json']") == []
    assert not any(name.startswith(("og:", "twitter:")) for name in meta(doc))
    assert doc.xpath("//link[@rel='canonical']") == []


@pytest.mark.django_db
def test_an_approved_change_shows_when_it_was_made(client, article, editor, moderator):
    doc = head_and_body(client, article.get_absolute_url())
    assert doc.xpath("//p[contains(@class, 'updated')]") == []
    later = timezone.now() + timedelta(days=1)
    with time_machine.travel(later):
        article = edit_and_approve(article, editor, moderator)
    assert article.live_since > article.published_at
    doc = head_and_body(client, article.get_absolute_url())
    (line,) = doc.xpath("//p[contains(@class, 'updated')]")
    assert line.text_content().startswith("Updated on ")
    (when,) = line.xpath("time/@datetime")
    # <time datetime> is to the second (HTML allows three decimals at most).
    assert parse_datetime(when) == article.live_since.replace(microsecond=0)
    published = doc.xpath("//span[@class='published']/time/@datetime")
    assert [parse_datetime(value) for value in published] == [
        article.published_at.replace(microsecond=0)
    ]
    assert parse_datetime(json_ld(doc)["dateModified"]) == article.live_since
    assert parse_datetime(meta(doc)["article:modified_time"]) == article.live_since


@pytest.mark.django_db
def test_a_correction_shows_as_corrected(client, article, editor, moderator):
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        article = edit_and_approve(
            article, editor, moderator, correction="The port is Aktau, not Kuryk."
        )
    with CaptureQueriesContext(connection) as queries:
        doc = head_and_body(client, article.get_absolute_url())
    assert len(queries) == 3  # desks, the article, its corrections
    (line,) = doc.xpath("//p[contains(@class, 'updated')]")
    assert line.text_content().startswith("Corrected on ")
    (correction,) = doc.xpath("//p[@class='correction']")
    assert "The port is Aktau, not Kuryk." in correction.text_content()
    assert correction.xpath("time/@datetime")


@pytest.mark.django_db
def test_scheduled_articles_count_from_their_time(editor, moderator):
    article = make_article(author=editor)
    workflow.submit(article, by=editor)
    at = timezone.now() + timedelta(hours=1)
    article = workflow.approve(article, by=moderator, at=at)
    assert article.live_since == article.published_at == at
    with time_machine.travel(at + timedelta(minutes=5)):
        (article,) = workflow.go_live_due()
    assert article.live_since == at
    assert not article.updated_after_publication


@pytest.mark.django_db
def test_the_data_migration_takes_live_since_from_the_log(editor, moderator):
    """Existing articles get the time their live revision was approved."""
    first = make_article(author=editor, title="Never changed")
    workflow.submit(first, by=editor)
    first = workflow.approve(first, by=moderator)
    changed = make_article(author=editor, title="Changed")
    workflow.submit(changed, by=editor)
    changed = workflow.approve(changed, by=moderator)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        changed = edit_and_approve(changed, editor, moderator)
    back = make_article(author=editor, title="Unpublished and back")
    workflow.submit(back, by=editor)
    workflow.approve(back, by=moderator)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        workflow.unpublish(back, by=moderator)
        workflow.submit(back, by=editor)
        back = workflow.approve(back, by=moderator)
    expected = {
        first.pk: first.published_at,
        changed.pk: changed.transitions.filter(action="approve").first().at,
        back.pk: back.published_at,
    }
    Article.objects.update(live_since=None)
    migration = import_module("articles.migrations.0006_article_live_since")
    migration.fill_live_since(apps, None)
    assert dict(Article.objects.values_list("pk", "live_since")) == expected
    assert expected[changed.pk] > changed.published_at


@pytest.mark.django_db
def test_the_table_of_contents_links_to_each_section(client):
    body = [
        {"heading": "", "blocks": [paragraph("Lede.")]},
        {"heading": "What happened", "blocks": [paragraph("One.")]},
        {"heading": "What comes next", "blocks": [paragraph("Two.")]},
    ]
    article = make_article(body, publish=True)
    doc = head_and_body(client, article.get_absolute_url())
    (contents,) = doc.xpath("//nav[@aria-label='Contents']")
    links = [(a.text, a.get("href")) for a in contents.xpath(".//a")]
    assert [text for text, _ in links] == ["What happened", "What comes next"]
    sections = doc.xpath("//article/section[@id]")
    assert [href for _, href in links] == ["#" + s.get("id") for s in sections]


@pytest.mark.django_db
def test_one_heading_needs_no_table_of_contents(client):
    article = make_article(publish=True)  # one headed section
    doc = head_and_body(client, article.get_absolute_url())
    assert doc.xpath("//nav[@aria-label='Contents']") == []
