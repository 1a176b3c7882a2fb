from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..addresses import cached_reverse

# Desk slugs are the first part of public URLs, so they must not shadow the
# site's own top-level paths.
RESERVED_DESK_SLUGS = frozenset(
    {
        "admin",
        "static",
        "media",
        "search",
        "feeds",
        "feed",
        "sitemap",
        "sitemaps",
        "robots",
        "healthz",
        "preview",
        "accounts",
        "api",
        "embed",
        "oembed",
    }
)


class Desk(models.Model):
    """A part of the site (World, Politics...); an article belongs to one desk."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("The desk's address on the site, e.g. 'world' for /world/."),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Desks are listed in this order.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("desk")
        verbose_name_plural = _("desks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:desk", desk=self.slug)

    @property
    def feed_urls(self) -> dict[str, str]:
        """The desk's RSS and Atom feeds' addresses, by format."""
        return {
            "rss": cached_reverse("articles:desk_feed_rss", desk=self.slug),
            "atom": cached_reverse("articles:desk_feed_atom", desk=self.slug),
        }

    def clean(self) -> None:
        if self.slug in RESERVED_DESK_SLUGS:
            raise ValidationError(
                {
                    "slug": _(
                        "'%(slug)s' is used by the site itself; choose another address."
                    )
                    % {"slug": self.slug}
                }
            )
