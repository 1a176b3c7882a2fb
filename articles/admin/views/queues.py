"""The lists people work from: the moderation queue and "Your articles"."""

import django_tables2 as tables
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ... import workflow
from ...filters import ArticleFilter
from ...models import Article, TransitionLog
from ...tables import DashboardTable, ReviewQueueTable
from .base import PER_PAGE


class QueueScreens:
    """The moderation queue and the dashboard."""

    def _list_page(self, request, title, intro, tables_and_titles, filterset):
        for table, _title in tables_and_titles:
            tables.RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(
                table
            )
        return TemplateResponse(
            request,
            "admin/articles/queue.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "intro": intro,
                "filter": filterset,
                "tables": tables_and_titles,
            },
        )

    def queue_view(self, request):
        if not workflow.is_moderator(request.user):
            raise PermissionDenied
        in_review = Article.objects.filter(
            status=Article.Status.IN_REVIEW
        ).select_related("desk", "created_by", "submitted_by")
        filterset = ArticleFilter(request.GET, queryset=in_review, request=request)
        table = ReviewQueueTable(filterset.qs, prefix="queue-", order_by="submitted_at")
        return self._list_page(
            request,
            _("Moderation queue"),
            _("Articles waiting for a moderator, the longest waiting first."),
            [(table, "")],
            filterset,
        )

    def dashboard_view(self, request):
        user = request.user
        if not self.has_view_permission(request):
            raise PermissionDenied
        mine = (
            Article.objects.of(user)
            .select_related("desk", "created_by")
            .with_last_transition()
        )
        filterset = ArticleFilter(request.GET, queryset=mine, request=request)
        articles = filterset.qs
        Status = Article.Status
        returned = articles.filter(
            status=Status.DRAFT, last_action=TransitionLog.Action.REJECT
        )
        drafts = articles.filter(status__in=[Status.DRAFT, Status.UNPUBLISHED])
        # Once its time has passed, a scheduled article is live (listed as
        # published), whether or not `publish_scheduled` has run.
        scheduled = articles.filter(
            status=Status.SCHEDULED, published_at__gt=timezone.now()
        )
        tables_and_titles = [
            (
                DashboardTable(returned, prefix="returned-", with_comment=True),
                _("Returned to you with comments"),
            ),
            (DashboardTable(drafts, prefix="drafts-"), _("Your drafts")),
            (DashboardTable(scheduled, prefix="scheduled-"), _("Scheduled")),
            (DashboardTable(articles, prefix="all-"), _("All your articles")),
        ]
        return self._list_page(
            request,
            _("Your articles"),
            _("What you wrote or submitted, by state."),
            tables_and_titles,
            filterset,
        )
