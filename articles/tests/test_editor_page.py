"""The article page's editor: mounted for who may edit now, read-only otherwise."""

import json

import lxml.html
import pytest

from articles import workflow
from articles.snapshot import section
from articles.testing.bodies import paragraph
from articles.testing.factories import make_article


def editor_config(response) -> dict | None:
    found = lxml.html.fromstring(response.content).xpath('//*[@id="nr-editor-config"]')
    return json.loads(found[0].text) if found else None


@pytest.mark.django_db
def test_the_admin_home_offers_to_write_an_article(client, editor):
    client.force_login(editor)
    page = lxml.html.fromstring(client.get("/admin/").content)
    (link,) = page.xpath('//a[normalize-space()="Write an article"]')
    assert link.get("href") == "/admin/articles/article/add/"


@pytest.mark.django_db
def test_the_editor_gets_the_body_and_its_addresses(client, editor):
    article = make_article([section("", [paragraph("Hello.")])], author=editor)
    client.force_login(editor)
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    config = editor_config(response)
    assert config["sections"][0]["blocks"] == [paragraph("Hello.")]
    assert config["baseRevision"] == 1
    assert set(config["urls"]) >= {"autosave", "discard", "preview", "pasteTable"}
    # Without JavaScript: said so, and the body shown as readers see it.
    page = lxml.html.fromstring(response.content)
    assert page.xpath("//noscript")
    assert page.xpath('//*[@id="nr-body-readonly"]//p[.="Hello."]')


@pytest.mark.django_db
def test_an_article_in_review_opens_read_only(client, editor):
    article = make_article([section("", [paragraph("Hello.")])], author=editor)
    workflow.submit(article, by=editor)
    client.force_login(editor)
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    assert editor_config(response) is None
    page = lxml.html.fromstring(response.content)
    assert page.xpath('//*[@id="nr-body-readonly"]//p[.="Hello."]')
