from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .revision import Revision, TransitionLog


class CommentQuerySet(models.QuerySet):
    def thread(self):
        """The article's conversation, oldest first, with the people named in it."""
        # The revision's number only: its snapshot is loaded once, if needed.
        return (
            self.select_related("author", "resolved_by")
            .annotate(revision_number=models.F("revision__number"))
            .order_by("created_at", "pk")
        )

    def open(self):
        """Comments that ask for a change and nobody has resolved yet."""
        return self.filter(action__in=Comment.RESOLVABLE, resolved_at__isnull=True)


class Comment(models.Model):
    """Something a person wrote about an article: one entry of its conversation.

    Written by the workflow when a submission, a return or an approval carries
    a comment (`action` says which), or posted on its own (`action` is "").
    It may point at a place in the revision it was written on: a block
    (`section`, `block`) or a table cell (also `row`, `column`), indexes from
    0 into that revision's snapshot. Later revisions find the place through
    the diff's alignment (`diff.anchors.map_anchor`).
    """

    # Comments that ask for a change, and may have to be resolved before the
    # next submission (NEWSROOM_REQUIRE_RESOLVED_COMMENTS).
    RESOLVABLE = ("", TransitionLog.Action.REJECT)

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("article"),
    )
    revision = models.ForeignKey(
        Revision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revision"),
        help_text=_("The revision it was written on; its place is in this one."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    action = models.CharField(
        _("written with"),
        max_length=20,
        blank=True,
        choices=TransitionLog.Action,
        help_text=_("The workflow action it came with; empty for a comment alone."),
    )
    text = models.TextField(_("text"))
    section = models.PositiveIntegerField(_("section"), null=True, blank=True)
    block = models.PositiveIntegerField(_("block"), null=True, blank=True)
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    column = models.PositiveIntegerField(_("column"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["article", "created_at"], name="comment_article_idx")
        ]
        constraints = [
            # A place is a block, or a cell of a block: never half of one.
            models.CheckConstraint(
                condition=(
                    Q(section__isnull=True, block__isnull=True)
                    | Q(section__isnull=False, block__isnull=False)
                )
                & Q(row__isnull=True, column__isnull=True)
                | Q(
                    section__isnull=False,
                    block__isnull=False,
                    row__isnull=False,
                    column__isnull=False,
                ),
                name="comment_whole_place",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def resolvable(self) -> bool:
        return self.action in self.RESOLVABLE

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
