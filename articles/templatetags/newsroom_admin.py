from django import template

from .. import workflow
from ..models import Article

register = template.Library()


@register.inclusion_tag("admin/articles/_work_links.html", takes_context=True)
def work_links(context):
    """Links to the person's dashboard and, for moderators, the review queue."""
    user = context["request"].user
    links = {
        "dashboard": user.has_perm("articles.view_article"),
        "can_write": user.has_perm("articles.add_article"),
        "can_import": user.has_perm("articles.add_article"),
    }
    if workflow.is_moderator(user):
        links["queue_size"] = Article.objects.filter(
            status=Article.Status.IN_REVIEW
        ).count()
    return links
