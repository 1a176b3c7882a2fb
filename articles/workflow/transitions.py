"""The transitions: each changes an article's status, or its working copy.

Only this module assigns `Article.status`. Each transition locks the
article's row, asks the policy (`policy.check`, which refuses with
`WorkflowPermissionDenied` or `WorkflowError`), checks its own input, writes
with a conditional update (so two simultaneous requests make exactly one
transition on any database), and logs a TransitionLog.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import caching, notifications, revisions, search, services, tabledata
from ..diff.anchors import Anchor, locate
from ..models import Article, Comment, Correction, Revision, TransitionLog
from .policy import (
    APPROVE,
    EDIT,
    REJECT,
    SCHEDULE,
    SUBMIT,
    UNPUBLISH,
    WITHDRAW,
    WorkflowError,
    WorkflowPermissionDenied,
    check,
    comment_refusal,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Status = Article.Status
Action = TransitionLog.Action


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
    by: User | None,
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
            _(
                "“%(title)s” was changed by someone else a moment ago; reload the "
                "page to see its current state."
            )
            % {"title": article.title}
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


@transaction.atomic
def submit(article: Article, *, by: User, comment: str = "") -> Article:
    """Send the article's current revision to the moderators."""
    article = _locked(article)
    check(SUBMIT, article, by=by)
    _require_resolved(article)
    revision = article.current_revision()
    comment = comment.strip()
    _write(article, revision, by=by, text=comment, action=Action.SUBMIT)
    article = _move(
        article,
        action=Action.SUBMIT,
        to=Status.IN_REVIEW,
        by=by,
        revision=revision,
        comment=comment,
        submitted_by=by,
        submitted_at=timezone.now(),
    )
    notifications.submitted(article, by=by)
    return article


@transaction.atomic
def withdraw(article: Article, *, by: User, comment: str = "") -> Article:
    """Take an article out of review so that it can be edited again."""
    article = _locked(article)
    check(WITHDRAW, article, by=by)
    revision = article.current_revision()
    comment = comment.strip()
    _write(article, revision, by=by, text=comment, action=Action.WITHDRAW)
    return _move(
        article,
        action=Action.WITHDRAW,
        to=Status.DRAFT,
        by=by,
        revision=revision,
        comment=comment,
    )


@transaction.atomic
def approve(
    article: Article,
    *,
    by: User,
    at: datetime | None = None,
    correction: str = "",
    override_reason: str = "",
    comment: str = "",
) -> Article:
    """Publish the submitted revision now, or schedule it for `at`.

    `correction` adds a reader-visible correction line; only for an article
    readers have already seen. Table warnings (no caption, no source...)
    block approval unless `override_reason` says why it may go out anyway.
    `comment` goes to the article's thread.
    """
    article = _locked(article)
    check(APPROVE if at is None else SCHEDULE, article, by=by)
    revision = article.current_revision()
    note = _overridden_warnings(revision, override_reason)
    now = timezone.now()
    was_live = article.is_live
    correction = correction.strip()
    _require(
        not correction or was_live,
        _("A correction line is only for an article that readers have already seen."),
    )
    if at is not None:
        article = _schedule(article, revision, at=at, now=now, by=by, note=note)
    else:
        article = _publish(
            article, revision, was_live=was_live, now=now, by=by, note=note
        )
    if correction:
        Correction.objects.create(
            article=article, revision=revision, text=correction, created_by=by
        )
    action = Action.SCHEDULE if at is not None else Action.APPROVE
    _write(article, revision, by=by, text=comment.strip(), action=action)
    notifications.decided(article, action=action, by=by, comment=correction)
    return article


def _overridden_warnings(revision: Revision, override_reason: str) -> str:
    """Refuse a revision whose tables have warnings unless a reason is given.

    Returns the note for the log: the warnings and the reason, or "" if none.
    """
    warnings = tabledata.snapshot_warnings(revision.snapshot)
    override_reason = override_reason.strip()
    _require(
        not warnings or bool(override_reason),
        _(
            "This version has warnings: %(warnings)s Fix them, or give a reason "
            "to approve it anyway."
        )
        % {"warnings": " ".join(warnings)},
    )
    if not warnings:
        return ""
    return _("Approved despite: %(warnings)s Reason: %(reason)s") % {
        "warnings": " ".join(warnings),
        "reason": override_reason,
    }


def _schedule(
    article: Article,
    revision: Revision,
    *,
    at: datetime,
    now: datetime,
    by: User,
    note: str,
) -> Article:
    """Make the revision live at `at`, which must be later than `now`."""
    _require(at > now, _("The publication time is in the past; choose a later time."))
    when = formats.date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT")
    planned = _("To be published at %(when)s.") % {"when": when}
    return _move(
        article,
        action=Action.SCHEDULE,
        to=Status.SCHEDULED,
        by=by,
        revision=revision,
        comment=f"{planned} {note}".strip(),
        live_revision=revision,
        published_at=at,
        live_since=at,
    )


def _publish(
    article: Article,
    revision: Revision,
    *,
    was_live: bool,
    now: datetime,
    by: User,
    note: str,
) -> Article:
    """Make the revision live now; an article readers saw keeps its first date."""
    return _move(
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


@transaction.atomic
def reject(
    article: Article, *, by: User, comment: str, anchor: Anchor | None = None
) -> Article:
    """Return a submitted article to its author with the moderator's comment.

    `anchor` points the comment at a block or cell of the submitted revision.
    """
    article = _locked(article)
    check(REJECT, article, by=by)
    comment = (comment or "").strip()
    _require(bool(comment), _("Say what needs to change: a comment is required."))
    revision = article.current_revision()
    _write(article, revision, by=by, text=comment, action=Action.REJECT, anchor=anchor)
    article = _move(
        article,
        action=Action.REJECT,
        to=Status.DRAFT,
        by=by,
        revision=revision,
        comment=comment,
    )
    notifications.decided(article, action=Action.REJECT, by=by, comment=comment)
    return article


@transaction.atomic
def unpublish(article: Article, *, by: User, comment: str = "") -> Article:
    """Take an article away from readers (or cancel its scheduled publication)."""
    article = _locked(article)
    check(UNPUBLISH, article, by=by)
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


@transaction.atomic
def revise(
    article: Article,
    *,
    by: User | None,
    note: str = "",
    base: Revision | None = None,
    sections: list | None = None,
) -> Revision:
    """Record the working copy as a new revision after an edit.

    Editing a published article turns it into a draft; readers keep the
    approved revision until a moderator approves the next one. `by` is None
    only for trusted callers without a person: management commands.
    `sections` is the body as just stored, when the caller has it
    (`services.replace_body` returns it): then it is not read back.
    """
    article = _locked(article)
    check(EDIT, article, by=by)
    revision = revisions.record(
        article, author=by, note=note, base=base, sections=sections
    )
    if revision.created_now and article.status == Status.PUBLISHED:
        _move(article, action=Action.EDIT, to=Status.DRAFT, by=by, revision=revision)
    return revision


@transaction.atomic
def restore(revision: Revision, *, by: User) -> Revision:
    """Make an earlier revision the working copy again, as a new revision."""
    article = _locked(revision.article)
    check(EDIT, article, by=by)
    services.apply_snapshot(article, revision.snapshot)
    restored = revise(
        article,
        by=by,
        note=_("Restored from revision %(number)d") % {"number": revision.number},
        base=revision,
    )
    TransitionLog.objects.create(
        article=article,
        revision=restored,
        action=Action.RESTORE,
        from_status=article.status,
        to_status=Article.objects.values_list("status", flat=True).get(pk=article.pk),
        by=by,
        comment=_("Revision %(old)d restored as revision %(new)d.")
        % {"old": revision.number, "new": restored.number},
    )
    return restored


# --- the article's conversation: comments written with a transition or alone


def _write(
    article: Article,
    revision: Revision | None,
    *,
    by: User | None,
    text: str,
    action: str = "",
    anchor: Anchor | None = None,
) -> Comment | None:
    """Add `text` to the article's thread (nothing if it is empty).

    `anchor` must be a place in `revision`: refused otherwise.
    """
    if not text:
        return None
    place = {}
    if anchor is not None:
        _require(
            revision is not None and locate(revision.snapshot, anchor) is not None,
            _("That place is not in the version being commented on; choose another."),
        )
        place = {
            "section": anchor.section,
            "block": anchor.block,
            "row": anchor.row,
            "column": anchor.column,
        }
    return Comment.objects.create(
        article=article,
        revision=revision,
        author=by,
        action=action,
        text=text,
        **place,
    )


def _may_comment(article: Article, by: User) -> None:
    if refusal := comment_refusal(article, by):
        raise WorkflowPermissionDenied(refusal)


def _require_resolved(article: Article) -> None:
    """Refuse a submission while comments are open, if the newsroom asks for it."""
    if not settings.NEWSROOM_REQUIRE_RESOLVED_COMMENTS:
        return
    count = article.comments.open().count()
    _require(
        not count,
        ngettext(
            "“%(title)s” has %(count)d open comment: resolve it in the "
            "conversation before submitting the article again.",
            "“%(title)s” has %(count)d open comments: resolve them in the "
            "conversation before submitting the article again.",
            count,
        )
        % {"title": article.title, "count": count},
    )


@transaction.atomic
def comment(
    article: Article,
    *,
    by: User,
    text: str,
    revision: int | None = None,
    anchor: Anchor | None = None,
) -> Comment:
    """Add a comment to the article's thread, on its current revision.

    `revision` is the number of the version the person read when writing,
    and `anchor` a place in it: a comment is refused if the article changed
    since, so that it never points at the wrong place.
    """
    article = _locked(article)
    _may_comment(article, by)
    text = (text or "").strip()
    _require(bool(text), _("Write a comment first."))
    current = article.current_revision()
    _require(
        revision is None or (current is not None and current.number == revision),
        _(
            "The article changed while you were writing: check the place you "
            "comment on, then send your comment again."
        ),
    )
    return _write(article, current, by=by, text=text, anchor=anchor)


@transaction.atomic
def resolve(comment: Comment, *, by: User) -> Comment:
    """Mark a comment that asked for a change as dealt with."""
    article = _locked(comment.article)
    _may_comment(article, by)
    _require(comment.resolvable, _("Only a request for a change can be resolved."))
    done = Comment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by
    )
    _require(bool(done), _("This comment was already resolved."))
    comment.refresh_from_db()
    return comment
