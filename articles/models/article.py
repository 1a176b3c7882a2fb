from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class ArticleQuerySet(models.QuerySet):
    def live(self):
        """Articles readers may see: with an approved revision whose time has come.

        The status is not consulted: an article being edited (draft, in review)
        keeps showing its approved revision, and a scheduled one appears at
        its time without anything having to run.
        """
        return self.filter(
            live_revision__isnull=False, published_at__lte=timezone.now()
        ).select_related("desk", "live_revision")

    def listing(self):
        """Live articles for lists: no article bodies loaded, newest first."""
        return (
            self.live()
            .defer("live_revision__snapshot")
            .order_by("-published_at", "-pk")
        )


class Article(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    # While a moderator looks at it, or it waits for its time, nobody edits it.
    LOCKED_STATUSES = frozenset({Status.IN_REVIEW, Status.SCHEDULED})

    desk = models.ForeignKey(
        "articles.Desk",
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("desk"),
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        help_text=_(
            "The article's address within its desk. It cannot change once "
            "the article has been published, so that links keep working."
        ),
    )
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        help_text=_("One or two sentences under the headline, also shown in lists."),
    )
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    source_credit = models.CharField(
        _("source credit"),
        max_length=200,
        blank=True,
        help_text=_("Who the reporting comes from, e.g. 'Caspian Post'."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("author"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(
        _("submitted at"), null=True, blank=True, editable=False
    )
    legacy_id = models.CharField(
        _("legacy id"),
        max_length=500,
        blank=True,
        editable=False,
        help_text=_("Set by the importer only: where the article came from."),
    )
    live_revision = models.ForeignKey(
        "articles.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("live revision"),
        help_text=_("The approved version readers see."),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "slug"],
                name="article_unique_slug_per_desk",
                violation_error_message=_(
                    "This desk already has an article at this address; change the slug."
                ),
            ),
            models.UniqueConstraint(
                fields=["legacy_id"],
                condition=~Q(legacy_id=""),
                name="article_unique_legacy_id",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "scheduled"])
                | Q(published_at__isnull=False, live_revision__isnull=False),
                name="article_live_has_date_and_revision",
            ),
        ]
        indexes = [models.Index(fields=["-published_at"], name="article_published_idx")]
        permissions = [
            ("submit_article", _("Can submit articles for review")),
            (
                "moderate_article",
                _("Can approve, schedule, reject and unpublish articles"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "articles:detail", kwargs={"desk": self.desk.slug, "slug": self.slug}
        )

    @property
    def is_live(self) -> bool:
        """Whether readers can see a version of this article now."""
        return (
            self.live_revision_id is not None
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_locked(self) -> bool:
        """Whether edits must wait (in review, or scheduled)."""
        return self.status in self.LOCKED_STATUSES

    def current_revision(self):
        """Return the revision matching the working copy (conflicting saves aside)."""
        return self.revisions.filter(conflicted=False).order_by("-number").first()
