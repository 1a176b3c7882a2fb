from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingCopy(models.Model):
    """What one person last typed in the document editor, saved as they type.

    Kept as posted, even when it would not pass the checks, so that nothing
    typed is lost to a crash or a closed tab; the editor offers it back. It is
    not a revision: only its author sees it, and saving the article, not
    autosaving, makes a revision.
    """

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="working_copies",
        verbose_name=_("article"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    data = models.JSONField(_("document as typed"))
    base_revision = models.PositiveIntegerField(
        _("revision started from"),
        null=True,
        blank=True,
        help_text=_("The number of the revision the editor started from."),
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("working copy")
        verbose_name_plural = _("working copies")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="working_copy_unique_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"article {self.article_id}, user {self.user_id}"
