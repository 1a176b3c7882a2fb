import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import search, snapshot, views
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
    # Desks for the header, the count, the page of results; the next scheduled
    # publication (the page's lifetime ends then), with the caches empty.
    assert counts == [4, 4]
    empty_caches()
    with CaptureQueriesContext(connection) as queries:
        results(client, "")
    assert len(queries) == 2  # the desks, the next scheduled publication


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


# --- excerpts of tables, on any database


def snippet_of(client, query):
    doc = results(client, query)
    (snippet,) = doc.xpath("//p[@class='snippet']")
    return snippet


def fleet_body():
    return [
        {
            "heading": "Figures",
            "blocks": [
                paragraph("Port traffic by month."),
                table(
                    "Caspian fleet",
                    ["Port", {"label": "Ships", "kind": "number"}, "Note"],
                    [
                        ["Aktau", "12", "Ferries and bulk carriers"],
                        ["Kuryk", "7", "Mostly tankers from Baku"],
                    ],
                    source_note="Port authority",
                ),
            ],
        }
    ]


@pytest.mark.django_db
def test_a_match_in_a_table_shows_its_row_not_a_run_of_cells(client):
    make_article(table_body("Bautino"), publish=True, title="Caspian ports")
    snippet = snippet_of(client, "Bautino")
    assert snippet.text_content() == "Table: Traffic — Port: Bautino; Ships: 7"
    assert [m.text for m in snippet.xpath("mark")] == ["Bautino"]


@pytest.mark.django_db
def test_a_table_excerpt_names_the_row_and_the_matching_column(client):
    make_article(fleet_body(), publish=True, title="Caspian ports")
    snippet = snippet_of(client, "tankers")
    assert snippet.text_content() == (
        "Table: Caspian fleet — Port: Kuryk; Note: Mostly tankers from Baku"
    )
    assert [m.text for m in snippet.xpath("mark")] == ["tankers"]


@pytest.mark.django_db
def test_a_match_in_a_caption_shows_the_column_names(client):
    make_article(fleet_body(), publish=True, title="Caspian ports")
    snippet = snippet_of(client, "fleet")
    assert snippet.text_content() == "Table: Caspian fleet — Port, Ships, Note"


@pytest.mark.django_db
def test_a_table_excerpt_names_a_columns_group(client):
    block = table(
        "Results",
        ["Team", {"label": "Wins", "kind": "number"}, "Coach"],
        [["Lions", "10", "Zhanibek"]],
        source_note="League",
        groups=[snapshot.group("2024", 1, 2)],
    )
    make_article([{"heading": "", "blocks": [block]}], publish=True, title="Season")
    snippet = snippet_of(client, "Zhanibek")
    assert (
        snippet.text_content() == "Table: Results — Team: Lions; 2024: Coach: Zhanibek"
    )


@pytest.mark.django_db
def test_prose_matches_are_excerpted_without_table_cells(client):
    make_article(fleet_body(), publish=True, title="Caspian ports")
    snippet = snippet_of(client, "traffic")
    # PostgreSQL's excerpts end on a word.
    shown = " ".join(snippet.text_content().split()).rstrip(".")
    assert shown == "Figures Port traffic by month"


@pytest.mark.django_db
def test_table_excerpts_escape_what_editors_wrote(client):
    block = table(
        "Odd <i>caption</i> & co",
        ["<b>Port</b>", "Note"],
        [["Aktau &amp; Kuryk", "&lt;script&gt;alert(1)&lt;/script&gt; zeppelin"]],
        source_note="Port authority",
    )
    make_article([{"heading": "", "blocks": [block]}], publish=True, title="Ports")
    html = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "<script>alert" not in html and "<b>Port" not in html
    doc = lxml.html.fromstring(html)
    assert doc.xpath("//main//script") == []
    (snippet,) = doc.xpath("//p[@class='snippet']")
    assert snippet.text_content().startswith(
        "Table: Odd <i>caption</i> & co — <b>Port</b>: Aktau & Kuryk; Note: "
    )
    assert [m.text for m in snippet.xpath("mark")] == ["zeppelin"]
    assert "&lt;b&gt;Port&lt;/b&gt;: Aktau &amp; Kuryk" in html


def test_a_long_cell_is_cut_around_its_match():
    words = [f"word{n}" for n in range(40)]
    words[30] = f"{search.START}walrus{search.STOP}"
    line = (
        f"{search.TABLE}Notes{search.CELL}Name{search.VALUE}A"
        f"{search.CELL}Text{search.VALUE}{' '.join(words)}"
    )
    excerpt = search.table_excerpt(line)
    shown = search.highlight(excerpt)
    assert shown.startswith("Table: Notes — Name: A; Text: … ")
    assert "<mark>walrus</mark>" in shown and shown.endswith(" …")
    assert len(search._unmarked(excerpt)) < 140


def test_tables_are_stored_as_lines_of_their_own():
    doc = search.document(
        {
            "title": "T",
            "sections": [{"heading": "", "blocks": fleet_body()[0]["blocks"]}],
        }
    )
    T, C, V = search.TABLE, search.CELL, search.VALUE
    assert doc.reading == [
        "Port traffic by month.",
        f"{T}Caspian fleet{C}Port{C}Ships{C}Note",
        f"{T}Caspian fleet{C}Port{V}Aktau{C}Ships{V}12"
        f"{C}Note{V}Ferries and bulk carriers",
        f"{T}Caspian fleet{C}Port{V}Kuryk{C}Ships{V}7"
        f"{C}Note{V}Mostly tankers from Baku",
    ]
    # The vector weighs the same words as before.
    assert doc.body[1:3] == ["Caspian fleet", "Port Ships Note"]


@pytest.mark.django_db
def test_table_excerpts_cost_no_query_more(client):
    desk = DeskFactory(name="World")
    counts = []
    for total, body in ((2, fleet_body()), (12, large_body())):
        body[-1]["blocks"] += fleet_body()[0]["blocks"]
        while desk.articles.count() < total:
            make_article(body, publish=True, desk=desk)
        empty_caches()
        with CaptureQueriesContext(connection) as queries:
            doc = results(client, "tankers")
        snippets = doc.xpath("//p[@class='snippet']")
        assert len(snippets) == total
        assert all(s.text_content().startswith("Table: Caspian") for s in snippets)
        counts.append(len(queries))
    assert counts == [4, 4]  # as test_search_page_costs_a_constant_number_of_queries


@on_postgresql
@pytest.mark.django_db
def test_a_table_row_is_found_and_marked_by_its_words_stems(client):
    make_article(fleet_body(), publish=True, title="Caspian ports")
    snippet = snippet_of(client, "tanker baku")
    assert snippet.text_content() == (
        "Table: Caspian fleet — Port: Kuryk; Note: Mostly tankers from Baku"
    )
    assert [m.text for m in snippet.xpath("mark")] == ["tankers", "Baku"]
