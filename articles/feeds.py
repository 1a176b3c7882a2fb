"""RSS and Atom feeds of live articles: the whole site, or one desk.

Everything an entry says comes from the live revision (its title, standfirst
and byline), so an edit waiting for approval never reaches a feed reader.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import caching
from .models import Article, Desk

FEED_LENGTH = 30


class LatestArticlesRss(Feed):
    """The newest live articles, site-wide (no desk) or of one desk."""

    feed_type = Rss201rev2Feed
    url_name = "articles:feed_rss"
    desk_url_name = "articles:desk_feed_rss"

    def get_object(self, request, desk=None):
        if desk is None:
            return None
        desk = get_object_or_404(Desk, slug=desk)
        caching.tag(request, desk=desk)
        return desk

    def title(self, desk):
        site_name = settings.NEWSROOM_SITE_NAME
        if desk is None:
            return site_name
        return _("%(site)s: %(desk)s") % {"site": site_name, "desk": desk.name}

    def description(self, desk):
        site_name = settings.NEWSROOM_SITE_NAME
        if desk is not None:
            return _("The latest %(desk)s articles from %(site)s.") % {
                "desk": desk.name,
                "site": site_name,
            }
        return _("The latest articles from %(site)s.") % {"site": site_name}

    def link(self, desk):
        return desk.get_absolute_url() if desk else reverse("articles:home")

    def feed_url(self, desk):
        if desk is not None:
            return reverse(self.desk_url_name, kwargs={"desk": desk.slug})
        return reverse(self.url_name)

    def author_name(self):
        return settings.NEWSROOM_SITE_NAME

    def items(self, desk):
        articles = Article.objects.listing().with_live_byline()
        if desk is not None:
            articles = articles.filter(desk=desk)
        return articles[:FEED_LENGTH]

    # Titles are text (Atom says so; the XML escapes them). Descriptions are
    # HTML in both formats, and a standfirst is text: it is escaped here, and
    # the XML escapes that once more.
    def item_title(self, article):
        return article.live_revision.title

    def item_description(self, article):
        return escape(article.live_revision.standfirst)

    def item_link(self, article):
        return article.get_absolute_url()

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return max(article.live_since or article.published_at, article.published_at)

    def item_author_name(self, article):
        return article.live_byline or None

    def item_categories(self, article):
        return [article.desk.name]


class LatestArticlesAtom(LatestArticlesRss):
    feed_type = Atom1Feed
    url_name = "articles:feed_atom"
    desk_url_name = "articles:desk_feed_atom"

    def subtitle(self, desk):
        return self.description(desk)
