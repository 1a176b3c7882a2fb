from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Ordered(models.Model):
    """A part kept in the order the editor gave it, within its parent."""

    position = models.PositiveIntegerField(
        _("order"),
        default=0,
        help_text=_(
            "Lower numbers come first. In the editor, drag a part by its "
            "title bar or change these numbers."
        ),
    )

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
