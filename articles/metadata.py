"""What an article page tells search engines and social sites about itself.

OpenGraph and Twitter card tags, and a schema.org NewsArticle as JSON-LD, all
taken from the live revision readers see. The template escapes the tags; the
JSON-LD goes through the `json_ld` filter, which escapes it for a <script>.
"""

from django.conf import settings
from django.utils import timezone


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


def for_article(
    article, snapshot: dict, *, url: str, image: dict | None = None
) -> dict:
    """Return the page's `tags` (meta property/name, content) and `json_ld`.

    `image` ({"url", "alt"}, absolute) is the picture social sites show: an
    article without images of its own offers its first chart
    (`views._chart_image`); None: no picture, a plain summary card.
    """
    site_name = settings.NEWSROOM_SITE_NAME
    published = _iso(article.published_at)
    modified = _iso(
        max(article.live_since or article.published_at, article.published_at)
    )
    title, description = snapshot["title"], snapshot["standfirst"]
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:site_name", site_name),
        ("property", "article:published_time", published),
        ("property", "article:modified_time", modified),
        ("property", "article:section", article.desk.name),
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    if image:
        tags += [
            ("property", "og:image", image["url"]),
            ("property", "og:image:type", "image/png"),
            ("property", "og:image:alt", image["alt"]),
            ("name", "twitter:image", image["url"]),
            ("name", "twitter:image:alt", image["alt"]),
        ]
    json_ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": published,
        "dateModified": modified,
        "articleSection": article.desk.name,
        "publisher": {"@type": "Organization", "name": site_name},
    }
    if description:
        json_ld["description"] = description
    if image:
        json_ld["image"] = [image["url"]]
    if snapshot["byline"]:
        json_ld["author"] = {"@type": "Person", "name": snapshot["byline"]}
    else:
        json_ld["author"] = {"@type": "Organization", "name": site_name}
    return {
        "tags": [(kind, name, value) for kind, name, value in tags if value],
        "json_ld": json_ld,
    }
