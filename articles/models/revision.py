from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RevisionImmutableError(Exception):
    """Raised on an attempt to change a saved revision."""


class Revision(models.Model):
    """An immutable JSON snapshot of a whole article, made at every save."""

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("article"),
    )
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    base = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
        help_text=_("The revision the editor started from."),
    )
    conflicted = models.BooleanField(
        _("kept aside"),
        default=False,
        help_text=_(
            "A save made from an outdated version: kept so that nothing is lost, "
            "but never applied to the article."
        ),
    )
    # Copied from the snapshot so that listings need not load whole bodies.
    title = models.CharField(_("title"), max_length=250)
    standfirst = models.TextField(_("standfirst"), blank=True)
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="revision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}: {self.title}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RevisionImmutableError("A saved revision cannot be changed.")
        super().save(*args, **kwargs)


class TransitionLog(models.Model):
    """One change of an article's status: who, when, from, to and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted for review")
        WITHDRAW = "withdraw", _("Withdrawn from review")
        APPROVE = "approve", _("Approved and published")
        SCHEDULE = "schedule", _("Approved and scheduled")
        REJECT = "reject", _("Returned with comments")
        UNPUBLISH = "unpublish", _("Unpublished")
        GO_LIVE = "go_live", _("Went live as scheduled")
        EDIT = "edit", _("Edited after publication")
        RESTORE = "restore", _("Restored an earlier revision")

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("article"),
    )
    revision = models.ForeignKey(
        Revision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revision"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action)
    from_status = models.CharField(_("from"), max_length=20)
    to_status = models.CharField(_("to"), max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [
            models.Index(fields=["article", "-at"], name="transition_article_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.from_status} → {self.to_status})"


class Correction(models.Model):
    """A reader-visible line saying what an approved change corrected."""

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("article"),
    )
    revision = models.ForeignKey(
        Revision,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("revision"),
        help_text=_("The approved revision that carries the correction."),
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return self.text


class PreviewLink(models.Model):
    """A signed, expiring, revocable link to one revision, for guests."""

    SALT = "articles.preview-link"

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="preview_links",
        verbose_name=_("article"),
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="+", verbose_name=_("revision")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self) -> str:
        return _("Preview of %(article)s r%(revision)d") % {
            "article": self.article_id,
            "revision": self.revision.number,
        }

    @property
    def token(self) -> str:
        return signing.dumps(self.pk, salt=self.SALT)

    @classmethod
    def from_token(cls, token: str) -> "PreviewLink | None":
        """Return the link a token names, if its signature holds and it is valid."""
        try:
            pk = signing.loads(token, salt=cls.SALT)
        except signing.BadSignature:
            return None
        link = (
            cls.objects.select_related("article__desk", "revision")
            .filter(pk=pk)
            .first()
        )
        return link if link is not None and link.is_valid else None

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
