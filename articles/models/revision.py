from django.conf import settings
from django.db import models
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
