"""One conversation per article: comments from the workflow and alone, their places.

Comments written with a submission, a return or an approval, and comments
posted on their own, form one thread at the top of the review screen and of
the article's page, oldest first, each with who and when. A comment may point
at a block or a table cell of the version it was written on; later versions
find that place through the diff's alignment (`diff.anchors.map_anchor`).
"""

import copy
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services, workflow
from articles.diff.anchors import Anchor, describe, map_anchor
from articles.models import Article, Comment
from articles.snapshot import section
from articles.testing.bodies import paragraph, table
from articles.testing.factories import UserFactory, make_article

from .test_editor_page import editor_config

PORTS = table(
    "Cargo handled",
    ["Port", {"label": "Cargo", "kind": "number", "unit": "million t"}],
    [["Aktau", "2.4"], ["Baku", "3.1"], ["Turkmenbashi", "1.2"]],
    source_note="Port operators",
)


def body(rows=None) -> list:
    ports = copy.deepcopy(PORTS)
    if rows is not None:
        ports["rows"] = rows
    return [
        section("", [paragraph("Cargo rose in the autumn.")]),
        section(
            "Ports",
            [
                paragraph("A first table."),
                table("Other", ["A"], [["x"]], source_note="Us"),
                ports,
            ],
            anchor="ports",
        ),
    ]


AKTAU_CARGO = Anchor(1, 2, 0, 1)  # table 2, row "Aktau", column "Cargo"


@pytest.fixture
def article(editor, desk):
    return make_article(body(), author=editor, desk=desk, title="Caspian ports")


def admin_url(article, rest=""):
    return f"/admin/articles/article/{article.pk}/{rest}"


def save(article, sections, by):
    """Save a new version of the article's body, as the editor's page does."""
    services.replace_body(article, sections)
    return workflow.revise(article, by=by)


def thread_texts(page: str) -> list[str]:
    thread = page.split('id="thread"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<blockquote class="nr-note">(.*?)</blockquote>', thread)


def returned(article, editor, moderator, **reject):
    article = workflow.submit(article, by=editor, comment="Ready, I think.")
    return workflow.reject(
        article, by=moderator, comment=reject.pop("comment", "Source?"), **reject
    )


# --- the thread


@pytest.mark.django_db
def test_the_thread_shows_submit_and_return_comments_in_order_on_both_screens(
    client, article, editor, moderator
):
    """Each comment with who and when, oldest first, on the review screen and page."""
    article = returned(article, editor, moderator, comment="Name the source.")
    article = workflow.submit(article, by=editor, comment="Source added.")

    client.force_login(moderator)
    review = client.get(admin_url(article, "review/")).content.decode()
    client.force_login(editor)
    page = client.get(admin_url(article, "change/")).content.decode()

    expected = ["Ready, I think.", "Name the source.", "Source added."]
    for html in (review, page):
        assert thread_texts(html) == expected
        thread = html.split('id="thread"', 1)[1]
        assert thread.index("editor") < thread.index("moderator")
        assert "Submitted for review" in thread and "Returned with comments" in thread
        assert thread.count("<time datetime=") >= 3


@pytest.mark.django_db
def test_a_comment_is_escaped(client, article, editor):
    workflow.comment(article, by=editor, text="<script>alert(1)</script>")
    client.force_login(editor)
    page = client.get(admin_url(article, "change/")).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.django_db
def test_a_withdrawal_comment_joins_the_thread(client, article, editor):
    """The withdraw page has a comment box: what is typed in it is kept."""
    article = workflow.submit(article, by=editor)
    client.force_login(editor)
    response = client.post(
        admin_url(article, "withdraw/"), {"comment": "Two figures to redo."}
    )
    assert response.status_code == 302
    comment = article.comments.get()
    assert (comment.text, comment.action) == ("Two figures to redo.", "withdraw")
    page = client.get(admin_url(article, "change/")).content.decode()
    assert "Two figures to redo." in page


@pytest.mark.django_db
def test_an_approval_comment_joins_the_thread(client, article, editor, moderator):
    article = workflow.submit(article, by=editor)
    client.force_login(moderator)
    response = client.post(
        admin_url(article, "review/"),
        {
            "decision": "approve",
            "comment": "Good work.",
            "reviewed_revision": article.current_revision().number,
        },
    )
    assert response.status_code == 302
    comment = article.comments.get()
    assert (comment.text, comment.action, comment.author) == (
        "Good work.",
        "approve",
        moderator,
    )


@pytest.mark.django_db
def test_a_free_comment_on_a_cell_is_posted_from_the_review_screen(
    client, article, editor, moderator
):
    article = workflow.submit(article, by=editor)
    client.force_login(moderator)
    response = client.post(
        admin_url(article, "comments/"),
        {
            "text": "Is this 2.4 or 2.6?",
            "place": str(AKTAU_CARGO),
            "revision": article.current_revision().number,
            "return_to": "review",
        },
    )
    comment = article.comments.get()
    assert response["Location"].endswith(f"/review/#comment-{comment.pk}")
    assert Anchor.of(comment) == AKTAU_CARGO
    page = client.get(admin_url(article, "review/")).content.decode()
    assert "About: Table 2, row “Aktau”, column “Cargo”" in page


@pytest.mark.django_db
def test_an_empty_comment_keeps_the_place_and_says_why(client, article, editor):
    client.force_login(editor)
    response = client.post(
        admin_url(article, "comments/"),
        {
            "text": "  ",
            "place": "1.0",
            "revision": article.current_revision().number,
            "return_to": "change",
        },
    )
    assert response.status_code == 200
    assert "Write a comment first." in response.content.decode()
    assert '<option value="1.0" selected>' in response.content.decode()
    assert not Comment.objects.exists()


# --- places that follow the article


@pytest.mark.django_db
def test_a_cell_comment_stays_attached_after_a_row_is_inserted_above_it(
    client, article, editor, moderator
):
    """In the thread's mapping and in the review screen's rendered table."""
    article = returned(article, editor, moderator, anchor=AKTAU_CARGO)
    first = article.current_revision()
    rows = [["Astrakhan", "0.9"], *PORTS["rows"]]
    second = save(article, body(rows), editor)

    moved = map_anchor(first.snapshot, second.snapshot, AKTAU_CARGO)
    assert moved == Anchor(1, 2, 1, 1)
    assert describe(second.snapshot, moved) == ("Table 2, row “Aktau”, column “Cargo”")

    article = workflow.submit(article, by=editor)
    client.force_login(moderator)
    page = client.get(admin_url(article, "review/")).content.decode()
    comment = article.comments.get(action="reject")
    marked = re.search(
        rf'<tr id="table-2-row-(\d+)">(?:(?!</tr>).)*data-comments="{comment.pk}"'
        r"[^>]*>(.*?)</td>",
        page,
        re.S,
    )
    assert marked is not None
    assert marked.group(1) == "2"  # Aktau is now the second row
    assert marked.group(2).endswith("2.4")


@pytest.mark.django_db
def test_a_block_comment_follows_its_block_and_a_removed_row_is_said(
    article, editor, moderator
):
    first = article.current_revision()
    sections = body([["Baku", "3.1"], ["Turkmenbashi", "1.2"]])
    sections[1]["blocks"].insert(0, paragraph("A new opening."))
    second = save(article, sections, editor)

    assert map_anchor(first.snapshot, second.snapshot, Anchor(1, 0)) == Anchor(1, 1)
    assert map_anchor(first.snapshot, second.snapshot, AKTAU_CARGO) is None
    assert map_anchor(first.snapshot, second.snapshot, Anchor(9, 0)) is None


@pytest.mark.django_db
def test_the_editor_shows_open_cell_comments_at_their_table(
    client, article, editor, moderator
):
    """The editor fixing a returned article sees each open comment at its block."""
    article = returned(article, editor, moderator, anchor=AKTAU_CARGO, comment="2.6?")
    rows = [["Astrakhan", "0.9"], *PORTS["rows"]]
    save(article, body(rows), editor)
    client.force_login(editor)

    notes = editor_config(client.get(admin_url(article, "change/")))["notes"]
    assert {
        "place": {"section": 1, "block": 2},
        "message": "Table 2, row “Aktau”, column “Cargo”. "
        "Comment 2 from moderator: 2.6?",
    } in notes

    comment = article.comments.get(action="reject")
    client.post(admin_url(article, f"comments/{comment.pk}/resolve/"))
    notes = editor_config(client.get(admin_url(article, "change/")))["notes"]
    assert not [note for note in notes if "2.6?" in note["message"]]


@pytest.mark.django_db
def test_the_thread_says_when_the_commented_row_was_removed(
    client, article, editor, moderator
):
    article = returned(article, editor, moderator, anchor=AKTAU_CARGO)
    save(article, body([["Baku", "3.1"]]), editor)
    client.force_login(editor)
    page = client.get(admin_url(article, "change/")).content.decode()
    assert "About: Table 2, row “Aktau”, column “Cargo”" in page
    assert "the commented row or column was removed" in page


@pytest.mark.django_db
def test_a_column_moved_keeps_the_cell(article, editor):
    first = article.current_revision()
    sections = body()
    ports = sections[1]["blocks"][2]
    ports["columns"].reverse()
    ports["rows"] = [list(reversed(row)) for row in ports["rows"]]
    second = save(article, sections, editor)
    assert map_anchor(first.snapshot, second.snapshot, AKTAU_CARGO) == Anchor(
        1, 2, 0, 0
    )


# --- who may comment, and where


@pytest.fixture
def viewer(db):
    """Staff who may read articles in the admin, not edit or review them."""
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


@pytest.mark.django_db
def test_someone_who_may_only_read_articles_cannot_comment(client, article, viewer):
    client.force_login(viewer)
    response = client.post(
        admin_url(article, "comments/"),
        {
            "text": "Mine now.",
            "place": "",
            "revision": article.current_revision().number,
            "return_to": "change",
        },
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()
    page = client.get(admin_url(article, "change/")).content.decode()
    assert 'id="comment-form"' not in page


@pytest.mark.django_db
def test_another_editor_may_comment_as_they_may_edit(client, article, other_editor):
    client.force_login(other_editor)
    response = client.post(
        admin_url(article, "comments/"),
        {
            "text": "The second table needs a source.",
            "place": "",
            "revision": article.current_revision().number,
            "return_to": "change",
        },
    )
    assert response.status_code == 302
    assert article.comments.get().author == other_editor


@pytest.mark.django_db
def test_someone_who_may_only_read_articles_cannot_resolve_a_comment(
    client, article, editor, moderator, viewer
):
    article = returned(article, editor, moderator)
    comment = article.comments.get(action="reject")
    client.force_login(viewer)
    response = client.post(admin_url(article, f"comments/{comment.pk}/resolve/"))
    assert response.status_code == 403
    comment.refresh_from_db()
    assert not comment.is_resolved


@pytest.mark.django_db
def test_a_comment_is_resolved_only_through_its_own_article(
    client, article, editor, moderator, desk
):
    """A comment of another article, named in this one's address, is a 404."""
    article = returned(article, editor, moderator)
    comment = article.comments.get(action="reject")
    own = make_article(author=editor, desk=desk, title="Mine")
    client.force_login(editor)
    response = client.post(admin_url(own, f"comments/{comment.pk}/resolve/"))
    assert response.status_code == 404
    comment.refresh_from_db()
    assert not comment.is_resolved


@pytest.mark.parametrize(
    "place", ["9.0", "1.2.3.0", "1.2.0.2", "0.0.1.0", "1.x", "-1.0", "1.0.1"]
)
@pytest.mark.django_db
def test_a_place_that_is_not_in_the_version_is_refused(client, article, editor, place):
    client.force_login(editor)
    response = client.post(
        admin_url(article, "comments/"),
        {
            "text": "Here.",
            "place": place,
            "revision": article.current_revision().number,
            "return_to": "change",
        },
    )
    assert response.status_code == 200
    assert "That place is not in this version of the article" in (
        response.content.decode()
    )
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_place_in_another_version_is_refused(client, article, editor):
    """Indexes name places of the version read: a newer one makes them wrong."""
    read = article.current_revision().number
    save(article, body([["Astrakhan", "0.9"], *PORTS["rows"]]), editor)
    client.force_login(editor)
    response = client.post(
        admin_url(article, "comments/"),
        {
            "text": "Here.",
            "place": str(AKTAU_CARGO),
            "revision": read,
            "return_to": "change",
        },
    )
    assert response.status_code == 200
    assert "The article changed while you were writing" in response.content.decode()
    assert "Here." in response.content.decode()  # what was typed is kept
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_the_workflow_refuses_an_anchor_outside_the_revision(
    article, editor, moderator
):
    article = workflow.submit(article, by=editor)
    with pytest.raises(workflow.WorkflowError):
        workflow.reject(article, by=moderator, comment="No.", anchor=Anchor(1, 0, 0, 0))
    assert Article.objects.get(pk=article.pk).status == "in_review"
    assert not Comment.objects.exists()


# --- resolving before resubmitting


@pytest.mark.django_db
def test_open_comments_block_resubmission_when_the_setting_asks(
    client, settings, article, editor, moderator
):
    settings.NEWSROOM_REQUIRE_RESOLVED_COMMENTS = True
    article = returned(article, editor, moderator, comment="Check the figures.")
    client.force_login(editor)
    response = client.post(
        admin_url(article, "submit/"), {"comment": "Done"}, follow=True
    )
    assert "has 1 open comment: resolve it in the conversation" in (
        response.content.decode()
    )
    assert Article.objects.get(pk=article.pk).status == "draft"

    comment = article.comments.get(action="reject")
    response = client.post(
        admin_url(article, f"comments/{comment.pk}/resolve/"), {"return_to": "change"}
    )
    assert response["Location"].endswith(f"/change/#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.resolved_by == editor
    client.post(admin_url(article, "submit/"), {"comment": "Done"})
    assert Article.objects.get(pk=article.pk).status == "in_review"
    assert article.comments.last().text == "Done"


@pytest.mark.django_db
def test_open_comments_do_not_block_without_the_setting(article, editor, moderator):
    article = returned(article, editor, moderator)
    assert workflow.submit(article, by=editor).status == "in_review"


# --- cost


@pytest.mark.django_db
def test_the_review_screen_costs_the_same_queries_however_many_comments(
    client, article, editor, moderator
):
    """Comments on older versions included: their snapshots come in one query."""
    workflow.comment(article, by=editor, text="Old", anchor=AKTAU_CARGO)
    save(article, body([["Astrakhan", "0.9"], *PORTS["rows"]]), editor)
    article = workflow.submit(article, by=editor)
    client.force_login(moderator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(admin_url(article, "review/")).status_code == 200
        return len(captured)

    few = queries()
    for number in range(10):
        workflow.comment(
            article, by=moderator, text=f"More {number}", anchor=Anchor(1, 2, 1, 1)
        )
        workflow.comment(
            article, by=editor, text=f"Reply {number}", anchor=Anchor(0, 0)
        )
    assert queries() == few
