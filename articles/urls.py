from django.urls import include, path

from . import feeds, sitemaps, views

app_name = "articles"

# An article's page and its tables' pages, under the article's address
# (views.table_view builds the tables' links from it).
ARTICLE_PAGES = [
    path("", views.detail, name="detail"),
    path(
        "r<int:revision>/table-<int:number>.<str:export_format>",
        views.table_download,
        name="table_download",
    ),
    path("r<int:revision>/chart-<int:number>.png", views.chart_png, name="chart_png"),
    path("table-<int:number>/embed/", views.table_embed, name="table_embed"),
    path("table-<int:number>/share/", views.table_share, name="table_share"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("preview/<str:token>/", views.preview, name="preview"),
    # The site's own top-level paths (reserved desk slugs) come before the desks.
    path("search/", views.search_page, name="search"),
    path("feeds/rss/", feeds.LatestArticlesRss(), name="feed_rss"),
    path("feeds/atom/", feeds.LatestArticlesAtom(), name="feed_atom"),
    path("feeds/<slug:desk>/rss/", feeds.LatestArticlesRss(), name="desk_feed_rss"),
    path("feeds/<slug:desk>/atom/", feeds.LatestArticlesAtom(), name="desk_feed_atom"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="news_sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("oembed/", views.oembed, name="oembed"),
    path("<slug:desk>/", views.desk, name="desk"),
    path("<slug:desk>/<slug:slug>/", include(ARTICLE_PAGES)),
]
