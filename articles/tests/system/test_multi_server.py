"""Two app servers share PostgreSQL and Redis: what A publishes, B serves at once."""

import lxml.html

from articles.testing.servers import Browser

from . import admin_http
from .conftest import NEW_TEXT, OLD_TEXT


def titles(html: str) -> list[str]:
    doc = lxml.html.fromstring(html)
    return [" ".join(a.text_content().split()) for a in doc.xpath("//main//h2/a")]


def test_what_server_a_publishes_server_b_serves_at_once(
    app_servers, content, redis_server, moderator_at
):
    """B had the pages cached; publishing, approving and unpublishing on A reach it."""
    a, b = app_servers
    reader = Browser(b.base)
    first = reader.get(content.story_url)
    assert first.status == 200
    assert OLD_TEXT in first.text and NEW_TEXT not in first.text
    assert reader.get(content.story_url).body == first.body
    assert "System story" in titles(reader.get(content.desk_url).text)
    assert redis_server.keys("*:page:*"), "B stored nothing in the shared cache"
    assert Browser(a.base).get(content.story_url).body == first.body  # A reads it

    assert reader.get(content.fresh_url).status == 404
    moderator = moderator_at(a)
    admin_http.approve(moderator, content.fresh_pk)  # its first publication

    assert reader.get(content.fresh_url).status == 200
    assert "Fresh story" in titles(reader.get(content.desk_url).text)
    assert "Fresh story" in titles(reader.get("/").text)

    admin_http.approve(moderator, content.story_pk)  # an edit of a live article

    updated = reader.get(content.story_url)
    assert updated.status == 200
    assert NEW_TEXT in updated.text and OLD_TEXT not in updated.text
    assert updated.headers["ETag"] != first.headers["ETag"]

    admin_http.unpublish(moderator, content.story_pk, "Taken down by a test.")

    assert reader.get(content.story_url).status == 404
    assert "System story" not in titles(reader.get(content.desk_url).text)
    assert "System story" not in titles(reader.get("/").text)
    assert Browser(a.base).get(content.story_url).status == 404
