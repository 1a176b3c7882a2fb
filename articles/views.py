"""Public pages. Only live (approved, due) revisions are ever shown here."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Article, Block, Desk
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
    snapshot = article.live_revision.snapshot
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "content": snapshot,
            "sections": body_for_display(snapshot),
            "current_desk": article.desk.slug,
        },
    )


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
