"""Emails about the workflow, sent through Django's email framework after commit.

Moderators hear of each submission; the author and the submitter hear of each
decision, with the moderator's comment.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


def _admin_url(article, view="change") -> str:
    path = reverse(f"admin:articles_article_{view}", args=[article.pk])
    return f"{settings.NEWSROOM_BASE_URL}{path}"


def _send(subject: str, body: str, recipients) -> None:
    addresses = sorted({user.email for user in recipients if user and user.email})
    if not addresses:
        return
    messages = [(subject, body, None, [address]) for address in addresses]
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


def moderators():
    permission = Permission.objects.get(
        content_type__app_label="articles", codename="moderate_article"
    )
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(user_permissions=permission)
            | Q(groups__permissions=permission),
            is_active=True,
        )
        .exclude(email="")
        .distinct()
    )


def submitted(article, *, by) -> None:
    _send(
        f"For review: {article.title}",
        f"{by} submitted “{article.title}” ({article.desk}) for review.\n\n"
        f"Review it: {_admin_url(article, 'review')}\n",
        [user for user in moderators() if user.pk != by.pk],
    )


def went_live(article) -> None:
    _send(
        f"{article.title}: published as scheduled",
        f"“{article.title}” is now live: {settings.NEWSROOM_BASE_URL}"
        f"{article.get_absolute_url()}\n",
        [article.created_by, article.submitted_by],
    )


# by TransitionLog.Action
DECISIONS = {
    "approve": "approved and published",
    "schedule": "approved and scheduled",
    "reject": "returned with comments",
}


def decided(article, *, action: str, by, comment: str = "") -> None:
    what = DECISIONS[action]
    body = f"{by} {what} “{article.title}”."
    if action == "schedule":
        when = timezone.localtime(article.published_at)
        body += f"\nIt will be published at {when:%Y-%m-%d %H:%M %Z}."
    if comment:
        body += f"\n\nComment:\n{comment}"
    body += f"\n\nOpen it: {_admin_url(article)}\n"
    _send(
        f"{article.title}: {what}",
        body,
        [article.created_by, article.submitted_by],
    )
