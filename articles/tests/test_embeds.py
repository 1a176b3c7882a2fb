"""Tables on other sites: the "Share / embed" page, framing, and oEmbed."""

import html
from urllib.parse import parse_qs, urlencode, urlsplit

import lxml.html
import pytest

from articles import embeds, workflow
from articles.testing.bodies import paragraph, table
from articles.testing.factories import make_article

from .helpers import empty_caches

HOST = "http://testserver"
CAPTION = 'Votes "by" region <script>alert("x")</script> & more'


def votes(caption="Votes by region", rows=3):
    return table(
        caption,
        ["Region", {"label": "Votes", "kind": "number"}],
        [[f"Region {n}", str(n * 100)] for n in range(1, rows + 1)],
        source_note="Electoral commission",
    )


def publish(*blocks, **fields):
    return make_article(
        [{"heading": "", "blocks": list(blocks)}], publish=True, **fields
    )


def parse(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content)


def oembed(client, url, **params):
    return client.get("/oembed/", {"url": url, **params})


def oembed_links(doc) -> list:
    return doc.xpath("//head/link[@rel='alternate'][@type='application/json+oembed']")


# What https://oembed.com (section 2.3.4) requires of every answer, and of a
# "rich" one, with the types; optional fields are checked when present.
REQUIRED = {"type": str, "version": str}
REQUIRED_RICH = {"html": str, "width": int, "height": int}
OPTIONAL = {
    "title": str,
    "author_name": str,
    "author_url": str,
    "provider_name": str,
    "provider_url": str,
    "cache_age": int,
    "thumbnail_url": str,
    "thumbnail_width": int,
    "thumbnail_height": int,
}


def valid_oembed(answer: dict) -> list[str]:
    """Return what makes `answer` an invalid oEmbed 1.0 response (empty: valid)."""
    problems = []
    required = REQUIRED | (REQUIRED_RICH if answer.get("type") == "rich" else {})
    for name, kind in required.items():
        if name not in answer:
            problems.append(f"missing {name}")
        elif not isinstance(answer[name], kind) or isinstance(answer[name], bool):
            problems.append(f"{name} is not {kind.__name__}")
    for name, kind in OPTIONAL.items():
        if name in answer and not isinstance(answer[name], kind):
            problems.append(f"{name} is not {kind.__name__}")
    if answer.get("version") != "1.0":
        problems.append("version is not 1.0")
    if answer.get("type") not in ("photo", "video", "link", "rich"):
        problems.append(f"unknown type {answer.get('type')!r}")
    if answer.get("type") == "rich" and not (
        answer.get("width", 0) > 0 and answer.get("height", 0) > 0
    ):
        problems.append("a rich answer needs a positive width and height")
    return problems


def iframe_of(code: str):
    """The one <iframe> element of embed code (text)."""
    frames = lxml.html.fragment_fromstring(code, create_parent="div").findall("iframe")
    assert len(frames) == 1, code
    return frames[0]


# --- the "Share / embed" page


def share_page(client, article, number):
    """The share page linked under table `number` of the article page."""
    doc = parse(client.get(article.get_absolute_url()))
    link = doc.get_element_by_id(f"table-{number}").find_class("table-share-link")[0]
    return parse(client.get(link.find("a").get("href")))


@pytest.mark.django_db
def test_each_live_table_links_to_a_share_page_with_link_and_iframe_code(client):
    article = publish(paragraph("Intro"), votes("First"), votes("Second", rows=40))
    url = article.get_absolute_url()
    page = f"{HOST}{url}"
    doc = parse(client.get(url))
    for number, rows in ((1, 3), (2, 40)):
        link = doc.get_element_by_id(f"table-{number}").find_class("table-share-link")
        assert [a.get("href") for a in link[0].findall("a")] == [
            f"{url}table-{number}/share/"
        ]
        assert link[0].text_content() == "Share or embed this table"
        share = share_page(client, article, number)
        heading = "First" if number == 1 else "Second"
        assert share.find(".//h1").text_content() == f"Share or embed “{heading}”"
        back = share.find_class("kicker")[0].find("a")
        assert back.get("href") == f"{url}#table-{number}"
        field = share.get_element_by_id(f"table-{number}-link")
        assert field.get("readonly") is not None
        assert field.get("value") == f"{page}#table-{number}"
        assert f"#table-{number}-row-" in share.text_content()  # how to link a row
        code = share.get_element_by_id(f"table-{number}-embed")
        assert code.tag == "textarea" and code.get("readonly") is not None
        frame = iframe_of(code.text)
        assert frame.get("src") == f"{page}table-{number}/embed/"
        assert frame.get("title") == heading
        assert frame.get("width") == "100%"
        assert frame.get("loading") == "lazy"
        assert frame.get("height") == str(embeds.frame_height(rows))
        assert client.get(frame.get("src")).status_code == 200
        # The page shows the embed as it will look.
        (preview,) = share.xpath("//iframe")
        assert preview.get("src") == frame.get("src")
        assert preview.get("height") == frame.get("height")
        # Copy buttons, shown by the copy script, name their field.
        buttons = share.findall(".//button[@data-copy]")
        assert [b.get("data-copy") for b in buttons] == [
            f"table-{number}-link",
            f"table-{number}-embed",
        ]
        assert all(b.get("hidden") is not None for b in buttons)
        scripts = [s.get("src") for s in share.xpath("//script[@src]")]
        assert scripts == ["/static/js/copy-link.js", "/static/js/embed-preview.js"]
        assert share.xpath("//meta[@name='robots']/@content") == ["noindex"]
        assert share.xpath("//link[@rel='canonical']/@href") == [page]
    assert embeds.frame_height(40) == embeds.frame_height(25) + 120
    # The article page itself carries neither the code nor its script.
    assert doc.xpath("//textarea") == [] and doc.xpath("//iframe") == []
    scripts = [s.get("src") for s in doc.xpath("//script[@src]")]
    assert "/static/js/copy-link.js" not in scripts


@pytest.mark.django_db
def test_a_caption_with_quotes_and_script_is_escaped_in_the_code_and_the_page(
    client,
):
    article = publish(votes(CAPTION))
    response = client.get(f"{article.get_absolute_url()}table-1/share/")
    source = response.content.decode()
    doc = parse(response)
    textarea = doc.get_element_by_id("table-1-embed")
    code = textarea.text
    # In the page, the code is text: escaped once more, nothing of it is markup.
    assert "<script>alert" not in source and '"by"' not in source
    assert [s.get("type") for s in doc.xpath("//script")] == ["module", "module"]
    escaped_title = html.escape(CAPTION, quote=True)
    assert f'title="{escaped_title}"' in code
    assert f"title=&quot;{html.escape(escaped_title, quote=True)}&quot;" in source
    # Pasted into a page, the code is one iframe titled with the caption.
    frame = iframe_of(code)
    assert frame.get("title") == CAPTION
    assert list(frame) == [] and not (frame.text or "").strip()
    assert doc.find(".//h1").text_content() == f"Share or embed “{CAPTION}”"


def test_the_frame_is_named_by_the_caption_else_by_the_article():
    """A table approved without a caption still gives its frame a name."""
    assert embeds.frame_title("  Votes \n by region ", "Night") == "Votes by region"
    assert embeds.frame_title("", 'A "quoted" title') == 'Table from “A "quoted" title”'
    code = embeds.iframe_code("https://x.example/a?b=1&c=2", title='"<', height=300)
    assert 'src="https://x.example/a?b=1&amp;c=2"' in code
    assert 'title="&quot;&lt;"' in code and 'height="300"' in code
    assert not hasattr(code, "__html__")  # text, escaped again by templates


@pytest.mark.django_db
def test_share_links_keep_the_article_page_s_query_count(
    client, django_assert_max_num_queries
):
    for rows in (3, 200):
        article = publish(votes(rows=rows), votes(rows=rows))
        empty_caches()
        with django_assert_max_num_queries(4):
            doc = parse(client.get(article.get_absolute_url()))
        assert len(doc.find_class("table-share-link")) == 2
        with django_assert_max_num_queries(4):
            client.get(f"{article.get_absolute_url()}table-2/share/")


@pytest.mark.django_db
def test_the_share_page_gives_each_host_its_own_addresses(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    article = publish(votes(rows=40))
    url = article.get_absolute_url()
    empty_caches()
    share = f"{url}table-1/share/"
    first = parse(client.get(share)).get_element_by_id("table-1-link").get("value")
    mirror = parse(client.get(share, HTTP_HOST="mirror.example"))
    assert first == f"{HOST}{url}#table-1"
    assert mirror.get_element_by_id("table-1-link").get("value") == (
        f"http://mirror.example{url}#table-1"
    )
    # The cached body's print line too: the body is kept per host.
    for host in ("testserver", "mirror.example"):
        doc = parse(client.get(url, HTTP_HOST=host))
        line = doc.find_class("table-print-all")[0].text_content()
        assert f"http://{host}{url}?t1-page=all#table-1" in line


@pytest.mark.django_db
def test_a_table_that_does_not_exist_has_no_share_page(client):
    article = publish(votes())
    assert client.get(f"{article.get_absolute_url()}table-2/share/").status_code == 404


@pytest.mark.django_db
def test_previews_and_drafts_have_no_share_page(client):
    draft = make_article([{"heading": "", "blocks": [votes()]}])
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"{draft.get_absolute_url()}table-1/share/").status_code == 404
    assert oembed(client, f"{HOST}{draft.get_absolute_url()}").status_code == 404


# --- framing


@pytest.mark.django_db
def test_only_the_embed_page_may_be_framed(client):
    article = publish(votes())
    url = article.get_absolute_url()
    embed = client.get(f"{url}table-1/embed/")
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors" not in embed["Content-Security-Policy"]
    assert "script-src 'self'" in embed["Content-Security-Policy"]
    for other in (url, "/", f"/oembed/?{urlencode({'url': HOST + url})}"):
        response = client.get(other)
        assert response["X-Frame-Options"] == "DENY", other
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_embed_page_loads_its_height_script_from_static_files(client):
    article = publish(votes())
    doc = parse(client.get(f"{article.get_absolute_url()}table-1/embed/"))
    scripts = doc.xpath("//script")
    assert [(s.get("type"), s.get("src")) for s in scripts] == [
        ("module", "/static/js/embed-height.js"),
        ("module", "/static/js/table-scroll.js"),
        ("module", "/static/js/row-links.js"),
    ]
    assert not (scripts[0].text or "").strip()


# --- oEmbed discovery


@pytest.mark.django_db
def test_article_and_embed_pages_name_their_oembed_endpoint(client):
    article = publish(votes("Votes & seats"), title="Election night")
    url = article.get_absolute_url()
    for page, expected_url, title in [
        (url, f"{HOST}{url}", "Election night"),
        (f"{url}table-1/embed/", f"{HOST}{url}table-1/embed/", "Votes & seats"),
    ]:
        links = oembed_links(parse(client.get(page)))
        assert len(links) == 1, page
        href = urlsplit(links[0].get("href"))
        assert f"{href.scheme}://{href.netloc}{href.path}" == f"{HOST}/oembed/"
        assert parse_qs(href.query) == {"url": [expected_url], "format": ["json"]}
        assert links[0].get("title") == title
        assert client.get(links[0].get("href")).status_code == 200


@pytest.mark.django_db
def test_pages_that_are_not_articles_have_no_oembed_link(client):
    publish(votes())
    assert oembed_links(parse(client.get("/"))) == []


@pytest.mark.django_db
def test_an_article_without_tables_loads_no_table_script(client):
    article = publish(paragraph("Only words."))
    doc = parse(client.get(article.get_absolute_url()))
    assert doc.xpath("//script[@src]") == []
    assert len(oembed_links(doc)) == 1


# --- oEmbed answers


@pytest.mark.django_db
def test_oembed_answers_a_table_with_a_valid_rich_response(client):
    article = publish(votes(), votes("Second", rows=10), byline="Ana Reporter")
    url = f"{HOST}{article.get_absolute_url()}"
    response = oembed(client, f"{url}table-2/embed/", format="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"].startswith("public, max-age=")
    answer = response.json()
    assert valid_oembed(answer) == []
    assert answer["type"] == "rich"
    assert answer["title"] == "Second"
    assert answer["author_name"] == "Ana Reporter"
    assert answer["provider_name"] == "Newsroom"
    assert answer["provider_url"] == f"{HOST}/"
    assert answer["cache_age"] == embeds.OEMBED_CACHE_AGE
    assert (answer["width"], answer["height"]) == (640, embeds.frame_height(10))
    frame = iframe_of(answer["html"])
    assert frame.get("src") == f"{url}table-2/embed/"
    assert frame.get("title") == "Second"
    assert (frame.get("width"), frame.get("height")) == ("640", str(answer["height"]))
    # Served from the cache the second time, the same answer.
    assert oembed(client, f"{url}table-2/embed/", format="json").json() == answer


@pytest.mark.django_db
def test_oembed_for_an_article_embeds_its_first_or_anchored_table(client):
    article = publish(paragraph("Intro"), votes("First"), votes("Second"))
    url = f"{HOST}{article.get_absolute_url()}"
    assert oembed(client, url).json()["title"] == "First"
    assert oembed(client, f"{url}?t1-sort=c1").json()["title"] == "First"
    second = oembed(client, f"{url}#table-2").json()
    assert second["title"] == "Second"
    assert iframe_of(second["html"]).get("src") == f"{url}table-2/embed/"
    assert oembed(client, f"{url}#table-3").status_code == 404


@pytest.mark.django_db
def test_oembed_for_an_article_without_tables_is_a_link(client):
    article = publish(paragraph("Only words."), title="Words", byline="")
    answer = oembed(client, f"{HOST}{article.get_absolute_url()}").json()
    assert valid_oembed(answer) == []
    assert answer["type"] == "link"
    assert answer["title"] == "Words"
    assert "html" not in answer and "author_name" not in answer


@pytest.mark.django_db
def test_oembed_honours_maxwidth_and_maxheight(client):
    article = publish(votes(rows=20))
    url = f"{HOST}{article.get_absolute_url()}table-1/embed/"
    answer = oembed(client, url, maxwidth="400", maxheight="300").json()
    assert (answer["width"], answer["height"]) == (400, 300)
    frame = iframe_of(answer["html"])
    assert (frame.get("width"), frame.get("height")) == ("400", "300")
    # Larger bounds change nothing.
    answer = oembed(client, url, maxwidth="2000", maxheight="5000").json()
    assert (answer["width"], answer["height"]) == (640, embeds.frame_height(20))
    for bad in ("0", "-5", "wide", "1.5"):
        assert oembed(client, url, maxwidth=bad).status_code == 400


@pytest.mark.django_db
def test_oembed_is_404_for_drafts_unpublished_and_unknown_addresses(client, moderator):
    article = publish(votes())
    url = f"{HOST}{article.get_absolute_url()}"
    assert oembed(client, url).status_code == 200  # now in the page cache
    draft = make_article([{"heading": "", "blocks": [votes("Secret")]}])
    for unknown in [
        f"{HOST}{draft.get_absolute_url()}",
        f"{HOST}{draft.get_absolute_url()}table-1/embed/",
        f"{url}table-2/embed/",
        f"{url}r1/table-1.csv",
        f"{HOST}/",
        f"{HOST}/world/",
        f"{HOST}/no/such/article/at/all/",
        f"{HOST}/admin/",
    ]:
        response = oembed(client, unknown)
        assert response.status_code == 404, unknown
        assert b"Secret" not in response.content
    workflow.unpublish(article, by=moderator)
    assert oembed(client, url).status_code == 404
    assert oembed(client, f"{url}table-1/embed/").status_code == 404


@pytest.mark.django_db
def test_oembed_refuses_other_hosts_and_answers_json_only(client):
    article = publish(votes())
    path = article.get_absolute_url()
    for other in [
        f"https://elsewhere.example{path}",
        f"http://testserver.elsewhere.example{path}",
        path,  # no host at all
        f"javascript://testserver{path}",
        "",
    ]:
        assert oembed(client, other).status_code == 400, other
    assert client.get("/oembed/").status_code == 400
    assert oembed(client, f"{HOST}{path}", format="xml").status_code == 501
    assert oembed(client, f"https://testserver{path}").status_code == 200


@pytest.mark.django_db
def test_oembed_costs_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    for rows in (3, 300):
        article = publish(votes(rows=rows), votes(rows=rows))
        empty_caches()
        with django_assert_max_num_queries(1):
            response = oembed(client, f"{HOST}{article.get_absolute_url()}#table-2")
        assert response.status_code == 200
