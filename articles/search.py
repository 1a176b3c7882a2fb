"""Full-text search over what readers see: the live revision of live articles.

`index_article` stores the live revision as plain text (`Article.search_text`)
and, on PostgreSQL, as a weighted tsvector (`Article.search_vector`: title A;
standfirst and headings B; paragraphs, list items and table cells C) under a
GIN index. The workflow calls it whenever the live revision changes, so edits
waiting for approval are never found.

`search` ranks matches with SearchRank and excerpts them with SearchHeadline on
PostgreSQL. On SQLite, the embedded default, every word of the query must
appear in the title or the stored text, and title matches come first.
Excerpts are marked with two private-use characters, never with HTML: the
text is escaped and only then are the markers turned into <mark> elements.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Article
from .sanitize import collapse, plain_text

# The text search configuration: the site is written in English.
CONFIG = "english"
# Longer queries are cut; nobody types more, and it bounds the work.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# Markers SearchHeadline puts around matches; removed from indexed text.
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
SNIPPET_CHARACTERS = 240


@dataclass
class Document:
    """An article's live text, split by how much a match in each part weighs."""

    title: str = ""
    standfirst: str = ""
    headings: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    # Standfirst, headings and body in reading order (the title is shown apart).
    reading: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.reading)


def _clean(text: str) -> str:
    return collapse((text or "").replace(START, " ").replace(STOP, " "))


def document(snapshot: dict) -> Document:
    """Return the plain text of a snapshot (see `revisions`), part by part."""
    doc = Document(
        title=_clean(snapshot.get("title", "")),
        standfirst=_clean(snapshot.get("standfirst", "")),
    )

    def add(text: str, part: list[str], *, inline: bool = True) -> None:
        text = _clean(plain_text(text) if inline else text)
        if text:
            part.append(text)
            doc.reading.append(text)

    if doc.standfirst:
        doc.reading.append(doc.standfirst)
    for section in snapshot.get("sections", []):
        add(section.get("heading", ""), doc.headings, inline=False)
        for block in section.get("blocks", []):
            if block["type"] == "paragraph":
                add(block["html"], doc.body)
            elif block["type"] == "list":
                for item in block["items"]:
                    add(item, doc.body)
            elif block["type"] == "table":
                add(block.get("caption", ""), doc.body, inline=False)
                add(
                    " ".join(column["label"] for column in block["columns"]),
                    doc.body,
                    inline=False,
                )
                for row in block["rows"]:
                    add(" ".join(plain_text(cell) for cell in row), doc.body)
    return doc


def vector(doc: Document) -> SearchVector:
    """The weighted tsvector of a document, as an expression for an update."""

    def part(text: str, weight: str) -> SearchVector:
        return SearchVector(
            Value(text, output_field=TextField()), config=CONFIG, weight=weight
        )

    return (
        part(doc.title, "A")
        + part(" ".join([doc.standfirst, *doc.headings]), "B")
        + part(" ".join(doc.body), "C")
    )


def index_article(article: Article) -> None:
    """Make the article findable as its live revision reads, or not at all."""
    revision = article.live_revision
    fields = {"search_text": "", "search_vector": None}
    if revision is not None:
        doc = document(revision.snapshot)
        fields["search_text"] = doc.text
        if connection.vendor == "postgresql":
            fields["search_vector"] = vector(doc)
    Article.objects.filter(pk=article.pk).update(**fields)


def clean_query(text: str | None) -> str:
    """Return what a reader typed, trimmed to a sensible length."""
    return collapse(text or "")[:MAX_QUERY_LENGTH]


def search(query: str) -> QuerySet:
    """Live articles matching `query`, best first, with `title_html` and `snippet`.

    `title_html` and `snippet` come from the database marked (PostgreSQL) or
    are made by `highlight_results` (SQLite); call that on the page shown.
    """
    if connection.vendor == "postgresql":
        return _postgres_search(query)
    return _fallback_search(query)


def _postgres_search(query: str) -> QuerySet:
    tsquery = SearchQuery(query, config=CONFIG, search_type="websearch")
    marks = {"start_sel": START, "stop_sel": STOP}
    return (
        Article.objects.listing()
        .filter(search_vector=tsquery)
        .annotate(
            rank=SearchRank(F("search_vector"), tsquery),
            title_marked=SearchHeadline(
                "live_revision__title",
                tsquery,
                config=CONFIG,
                highlight_all=True,
                **marks,
            ),
            snippet_marked=SearchHeadline(
                "search_text",
                tsquery,
                config=CONFIG,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )
        .order_by("-rank", "-published_at", "-pk")
    )


def _terms(query: str) -> list[str]:
    return [term.strip("\"'") for term in query.split()][:MAX_TERMS]


def _fallback_search(query: str) -> QuerySet:
    terms = [term for term in _terms(query) if term]
    if not terms:
        return Article.objects.none()
    matches = Q()
    in_title = Q()
    for term in terms:
        matches &= Q(live_revision__title__icontains=term) | Q(
            search_text__icontains=term
        )
        in_title |= Q(live_revision__title__icontains=term)
    return (
        Article.objects.listing()
        .filter(matches)
        .annotate(
            title_match=Case(
                When(in_title, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            snippet_source=F("search_text"),
        )
        .order_by("-title_match", "-published_at", "-pk")
    )


def highlight_results(articles, query: str) -> None:
    """Set `title_html` and `snippet` (safe HTML with <mark>s) on each article."""
    terms = [term for term in _terms(query) if term]
    for article in articles:
        if hasattr(article, "title_marked"):
            title, snippet = article.title_marked, article.snippet_marked
        else:
            title = _mark_terms(article.live_revision.title, terms)
            snippet = _mark_terms(_excerpt(article.snippet_source, terms), terms)
        article.title_html = highlight(title)
        article.snippet = highlight(snippet)


def _excerpt(text: str, terms: list[str]) -> str:
    """The stretch of `text` around the first match of any term."""
    lowered = text.lower()
    found = [lowered.find(term.lower()) for term in terms]
    first = min((at for at in found if at >= 0), default=0)
    start = max(0, first - SNIPPET_CHARACTERS // 3)
    excerpt = text[start : start + SNIPPET_CHARACTERS]
    return (
        ("… " if start else "")
        + excerpt
        + (" …" if len(text) > start + len(excerpt) else "")
    )


def _mark_terms(text: str, terms: list[str]) -> str:
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    return pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", text)


def highlight(marked: str) -> SafeString:
    """Escape `marked` text and turn its match markers into <mark> elements."""
    marked = marked or ""
    html, position = [], 0
    for match in MARKED.finditer(marked):
        html.append(escape(_unmarked(marked[position : match.start()])))
        html.append(f"<mark>{escape(match.group(1))}</mark>")
        position = match.end()
    html.append(escape(_unmarked(marked[position:])))
    # Every piece of text above went through escape(); only <mark> is added.
    return mark_safe("".join(html))  # noqa: S308


def _unmarked(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")
