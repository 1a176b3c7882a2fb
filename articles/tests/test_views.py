import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import revisions, services
from articles.demo import bullets, paragraph, table
from articles.models import Article

from .factories import DeskFactory, large_body, make_article

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
        "align-left",
        "align-right",
        "align-right",
    ]
    assert doc.find(".//table/tbody/tr/td").get("class") == "align-right"


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
    assert doc.xpath("//script") == []
    assert doc.xpath("//img") == []
    assert doc.xpath("//@*[starts-with(name(), 'on')]") == []
    # What was escaped rather than stripped is shown as text.
    assert "Title &lt;script&gt;" in html
    assert "<b>bold</b>" in html
    listing = client.get("/").content.decode()
    assert "<script>" not in listing and "<img" not in listing


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
