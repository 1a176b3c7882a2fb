from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..addresses import cached_reverse
from .base import TimeStampedModel
from .revision import Correction, TransitionLog


class ArticleQuerySet(models.QuerySet):
    def live(self, now=None):
        """Articles readers may see: with an approved revision whose time has come.

        The status is not consulted: an article being edited (draft, in review)
        keeps showing its approved revision, and a scheduled one appears at
        its time without anything having to run. `now` is the time it is
        (for a prepared query, articles/prepared.py).
        """
        return (
            self.live_filter(now)
            .select_related("desk", "live_revision")
            # Only search reads these, inside the database.
            .defer("search_text", "search_vector")
        )

    def live_filter(self, now=None):
        """`live()`'s condition alone, for subqueries (`Exists`): no joins or
        deferred fields to build for a query that reads no row."""
        now = now or timezone.now()
        return self.filter(live_revision__isnull=False, published_at__lte=now)

    def listing(self):
        """Live articles for lists: no article bodies loaded, newest first."""
        return (
            self.live()
            .defer("live_revision__snapshot")
            .order_by("-published_at", "-pk")
        )

    def with_correction_flag(self):
        """Annotate `has_corrections`, so that the article page asks for its
        corrections only when there are some (a query saved on most pages)."""
        return self.annotate(
            has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk")))
        )

    def with_live_byline(self):
        """Annotate `live_byline`, read from the live snapshot inside the database."""
        return self.annotate(
            live_byline=KeyTextTransform("byline", "live_revision__snapshot")
        )

    @staticmethod
    def work_of(user) -> Q:
        """What makes an article `user`'s own work: they wrote or submitted it."""
        return Q(created_by=user) | Q(submitted_by=user)

    def of(self, user):
        """Articles `user` wrote or submitted: their own work."""
        return self.filter(self.work_of(user))

    # What `with_last_transition` can annotate: name -> field of TransitionLog.
    LAST_TRANSITION = {
        "last_action": "action",
        "last_comment": "comment",
        "last_at": "at",
        "last_by_name": "by__username",
    }

    def with_last_transition(self, *names):
        """Annotate the latest status change: `last_action`, `last_comment`,
        `last_at` and `last_by_name` (who made it), or only those `names`.

        A draft whose `last_action` is a rejection was returned to its author.
        """
        last = TransitionLog.objects.filter(article=OuterRef("pk")).order_by(
            "-at", "-pk"
        )
        return self.annotate(
            **{
                name: Subquery(last.values(self.LAST_TRANSITION[name])[:1])
                for name in names or self.LAST_TRANSITION
            }
        )

    def top_of_each_desk(self, count: int):
        """The `count` newest live articles of every desk, in one query.

        Ordered desk by desk (in the desks' order), newest first within each.
        """
        newest_first = [F("published_at").desc(), F("pk").desc()]
        return (
            self.listing()
            .annotate(
                desk_rank=Window(
                    RowNumber(), partition_by=F("desk_id"), order_by=newest_first
                )
            )
            .filter(desk_rank__lte=count)
            .order_by("desk__position", "desk__name", "desk_id", *newest_first)
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
    # Revisions go only when their article does; clearing this first (SET_NULL)
    # would break the published-needs-a-revision constraint mid-delete. The
    # foreign key is checked at commit, when both rows are gone.
    live_revision = models.ForeignKey(
        "articles.Revision",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("live revision"),
        help_text=_("The approved version readers see."),
    )
    live_since = models.DateTimeField(
        _("live since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When readers started seeing the live revision; later than the "
            "publication time when an approved change updated the article."
        ),
    )
    # The live revision as plain text and as a weighted tsvector (PostgreSQL
    # only): written by `search.index_article` whenever the live revision changes.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

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
        return cached_reverse("articles:detail", desk=self.desk.slug, slug=self.slug)

    @property
    def is_live(self) -> bool:
        """Whether readers can see a version of this article now."""
        return (
            self.live_revision_id is not None
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def shown_status(self) -> str:
        """The status as people should read it, wherever it is shown.

        A scheduled article is published once its time has come, whether or
        not `publish_scheduled` has recorded it yet: readers already see it.
        """
        if self.status == self.Status.SCHEDULED and self.is_live:
            return self.Status.PUBLISHED
        return self.status

    def get_shown_status_display(self) -> str:
        return self.Status(self.shown_status).label

    @property
    def updated_after_publication(self) -> bool:
        """Whether readers see a version approved after the first publication."""
        return (
            self.live_since is not None
            and self.published_at is not None
            and self.live_since > self.published_at
        )

    @property
    def is_locked(self) -> bool:
        """Whether edits must wait (in review, or scheduled)."""
        return self.status in self.LOCKED_STATUSES

    def current_revision(self):
        """Return the revision matching the working copy (conflicting saves aside)."""
        return self.revisions.filter(conflicted=False).order_by("-number").first()
