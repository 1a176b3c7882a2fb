"""Public pages. Only live (approved, due) revisions are ever shown here."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from .models import Article, Block, Desk, PreviewLink
from .tables import ContentTableView


def home(request):
    articles = Article.objects.listing()[: settings.NEWSROOM_ARTICLES_PER_PAGE]
    return render(request, "articles/home.html", {"articles": articles})


def desk(request, desk):
    desk = get_object_or_404(Desk, slug=desk)
    paginator = Paginator(
        Article.objects.listing().filter(desk=desk), settings.NEWSROOM_ARTICLES_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "articles/desk.html",
        {"desk": desk, "page": page, "current_desk": desk.slug},
    )


def detail(request, desk, slug):
    article = get_object_or_404(Article.objects.live(), desk__slug=desk, slug=slug)
    return render_article(request, article, article.live_revision)


def preview(request, token):
    """A revision shared with someone without an account, marked as a preview."""
    link = PreviewLink.from_token(token)
    if link is None:
        raise Http404(
            "This preview link is not valid: it may have expired or been revoked."
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
    corrections = article.corrections.filter(revision__number__lte=revision.number)
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "content": snapshot,
            "sections": body_for_display(snapshot),
            "corrections": corrections,
            "current_desk": article.desk.slug,
            "preview": preview,
        },
    )
    if preview:
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
    return response


def body_for_display(snapshot: dict) -> list[dict]:
    """Return the snapshot's sections with each table block ready to render."""
    sections, table_number = [], 0
    for section in snapshot["sections"]:
        blocks = []
        for block in section["blocks"]:
            if block["type"] == Block.Kind.TABLE:
                table_number += 1
                block = {
                    **block,
                    "table": ContentTableView(
                        block,
                        prefix=f"t{table_number}-",
                        anchor=f"table-{table_number}",
                    ),
                }
            blocks.append(block)
        sections.append({**section, "blocks": blocks})
    return sections
