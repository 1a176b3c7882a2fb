from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedSource(models.Model):
    """A legacy document as it was imported, kept verbatim, with its repair notes."""

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("article"),
    )
    name = models.CharField(
        _("source"), max_length=500, help_text=_("The file or identifier imported.")
    )
    content_hash = models.CharField(_("SHA-256 of the content"), max_length=64)
    format = models.CharField(_("format"), max_length=20)
    text = models.TextField(_("original text"))
    notes = models.JSONField(_("repair notes"), default=list)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        get_latest_by = "imported_at"
        verbose_name = _("imported source")
        verbose_name_plural = _("imported sources")
        indexes = [models.Index(fields=["content_hash"], name="source_hash_idx")]

    def __str__(self) -> str:
        return self.name
