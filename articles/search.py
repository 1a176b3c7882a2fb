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

A table is stored in `search_text` as lines of its own, one per row after one
for its caption and column names, with private-use characters between the
parts (`table_lines`). An excerpt of prose leaves them out; when only a table
matches, the excerpt is built from the first matching row, as
"Table: Traffic — Port: Bautino; Ships: 7", rather than a run of cells cut
off anywhere. PostgreSQL finds that row with the same text search as the
article (stems included); the fallback, by the words as typed.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchConfig,
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .models import Article
from .sanitize import collapse, plain_text
from .snapshot import column_headings

# The text search configuration: the site is written in English.
CONFIG = "english"
# Longer queries are cut; nobody types more, and it bounds the work.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# Markers SearchHeadline puts around matches; removed from indexed text.
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
SNIPPET_CHARACTERS = 240
# A table's lines in the stored text: TABLE, its caption, then for each
# column CELL and either its name (the first line) or its name, VALUE and
# the row's cell. PostgreSQL's parser reads all three as spaces.
TABLE, CELL, VALUE = "\ue002", "\ue003", "\ue004"
PRIVATE = re.compile("[\ue000-\ue004]")
# A table excerpt shows a cell's value up to this long, around its match.
CELL_CHARACTERS = 80


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
    return collapse(PRIVATE.sub(" ", text or ""))


def table_lines(block: dict) -> list[str]:
    """A table block as lines of `search_text`: its column names, then its rows."""
    caption = _clean(block.get("caption", ""))
    headings = [_clean(heading) for heading in column_headings(block)]
    lines = [TABLE + caption + "".join(CELL + heading for heading in headings)]
    for row in block["rows"]:
        cells = [_clean(plain_text(cell)) for cell in row]
        if any(cells):
            lines.append(
                TABLE
                + caption
                + "".join(
                    f"{CELL}{heading}{VALUE}{cell}"
                    for heading, cell in zip(headings, cells, strict=False)
                )
            )
    return lines


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
                # Weighed as before: caption, labels and rows, as plain text.
                caption = _clean(block.get("caption", ""))
                labels = _clean(" ".join(c["label"] for c in block["columns"]))
                rows = [
                    _clean(" ".join(plain_text(cell) for cell in row))
                    for row in block["rows"]
                ]
                doc.body += [text for text in (caption, labels, *rows) if text]
                doc.reading += table_lines(block)
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


def _prose(text_field: str) -> Func:
    """The stored text without its tables' lines, in the database."""
    return Func(
        F(text_field),
        Value(f"^{TABLE}[^\n]*\n?"),
        Value(""),
        Value("gn"),  # every line ("n": ^ and [^\n] stop at line ends)
        function="regexp_replace",
        output_field=TextField(),
    )


class FirstMatchingTableLine(Func):
    """The first table line of a stored text that matches a query; else NULL.

    The line comes with its matches marked (ts_headline, every word). A
    subquery of the page's own query: no query more, whatever the page.
    """

    template = (
        "(SELECT ts_headline(%(config)s, line, %(query)s, %(options)s)"
        " FROM regexp_split_to_table(%(text)s, chr(10)) WITH ORDINALITY"
        " AS lines(line, number)"
        " WHERE left(line, 1) = %(marker)s"
        " AND to_tsvector(%(config)s, line) @@ %(query)s"
        " ORDER BY number LIMIT 1)"
    )
    output_field = TextField()

    def __init__(self, text: str, query: SearchQuery):
        options = f"HighlightAll=true, StartSel={START}, StopSel={STOP}"
        super().__init__(
            F(text), query, SearchConfig(CONFIG), Value(options), Value(TABLE)
        )

    def as_sql(self, compiler, connection, **extra_context):
        compiled = dict(
            zip(
                ("text", "query", "config", "options", "marker"),
                (compiler.compile(e) for e in self.get_source_expressions()),
                strict=True,
            )
        )
        # Parameters in the order their placeholders come in the template.
        order = ("config", "query", "options", "text", "marker", "config", "query")
        params = [param for name in order for param in compiled[name][1]]
        return self.template % {k: sql for k, (sql, _) in compiled.items()}, params


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
                _prose("search_text"),
                tsquery,
                config=CONFIG,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
            table_marked=FirstMatchingTableLine("search_text", tsquery),
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
    """Set `title_html` and `snippet` (safe HTML with <mark>s) on each article.

    The snippet is an excerpt of the prose around a match; when only a table
    matches, the table's first matching row (`table_excerpt`).
    """
    terms = [term for term in _terms(query) if term]
    for article in articles:
        if hasattr(article, "title_marked"):
            title, snippet = article.title_marked, article.snippet_marked
            table = article.table_marked
        else:
            title = _mark_terms(article.live_revision.title, terms)
            snippet, table = _fallback_excerpts(article.snippet_source, terms)
        if table and STOP not in (snippet or ""):
            snippet = table_excerpt(table)
        article.title_html = highlight(title)
        article.snippet = highlight(snippet)


def _fallback_excerpts(text: str, terms: list[str]) -> tuple[str, str | None]:
    """The marked excerpt of the prose, and the first matching table line marked."""
    prose, table = [], None
    for line in text.split("\n"):
        if not line.startswith(TABLE):
            prose.append(line)
        elif table is None and _has_every_term(line, terms):
            table = _mark_line(line, terms)
    prose_text = "\n".join(prose)
    return _mark_terms(_excerpt(prose_text, terms), terms), table


def _has_every_term(line: str, terms: list[str]) -> bool:
    lowered = PRIVATE.sub(" ", line).lower()
    return bool(terms) and all(term.lower() in lowered for term in terms)


def _mark_line(line: str, terms: list[str]) -> str:
    # Part by part, so that no mark spans a separator.
    return re.sub(
        f"[^{TABLE}{CELL}{VALUE}]+", lambda m: _mark_terms(m.group(0), terms), line
    )


def table_excerpt(line: str) -> str:
    """A table line as an excerpt: "Table: <caption> — <column>: <value>; ...".

    `line` is one of `table_lines`, its matches marked. A row shows its first
    cell (what the row is about), then the cells that match (at most two,
    each cut to CELL_CHARACTERS around its match), or, when only the first
    cell or the caption matches, the next cell. The line of column names
    shows them. Marks stay as they are, for `highlight` to escape the rest.
    """
    caption, *parts = line.removeprefix(TABLE).split(CELL)
    caption = caption.strip()
    if caption:
        opening = gettext("Table: %(caption)s") % {"caption": caption}
    else:
        opening = gettext("Table")
    if not any(VALUE in part for part in parts):  # the column names
        names = [part for part in parts if part.strip()]
        shown = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
        return f"{opening} — {shown}" if shown else opening
    cells = [tuple(part.split(VALUE, 1)) for part in parts]
    matching = [index for index, cell in enumerate(cells) if START in "".join(cell)]
    shown = [0, *(index for index in matching if index)][:3]
    if len(shown) == 1 and len(cells) > 1:
        shown.append(1)
    described = "; ".join(
        f"{heading}: {_around_mark(value)}" if heading else _around_mark(value)
        for heading, value in (cells[index] for index in shown)
        if value
    )
    return f"{opening} — {described}" if described else opening


def _around_mark(value: str) -> str:
    """The value, cut to about CELL_CHARACTERS around its first mark."""
    if len(_unmarked(value)) <= CELL_CHARACTERS:
        return value
    words = value.split(" ")
    first = next((n for n, word in enumerate(words) if START in word), 0)
    start, kept = first, []
    # Words before the match, then after it, until the excerpt is long enough.
    while start > 0 and len(_unmarked(" ".join(words[start - 1 : first + 1]))) < (
        CELL_CHARACTERS // 3
    ):
        start -= 1
    for word in words[start:]:
        if kept and len(_unmarked(" ".join([*kept, word]))) > CELL_CHARACTERS:
            break
        kept.append(word)
    excerpt = " ".join(kept)
    if START in excerpt and excerpt.count(START) > excerpt.count(STOP):
        excerpt += STOP
    end = start + len(kept)
    return ("… " if start else "") + excerpt + (" …" if end < len(words) else "")


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
