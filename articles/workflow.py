"""Who may change an article's status, and how.

Only this module assigns `Article.status`. Each function locks the article row,
checks its state and the actor's permission, writes, and returns the fresh row.
"""

from django.db import transaction
from django.utils import timezone

from .models import Article


class WorkflowError(Exception):
    """A refused transition; the message is written for the person who asked."""


@transaction.atomic
def publish(article: Article, *, by) -> Article:
    """Make the article's latest revision the one readers see."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not by.is_superuser:
        raise WorkflowError("Only an administrator can publish articles.")
    latest = article.revisions.order_by("-number").first()
    if latest is None:
        raise WorkflowError(f"“{article.title}” has no saved version to publish yet.")
    if (
        article.status == Article.Status.PUBLISHED
        and article.live_revision_id == latest.pk
    ):
        raise WorkflowError(f"“{article.title}” is already published as it stands.")
    article.live_revision = latest
    article.status = Article.Status.PUBLISHED
    article.published_at = article.published_at or timezone.now()
    article.save(
        update_fields=["live_revision", "status", "published_at", "updated_at"]
    )
    return article
