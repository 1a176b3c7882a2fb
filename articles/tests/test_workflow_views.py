"""The workflow screens: review, compare, preview, share links, queue and dashboard."""

import json
from datetime import timedelta

import lxml.html
import pytest
from django.utils import timezone
from django.utils.formats import date_format

from articles import services, workflow
from articles.models import PreviewLink
from articles.testing.bodies import table
from articles.testing.factories import DeskFactory, make_article

from .test_production import example_environment, manage

TITLES = "//table[contains(@class, 'nr-list')]//td/a/text()"


def parse(response):
    return lxml.html.fromstring(response.content.decode())


def figures_body(north_votes="1200"):
    return [
        {
            "heading": "Results",
            "blocks": [
                table(
                    "Votes by region",
                    ["Region", "Votes"],
                    [["North", north_votes], ["South", "900"]],
                    source_note="Electoral commission",
                ),
            ],
        },
    ]


def edited(article, body, by):
    services.replace_body(article, body)
    return workflow.revise(article, by=by)


@pytest.mark.django_db
def test_review_screen_shows_the_changes_since_the_live_version_and_a_correction(
    client, editor, moderator
):
    article = make_article(figures_body(), author=editor, publish=True)
    edited(article, figures_body(north_votes="1250"), editor)
    workflow.submit(article, by=editor, comment="Fixed North")
    client.force_login(moderator)
    doc = parse(client.get(f"/admin/articles/article/{article.pk}/review/"))
    text = " ".join(doc.text_content().split())
    assert "Changes since the published version (revision 1)" in text
    assert "Fixed North" in text
    cells = doc.xpath("//table[caption[contains(., 'Changed cells')]]//tbody/tr/*")
    assert [" ".join(c.text_content().split()) for c in cells] == [
        "1 (North)",
        "Votes",
        "1200",
        "1250",
    ]
    correction = doc.xpath("//textarea[@name='correction']")[0].text
    assert "North / Votes: 1200 → 1250" in correction

    response = client.post(
        f"/admin/articles/article/{article.pk}/review/",
        {
            "decision": "approve",
            "reviewed_revision": 2,
            "add_correction": "on",
            "correction": correction,
        },
    )
    assert response.status_code == 302
    public = parse(client.get(article.get_absolute_url()))
    (line,) = [
        " ".join(p.text_content().split()) for p in public.find_class("correction")
    ]
    # Written once: the page's "Correction (date):", then the changes alone.
    today = date_format(timezone.localdate(), "DATE_FORMAT")
    assert line == f"Correction ({today}): {correction.strip()}"
    assert line.count("orrect") == 1


@pytest.mark.django_db
def test_review_of_a_changed_submission_is_refused(client, editor, moderator):
    article = workflow.submit(make_article(author=editor), by=editor)
    client.force_login(moderator)
    client.post(
        f"/admin/articles/article/{article.pk}/review/",
        {"decision": "approve", "reviewed_revision": 7},
    )
    article.refresh_from_db()
    assert article.status == "in_review"


@pytest.mark.django_db
def test_rejecting_without_a_comment_keeps_the_form(client, editor, moderator):
    article = workflow.submit(make_article(author=editor), by=editor)
    client.force_login(moderator)
    response = client.post(
        f"/admin/articles/article/{article.pk}/review/",
        {"decision": "reject", "comment": " ", "reviewed_revision": 1},
    )
    assert response.status_code == 200
    doc = parse(response)
    # Summarised at the top of the form, announced, linked to the field...
    (summary,) = doc.xpath("//form[@id='decision-form']/*[@id='error-summary']")
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    (link,) = summary.xpath(".//a")
    assert link.get("href") == "#id_comment"
    assert doc.get_element_by_id("id_comment") is not None
    assert "Say what needs to change." in link.text_content()
    assert summary.xpath("following-sibling::script[contains(@src, 'error-summary')]")
    # ...and what was chosen and typed is kept.
    assert doc.xpath("//input[@name='decision'][@value='reject']/@checked")
    assert doc.xpath("//input[@name='reviewed_revision']/@value") == ["1"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, data",
    [
        ("review/", {"decision": "schedule", "reviewed_revision": 1}),
        ("review/", {"reviewed_revision": 1}),  # radio buttons: their group
        ("share/", {"days": 99}),
    ],
)
def test_every_workflow_form_summarises_its_errors_at_the_top(
    client, editor, moderator, url, data
):
    article = workflow.submit(make_article(author=editor), by=editor)
    client.force_login(moderator)
    response = client.post(f"/admin/articles/article/{article.pk}/{url}", data)
    assert response.status_code == 200
    doc = parse(response)
    (summary,) = doc.xpath("//*[@id='error-summary']")
    for href in summary.xpath(".//a/@href"):
        assert doc.get_element_by_id(href[1:]) is not None
    assert summary.xpath(".//a")


@pytest.mark.django_db
def test_compare_shows_a_renamed_section_and_an_added_row(client, editor):
    article = make_article(figures_body(), author=editor)
    body = figures_body()
    body[0]["heading"] = "Final results"
    body[0]["anchor"] = article.revisions.get().snapshot["sections"][0]["anchor"]
    body[0]["blocks"][0]["rows"].insert(1, ["Centre", "300"])
    edited(article, body, editor)
    client.force_login(editor)
    html = client.get(
        f"/admin/articles/article/{article.pk}/revisions/compare/?from=1&to=2"
    )
    text = " ".join(parse(html).text_content().split())
    assert "Renamed from “Results”" in text
    assert "Row 2 added" in text and "Centre" in text


@pytest.mark.django_db
def test_staff_preview_renders_any_revision_as_readers_would(client, editor):
    article = make_article(figures_body(), author=editor, title="Draft title")
    client.force_login(editor)
    response = client.get(f"/admin/articles/article/{article.pk}/revisions/1/")
    html = response.content.decode()
    assert "Preview of revision 1" in html and "<h1>Draft title</h1>" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
def test_share_link_shows_one_revision_until_revoked(client, editor, moderator):
    article = make_article(figures_body(), author=editor, title="Shared draft")
    moderator_client = client
    moderator_client.force_login(moderator)
    moderator_client.post(f"/admin/articles/article/{article.pk}/share/", {"days": 2})
    link = PreviewLink.objects.get()
    url = f"/preview/{link.token}/"
    edited(
        article,
        [{"heading": "", "blocks": [{"type": "paragraph", "html": "Later"}]}],
        editor,
    )

    moderator_client.logout()
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Preview: this version is not published" in html and "Votes by region" in html
    )
    assert "Later" not in html  # the shared revision only
    assert response["Cache-Control"] == "private, no-store"

    assert client.get(url[:-3] + "xx/").status_code == 404  # tampered
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    assert client.get(url).status_code == 404  # expired
    PreviewLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    assert client.get(url).status_code == 404  # revoked


@pytest.mark.django_db
def test_moderation_queue_lists_what_waits_and_filters_by_desk(
    client, editor, moderator
):
    world, sport = DeskFactory(name="World"), DeskFactory(name="Sport")
    workflow.submit(
        make_article(author=editor, desk=world, title="World story"), by=editor
    )
    workflow.submit(
        make_article(author=editor, desk=sport, title="Sport story"), by=editor
    )
    make_article(author=editor, desk=world, title="Not submitted")
    client.force_login(moderator)
    queue = parse(client.get("/admin/articles/article/queue/"))
    assert sorted(queue.xpath(TITLES)) == ["Sport story", "World story"]
    filtered = parse(client.get(f"/admin/articles/article/queue/?desk={sport.pk}"))
    assert filtered.xpath(TITLES) == ["Sport story"]


@pytest.mark.django_db
def test_dashboard_shows_what_was_returned_with_the_comment(client, editor, moderator):
    article = workflow.submit(make_article(author=editor, title="Sent back"), by=editor)
    workflow.reject(article, by=moderator, comment="Add the source, please.")
    client.force_login(editor)
    html = client.get("/admin/articles/article/dashboard/").content.decode()
    returned = html.split("Returned to you with comments")[1].split("Your drafts")[0]
    assert "Sent back" in returned and "Add the source, please." in returned


@pytest.mark.django_db
def test_admin_index_links_to_the_queue_for_moderators_only(client, editor, moderator):
    client.force_login(moderator)
    assert "Moderation queue" in client.get("/admin/").content.decode()
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "Moderation queue" not in html and "Your articles" in html


@pytest.mark.django_db
def test_review_screen_says_when_four_eyes_keeps_the_moderator_from_approving(
    client, editor, moderator
):
    article = make_article(figures_body(), author=moderator)
    edited(article, figures_body(north_votes="1201"), editor)
    workflow.submit(article, by=editor)
    client.force_login(moderator)
    url = f"/admin/articles/article/{article.pk}/review/"
    text = " ".join(parse(client.get(url)).text_content().split())
    assert "You wrote changes in this version (revision 1)" in text
    assert "You can still return it to its author with comments." in text

    decisions = parse(client.get(url)).xpath("//input[@name='decision']/@value")
    assert decisions == ["reject"]
    response = client.post(url, {"decision": "approve", "reviewed_revision": 2})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.live_revision is None


# --- two moderators at once, on a SQLite file shared by two connections

APPROVE_AT_ONCE = """
import json, threading
import lxml.html
from django.contrib.auth.models import Group
from django.test import Client
from articles import workflow
from articles.models import TransitionLog
from articles.testing.factories import UserFactory, make_article

def member(name, group):
    user = UserFactory(username=name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user

writer = member("writer", workflow.EDITORS)
clients = []
for name in ("first", "second"):
    client = Client()
    client.force_login(member(name, workflow.MODERATORS))
    clients.append(client)

def approve(client, url, barrier, answers):
    barrier.wait()  # both requests start together, each on its own connection
    response = client.post(url, {"decision": "approve", "reviewed_revision": 1})
    said = []
    if response.status_code == 302:
        page = lxml.html.fromstring(client.get(response["Location"]).content.decode())
        said = [
            f"{li.get('class')}: {li.text_content().strip()}"
            for li in page.xpath("//ul[@class='messagelist']/li")
        ]
    answers.append([response.status_code, *said])

for _ in range(ROUNDS):
    article = workflow.submit(make_article(author=writer), by=writer)
    url = f"/admin/articles/article/{article.pk}/review/"
    barrier, answers = threading.Barrier(2), []
    threads = [
        threading.Thread(target=approve, args=(client, url, barrier, answers))
        for client in clients
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    approvals = TransitionLog.objects.filter(article=article, action="approve")
    print(json.dumps({"answers": sorted(answers), "approvals": approvals.count()}))
"""


@pytest.mark.slow
def test_two_moderators_approving_at_once_on_sqlite_get_one_publication_and_a_refusal(
    tmp_path,
):
    """The slower one is told it is already published: no 503 'database is locked'."""
    env = {
        **example_environment(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'newsroom.sqlite3'}",
        "DB_POOL": "0",
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    done = manage("migrate", "--noinput", "-v", "0", env=env)
    assert done.returncode == 0, done.stderr
    script = APPROVE_AT_ONCE.replace("ROUNDS", "10")
    done = manage("shell", "--no-imports", "-c", script, env=env)
    assert done.returncode == 0, done.stderr
    rounds = [
        json.loads(line) for line in done.stdout.splitlines() if '"answers"' in line
    ]
    assert len(rounds) == 10, done.stdout
    for outcome in rounds:
        assert outcome["approvals"] == 1, done.stdout
        refused, published = outcome["answers"]
        assert refused[0] == published[0] == 302, done.stdout
        # Refused by the workflow, or by the review screen if it came later.
        assert refused[1].endswith(
            ("is published, so it cannot be approved.", "is not waiting for review.")
        ), done.stdout
        assert len(published) == 2, done.stdout  # one message
        assert published[1].startswith("success: "), done.stdout
