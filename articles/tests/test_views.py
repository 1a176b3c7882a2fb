from datetime import timedelta

import lxml.html
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import revisions, services, workflow
from articles.models import Article, ArticleQuerySet
from articles.testing.bodies import bullets, paragraph, table
from articles.testing.factories import DeskFactory, large_body, make_article

from .helpers import empty_caches

SEED_URL = "/world/kazakh-president-joins-closed-csto-talks/"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def texts(elements):
    return [" ".join(element.text_content().split()) for element in elements]


@pytest.mark.django_db
def test_seed_article_has_its_headings_lists_and_tables_in_order(client, demo_content):
    doc = page(client, SEED_URL)
    article = doc.get_element_by_id("main").find("article")
    assert texts(article.findall(".//h1")) == [
        "Kazakhstan’s president joins closed-door CSTO security talks"
    ]
    assert texts(article.findall(".//h2")) == [
        "Kazakh Leader’s Role in Strengthening CSTO Security Cooperation",
        "Implications of Closed CSTO Talks for Regional Stability and Defense "
        "Strategies",
        "Recommendations for Enhancing Transparency and Dialogue within the CSTO "
        "Framework",
    ]
    lists = article.findall(".//ul")
    assert [len(ul.findall("li")) for ul in lists] == [3, 3]
    assert texts(lists[0].findall("li"))[0] == (
        "Enhanced Cybersecurity Measures: Introducing joint monitoring systems to "
        "counter hybrid threats."
    )
    first, second = article.findall(".//table")
    assert texts(first.findall("thead/tr/th")) == [
        "Security Focus Area",
        "Proposed Enhancement",
        "Timeline",
    ]
    assert all(th.get("scope") == "col" for th in first.findall("thead/tr/th"))
    assert [texts(tr.xpath("th|td")) for tr in first.findall("tbody/tr")] == [
        ["Intelligence Sharing", "Real-time data exchange platform", "Q4 2024"],
        ["Rapid Response Teams", "Joint training exercises", "Early 2025"],
        ["Cyber Defense", "Integrated threat detection systems", "Mid 2025"],
    ]
    assert first.find("caption") is not None
    # The cell lost in the source stays empty: nothing is invented.
    assert texts(second.findall("tbody/tr")[-1].xpath("th|td")) == [
        "Cybersecurity Cooperation",
        "Minimal coordination",
        "",
    ]
    # Section headings are the anchors a table of contents links to.
    section = article.xpath("section[h2]")[0]
    assert section.get("id") == "kazakh-leaders-role-in-strengthening-csto-security"
    assert section.find("h2/a").get("href") == "#" + section.get("id")


@pytest.mark.django_db
def test_number_columns_are_right_aligned(client, demo_content):
    doc = page(client, "/world/caspian-ports-busier-autumn/")
    header = doc.find(".//table/thead/tr")
    assert [th.get("class") for th in header] == [
        None,  # left: the default, no class
        "align-right num",
        "align-right num",
    ]
    assert doc.find(".//table/tbody/tr/td").get("class") == "align-right num"


@pytest.mark.django_db
def test_draft_article_is_not_found(client):
    draft = make_article(publish=False)
    assert client.get(f"/{draft.desk.slug}/{draft.slug}/").status_code == 404


@pytest.mark.django_db
def test_unknown_or_misplaced_articles_are_not_found(client):
    article = make_article(publish=True)
    other_desk = DeskFactory(name="Sport")
    assert client.get(f"/{article.desk.slug}/no-such-article/").status_code == 404
    assert client.get(f"/{other_desk.slug}/{article.slug}/").status_code == 404
    assert client.get("/no-such-desk/").status_code == 404


@pytest.mark.django_db
def test_lists_show_only_published_articles(client):
    published = make_article(publish=True, title="Out in the world")
    make_article(publish=False, title="Still a draft", desk=published.desk)
    for url in ("/", f"/{published.desk.slug}/"):
        titles = texts(page(client, url).findall(".//main//h2"))
        assert titles == ["Out in the world"]


@pytest.mark.django_db
def test_desk_page_is_paginated(client, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    desk = DeskFactory(name="Business")
    for n in range(3):
        make_article(publish=True, desk=desk, title=f"Story {n}")
    assert len(page(client, "/business/").findall(".//main//h2")) == 2
    assert len(page(client, "/business/?page=2").findall(".//main//h2")) == 1


@pytest.mark.django_db
def test_article_page_costs_the_same_few_queries_whatever_its_size(
    client, demo_content
):
    big = make_article(large_body(), publish=True, title="A very long article")
    counts = {}
    for url in (SEED_URL, big.get_absolute_url()):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    assert counts[SEED_URL] == counts[big.get_absolute_url()] <= 5
    doc = page(client, big.get_absolute_url())
    on_screen = doc.xpath("//div[@role='region']/table")
    assert len(on_screen) == 10
    assert len(on_screen[0].findall("tbody/tr")) == 25  # then the next page


@pytest.mark.django_db
def test_listing_pages_cost_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    desk = DeskFactory(name="World")
    for n in range(5):
        make_article(publish=True, desk=desk, title=f"Story {n}")
    with django_assert_max_num_queries(3):
        client.get("/")
    with django_assert_max_num_queries(4):
        client.get("/world/")


XSS_SCRIPT = '<script>alert("xss")</script>'
XSS_IMG = '<img src=x onerror="alert(1)">'


@pytest.mark.django_db
def test_script_and_event_handler_payloads_come_out_inert(client):
    body = [
        {
            "heading": f"Heading {XSS_SCRIPT}",
            "blocks": [
                paragraph(
                    f"Paragraph {XSS_SCRIPT} {XSS_IMG} <b onmouseover='x()'>bold</b>"
                ),
                bullets(f"Item {XSS_IMG}", f"Item {XSS_SCRIPT}"),
                table(
                    f"Caption {XSS_SCRIPT}{XSS_IMG}",
                    [f"Label {XSS_IMG}", "B"],
                    [[f"Cell {XSS_SCRIPT}", f"Cell {XSS_IMG}"]],
                    source_note=f"Source {XSS_IMG}",
                ),
            ],
        }
    ]
    article = make_article(
        body,
        publish=True,
        title=f"Title {XSS_SCRIPT}{XSS_IMG}",
        slug="xss",
        standfirst=f"Standfirst {XSS_IMG}",
        byline=f"Byline {XSS_SCRIPT}",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    doc = lxml.html.fromstring(html)
    # The JSON-LD data block, which never runs, and the site's own files: the
    # tables' scroll cues and row links.
    scripts = [(s.get("type"), s.get("src"), s.text) for s in doc.xpath("//script")]
    assert [(kind, src) for kind, src, _ in scripts] == [
        ("application/ld+json", None),
        ("module", "/static/js/table-scroll.js"),
        ("module", "/static/js/row-links.js"),
    ]
    assert all(text is None for _, _, text in scripts[1:])
    assert "<script>alert" not in html and "</script>alert" not in html
    assert doc.xpath("//img") == []
    assert doc.xpath("//@*[starts-with(name(), 'on')]") == []
    # What was escaped rather than stripped is shown as text.
    assert "Title &lt;script&gt;" in html
    assert "<b>bold</b>" in html
    listing = client.get("/").content.decode()
    assert "<script>" not in listing and "<img" not in listing


@pytest.mark.django_db
def test_inline_text_that_skipped_the_save_path_is_cleaned_on_the_page(client):
    # A snapshot written straight to the database (a restore, a bad script):
    # the page applies the allow-list again to paragraphs, items and cells.
    article = make_article(
        [
            {
                "heading": "",
                "blocks": [
                    paragraph("x"),
                    bullets("x"),
                    table("T", ["A"], [["x"]], source_note="Agency"),
                ],
            }
        ],
        publish=True,
        slug="raw",
    )
    revision = article.live_revision
    payload = f"Raw {XSS_SCRIPT} {XSS_IMG} <b onclick='x()'>kept</b>   spaced"
    snapshot = revision.snapshot
    blocks = snapshot["sections"][0]["blocks"]
    blocks[0]["html"], blocks[1]["items"] = payload, [payload]
    blocks[2]["rows"] = [[payload]]
    type(revision).objects.filter(pk=revision.pk).update(snapshot=snapshot)
    empty_caches()
    html = client.get(article.get_absolute_url()).content.decode()
    doc = lxml.html.fromstring(html)
    assert "<script>alert" not in html and doc.xpath("//img") == []
    assert doc.xpath("//@*[starts-with(name(), 'on')]") == []
    # Paragraph, list item and cell: each kept its bold.
    assert html.count("<b>kept</b>") == 3


@pytest.mark.django_db
def test_readers_keep_the_published_version_while_editors_work(client):
    article = make_article(publish=True, title="Original title")
    url = article.get_absolute_url()
    article.title = "Edited title"
    article.save()
    services.replace_body(article, [{"heading": "", "blocks": [paragraph("New text")]}])
    revisions.create_revision(article)
    html = client.get(url).content.decode()
    assert "Original title" in html and "The lede." in html
    assert "Edited title" not in html and "New text" not in html
    assert Article.objects.get(pk=article.pk).revisions.count() == 2


@pytest.mark.django_db
def test_not_found_page_is_friendly(client):
    response = client.get("/world/nothing-here/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# --- what readers can reach: pages, search, feeds and sitemaps


def where_readers_find(client, article, word):
    """Every public place that shows the article, or finds it by `word`."""
    url = article.get_absolute_url()
    desk = article.desk.slug
    places = {
        "home": "/",
        "desk page": f"/{desk}/",
        "search": f"/search/?q={word}",
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
        "desk rss": f"/feeds/{desk}/rss/",
        "desk atom": f"/feeds/{desk}/atom/",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/sitemap-news.xml",
    }
    found = {
        place
        for place, address in places.items()
        if url in client.get(address).content.decode()
    }
    if client.get(url).status_code == 200:
        found.add("article page")
    return found


EVERYWHERE = {
    "article page",
    "home",
    "desk page",
    "search",
    "rss",
    "atom",
    "desk rss",
    "desk atom",
    "sitemap",
    "news sitemap",
}


def edit_body(article, by, text):
    services.replace_body(article, [{"heading": "", "blocks": [paragraph(text)]}])
    return workflow.revise(article, by=by)


@pytest.mark.django_db
def test_published_articles_are_everywhere_and_unpublished_ones_nowhere(
    client, moderator
):
    article = make_article(
        [{"heading": "", "blocks": [paragraph("An albatross landed.")]}],
        publish=True,
    )
    assert where_readers_find(client, article, "albatross") == EVERYWHERE
    workflow.unpublish(article, by=moderator)
    assert where_readers_find(client, article, "albatross") == set()


@pytest.mark.django_db
def test_an_edit_is_not_found_until_it_is_approved(client, editor, moderator):
    article = make_article(
        [{"heading": "", "blocks": [paragraph("An albatross landed.")]}],
        publish=True,
    )
    edit_body(article, editor, "A cormorant landed.")
    assert where_readers_find(client, article, "cormorant") == EVERYWHERE - {"search"}
    assert "search" in where_readers_find(client, article, "albatross")
    workflow.submit(article, by=editor)
    assert "search" not in where_readers_find(client, article, "cormorant")
    workflow.approve(article, by=moderator)
    assert where_readers_find(client, article, "cormorant") == EVERYWHERE
    assert "search" not in where_readers_find(client, article, "albatross")


@pytest.mark.django_db
def test_a_scheduled_article_is_nowhere_until_its_time(client, editor, moderator):
    article = make_article(
        [{"heading": "", "blocks": [paragraph("An albatross landed.")]}],
        author=editor,
    )
    workflow.submit(article, by=editor)
    at = timezone.now() + timedelta(hours=2)
    article = workflow.approve(article, by=moderator, at=at)
    with time_machine.travel(at - timedelta(seconds=1), tick=False):
        assert where_readers_find(client, article, "albatross") == set()
    with time_machine.travel(at, tick=False):
        assert where_readers_find(client, article, "albatross") == EVERYWHERE
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        workflow.go_live_due()
        assert where_readers_find(client, article, "albatross") == EVERYWHERE


# --- the home page, query budgets, error pages


@pytest.mark.django_db
def test_home_page_shows_the_latest_then_each_desks_other_top_stories(client, settings):
    settings.NEWSROOM_ARTICLES_PER_PAGE = 2
    world, sport = DeskFactory(name="World"), DeskFactory(name="Sport")
    start = timezone.now() - timedelta(hours=1)
    for minute, (desk, title) in enumerate(
        [
            (world, "World 1"),
            (world, "World 2"),
            (world, "World 3"),
            (world, "World 4"),
            (world, "World 5"),
            (sport, "Sport 1"),
            (world, "World 6"),
        ]
    ):
        with time_machine.travel(start + timedelta(minutes=minute)):
            make_article(publish=True, desk=desk, title=title)
    doc = page(client, "/")
    latest = doc.xpath("//main/ul[contains(@class, 'article-list')]//h2")
    assert texts(latest) == ["World 6", "Sport 1"]
    desks = doc.xpath("//main/section[contains(@class, 'desk-top')]")
    assert [(texts(s.xpath("h2"))[0], texts(s.xpath(".//h3"))) for s in desks] == [
        ("World", ["World 5", "World 4", "World 3"])
    ]


def page_queries(client, url):
    empty_caches()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_public_pages_cost_the_same_queries_for_2_or_12_articles_of_any_size(
    client,
):
    """Home, desk and article pages: a constant, small number of queries."""
    world, sport = DeskFactory(name="World"), DeskFactory(name="Sport")
    small = make_article(publish=True, desk=world)
    make_article(publish=True, desk=sport)
    urls = ["/", "/world/", "/world/?page=2", small.get_absolute_url()]
    before = {url: page_queries(client, url) for url in urls}
    big = make_article(large_body(), publish=True, desk=world)
    for _ in range(9):
        make_article(large_body(sections=2, tables=1), publish=True, desk=world)
    after = {url: page_queries(client, url) for url in urls}
    assert before == after
    # Desks for the header; then the latest, and each desk's top stories; the
    # next scheduled publication (the page's lifetime ends then: read from the
    # cache, or the database when it is empty as here).
    assert before["/"] == 4
    # Desks, the desk, the count, the page; the next scheduled publication.
    assert before["/world/"] == 5
    # Desks, the article with its live revision (and whether it has corrections).
    assert before[small.get_absolute_url()] == 2
    assert page_queries(client, big.get_absolute_url()) == 2


@pytest.mark.django_db
def test_server_error_page_renders(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_server_errors_show_the_friendly_page(client, monkeypatch):
    def broken(queryset):
        raise RuntimeError("boom")

    monkeypatch.setattr(ArticleQuerySet, "listing", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_the_navigation_lists_only_desks_readers_find_articles_in(client):
    """An empty desk (say, imported drafts') and one with only drafts are left out."""
    world = DeskFactory(name="World", slug="world", position=1)
    DeskFactory(name="Imported", slug="imported", position=2)
    drafts = DeskFactory(name="Drafts", slug="drafts", position=3)
    make_article(publish=True, desk=world)
    make_article(desk=drafts)
    with CaptureQueriesContext(connection) as queries:
        doc = lxml.html.fromstring(client.get("/").content.decode())
    assert len(queries) == 3  # the same as with every desk listed
    nav = doc.xpath("//header//nav//li/a/text()")
    assert "World" in nav and "Imported" not in nav and "Drafts" not in nav
