"""Who may change an article's status, and how; the admin, views and importer call it.

    draft ──submit──▶ in review ──approve──────▶ published (readers see it now)
      ▲                  │     └──approve(at)──▶ scheduled ──(its time)──▶ published
      └─withdraw/reject──┘
    published ──edit──▶ draft (readers keep the approved revision until approval)
    published/scheduled ──unpublish──▶ unpublished ──submit──▶ in review

Roles (groups created by migration 0003_roles): Editors hold `submit_article`
and may edit; Moderators also hold `moderate_article` (approve, schedule,
reject, unpublish). Superusers may do everything. A moderator may not approve
a version they submitted or wrote any change of since the last approval
(four-eyes rule, NEWSROOM_FOUR_EYES).

Only this module assigns `Article.status`. Each transition locks the article's
row, checks the state and the actor's permission, writes with a conditional
update (so two simultaneous requests make exactly one transition on any
database), logs a TransitionLog, and raises WorkflowError, whose message is
written for the person who asked, when it refuses.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .. import caching, notifications, revisions, search, services, tabledata
from ..models import Article, Correction, Revision, TransitionLog

EDITORS = "Editors"
MODERATORS = "Moderators"

Status = Article.Status
Action = TransitionLog.Action


class WorkflowError(Exception):
    """A refused action; the message is written for the person who asked."""


def can_edit(user) -> bool:
    return user.has_perm("articles.change_article")


def can_submit(user) -> bool:
    return user.has_perm("articles.submit_article")


def can_moderate(user) -> bool:
    return user.has_perm("articles.moderate_article")


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise WorkflowError(message)


def _move(
    article: Article,
    *,
    action: str,
    to: str,
    by,
    revision: Revision | None = None,
    comment: str = "",
    **fields,
) -> Article:
    """Change the status if nobody changed it meanwhile, and log the change."""
    from_status = article.status
    changed = Article.objects.filter(pk=article.pk, status=from_status).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if not changed:
        raise WorkflowError(
            f"“{article.title}” was changed by someone else a moment ago; "
            "reload the page to see its current state."
        )
    TransitionLog.objects.create(
        article=article,
        revision=revision,
        action=action,
        from_status=from_status,
        to_status=to,
        by=by,
        comment=comment,
    )
    article = Article.objects.select_related("live_revision", "desk").get(pk=article.pk)
    if "live_revision" in fields or action == Action.GO_LIVE:
        search.index_article(article)
        caching.invalidate_article(article)
    return article


def _status_refusal(article: Article, doing: str) -> str:
    status = article.get_status_display().lower()
    return f"“{article.title}” is {status}, so it cannot be {doing}."


@transaction.atomic
def submit(article: Article, *, by, comment: str = "") -> Article:
    """Send the article's current revision to the moderators."""
    article = _locked(article)
    _require(
        can_submit(by), "You do not have permission to submit articles for review."
    )
    _require(
        article.status in {Status.DRAFT, Status.UNPUBLISHED},
        _status_refusal(article, "submitted"),
    )
    revision = article.current_revision()
    _require(revision is not None, f"“{article.title}” has no saved version to submit.")
    article = _move(
        article,
        action=Action.SUBMIT,
        to=Status.IN_REVIEW,
        by=by,
        revision=revision,
        comment=comment.strip(),
        submitted_by=by,
        submitted_at=timezone.now(),
    )
    notifications.submitted(article, by=by)
    return article


@transaction.atomic
def withdraw(article: Article, *, by) -> Article:
    """Take an article out of review so that it can be edited again."""
    article = _locked(article)
    _require(
        article.status == Status.IN_REVIEW,
        _status_refusal(article, "withdrawn from review"),
    )
    _require(
        by.pk == article.submitted_by_id or can_moderate(by),
        "Only the person who submitted it, or a moderator, can withdraw it.",
    )
    return _move(
        article,
        action=Action.WITHDRAW,
        to=Status.DRAFT,
        by=by,
        revision=article.current_revision(),
    )


def four_eyes_refusal(article: Article, revision: Revision, by) -> str:
    """Say why `by` may not approve `revision` under the four-eyes rule, or ''.

    A moderator may not approve a version they submitted, nor one holding any
    revision they saved since the last approved one: a one-character edit by
    someone else on top does not make their text someone else's.
    """
    if not settings.NEWSROOM_FOUR_EYES or by.is_superuser:
        return ""
    if by.pk == article.submitted_by_id:
        return (
            "You submitted this version, so another moderator must approve it "
            "(four-eyes rule)."
        )
    last_approved = article.transitions.filter(
        action__in=[Action.APPROVE, Action.SCHEDULE]
    ).aggregate(number=Max("revision__number"))["number"]
    written = list(
        article.revisions.filter(
            number__gt=last_approved or 0,
            number__lte=revision.number,
            conflicted=False,
            author=by,
        ).values_list("number", flat=True)
    )
    if not written:
        return ""
    return (
        f"You wrote changes in this version ({_revisions_named(written)}), so "
        "another moderator must approve it (four-eyes rule)."
    )


def _revisions_named(numbers: list[int]) -> str:
    numbers = sorted(numbers)
    if len(numbers) == 1:
        return f"revision {numbers[0]}"
    return "revisions " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


@transaction.atomic
def approve(
    article: Article,
    *,
    by,
    at: datetime | None = None,
    correction: str = "",
    override_reason: str = "",
) -> Article:
    """Publish the submitted revision now, or schedule it for `at`.

    `correction` adds a reader-visible correction line; only for an article
    readers have already seen. Table warnings (no caption, no source...)
    block approval unless `override_reason` says why it may go out anyway.
    """
    article = _locked(article)
    _require(can_moderate(by), "Only a moderator can approve articles.")
    _require(article.status == Status.IN_REVIEW, _status_refusal(article, "approved"))
    revision = article.current_revision()
    refusal = four_eyes_refusal(article, revision, by)
    _require(not refusal, refusal)
    warnings = tabledata.snapshot_warnings(revision.snapshot)
    override_reason = override_reason.strip()
    _require(
        not warnings or bool(override_reason),
        "This version has warnings: "
        + " ".join(warnings)
        + " Fix them, or give a reason to approve it anyway.",
    )
    note = (
        f"Approved despite: {' '.join(warnings)} Reason: {override_reason}"
        if warnings
        else ""
    )
    now = timezone.now()
    was_live = article.is_live
    correction = correction.strip()
    _require(
        not correction or was_live,
        "A correction line is only for an article that readers have already seen.",
    )
    if at is not None:
        _require(at > now, "The publication time is in the past; choose a later time.")
        when = f"{timezone.localtime(at):%Y-%m-%d %H:%M}"
        _require(
            article.live_revision_id is None,
            "Readers already see this article, so its changes are published when "
            "approved; scheduling is for articles that are not yet public.",
        )
        article = _move(
            article,
            action=Action.SCHEDULE,
            to=Status.SCHEDULED,
            by=by,
            revision=revision,
            comment=f"To be published at {when}. {note}".strip(),
            live_revision=revision,
            published_at=at,
            live_since=at,
        )
    else:
        article = _move(
            article,
            action=Action.APPROVE,
            to=Status.PUBLISHED,
            by=by,
            revision=revision,
            comment=note,
            live_revision=revision,
            published_at=article.published_at if was_live else now,
            live_since=now,
        )
    if correction:
        Correction.objects.create(
            article=article, revision=revision, text=correction, created_by=by
        )
    action = Action.SCHEDULE if at is not None else Action.APPROVE
    notifications.decided(article, action=action, by=by, comment=correction)
    return article


@transaction.atomic
def reject(article: Article, *, by, comment: str) -> Article:
    """Return a submitted article to its author with the moderator's comment."""
    article = _locked(article)
    _require(can_moderate(by), "Only a moderator can return articles to their authors.")
    _require(article.status == Status.IN_REVIEW, _status_refusal(article, "returned"))
    comment = (comment or "").strip()
    _require(bool(comment), "Say what needs to change: a comment is required.")
    article = _move(
        article,
        action=Action.REJECT,
        to=Status.DRAFT,
        by=by,
        revision=article.current_revision(),
        comment=comment,
    )
    notifications.decided(article, action=Action.REJECT, by=by, comment=comment)
    return article


@transaction.atomic
def unpublish(article: Article, *, by, comment: str = "") -> Article:
    """Take an article away from readers (or cancel its scheduled publication)."""
    article = _locked(article)
    _require(can_moderate(by), "Only a moderator can unpublish articles.")
    _require(
        article.live_revision_id is not None,
        f"“{article.title}” is neither published nor scheduled: "
        "there is nothing to unpublish.",
    )
    return _move(
        article,
        action=Action.UNPUBLISH,
        to=Status.UNPUBLISHED,
        by=by,
        revision=article.live_revision,
        comment=comment.strip(),
        live_revision=None,
    )


def go_live_due(now: datetime | None = None) -> list[Article]:
    """Mark scheduled articles whose time has come as published; return them.

    Readers already see them (the public query filters on the time); this
    records the change so that its side effects can run. Safe to run often.
    """
    now = now or timezone.now()
    done = []
    due = Article.objects.filter(status=Status.SCHEDULED, published_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=pk)
            if article.status != Status.SCHEDULED:
                continue  # another run got there first
            done.append(
                _move(
                    article,
                    action=Action.GO_LIVE,
                    to=Status.PUBLISHED,
                    by=None,
                    revision=article.live_revision,
                    live_since=article.published_at,
                )
            )
    return done


def check_editable(article: Article, by) -> None:
    """Refuse edits by people without permission, or to a locked article.

    `by` is None only for trusted callers without a person: management commands.
    """
    _require(by is None or can_edit(by), "You do not have permission to edit articles.")
    if article.is_locked:
        last = article.transitions.first()
        who = f" by {last.by}" if last and last.by else ""
        when = f" on {timezone.localtime(last.at):%d %b %Y at %H:%M}" if last else ""
        raise WorkflowError(
            f"“{article.title}” is {article.get_status_display().lower()}{who}{when}, "
            "so it cannot be edited now. "
            + (
                "Withdraw it from review first."
                if article.status == Status.IN_REVIEW
                else "A moderator can cancel the schedule by unpublishing it."
            )
        )


@transaction.atomic
def revise(
    article: Article, *, by, note: str = "", base: Revision | None = None
) -> Revision:
    """Record the working copy as a new revision after an edit.

    Editing a published article turns it into a draft; readers keep the
    approved revision until a moderator approves the next one.
    """
    article = _locked(article)
    check_editable(article, by)
    revision = revisions.create_revision(article, author=by, note=note, base=base)
    if revision.created_now and article.status == Status.PUBLISHED:
        _move(article, action=Action.EDIT, to=Status.DRAFT, by=by, revision=revision)
    return revision


@transaction.atomic
def restore(revision: Revision, *, by) -> Revision:
    """Make an earlier revision the working copy again, as a new revision."""
    article = _locked(revision.article)
    check_editable(article, by)
    services.apply_snapshot(article, revision.snapshot)
    restored = revise(
        article, by=by, note=f"Restored from revision {revision.number}", base=revision
    )
    TransitionLog.objects.create(
        article=article,
        revision=restored,
        action=Action.RESTORE,
        from_status=article.status,
        to_status=Article.objects.values_list("status", flat=True).get(pk=article.pk),
        by=by,
        comment=f"Revision {revision.number} restored as revision {restored.number}.",
    )
    return restored
