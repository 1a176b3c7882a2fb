from django import template

from .. import workflow
from ..admin import dashboard

register = template.Library()


def _works_on_articles(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


@register.inclusion_tag("admin/articles/_dashboard.html", takes_context=True)
def work_dashboard(context):
    """The admin home's lists: returned, the queue, drafts... (admin.dashboard)."""
    request = context["request"]
    user = request.user
    if not _works_on_articles(user):
        return {"lists": None}
    return {
        "lists": dashboard.home_lists(request),
        "can_write": user.has_perm("articles.add_article"),
        "can_import": user.has_perm("articles.add_article"),
    }


@register.inclusion_tag("admin/articles/_work_counts.html", takes_context=True)
def work_counts(context):
    """The header's counts: the queue for moderators, what was returned for all."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not _works_on_articles(user):
        return {"counts": None}
    return {
        "counts": dashboard.work_counts(request),
        "moderator": workflow.is_moderator(user),
    }
