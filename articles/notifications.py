"""Emails about the workflow, sent through Django's email framework after commit.

Moderators hear of each submission; the author and the submitter hear of each
decision, with the moderator's comment. Emails are written in the active
language (LANGUAGE_CODE outside a request), dates in DATETIME_FORMAT.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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
    values = {
        "title": article.title,
        "who": by,
        "desk": article.desk,
        "url": _admin_url(article, "review"),
    }
    _send(
        _("For review: %(title)s") % values,
        _("%(who)s submitted “%(title)s” (%(desk)s) for review.") % values
        + "\n\n"
        + _("Review it: %(url)s") % values
        + "\n",
        [user for user in moderators() if user.pk != by.pk],
    )


def went_live(article) -> None:
    values = {
        "title": article.title,
        "url": f"{settings.NEWSROOM_BASE_URL}{article.get_absolute_url()}",
    }
    _send(
        _("%(title)s: published as scheduled") % values,
        _("“%(title)s” is now live: %(url)s") % values + "\n",
        [article.created_by, article.submitted_by],
    )


# by TransitionLog.Action: the subject's word, then the body's sentence.
DECISIONS = {
    "approve": (
        gettext_lazy("%(title)s: approved and published"),
        gettext_lazy("%(who)s approved and published “%(title)s”."),
    ),
    "schedule": (
        gettext_lazy("%(title)s: approved and scheduled"),
        gettext_lazy("%(who)s approved and scheduled “%(title)s”."),
    ),
    "reject": (
        gettext_lazy("%(title)s: returned with comments"),
        gettext_lazy("%(who)s returned “%(title)s” with comments."),
    ),
}


def decided(article, *, action: str, by, comment: str = "") -> None:
    subject, sentence = DECISIONS[action]
    values = {"title": article.title, "who": by}
    body = str(sentence) % values
    if action == "schedule":
        when = timezone.localtime(article.published_at)
        body += "\n" + _("It will be published on %(when)s (%(zone)s).") % {
            "when": date_format(when, "DATETIME_FORMAT"),
            "zone": when.tzname(),
        }
    if comment:
        body += "\n\n" + _("Comment:") + f"\n{comment}"
    body += "\n\n" + _("Open it: %(url)s") % {"url": _admin_url(article)} + "\n"
    _send(str(subject) % values, body, [article.created_by, article.submitted_by])
