"""Sitemaps: every live article and every desk, and a Google News sitemap.

Served by `django.contrib.sitemaps.views.sitemap`, which builds absolute URLs
from the request (the sites framework is not installed: a RequestSite is used),
with templates of our own (`django.contrib.sitemaps` need not be installed).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Q
from django.utils import timezone

from .models import Article, Desk

# Google News reads articles of the last two days, at most 1,000 of them.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


def _live_since(article):
    return max(article.live_since or article.published_at, article.published_at)


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.listing()

    def lastmod(self, article):
        return _live_since(article)


class DeskSitemap(Sitemap):
    def items(self):
        live = Q(
            articles__live_revision__isnull=False,
            articles__published_at__lte=timezone.now(),
        )
        return Desk.objects.annotate(
            latest=Max("articles__published_at", filter=live)
        ).order_by("position", "name", "pk")

    def lastmod(self, desk):
        return desk.latest


class NewsSitemap(Sitemap):
    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return Article.objects.listing().filter(published_at__gte=since)[:NEWS_LIMIT]


SITEMAPS = {"articles": ArticleSitemap, "desks": DeskSitemap}


def sitemap(request):
    return sitemap_views.sitemap(
        request, SITEMAPS, template_name="articles/sitemap.xml"
    )


def news_sitemap(request):
    response = sitemap_views.sitemap(
        request, {"news": NewsSitemap}, template_name="articles/sitemap_news.xml"
    )
    response.context_data.update(
        publication_name=settings.NEWSROOM_SITE_NAME,
        # ISO 639 code, as Google News asks (en, not en-gb).
        publication_language=settings.LANGUAGE_CODE.split("-")[0],
    )
    return response
