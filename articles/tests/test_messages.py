"""Messages people read: one way of writing dates, states as readers see them."""

from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
import time_machine
from django.contrib.messages import get_messages
from django.utils import timezone

from articles import workflow
from articles.testing.factories import make_article


def text_of(response) -> str:
    return " ".join(
        lxml.html.fromstring(response.content.decode()).text_content().split()
    )


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False)
def test_scheduling_says_when_in_the_newsroom_s_time_and_words(
    client, editor, moderator, settings
):
    settings.TIME_ZONE = "Asia/Almaty"  # UTC+5
    article = workflow.submit(make_article(author=editor, title="Vote"), by=editor)
    client.force_login(moderator)
    response = client.post(
        f"/admin/articles/article/{article.pk}/review/",
        {
            "decision": "schedule",
            "publish_at": "2026-12-03T05:16",  # the newsroom's time
            "reviewed_revision": 1,
        },
    )
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "“Vote” will be published on 3 December 2026, 05:16."
    # The same words on the article's page, its timeline and the change list.
    page = text_of(client.get(change_url(article)))
    assert "Readers will see revision 1 from 3 December 2026, 05:16." in page
    assert "To be published at 3 December 2026, 05:16." in page
    assert "+00:00" not in page and "2026-12-03" not in page


def scheduled_and_due(editor, moderator):
    """A scheduled article whose time has passed, not yet recorded by cron."""
    article = workflow.submit(make_article(author=editor, title="Due"), by=editor)
    workflow.approve(article, by=moderator, at=timezone.now() + timedelta(minutes=5))
    return article


@pytest.mark.django_db
def test_a_scheduled_article_whose_time_has_come_shows_as_published(
    client, editor, moderator
):
    article = scheduled_and_due(editor, moderator)
    client.force_login(moderator)
    lists = "/admin/articles/article/"
    before = lxml.html.fromstring(client.get(lists).content)
    assert before.xpath("//td[@class='field-shown_status']/text()") == ["Scheduled"]

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        article.refresh_from_db()
        assert article.status == "scheduled"  # publish_scheduled has not run
        assert article.shown_status == "published"
        page = lxml.html.fromstring(client.get(lists).content)
        assert page.xpath("//td[@class='field-shown_status']/text()") == ["Published"]
        filtered = client.get(lists + "?status__exact=published").content.decode()
        assert "Due" in filtered
        assert "Due" not in client.get(lists + "?status__exact=scheduled").text
        change = text_of(client.get(change_url(article)))
        assert "State: Published." in change and "Readers see revision 1." in change
        assert "Published at its scheduled time" in change
        history = text_of(
            client.get(f"/admin/articles/article/{article.pk}/revisions/")
        )
        assert "Published at its scheduled time" in history


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, button",
    [
        ("unpublish/", "Yes, unpublish it"),
        ("revisions/1/restore/", "Restore revision 1"),
    ],
)
def test_unpublish_and_restore_ask_before_acting(client, moderator, path, button):
    article = make_article(publish=True)
    client.force_login(moderator)
    response = client.get(f"/admin/articles/article/{article.pk}/{path}")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    assert page.xpath(f"//form[@method='post']//input[@value='{button}']")
    assert page.xpath("//a[@class='closelink']/@href") == [change_url(article)]
    article.refresh_from_db()
    assert (article.status, article.revisions.count()) == ("published", 1)
