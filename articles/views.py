"""Public pages. Only live (approved, due) revisions are ever shown here."""

from itertools import groupby

from csp.decorators import csp_replace
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt

from . import caching, charts, embeds, metadata, rendering, search
from .models import Article, Correction, Desk, PreviewLink, Revision, TransitionLog
from .prepared import PreparedQuery
from .snapshot import numbered_tables
from .tables import EXPORT_FORMATS, ContentTableView

# Stories under each desk's name on the home page.
TOP_STORIES_PER_DESK = 3
SEARCH_RESULTS_PER_PAGE = 20


def home(request):
    """The latest articles, then each desk's newest ones not already listed."""
    latest = list(Article.objects.listing()[: settings.NEWSROOM_ARTICLES_PER_PAGE])
    top = Article.objects.top_of_each_desk(TOP_STORIES_PER_DESK).exclude(
        pk__in=[article.pk for article in latest]
    )
    desks = [
        (desk, list(stories))
        for desk, stories in groupby(top, key=lambda article: article.desk)
    ]
    return render(
        request, "articles/home.html", {"articles": latest, "desks_top": desks}
    )


def desk(request, desk):
    desk = get_object_or_404(Desk, slug=desk)
    caching.tag(request, desk=desk)
    paginator = Paginator(
        Article.objects.listing().filter(desk=desk), settings.NEWSROOM_ARTICLES_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "articles/desk.html",
        {"desk": desk, "page": page, "current_desk": desk.slug, "feed_desk": desk},
    )


def search_page(request):
    """Live articles matching `?q=`, best first, 20 to a page."""
    query = search.clean_query(request.GET.get("q"))
    page = None
    if query:
        paginator = Paginator(search.search(query), SEARCH_RESULTS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        search.highlight_results(page.object_list, query)
    return render(request, "articles/search.html", {"query": query, "page": page})


def robots_txt(request):
    """Crawlers: everything public, except search results; where the sitemaps are."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('articles:search')}",
        "Disallow: /preview/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# The article page's query, compiled once: building and compiling it cost
# Django 20 times what SQLite takes to run it (prepared.py).
LIVE_ARTICLE = PreparedQuery(
    lambda desk, slug, now: (
        Article.objects.live(now)
        .with_correction_flag()
        .filter(desk__slug=desk, slug=slug)
        .order_by()
    ),
    desk=Desk._meta.get_field("slug"),
    slug=Article._meta.get_field("slug"),
    now=Article._meta.get_field("published_at"),
)


# An article's corrections up to a revision, for the pages that have some.
CORRECTIONS = PreparedQuery(
    lambda article, number: Correction.objects.filter(
        article=article, revision__number__lte=number
    ),
    article=Correction._meta.get_field("article"),
    number=Revision._meta.get_field("number"),
)


def detail(request, desk, slug):
    found = LIVE_ARTICLE.run(desk=desk, slug=slug, now=timezone.now())
    if not found:  # a desk's slugs are unique: one article at most
        raise Http404("No Article matches the given query.")
    article = found[0]
    caching.tag(request, article=article)
    return render_article(request, article, article.live_revision)


def preview(request, token):
    """A revision shared with someone without an account, marked as a preview."""
    link = PreviewLink.from_token(token)
    if link is None:
        raise Http404(
            _("This preview link is not valid: it may have expired or been revoked.")
        )
    return render_article(
        request,
        link.article,
        link.revision,
        preview=_("Preview: this version is not published"),
    )


def render_article(request, article, revision, *, preview: str = ""):
    """Render one revision of an article as readers see it (or would see it)."""
    snapshot = revision.snapshot
    corrections = []
    if getattr(article, "has_corrections", True):  # not annotated for previews
        corrections = CORRECTIONS.run(article=article.pk, number=revision.number)
        for correction in corrections:
            correction.article = article  # as article.corrections would
    # Downloads are offered for what readers see now, never for a preview.
    public = not preview and article.is_live and revision.pk == article.live_revision_id
    article_url = article.get_absolute_url()
    canonical_url = request.build_absolute_uri(article_url) if public else ""
    has_tables = bool(numbered_tables(snapshot))

    def table_for(block: dict, number: int) -> ContentTableView:
        if not public:
            return table_view(block, number, request, chart_revision=revision)
        return table_view(
            block,
            number,
            request,
            article,
            revision,
            article_url=article_url,
        )

    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "content": snapshot,
            # The same for every reader of this revision: rendered once.
            "body": caching.article_body(
                request,
                revision,
                lambda: rendering.render_body(request, snapshot, table_for),
                public=public,
            ),
            "contents": [
                section for section in snapshot["sections"] if section["heading"]
            ],
            "corrections": corrections,
            # The live version changed after publication: when, and whether
            # that change carried a correction.
            "updated": public and article.updated_after_publication,
            "corrected": bool(corrections)
            and corrections[-1].revision_id == revision.pk,
            "current_desk": article.desk.slug,
            "feed_desk": article.desk,  # its feeds, beside the site's (base.html)
            "preview": preview,
            # Sorted, filtered and paged views of the tables are the same article.
            "canonical_url": canonical_url,
            "meta": (
                metadata.for_article(
                    article,
                    snapshot,
                    url=canonical_url,
                    image=_chart_image(request, article_url, revision, snapshot),
                )
                if public
                else None
            ),
            "oembed_url": (
                embeds.discovery_url(request, canonical_url) if public else ""
            ),
            # The tables' scroll cues and rows' links.
            "table_script": has_tables,
        },
    )
    if preview:
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
    return response


def _chart_image(request, article_url: str, revision, snapshot: dict) -> dict | None:
    """The og:image of an article without images: its first chart, as a PNG."""
    number = charts.first_chart(snapshot)
    if number is None:
        return None
    block = dict(numbered_tables(snapshot))[number]
    return {
        "url": request.build_absolute_uri(
            f"{article_url}r{revision.number}/chart-{number}.png"
        ),
        "alt": charts.chart_data(block).caption or snapshot["title"],
    }


def table_view(
    block,
    number,
    request,
    article=None,
    revision=None,
    *,
    embed=True,
    article_url="",
    chart_revision=None,
    ids_in_browser=True,
):
    """Make table `number` of a revision, with its chart; with `article`, its
    download links, and with `embed` too, the link to its "Share / embed" page.

    The chart is drawn once per revision (`chart_revision`, else `revision`):
    a revision that was never saved is drawn each time. The rows' ids are
    given in the browser (`ids_in_browser`) on pages that load
    js/row-links.js.
    """
    chart_revision = chart_revision or revision
    links = {
        "chart": charts.rendered(
            block,
            anchor=f"table-{number}",
            revision_id=chart_revision.pk if chart_revision is not None else None,
        )
    }
    if article is not None:
        # A table's pages are under its article's address (urls.ARTICLE_PAGES):
        # one reverse() per page rather than one per link.
        page = article_url or article.get_absolute_url()
        links["downloads"] = {
            extension: f"{page}r{revision.number}/table-{number}.{extension}"
            for extension in EXPORT_FORMATS
        }
        if embed:
            links["share_url"] = f"{page}table-{number}/share/"
    return ContentTableView(
        block,
        prefix=f"t{number}-",
        anchor=f"table-{number}",
        request=request,
        ids_in_browser=ids_in_browser,
        **links,
    )


def _approved_revision(request, desk: str, slug: str, number: int):
    """A live article and its revision `number`, if a moderator approved it
    (or it is the live one); else 404. The response is tagged with the
    article, for the caches in front."""
    article = get_object_or_404(
        Article.objects.live().defer("live_revision__snapshot"),
        desk__slug=desk,
        slug=slug,
    )
    caching.tag(request, article=article)
    approved = TransitionLog.objects.filter(
        revision=OuterRef("pk"),
        action__in=[TransitionLog.Action.APPROVE, TransitionLog.Action.GO_LIVE],
    )
    revision = get_object_or_404(
        Revision.objects.filter(Q(pk=article.live_revision_id) | Exists(approved)),
        article=article,
        number=number,
    )
    return article, revision


def _table_block(snapshot: dict, number: int) -> dict:
    """Return the snapshot's table `number` (counting from 1), or 404."""
    block = dict(numbered_tables(snapshot)).get(number)
    if block is None:
        raise Http404(_("This article has no such table."))
    return block


def table_download(request, desk, slug, revision, number, export_format):
    """One table of a published revision as CSV, XLSX or JSON.

    The address names the revision, so it keeps giving the same file after
    newer versions are published: for as long as the article is live, any
    revision a moderator approved (or the live one) can be downloaded.
    """
    if export_format not in EXPORT_FORMATS:
        raise Http404(_("Tables download as CSV, XLSX or JSON."))
    article, found = _approved_revision(request, desk, slug, revision)
    block = _table_block(found.snapshot, number)
    table = ContentTableView(block, prefix=f"t{number}-", anchor=f"table-{number}")
    # The article, the revision and the table: two versions never share a name.
    caption = block.get("caption") or f"table {number}"
    name = slugify(f"{article.slug} r{revision} {caption}")[:150].strip("-")
    return table.export(export_format, name=name).response(
        filename=f"{name}.{export_format}"
    )


def chart_png(request, desk, slug, revision, number):
    """The chart of one table of a published revision as a PNG (the og:image).

    Like the downloads, the address names the revision, so the picture never
    changes under it: drawn once, then kept (`charts.rendered_png`).
    """
    article, found = _approved_revision(request, desk, slug, revision)
    block = _table_block(found.snapshot, number)
    image = charts.rendered_png(block, anchor=f"table-{number}", revision_id=found.pk)
    if image is None:
        raise Http404(_("This table has no chart."))
    return HttpResponse(image, content_type="image/png")


# Other sites may frame it: no X-Frame-Options, no CSP frame-ancestors.
@xframe_options_exempt
@csp_replace({"frame-ancestors": None})
def table_embed(request, desk, slug, number):
    """One table of a live article on a page of its own, for other sites' iframes."""
    article = get_object_or_404(Article.objects.live(), desk__slug=desk, slug=slug)
    caching.tag(request, article=article)
    snapshot = article.live_revision.snapshot
    block = _table_block(snapshot, number)
    table = table_view(
        block, number, request, article, article.live_revision, embed=False
    )
    return render(
        request,
        "articles/embed.html",
        {
            "article": article,
            "article_url": request.build_absolute_uri(article.get_absolute_url()),
            "content": snapshot,
            "table": table,
            "oembed_url": embeds.discovery_url(
                request, request.build_absolute_uri(request.path)
            ),
        },
    )


def table_share(request, desk, slug, number):
    """Where readers copy a live table's address and the code that embeds it.

    A page of its own, linked under the table: the article page stays light.
    """
    article = get_object_or_404(Article.objects.live(), desk__slug=desk, slug=slug)
    caching.tag(request, article=article)
    snapshot = article.live_revision.snapshot
    block = _table_block(snapshot, number)
    article_url = request.build_absolute_uri(article.get_absolute_url())
    embed_url = f"{article_url}table-{number}/embed/"
    title = embeds.frame_title(block.get("caption") or "", snapshot["title"])
    height = embeds.frame_height(len(block["rows"]))
    return render(
        request,
        "articles/table_share.html",
        {
            "article": article,
            "content": snapshot,
            "caption": block.get("caption") or "",
            "anchor": f"table-{number}",
            "table_path": f"{article.get_absolute_url()}#table-{number}",
            "table_url": f"{article_url}#table-{number}",
            "embed_url": embed_url,
            "embed_code": embeds.iframe_code(embed_url, title=title, height=height),
            "frame_title": title,
            "frame_height": height,
            "canonical_url": article_url,
            "current_desk": article.desk.slug,
        },
    )


def oembed(request):
    """Answer oEmbed (https://oembed.com) for a live article or one of its tables.

    `?url=` is a table's embed page, or an article page: with `#table-N`, that
    table; without, its first table, or a "link" answer if it has none. JSON
    only (format=xml is 501, as the spec allows); `maxwidth` and `maxheight`
    bound the frame. An address on another host is a 400; anything that is
    not a live article's page or table, a 404, as the page itself would be.
    Cached like other public pages: the page cache's `listings` scope, which
    publishing or withdrawing any article renews.
    """
    try:
        if request.GET.get("format", "json") != "json":
            return HttpResponse(
                _("Only format=json is available."),
                status=501,
                content_type="text/plain; charset=utf-8",
            )
        found = embeds.target(request, request.GET.get("url", ""))
        maxwidth = embeds.dimension(request, "maxwidth")
        maxheight = embeds.dimension(request, "maxheight")
    except embeds.BadRequest as error:
        return HttpResponse(
            str(error), status=400, content_type="text/plain; charset=utf-8"
        )
    article = get_object_or_404(
        Article.objects.live(), desk__slug=found.desk, slug=found.slug
    )
    caching.tag(request, article=article)
    snapshot = article.live_revision.snapshot
    tables = dict(numbered_tables(snapshot))
    number = found.number or (min(tables) if tables else None)
    article_url = request.build_absolute_uri(article.get_absolute_url())
    answer = {
        "version": "1.0",
        "title": snapshot["title"],
        "provider_name": settings.NEWSROOM_SITE_NAME,
        "provider_url": request.build_absolute_uri("/"),
        "cache_age": embeds.OEMBED_CACHE_AGE,
    }
    if snapshot.get("byline"):
        answer["author_name"] = snapshot["byline"]
    if number is None:
        answer["type"] = "link"
    else:
        block = tables.get(number)
        if block is None:
            raise Http404(_("This article has no such table."))
        width = min(embeds.OEMBED_WIDTH, maxwidth or embeds.OEMBED_WIDTH)
        height = embeds.frame_height(len(block["rows"]))
        height = min(height, maxheight or height)
        title = embeds.frame_title(block.get("caption") or "", snapshot["title"])
        answer |= {
            "type": "rich",
            "title": title,
            "html": embeds.iframe_code(
                f"{article_url}table-{number}/embed/",
                title=title,
                height=height,
                width=str(width),
            ),
            "width": width,
            "height": height,
        }
    response = JsonResponse(answer, json_dumps_params={"ensure_ascii": False})
    # Public data, also for consumers that ask from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response
