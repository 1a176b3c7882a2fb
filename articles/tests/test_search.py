import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import search, views
from articles.models import Article
from articles.testing.bodies import bullets, paragraph, table
from articles.testing.factories import DeskFactory, large_body, make_article

from .helpers import empty_caches

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search (tsvector, ranking, headlines) needs PostgreSQL; "
    "CI runs the suite on it too",
)
on_sqlite = pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the SQLite fallback is not used on PostgreSQL",
)


def results(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def titles(doc):
    return [
        " ".join(h2.text_content().split())
        for h2 in doc.xpath("//ol[contains(@class, 'search-results')]//h2")
    ]


def body_with(text):
    return [{"heading": "", "blocks": [paragraph(text)]}]


def table_body(cell):
    return [
        {
            "heading": "Figures",
            "blocks": [
                paragraph("Port traffic by month."),
                table(
                    "Traffic",
                    ["Port", {"label": "Ships", "kind": "number"}],
                    [["Aktau", "12"], [cell, "7"]],
                    source_note="Port authority",
                ),
            ],
        }
    ]


@pytest.mark.django_db
def test_an_empty_query_shows_only_the_form(client):
    make_article(publish=True)
    doc = results(client, "   ")
    assert doc.xpath("//main//form[@role='search']/input[@name='q']")
    assert titles(doc) == []
    assert doc.xpath("//*[contains(@class, 'search-count')]") == []


@pytest.mark.django_db
def test_a_query_without_results_says_so(client):
    make_article(publish=True, title="Ports reopen")
    doc = results(client, "zeppelin")
    assert titles(doc) == []
    (status,) = doc.xpath("//*[contains(@class, 'search-count')]")
    assert "No published articles match “zeppelin”" in status.text_content()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE articles_article; --",
        '" OR 1=1 --',
        "zz' OR '1'='1",
        "a & b | !c <-> (d:*",
        "%_\\",
    ],
)
def test_sql_looking_input_is_harmless(client, query):
    make_article(publish=True, title="Ports reopen")
    doc = results(client, query)
    assert titles(doc) == []
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_search_finds_title_and_body_words_on_any_database(client):
    make_article(publish=True, title="Harbour strike ends")
    make_article(table_body("Kuryk"), publish=True, title="Caspian ports")
    assert titles(results(client, "harbour")) == ["Harbour strike ends"]
    assert titles(results(client, "kuryk")) == ["Caspian ports"]


@pytest.mark.django_db
def test_results_are_paginated_keeping_the_query(client, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_RESULTS_PER_PAGE", 2)
    for _ in range(3):
        make_article(body_with("The harbour reopened."), publish=True)
    doc = results(client, "harbour")
    assert len(titles(doc)) == 2
    (next_link,) = doc.xpath("//nav[@class='pagination']/a[@rel='next']")
    assert next_link.get("href") == "?q=harbour&page=2"
    doc = results(client, "harbour", page=2)
    assert len(titles(doc)) == 1
    (previous,) = doc.xpath("//nav[@class='pagination']/a[@rel='prev']")
    assert previous.get("href") == "?q=harbour&page=1"


def test_twenty_results_make_a_page():
    assert views.SEARCH_RESULTS_PER_PAGE == 20


@pytest.mark.django_db
def test_search_page_costs_a_constant_number_of_queries(client):
    desk = DeskFactory(name="World")
    counts = []
    for total, body in ((2, body_with("harbour")), (12, large_body())):
        body[0]["blocks"].append(paragraph("harbour"))
        while desk.articles.count() < total:
            make_article(body, publish=True, desk=desk)
        empty_caches()
        with CaptureQueriesContext(connection) as queries:
            doc = results(client, "harbour")
        assert len(titles(doc)) == total
        counts.append(len(queries))
    # Desks for the header, the count, the page of results.
    assert counts == [3, 3]
    empty_caches()
    with CaptureQueriesContext(connection) as queries:
        results(client, "")
    assert len(queries) == 1


# --- PostgreSQL: weighted full-text search


@on_postgresql
@pytest.mark.django_db
def test_a_word_only_in_a_table_cell_is_found(client):
    make_article(table_body("Bautino"), publish=True, title="Caspian ports")
    make_article(publish=True, title="Something else")
    assert titles(results(client, "Bautino")) == ["Caspian ports"]


@on_postgresql
@pytest.mark.django_db
def test_a_title_match_ranks_first_and_is_highlighted(client):
    make_article(publish=True, title="Walrus seen in harbour")
    # Newer, and says walrus more often, but only in its body.
    make_article(
        body_with("A walrus, another walrus and a third walrus."),
        publish=True,
        title="Busy day at the zoo",
    )
    doc = results(client, "walrus")
    assert titles(doc) == ["Walrus seen in harbour", "Busy day at the zoo"]
    first, second = doc.xpath("//ol[contains(@class, 'search-results')]/li")
    assert [m.text for m in first.xpath(".//h2//mark")] == ["Walrus"]
    snippet = second.xpath(".//p[@class='snippet']")[0]
    assert [m.text for m in snippet.xpath("mark")] == ["walrus"] * 3


@on_postgresql
@pytest.mark.django_db
def test_snippets_escape_markup_in_content(client):
    """Text that looks like markup comes out as text (or, in excerpts, not at all).

    PostgreSQL's parser reads tag-like text as tags and leaves it out of
    excerpts; what it keeps is escaped like everything else.
    """
    make_article(
        body_with(
            "A walrus wrote &lt;script&gt;alert(1)&lt;/script&gt; and 1 &lt; 2 "
            "&amp; 3 &gt; 2 here."
        ),
        publish=True,
        title="Walrus <script>alert(2)</script>",
    )
    html = client.get("/search/", {"q": "walrus"}).content.decode()
    assert "<script>alert" not in html
    assert "<mark>Walrus</mark> &lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "1 &lt; 2 &amp; 3 &gt; 2" in html
    doc = lxml.html.fromstring(html)
    assert doc.xpath("//main//script") == []
    (snippet,) = doc.xpath("//p[@class='snippet']")
    assert [m.text for m in snippet.xpath("mark")] == ["walrus"]


@on_postgresql
@pytest.mark.django_db
def test_words_are_matched_by_their_stem(client):
    make_article(body_with("The harbours were closed."), publish=True, title="Ports")
    assert titles(results(client, "harbour")) == ["Ports"]


@on_postgresql
@pytest.mark.django_db
def test_the_vector_weighs_title_standfirst_headings_and_body(client):
    article = make_article(
        [
            {
                "heading": "Gamma heading",
                "blocks": [paragraph("delta paragraph"), bullets("epsilon item")],
            }
        ],
        publish=True,
        title="Alpha title",
        standfirst="Beta standfirst",
    )
    vector = Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)
    weights = {
        lexeme.split(":")[0].strip("'"): lexeme[-1]
        for lexeme in vector.split(" ")
        if lexeme.split(":")[0].strip("'") in {"alpha", "beta", "gamma", "delta"}
    }
    # PostgreSQL prints weight D (the lowest, unused here) as no letter.
    assert weights == {"alpha": "A", "beta": "B", "gamma": "B", "delta": "C"}
    assert "epsilon" in vector


@on_postgresql
@pytest.mark.django_db
def test_the_vector_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["article_search_vector_idx"],
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition


# --- SQLite: the fallback


@on_sqlite
@pytest.mark.django_db
def test_the_fallback_finds_every_word_and_puts_title_matches_first(client):
    make_article(publish=True, title="Walrus seen in harbour")
    make_article(
        body_with("A walrus swam into the harbour."),
        publish=True,
        title="Busy day at the zoo",
    )
    make_article(body_with("Only a walrus."), publish=True, title="Elsewhere")
    doc = results(client, "Walrus harbour")
    assert titles(doc) == ["Walrus seen in harbour", "Busy day at the zoo"]
    first, second = doc.xpath("//ol[contains(@class, 'search-results')]/li")
    assert [m.text for m in first.xpath(".//h2//mark")] == ["Walrus", "harbour"]
    snippet = second.xpath(".//p[@class='snippet']")[0]
    assert [m.text for m in snippet.xpath("mark")] == ["walrus", "harbour"]


@on_sqlite
@pytest.mark.django_db
def test_the_fallback_escapes_markup_in_snippets(client):
    make_article(
        body_with("A walrus wrote &lt;script&gt;alert(1)&lt;/script&gt; here."),
        publish=True,
        title="Walrus <script>alert(2)</script>",
    )
    html = client.get("/search/", {"q": "walrus"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>Walrus</mark> &lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_highlight_escapes_everything_but_its_own_marks():
    marked = f"<b>x</b> {search.START}a<i>{search.STOP} & {search.START}stray"
    assert (
        search.highlight(marked)
        == "&lt;b&gt;x&lt;/b&gt; <mark>a&lt;i&gt;</mark> &amp; stray"
    )
