import io
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles import revisions, services, workflow
from articles.models import Article, Correction, TransitionLog
from articles.testing.bodies import paragraph
from articles.testing.factories import make_article

Status = Article.Status


def in_review(author, **fields):
    article = make_article(author=author, **fields)
    return workflow.submit(article, by=author)


def edit(article, by, text="Edited text."):
    services.replace_body(article, [{"heading": "", "blocks": [paragraph(text)]}])
    return workflow.revise(article, by=by)


# --- each transition: allowed and refused


@pytest.mark.django_db
def test_editor_submits_a_draft(editor, moderator):
    article = make_article(author=editor)
    article = workflow.submit(article, by=editor, comment="Ready")
    assert article.status == Status.IN_REVIEW
    assert (article.submitted_by, article.submitted_at is not None) == (editor, True)
    entry = article.transitions.get()
    assert (
        entry.action,
        entry.from_status,
        entry.to_status,
        entry.by,
        entry.comment,
    ) == ("submit", "draft", "in_review", editor, "Ready")
    assert entry.revision.number == 1


@pytest.mark.django_db
def test_submitting_twice_is_refused(editor):
    article = in_review(editor)
    with pytest.raises(
        workflow.WorkflowError, match="is in review, so it cannot be submitted"
    ):
        workflow.submit(article, by=editor)


@pytest.mark.django_db
def test_people_without_the_role_cannot_submit(db):
    from articles.testing.factories import UserFactory

    outsider = UserFactory(username="outsider", is_staff=True)
    article = make_article(author=outsider)
    with pytest.raises(workflow.WorkflowError, match="permission to submit"):
        workflow.submit(article, by=outsider)
    assert not TransitionLog.objects.exists()


@pytest.mark.django_db
def test_submitter_or_a_moderator_may_withdraw(editor, other_editor, moderator):
    article = in_review(editor)
    with pytest.raises(
        workflow.WorkflowError, match="Only the person who submitted it"
    ):
        workflow.withdraw(article, by=other_editor)
    assert workflow.withdraw(article, by=editor).status == Status.DRAFT
    workflow.submit(article, by=editor)
    assert workflow.withdraw(article, by=moderator).status == Status.DRAFT


@pytest.mark.django_db
def test_moderator_approves_and_readers_see_it(client, editor, moderator):
    article = in_review(editor)
    article = workflow.approve(article, by=moderator)
    assert article.status == Status.PUBLISHED
    assert article.live_revision.number == 1
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_editors_cannot_approve(editor, other_editor):
    article = in_review(editor)
    with pytest.raises(workflow.WorkflowError, match="Only a moderator"):
        workflow.approve(article, by=other_editor)
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW


@pytest.mark.django_db
def test_a_draft_cannot_be_approved_without_review(editor, moderator):
    article = make_article(author=editor)
    with pytest.raises(
        workflow.WorkflowError, match="is draft, so it cannot be approved"
    ):
        workflow.approve(article, by=moderator)


@pytest.mark.django_db
def test_four_eyes_moderators_cannot_approve_their_own_work(moderator, other_moderator):
    article = in_review(moderator)
    with pytest.raises(workflow.WorkflowError, match="four-eyes"):
        workflow.approve(article, by=moderator)
    assert workflow.approve(article, by=other_moderator).status == Status.PUBLISHED


@pytest.mark.django_db
def test_four_eyes_covers_the_author_of_the_submitted_version(
    editor, moderator, other_moderator
):
    article = make_article(author=moderator)  # written by the moderator...
    article = workflow.submit(article, by=editor)  # ...submitted by someone else
    with pytest.raises(workflow.WorkflowError, match="four-eyes"):
        workflow.approve(article, by=moderator)


@pytest.mark.django_db
def test_four_eyes_covers_changes_under_someone_elses_last_edit(
    editor, moderator, other_moderator
):
    """A one-character edit by an editor does not make the moderator's text theirs."""
    article = make_article(author=moderator)  # revision 1: the moderator's text
    edit(article, by=editor, text="The lede!")  # revision 2: the editor's touch
    article = workflow.submit(article, by=editor)
    with pytest.raises(workflow.WorkflowError, match=r"revision 1\).*four-eyes"):
        workflow.approve(article, by=moderator)
    assert Article.objects.get(pk=article.pk).live_revision is None
    assert workflow.approve(article, by=other_moderator).status == Status.PUBLISHED


@pytest.mark.django_db
def test_four_eyes_covers_a_moderators_edit_of_a_published_article(
    editor, moderator, other_moderator
):
    article = make_article(author=editor, publish=True)
    edit(article, by=moderator, text="The moderator's correction.")
    edit(article, by=editor, text="The moderator's correction, polished.")
    article = workflow.submit(article, by=editor)
    with pytest.raises(workflow.WorkflowError, match="four-eyes"):
        workflow.approve(article, by=moderator)
    assert workflow.approve(article, by=other_moderator).status == Status.PUBLISHED


@pytest.mark.django_db
def test_four_eyes_forgets_text_another_moderator_already_approved(
    editor, moderator, other_moderator
):
    """Text another moderator approved is no longer the moderator's own to judge."""
    article = in_review(moderator)
    workflow.approve(article, by=other_moderator)
    edit(article, by=editor, text="A later change by the editor.")
    article = workflow.submit(article, by=editor)
    assert workflow.approve(article, by=moderator).status == Status.PUBLISHED


@pytest.mark.django_db
def test_four_eyes_ignores_a_save_kept_aside(editor, moderator):
    """A moderator's save that was kept aside never reached the article."""
    article = make_article(author=editor)
    revisions.keep_aside(
        article, revisions.snapshot(article), author=moderator, base=None, note=""
    )
    edit(article, by=editor, text="The editor's own change.")
    article = workflow.submit(article, by=editor)
    assert workflow.approve(article, by=moderator).status == Status.PUBLISHED


@pytest.mark.django_db
def test_four_eyes_can_be_turned_off_for_a_one_person_newsroom(settings, moderator):
    settings.NEWSROOM_FOUR_EYES = False
    article = in_review(moderator)
    assert workflow.approve(article, by=moderator).status == Status.PUBLISHED


@pytest.mark.django_db
def test_rejection_needs_a_comment_and_returns_a_draft(editor, moderator):
    article = in_review(editor)
    with pytest.raises(workflow.WorkflowError, match="a comment is required"):
        workflow.reject(article, by=moderator, comment="  ")
    article = workflow.reject(article, by=moderator, comment="Source the second table.")
    assert article.status == Status.DRAFT
    assert article.transitions.first().comment == "Source the second table."


@pytest.mark.django_db
def test_unpublish_takes_the_article_away_and_it_comes_back_through_review(
    client, editor, moderator
):
    article = workflow.approve(in_review(editor), by=moderator)
    url = article.get_absolute_url()
    with pytest.raises(workflow.WorkflowError, match="Only a moderator"):
        workflow.unpublish(article, by=editor)
    article = workflow.unpublish(article, by=moderator, comment="Legal hold")
    assert (article.status, article.live_revision) == (Status.UNPUBLISHED, None)
    assert client.get(url).status_code == 404
    with pytest.raises(workflow.WorkflowError, match="nothing to unpublish"):
        workflow.unpublish(article, by=moderator)
    article = workflow.approve(workflow.submit(article, by=editor), by=moderator)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_editing_a_published_article_makes_a_draft_and_keeps_readers_on_the_live_one(
    client, editor, moderator
):
    article = workflow.approve(in_review(editor), by=moderator)
    revision = edit(article, editor, "Unapproved text.")
    article.refresh_from_db()
    assert (article.status, revision.number, article.live_revision.number) == (
        Status.DRAFT,
        2,
        1,
    )
    assert article.transitions.first().action == "edit"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "The lede." in html and "Unapproved text." not in html


@pytest.mark.django_db
def test_articles_in_review_cannot_be_edited(editor):
    article = in_review(editor)
    with pytest.raises(workflow.WorkflowError, match="cannot be edited now. Withdraw"):
        edit(article, editor)


# --- readers never see what was not approved


@pytest.mark.django_db
def test_readers_never_see_unapproved_content(client, editor, moderator):
    desk_slug = "world"
    make_article(author=editor, title="A plain draft", desk__slug=desk_slug)
    in_review(editor, title="Waiting for review", desk__slug=desk_slug)
    rejected = in_review(editor, title="Sent back", desk__slug=desk_slug)
    workflow.reject(rejected, by=moderator, comment="No.")
    gone = workflow.approve(
        in_review(editor, title="Taken down", desk__slug=desk_slug), by=moderator
    )
    workflow.unpublish(gone, by=moderator)
    workflow.approve(
        in_review(editor, title="Tomorrow's news", desk__slug=desk_slug),
        by=moderator,
        at=timezone.now() + timedelta(days=1),
    )
    live = workflow.approve(
        in_review(editor, title="Approved title", desk__slug=desk_slug), by=moderator
    )
    live.title = "Unapproved title"
    live.save()
    edit(live, editor)

    pages = "".join(
        client.get(url).content.decode()
        for url in ["/", f"/{desk_slug}/", live.get_absolute_url()]
    )
    assert "Approved title" in pages
    for hidden in [
        "A plain draft",
        "Waiting for review",
        "Sent back",
        "Taken down",
        "Tomorrow",
        "Unapproved title",
        "Edited text.",
    ]:
        assert hidden not in pages
    for article in Article.objects.exclude(pk=live.pk):
        assert client.get(f"/{desk_slug}/{article.slug}/").status_code == 404


# --- scheduling


@pytest.mark.django_db
def test_scheduled_article_appears_exactly_at_its_time(client, editor, moderator):
    at = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    article = workflow.approve(in_review(editor), by=moderator, at=at)
    assert article.status == Status.SCHEDULED
    url = article.get_absolute_url()
    with time_machine.travel(at - timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 404
        assert article.title not in client.get("/").content.decode()
    with time_machine.travel(at, tick=False):
        assert client.get(url).status_code == 200
        assert article.title in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_scheduler_command_records_what_went_live_once(
    editor, moderator, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(minutes=30)
    article = workflow.approve(in_review(editor), by=moderator, at=at)
    with time_machine.travel(at - timedelta(minutes=1)):
        call_command("publish_scheduled", stdout=io.StringIO())
        assert Article.objects.get(pk=article.pk).status == Status.SCHEDULED
    with (
        time_machine.travel(at + timedelta(minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("publish_scheduled", stdout=io.StringIO())
        call_command("publish_scheduled", stdout=io.StringIO())  # every minute: safe
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.transitions.filter(action="go_live").count() == 1
    went_live = [m for m in mail.outbox if "published as scheduled" in m.subject]
    assert [m.to for m in went_live] == [["editor@example.org"]]


@pytest.mark.django_db
def test_scheduling_in_the_past_is_refused(editor, moderator):
    article = in_review(editor)
    with pytest.raises(workflow.WorkflowError, match="in the past"):
        workflow.approve(
            article, by=moderator, at=timezone.now() - timedelta(minutes=5)
        )


@pytest.mark.django_db
def test_unpublishing_a_scheduled_article_cancels_it(client, editor, moderator):
    at = timezone.now() + timedelta(hours=1)
    article = workflow.approve(in_review(editor), by=moderator, at=at)
    workflow.unpublish(article, by=moderator)
    with time_machine.travel(at + timedelta(minutes=1)):
        assert client.get(article.get_absolute_url()).status_code == 404


# --- corrections and notifications


@pytest.mark.django_db
def test_correction_line_is_shown_with_the_approved_change(client, editor, moderator):
    article = workflow.approve(in_review(editor), by=moderator)
    edit(article, editor, "The figure is 1,250.")
    workflow.submit(article, by=editor)
    workflow.approve(
        article, by=moderator, correction="Corrected on 27 November: 1,250."
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Corrected on 27 November: 1,250." in html
    correction = Correction.objects.get()
    assert (correction.revision.number, correction.created_by) == (2, moderator)


@pytest.mark.django_db
def test_no_correction_line_on_a_first_publication(editor, moderator):
    with pytest.raises(workflow.WorkflowError, match="already seen"):
        workflow.approve(in_review(editor), by=moderator, correction="Corrected: x")


@pytest.mark.django_db(transaction=True)
def test_moderators_hear_of_submissions_and_authors_of_decisions(editor, moderator):
    article = in_review(editor)
    assert [m.to for m in mail.outbox] == [["moderator@example.org"]]
    assert "For review" in mail.outbox[0].subject
    workflow.reject(article, by=moderator, comment="Add the source.")
    assert mail.outbox[-1].to == ["editor@example.org"]
    assert "Add the source." in mail.outbox[-1].body


# --- concurrency


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent row locks need PostgreSQL (CI runs the suite on it)",
)
def test_two_moderators_approving_at_once_make_one_transition(
    editor, moderator, other_moderator
):
    article = in_review(editor)
    start = threading.Barrier(2)
    outcomes = []

    def approve_as(person):
        from django.db import connections

        try:
            start.wait()
            workflow.approve(Article.objects.get(pk=article.pk), by=person)
            outcomes.append("approved")
        except workflow.WorkflowError as refusal:
            outcomes.append(str(refusal))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve_as, args=(m,))
        for m in (moderator, other_moderator)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0] == "approved"
    assert outcomes.count("approved") == 1
    assert TransitionLog.objects.filter(action="approve").count() == 1


@pytest.mark.django_db
def test_a_moderator_can_delete_a_published_article(client, editor, moderator):
    article = workflow.approve(in_review(editor), by=moderator)
    client.force_login(moderator)
    response = client.post(
        f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert client.get(article.get_absolute_url()).status_code == 404
