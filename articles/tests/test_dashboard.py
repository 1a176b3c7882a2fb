"""The admin's home as people work from it, and the counts in the admin's header."""

import os
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from articles import workflow
from articles.models import Article, TransitionLog
from articles.testing.factories import make_article

from .test_accessibility_browser import DESKTOP, PHONE, axe_results, report
from .test_editor_browser import log_in, watch
from .test_grid_browser import ARTIFACTS

# Where the screenshots go: test-artifacts/, as the other browser tests', or
# SHOTS_DIR (e.g. SHOTS_DIR=/tmp/shots-15).
SHOTS = Path(os.environ["SHOTS_DIR"]) if os.environ.get("SHOTS_DIR") else ARTIFACTS


def parse(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def text(node) -> str:
    return " ".join(node.text_content().split())


def work_list(page, name: str):
    """The section of the home holding one list (its id is the list's name)."""
    (section,) = page.xpath(f'//section[@id="{name}"]')
    return section


def titles(section) -> list[str]:
    return [text(a) for a in section.xpath(".//table//td/a")]


def submitted(author, title, comment=""):
    return workflow.submit(
        make_article(author=author, title=title), by=author, comment=comment
    )


def scheduled(author, title, moderator, at):
    article = submitted(author, title)
    return workflow.approve(article, by=moderator, at=at)


def gone_live(article):
    """The scheduled time passes without `publish_scheduled` having run."""
    past = timezone.now() - timedelta(minutes=5)
    Article.objects.filter(pk=article.pk).update(published_at=past, live_since=past)


@pytest.fixture
def editors_work(editor, other_editor, moderator):
    """An editor's articles in every state, and someone else's."""
    returned = submitted(editor, "Sent back")
    workflow.reject(returned, by=moderator, comment="Name the <source>, please.")
    make_article(author=editor, title="Still writing")
    submitted(editor, "Waiting for a moderator")
    later = timezone.now() + timedelta(days=2)
    scheduled(editor, "Out on Friday", moderator, later)
    gone_live(scheduled(editor, "Due already", moderator, later))
    make_article(author=editor, title="Out already", publish=True)
    make_article(author=other_editor, title="Not yours")
    submitted(other_editor, "Not yours either")
    return returned


@pytest.mark.django_db
def test_editor_sees_what_was_returned_first_then_their_work_by_state(
    client, editor, moderator, editors_work
):
    """Returned (with comment, who, when), drafts, in review, scheduled, published."""
    client.force_login(editor)
    page = parse(client.get("/admin/"))
    lists = page.xpath('//section[contains(@class, "nr-work-list")]/@id')
    assert lists == ["returned", "drafts", "in_review", "scheduled", "published"]

    returned = work_list(page, "returned")
    assert titles(returned) == ["Sent back"]
    rejection = TransitionLog.objects.get(
        article=editors_work, action=TransitionLog.Action.REJECT
    )
    when = date_format(timezone.localtime(rejection.at), "j F Y, H:i")
    row = text(returned.xpath(".//tbody/tr")[0])
    # The comment is escaped, as every user-written text.
    assert "Name the <source>, please." in row
    assert b"Name the &lt;source&gt;, please." in client.get("/admin/").content
    assert "moderator" in row and when in row

    assert titles(work_list(page, "drafts")) == ["Still writing"]
    assert titles(work_list(page, "in_review")) == ["Waiting for a moderator"]
    # A scheduled article whose time has passed is live: published, not scheduled.
    assert titles(work_list(page, "scheduled")) == ["Out on Friday"]
    assert titles(work_list(page, "published")) == ["Out already", "Due already"]
    assert "Not yours" not in text(page.xpath('//*[@id="content-main"]')[0])
    # Editors have no queue; the way to write comes first.
    assert not page.xpath('//section[@id="queue"]')
    (write,) = page.xpath('//a[normalize-space()="Write an article"]')
    assert write.get("href") == "/admin/articles/article/add/"


@pytest.mark.django_db
def test_your_articles_lists_a_scheduled_article_past_its_time_as_published(
    client, editor, moderator
):
    later = timezone.now() + timedelta(days=2)
    gone_live(scheduled(editor, "Due already", moderator, later))
    scheduled(editor, "Out on Friday", moderator, later)
    client.force_login(editor)
    page = parse(client.get("/admin/articles/article/dashboard/"))
    (table,) = page.xpath('//h2[.="Scheduled"]/following-sibling::div[1]//table')
    assert [text(a) for a in table.xpath(".//td/a")] == ["Out on Friday"]
    rows = page.xpath('//h2[.="All your articles"]/following-sibling::div[1]//tr')
    states = {
        text(row.xpath("td[1]")[0]): text(row.xpath("td[3]")[0]) for row in rows[1:]
    }
    assert states == {"Due already": "Published", "Out on Friday": "Scheduled"}


@pytest.mark.django_db
def test_empty_lists_say_so_in_a_line(client, editor):
    client.force_login(editor)
    page = parse(client.get("/admin/"))
    assert not page.xpath('//section[contains(@class, "nr-work-list")]//table')
    assert text(work_list(page, "returned")) == (
        "Returned to you Nothing returned to you."
    )
    assert "You have no drafts." in text(work_list(page, "drafts"))


@pytest.mark.django_db
def test_moderator_sees_the_queue_first_longest_waiting_first(
    client, editor, other_editor, moderator
):
    now = timezone.now()
    for title, hours in [("Fresh", 0), ("Old", 3), ("Older", 26)]:
        article = submitted(editor if hours else other_editor, title)
        Article.objects.filter(pk=article.pk).update(
            submitted_at=now - timedelta(hours=hours, seconds=1)
        )
    make_article(author=other_editor, title="Read by all", publish=True)
    make_article(author=moderator, title="Moderator's own draft")
    client.force_login(moderator)
    page = parse(client.get("/admin/"))

    lists = page.xpath('//section[contains(@class, "nr-work-list")]/@id')
    assert lists[0] == "queue" and lists[-1] == "published_by_anyone"
    queue = work_list(page, "queue")
    assert "(3)" in text(queue.xpath("h2")[0])
    assert titles(queue) == ["Older", "Old", "Fresh"]
    waiting = [text(td) for td in queue.xpath('.//td[@class="nr-waiting"]')]
    assert waiting[0] == "1 day, 2 hours" and waiting[1] == "3 hours"
    # The queue's titles open the review screen.
    assert queue.xpath(".//td/a/@href")[0].endswith("/review/")
    assert titles(work_list(page, "drafts")) == ["Moderator's own draft"]
    assert titles(work_list(page, "published_by_anyone")) == ["Read by all"]
    assert "Queue (3)" in text(page.xpath('//nav[@class="nr-counts"]')[0])


@pytest.mark.django_db
def test_long_lists_show_ten_rows_and_lead_to_the_rest(client, editor):
    for number in range(12):
        make_article(author=editor, title=f"Draft {number}")
    client.force_login(editor)
    drafts = work_list(parse(client.get("/admin/")), "drafts")
    assert len(titles(drafts)) == 10
    assert "(12)" in text(drafts.xpath("h2")[0])
    (see_all,) = drafts.xpath('.//a[starts-with(normalize-space(), "See all 12")]')
    assert see_all.get("href") == "/admin/articles/article/dashboard/"


@pytest.mark.django_db
def test_the_header_counts_the_queue_and_what_was_returned_on_every_admin_page(
    client, editor, other_editor, moderator, editors_work
):
    client.force_login(editor)
    page = parse(client.get("/admin/articles/article/"))
    (nav,) = page.xpath('//header//nav[@class="nr-counts"]')
    assert text(nav) == "Returned (1)"
    assert nav.xpath("a/@href") == ["/admin/articles/article/dashboard/"]

    client.force_login(moderator)
    page = parse(client.get("/admin/articles/desk/"))
    (nav,) = page.xpath('//header//nav[@class="nr-counts"]')
    # Two waiting: the editor's and the other editor's.
    assert text(nav) == "Queue (2) Returned (0)"
    assert nav.xpath("a/@href")[0] == "/admin/articles/article/queue/"


@pytest.mark.django_db
def test_the_login_page_counts_nothing(client):
    page = parse(client.get("/admin/login/"))
    assert not page.xpath('//nav[@class="nr-counts"]')


def queries_for_home(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


def some_of_everything(editor, moderator, count: int):
    for number in range(count):
        title = f"Batch {count}-{number}"
        article = submitted(editor, title)
        if number % 3 == 1:
            workflow.reject(article, by=moderator, comment="Again.")
        elif number % 3 == 2:
            workflow.approve(article, by=moderator)
        make_article(author=editor, title=f"{title} draft")


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["editor", "moderator"])
def test_the_home_costs_the_same_queries_whatever_the_number_of_articles(
    client, editor, other_moderator, moderator, person, django_assert_max_num_queries
):
    user = editor if person == "editor" else moderator
    client.force_login(user)
    some_of_everything(editor, other_moderator, 3)
    some_of_everything(moderator, other_moderator, 3)
    few = queries_for_home(client)
    some_of_everything(editor, other_moderator, 15)
    some_of_everything(moderator, other_moderator, 15)
    assert queries_for_home(client) == few
    # The session, the user, their permissions, one count, one query a list.
    with django_assert_max_num_queries(12):
        client.get("/admin/")


@pytest.mark.django_db(transaction=True)
def test_the_home_passes_axe_and_looks_right_on_a_desktop_and_a_phone(
    new_context, live_server, editor, moderator, axe_script
):
    returned = submitted(editor, "Turnout figures by region for the regional vote")
    workflow.reject(returned, by=moderator, comment="Say where the figures come from.")
    make_article(author=editor, title="Still writing")
    submitted(editor, "Waiting for a moderator")
    scheduled(editor, "Out on Friday", moderator, timezone.now() + timedelta(days=2))
    make_article(author=editor, title="Out already", publish=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for person in (editor, moderator):
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page = new_context(viewport=viewport).new_page()
            problems = watch(page)
            log_in(page, live_server, person)
            page.goto(f"{live_server.url}/admin/")
            page.screenshot(
                path=str(SHOTS / f"dashboard-{person.username}-{name}.png"),
                full_page=True,
            )
            print(f"screenshot: {SHOTS}/dashboard-{person.username}-{name}.png")
            # The page itself never scrolls sideways; a wide list does.
            assert page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth"
            )
            assert problems == []
            page.context.close()
            # axe is injected: its own context, where the CSP does not block it.
            checked = new_context(viewport=viewport, bypass_csp=True).new_page()
            log_in(checked, live_server, person)
            checked.goto(f"{live_server.url}/admin/")
            found[f"home ({person.username}, {name})"] = axe_results(
                checked, axe_script
            )
            checked.context.close()
    failing = report(found)
    assert failing == [], f"{len(failing)} serious or critical:\n" + "\n".join(failing)
