"""The admin's home: the lists each person works from, and the header's counts.

An editor sees their own work by state, what was returned to them first; a
moderator sees the queue first, then their own work and what was published
lately by anyone. Each list is defined once (`_lists`) and serves both its
count and its rows, so the counts in the header, the headings and the rows
always agree. The counts cost one query (cached on the request for the page),
each list with something in it one more, whatever the number of articles.
"""

from dataclasses import dataclass

import django_tables2 as tables
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import workflow
from ..models import Article, ArticleQuerySet, TransitionLog
from ..tables import DashboardTable, ReviewQueueTable

# Rows in each list of the home; "See all" leads to the whole list.
ROWS = 10

Status = Article.Status


def _lists(user, now) -> dict[str, Q]:
    """What each list holds, as a filter on articles annotated with
    `with_last_transition` (returned = a draft whose last change was a return)."""
    mine = ArticleQuerySet.work_of(user)
    # The annotation is NULL for an article that never changed state, and
    # SQL's NOT leaves NULL out: say so.
    returned = Q(status=Status.DRAFT, last_action=TransitionLog.Action.REJECT)
    not_returned = Q(last_action__isnull=True) | ~Q(
        last_action=TransitionLog.Action.REJECT
    )
    # Scheduled articles go live at their time by themselves (the public
    # queries filter on it), recorded by `publish_scheduled` or not.
    live = Q(status__in=[Status.PUBLISHED, Status.SCHEDULED], published_at__lte=now)
    return {
        "queue": Q(status=Status.IN_REVIEW),
        "returned": mine & returned,
        "drafts": mine
        & (Q(status=Status.UNPUBLISHED) | Q(status=Status.DRAFT) & not_returned),
        "in_review": mine & Q(status=Status.IN_REVIEW),
        "scheduled": mine & Q(status=Status.SCHEDULED, published_at__gt=now),
        "published": mine & live,
        "published_by_anyone": live,
    }


# Counted for the header and the headings; the last list (everyone's
# publications) is only shown, not counted.
COUNTED = ("queue", "returned", "drafts", "in_review", "scheduled", "published")


def work_counts(request) -> dict[str, int]:
    """Count the person's lists in one query, once per request."""
    counts = getattr(request, "_newsroom_work_counts", None)
    if counts is None:
        user = request.user
        lists = _lists(user, timezone.now())
        counts = (
            Article.objects.with_last_transition("last_action")
            .filter(ArticleQuerySet.work_of(user) | lists["queue"])
            .aggregate(**{name: Count("pk", filter=lists[name]) for name in COUNTED})
        )
        request._newsroom_work_counts = counts
    return counts


@dataclass
class WorkList:
    """One list of the home: its heading, its first rows and where the rest are."""

    name: str
    title: str
    empty: str
    see_all: str
    count: int | None = None
    table: tables.Table | None = None
    more: bool = False


def home_lists(request) -> list[WorkList]:
    """The person's lists, in the order they work from them, rows included."""
    user = request.user
    moderator = workflow.is_moderator(user)
    counts = work_counts(request)
    lists = _lists(user, timezone.now())
    dashboard = reverse("admin:articles_article_dashboard")
    changelist = reverse("admin:articles_article_changelist")
    shown = [
        WorkList(
            "returned",
            _("Returned to you"),
            _("Nothing returned to you."),
            dashboard,
        ),
        WorkList("drafts", _("Your drafts"), _("You have no drafts."), dashboard),
        WorkList(
            "in_review",
            _("Your articles in review"),
            _("Nothing of yours is waiting for review."),
            f"{dashboard}?status={Status.IN_REVIEW}",
        ),
        WorkList(
            "scheduled",
            _("Your scheduled articles"),
            _("Nothing of yours is scheduled."),
            f"{dashboard}?status={Status.SCHEDULED}",
        ),
    ]
    if moderator:
        shown.insert(
            0,
            WorkList(
                "queue",
                _("Moderation queue"),
                _("Nothing is waiting for review."),
                reverse("admin:articles_article_queue"),
            ),
        )
        shown.append(
            WorkList(
                "published_by_anyone",
                _("Recently published"),
                _("Nothing has been published yet."),
                f"{changelist}?status__exact={Status.PUBLISHED}",
            )
        )
    else:
        shown.append(
            WorkList(
                "published",
                _("Your recently published articles"),
                _("Nothing of yours has been published yet."),
                f"{dashboard}?status={Status.PUBLISHED}",
            )
        )
    for work in shown:
        work.count = counts.get(work.name)
        if work.count == 0:
            continue  # said in a line, without a query
        rows = _rows(work.name, lists[work.name])
        work.more = len(rows) > ROWS if work.count is None else work.count > ROWS
        work.table = _table(work.name, rows[:ROWS])
    return shown


# How each list is sorted: what needs doing first, or the newest first.
ORDER = {
    "queue": ("submitted_at", "pk"),  # the longest waiting first
    "returned": ("-last_at", "-pk"),
    "drafts": ("-updated_at", "-pk"),
    "in_review": ("-submitted_at", "-pk"),
    "scheduled": ("published_at", "pk"),  # the next to go live first
    "published": ("-published_at", "-pk"),
    "published_by_anyone": ("-published_at", "-pk"),
}


def _rows(name: str, condition: Q) -> list[Article]:
    # One more row than shown tells whether there are more (uncounted lists).
    articles = Article.objects.with_last_transition(
        *(() if name == "returned" else ("last_action",))
    )
    return list(
        articles.filter(condition)
        .select_related("desk", "created_by", "submitted_by")
        .defer("search_text", "search_vector")
        .order_by(*ORDER[name])[: ROWS + 1]
    )


def _table(name: str, rows: list[Article]) -> tables.Table:
    # Rows come sorted and cut to ROWS: the tables do not sort them again.
    options = {"prefix": f"{name}-", "orderable": False, "order_by": ()}
    if name == "queue":
        # The full queue has who submitted and when; here, how long it waits.
        exclude = ("submitted_by", "submitted_at")
        return ReviewQueueTable(rows, exclude=exclude, **options)
    hide = ("status", "updated_at")
    if name == "returned":
        exclude = (*hide, "published_at")
        return DashboardTable(rows, with_comment=True, exclude=exclude, **options)
    if name == "drafts":
        return DashboardTable(rows, exclude=("status", "published_at"), **options)
    if name == "in_review":
        return DashboardTable(
            rows, show=("submitted_at",), exclude=(*hide, "published_at"), **options
        )
    if name == "published_by_anyone":
        return DashboardTable(rows, show=("created_by",), exclude=hide, **options)
    return DashboardTable(rows, exclude=hide, **options)
