"""Who may do what to an article now: screens ask it, every transition enforces it.

Each action has one rule in two parts, asked in this order:

- permission: may this person, by their role or their part in the article,
  do it at all? A refusal is `WorkflowPermissionDenied`, a `PermissionDenied`:
  when it escapes a view, Django answers 403.
- state: does the article's state allow it now? A refusal is a
  `WorkflowError`, whose message is written for the person who asked.

`check` raises the first refusal and does nothing else; `can` answers
without raising; `available_actions` lists what a person may do to an
article now, for buttons and screens. Every transition calls `check` under
its row lock, so a button and the action behind it never disagree.

Roles (groups created by migration 0003_roles): Editors hold `change_article`
and `submit_article`, and share previews of their own articles (unless
NEWSROOM_EDITORS_MAY_SHARE is off); Moderators also hold `moderate_article`
(review, approve, schedule, reject, unpublish, share any preview). Superusers
may do everything. Whoever submitted an article may withdraw it. A moderator may
not approve a version they submitted or wrote any change of since the last
approval (four-eyes rule, NEWSROOM_FOUR_EYES).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from ..models import Article, Revision, TransitionLog

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.utils.functional import Promise

EDITORS = "Editors"
MODERATORS = "Moderators"

# The actions, in the order screens list them.
EDIT = "edit"  # change the working copy: save it, restore a revision into it
SUBMIT = "submit"
WITHDRAW = "withdraw"
REVIEW = "review"  # open the review screen, to approve, schedule or reject
APPROVE = "approve"  # publish the submitted version now
SCHEDULE = "schedule"  # publish it at a set time
REJECT = "reject"  # return it to its author with a comment
UNPUBLISH = "unpublish"
SHARE = "share"  # give people outside the newsroom a preview link
IMPORT = "import"  # replace an earlier import's draft with a new import

Status = Article.Status
EDITABLE_BY_IMPORT = frozenset({Status.DRAFT, Status.UNPUBLISHED})


class WorkflowError(Exception):
    """A refused action; the message is written for the person who asked."""


class WorkflowPermissionDenied(WorkflowError, PermissionDenied):
    """A refusal because of who asked, not of the article's state: a 403."""


def is_moderator(user: User) -> bool:
    """Whether `user` holds the moderators' permission (superusers do)."""
    return user.has_perm("articles.moderate_article")


def four_eyes_refusal(article: Article, revision: Revision | None, by: User) -> str:
    """Say why `by` may not approve `revision` under the four-eyes rule, or ''.

    A moderator may not approve a version they submitted, nor one holding any
    revision they saved since the last approved one: a one-character edit by
    someone else on top does not make their text someone else's.
    """
    if not settings.NEWSROOM_FOUR_EYES or by.is_superuser or revision is None:
        return ""
    if by.pk == article.submitted_by_id:
        return _(
            "You submitted this version, so another moderator must approve it "
            "(four-eyes rule)."
        )
    last_approved = article.transitions.filter(
        action__in=[TransitionLog.Action.APPROVE, TransitionLog.Action.SCHEDULE]
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
    return _(
        "You wrote changes in this version (%(revisions)s), so another moderator "
        "must approve it (four-eyes rule)."
    ) % {"revisions": _revisions_named(written)}


def _revisions_named(numbers: list[int]) -> str:
    listed = get_text_list(
        [str(number) for number in sorted(numbers)], pgettext("1, 2 and 3", "and")
    )
    return ngettext("revision %(numbers)s", "revisions %(numbers)s", len(numbers)) % {
        "numbers": listed
    }


def comment_refusal(article: Article, by: User) -> str:
    """Say why `by` may not write in, or resolve comments of, the article's thread.

    Whoever may edit articles or review them may: the thread is where the
    newsroom talks about the article. Any state: the conversation goes on while
    the article is in review, returned or published.
    """
    if is_moderator(by) or by.has_perm("articles.change_article"):
        return ""
    return _("Only editors and moderators can comment on articles.")


# --- permissions: (article, person) -> the refusal, or ''


def _may_edit(article: Article | None, by: User) -> str:
    if by.has_perm("articles.change_article"):
        return ""
    return _("You do not have permission to edit articles.")


def _may_submit(article: Article | None, by: User) -> str:
    if by.has_perm("articles.submit_article"):
        return ""
    return _("You do not have permission to submit articles for review.")


def _may_withdraw(article: Article, by: User) -> str:
    if by.pk == article.submitted_by_id or is_moderator(by):
        return ""
    return _("Only the person who submitted it, or a moderator, can withdraw it.")


def _may_approve(article: Article, by: User) -> str:
    if not is_moderator(by):
        return _("Only a moderator can approve articles.")
    return four_eyes_refusal(article, article.current_revision(), by)


def _may_share(article: Article, by: User) -> str:
    if is_moderator(by):
        return ""
    # An editor may share a preview of their own article (its author, or who
    # submitted it), unless the newsroom keeps previews to moderators.
    if settings.NEWSROOM_EDITORS_MAY_SHARE and not _may_edit(article, by):
        if by.pk in {article.created_by_id, article.submitted_by_id}:
            return ""
        return _("Only the article's author or a moderator can share previews of it.")
    return _("Only a moderator can share previews of articles.")


def _moderators_only(refusal: Promise) -> Callable[[Article, User], str]:
    def permission(article: Article, by: User) -> str:
        return "" if is_moderator(by) else str(refusal)

    return permission


# --- states: article -> the refusal, or ''. They are asked often (the admin
# asks EDIT's for every inline form): a refusal whose telling costs a query is
# given as a function that tells it, called only when the refusal is raised.

Refusal = str | Callable[[], str]


def _status_refusal(article: Article, refusal: Promise) -> str:
    """Say `refusal` ("“%(title)s” is %(status)s, so...") of the article."""
    status = article.get_status_display().lower()
    return str(refusal) % {"title": article.title, "status": status}


def _not_locked(article: Article) -> Refusal:
    if not article.is_locked:
        return ""
    return lambda: _locked_refusal(article)


def _locked_refusal(article: Article) -> str:
    last = article.transitions.first()
    values = {"title": article.title, "status": article.get_status_display().lower()}
    if last is None:
        refusal = _("“%(title)s” is %(status)s, so it cannot be edited now.")
    else:
        values["who"] = last.by
        values["when"] = date_format(
            timezone.localtime(last.at), "SHORT_DATETIME_FORMAT"
        )
        refusal = (
            _("“%(title)s” is %(status)s on %(when)s, so it cannot be edited now.")
            if last.by is None
            else _(
                "“%(title)s” is %(status)s by %(who)s on %(when)s, so it cannot be "
                "edited now."
            )
        )
    if article.status == Status.IN_REVIEW:
        remedy = _("Withdraw it from review first.")
    else:
        remedy = _("A moderator can cancel the schedule by unpublishing it.")
    return f"{refusal % values} {remedy}"


def _submittable(article: Article) -> str:
    if article.status not in {Status.DRAFT, Status.UNPUBLISHED}:
        return _status_refusal(
            article,
            gettext_lazy("“%(title)s” is %(status)s, so it cannot be submitted."),
        )
    if article.current_revision() is None:
        return _("“%(title)s” has no saved version to submit.") % {
            "title": article.title
        }
    return ""


def _in_review(refusal: Promise) -> Callable[[Article], str]:
    """The state of the actions on an article in review; `refusal` says the others."""

    def state(article: Article) -> str:
        if article.status == Status.IN_REVIEW:
            return ""
        return _status_refusal(article, refusal)

    return state


def _waiting_for_review(article: Article) -> str:
    if article.status == Status.IN_REVIEW:
        return ""
    return _("“%(title)s” is not waiting for review.") % {"title": article.title}


def _schedulable(article: Article) -> str:
    if article.status != Status.IN_REVIEW:
        return _status_refusal(
            article,
            gettext_lazy("“%(title)s” is %(status)s, so it cannot be scheduled."),
        )
    if article.live_revision_id is not None:
        return _(
            "Readers already see this article, so its changes are published when "
            "approved; scheduling is for articles that are not yet public."
        )
    return ""


def _live_or_scheduled(article: Article) -> str:
    if article.live_revision_id is not None:
        return ""
    return _(
        "“%(title)s” is neither published nor scheduled: there is nothing to unpublish."
    ) % {"title": article.title}


def _any_state(article: Article) -> str:
    return ""


def _replaceable_by_import(article: Article) -> str:
    # Stricter than editing: an import never overwrites what readers see,
    # even as a draft of its next version.
    if article.status in EDITABLE_BY_IMPORT:
        return ""
    return _status_refusal(
        article,
        gettext_lazy("“%(title)s” is %(status)s now, so the import did not change it."),
    )


@dataclass(frozen=True)
class Rule:
    permission: Callable[[Article, User], str]
    state: Callable[[Article], Refusal]


RULES: dict[str, Rule] = {
    EDIT: Rule(_may_edit, _not_locked),
    SUBMIT: Rule(_may_submit, _submittable),
    WITHDRAW: Rule(
        _may_withdraw,
        _in_review(
            gettext_lazy(
                "“%(title)s” is %(status)s, so it cannot be withdrawn from review."
            )
        ),
    ),
    REVIEW: Rule(
        _moderators_only(gettext_lazy("Only a moderator can review articles.")),
        _waiting_for_review,
    ),
    APPROVE: Rule(
        _may_approve,
        _in_review(
            gettext_lazy("“%(title)s” is %(status)s, so it cannot be approved.")
        ),
    ),
    SCHEDULE: Rule(_may_approve, _schedulable),
    REJECT: Rule(
        _moderators_only(
            gettext_lazy("Only a moderator can return articles to their authors.")
        ),
        _in_review(
            gettext_lazy("“%(title)s” is %(status)s, so it cannot be returned.")
        ),
    ),
    UNPUBLISH: Rule(
        _moderators_only(gettext_lazy("Only a moderator can unpublish articles.")),
        _live_or_scheduled,
    ),
    SHARE: Rule(_may_share, _any_state),
    IMPORT: Rule(_may_edit, _replaceable_by_import),
}


def check(action: str, article: Article, *, by: User | None) -> None:
    """Raise the refusal if `by` may not do `action` to `article` now; do nothing.

    Permission is asked first (`WorkflowPermissionDenied`), then the article's
    state (`WorkflowError`). `by` is None only for trusted callers without a
    person, such as management commands: they skip the permission part.
    """
    rule = RULES[action]
    if by is not None and (refusal := rule.permission(article, by)):
        raise WorkflowPermissionDenied(refusal)
    if refusal := rule.state(article):
        raise WorkflowError(refusal() if callable(refusal) else refusal)


def can(action: str, article: Article, *, by: User | None) -> bool:
    """Whether `check` would let `by` do `action` to `article` now."""
    rule = RULES[action]
    # The state first: it is the cheaper question, and the answer is the same.
    return not rule.state(article) and (by is None or not rule.permission(article, by))


def has_permission(action: str, article: Article | None, *, by: User) -> bool:
    """Whether `by` may ever do `action` to `article`, whatever its state.

    `article` is None for one not yet saved; only EDIT and SUBMIT ask about it.
    """
    return not RULES[action].permission(article, by)


def available_actions(article: Article, user: User) -> list[str]:
    """List the actions `user` may take on `article` now, in the screens' order."""
    permitted: dict[Callable, bool] = {}  # actions sharing a permission ask it once
    actions = []
    for action, rule in RULES.items():
        if rule.state(article):
            continue
        if rule.permission not in permitted:
            permitted[rule.permission] = not rule.permission(article, user)
        if permitted[rule.permission]:
            actions.append(action)
    return actions
