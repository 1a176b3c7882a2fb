"""Hostile input and requests: script payloads, missing CSRF tokens, guessed links."""

import re

import lxml.html
import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from articles import services, workflow
from articles.importing.load import import_document
from articles.models import PreviewLink
from articles.testing.bodies import bullets, paragraph, table
from articles.testing.factories import make_article

from .admin_forms import editor_body, form_data, with_body

VECTORS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '<svg onload="alert(3)">',
    '<a href="javascript:alert(4)">link</a>',
    '"><iframe src="javascript:alert(5)">',
    "<style>body{display:none}</style>",
    '<body onload="alert(6)">',
    '<math><mi xlink:href="javascript:alert(7)">x</mi></math>',
    "{{ request }} {% now 'Y' %}",
]
PAYLOAD = " ".join(VECTORS)
SHORT = " ".join(VECTORS[:4])  # for fields of 200 characters


def assert_inert(html: str) -> None:
    """No script runs from this page: no executable elements, handlers or js: URLs."""
    doc = lxml.html.fromstring(html)
    scripts = doc.xpath("//script[not(@type) or @type='text/javascript']")
    assert not [s for s in scripts if not s.get("src")], "an inline script got through"
    assert doc.xpath("//img|//svg|//iframe|//math|//style") == []
    assert doc.xpath("//@*[starts-with(name(), 'on')]") == []
    for link in doc.xpath("//@href|//@src|//@action"):
        assert not link.strip().lower().startswith("javascript:"), link


def hostile_body() -> list[dict]:
    return [
        {
            "heading": f"Heading {SHORT}",
            "blocks": [
                paragraph(f"Paragraph {PAYLOAD}"),
                bullets(f"Item {PAYLOAD}", "Plain item"),
                table(
                    f"Caption {SHORT}",
                    [
                        f"Label {VECTORS[1]}",
                        {
                            "label": "Unit col",
                            "kind": "number",
                            "unit": "<b onclick=x>u",
                        },
                    ],
                    [[f"Cell {PAYLOAD}", "12"]],
                    source_note=f"Source {SHORT}",
                    source_url="javascript:alert(8)",
                ),
            ],
        }
    ]


@pytest.mark.django_db
def test_every_editor_writable_field_renders_inert_everywhere(client, editor):
    article = make_article(
        hostile_body(),
        publish=True,
        title=f"Title {SHORT}",
        slug="hostile",
        standfirst=f"Standfirst {PAYLOAD}",
        byline=f"Byline {SHORT}",
        source_credit=f"Credit {SHORT}",
    )
    pages = [
        article.get_absolute_url(),
        article.get_absolute_url() + "?t1-sort=-c1",
        "/",
        f"/{article.desk.slug}/",
        f"{article.get_absolute_url()}table-1/embed/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
    # Template syntax in content is text, never evaluated.
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content.decode())
    assert "{{ request }} {% now 'Y' %}" in page.text_content()
    client.force_login(editor)
    for path in (
        "change/",
        "revisions/",
        "revisions/1/",
        "revisions/compare/?from=1&to=1",
    ):
        response = client.get(f"/admin/articles/article/{article.pk}/{path}")
        assert response.status_code == 200, path
        # The admin's own scripts are external files; nothing of the content runs.
        assert "<script>alert" not in response.content.decode()
        assert 'onerror="alert' not in response.content.decode()


@pytest.mark.django_db
def test_a_long_tables_filter_and_pages_echo_the_address_inertly(client):
    """The filter box, its hidden fields and the page links repeat the query string."""
    rows = [[f"Row {n} {VECTORS[0]}", str(n)] for n in range(1, 61)]
    article = make_article(
        [
            {
                "heading": "",
                "blocks": [
                    table(f"Caption {SHORT}", ["A", "B"], rows, source_note="S")
                ],
            }
        ],
        publish=True,
    )
    query = (
        "t1-q="
        + "%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E"
        + "&t1-sort=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E"
        + "&other=%22%20onfocus%3D%22alert(3)"
    )
    for url in (
        f"{article.get_absolute_url()}?{query}",
        f"{article.get_absolute_url()}?t1-q=row",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert_inert(response.content.decode())
    doc = lxml.html.fromstring(
        client.get(f"{article.get_absolute_url()}?{query}").content
    )
    (field,) = doc.xpath("//form[@class='table-filter']//input[@type='search']")
    assert field.get("value") == '"><script>alert(1)</script>'  # shown back as text
    hidden = {
        i.get("name"): i.get("value") for i in doc.xpath("//input[@type='hidden']")
    }
    assert hidden["other"] == '" onfocus="alert(3)'


@pytest.mark.django_db
def test_the_table_template_escapes_hostile_cells_labels_and_parameters(client):
    """Whatever a table shows, and every parameter its links echo, stays text."""
    label = f"Label {VECTORS[4]}"
    rows = [[f"Cell {n} {VECTORS[n % 4]}", str(n), "x"] for n in range(1, 61)]
    article = make_article(
        [
            {
                "heading": "",
                "blocks": [
                    table(
                        f"Caption {SHORT}",
                        [
                            label,
                            {"label": "N", "kind": "number", "unit": '"><b>u'},
                            {"label": "Plain", "kind": "text"},
                        ],
                        rows,
                        source_note=f"Source {VECTORS[1]}",
                        source_url='https://example.org/"><script>alert(11)</script>',
                    )
                ],
            }
        ],
        publish=True,
    )
    url = article.get_absolute_url()
    hostile = "%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E"
    queries = [
        "",
        f"t1-sort={hostile}",
        f"t1-sort=-c1&t1-q={hostile}",
        f"t1-q=cell&t1-page={hostile}",
        f"t1-page=2&t1-sort=c0&{hostile}={hostile}",
    ]
    for query in queries:
        for page in (url, f"{url}table-1/embed/"):
            response = client.get(f"{page}?{query}")
            assert response.status_code == 200, (page, query)
            html = response.content.decode()
            assert_inert(html)
            assert "<script>alert" not in html and "<b>u" not in html
            doc = lxml.html.fromstring(html)
            figure = doc.get_element_by_id("table-1")
            assert figure.find(".//caption").text_content() == f"Caption {SHORT}"
            headers = figure.findall(".//thead/tr/th")
            assert headers[0].text_content() == label
            assert headers[1].find(".//span").text == '("><b>u)'
            assert f"Source {VECTORS[1]}" in figure.find("figcaption").text_content()
            source = figure.find("figcaption").find("a").get("href")
            assert source == 'https://example.org/"><script>alert(11)</script>'
            # Every link made from the address keeps the hostile text encoded.
            made = ".//a[not(ancestor::figcaption)]/@href|.//form/@action"
            for link in figure.xpath(made):
                assert "<" not in link and '"' not in link and " " not in link, link
    doc = lxml.html.fromstring(client.get(f"{url}?t1-q={hostile}&{hostile}=1").content)
    (field,) = doc.xpath("//form[@class='table-filter']//input[@type='search']")
    assert field.get("value") == '"><script>alert(1)</script>'
    hidden = [i.get("name") for i in doc.xpath("//input[@type='hidden']")]
    assert hidden == ['"><script>alert(1)</script>']
    status = doc.find_class("table-status")[0].text_content()
    assert '“"><script>alert(1)</script>”' in status
    # No row contains it; the table is sent once (no print copy of the rows).
    (tbody,) = doc.get_element_by_id("table-1").findall(".//tbody")
    assert tbody.text_content().strip() == "No rows match."


@pytest.mark.django_db
def test_imported_documents_come_out_inert(client, editor, desk):
    html = (
        f"<html><body><article><h1>Imported {VECTORS[0]}</h1>"
        f"<p onclick='alert(9)'>Text {PAYLOAD}</p>"
        f"<table><tr><th>A</th><th>B {VECTORS[1]}</th></tr>"
        f"<tr><td><a href='javascript:alert(10)'>x</a></td><td>{VECTORS[2]}</td></tr>"
        "</table></article></body></html>"
    )
    article = import_document(html, name="hostile.html", desk=desk, by=editor).article
    workflow.submit(article, by=editor)
    moderator = editor.__class__.objects.create_superuser("boss", "b@example.org", "x")
    workflow.approve(article, by=moderator, override_reason="test")
    assert_inert(client.get(article.get_absolute_url()).content.decode())
    client.force_login(editor)
    source_page = client.get(f"/admin/articles/article/{article.pk}/source/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source_page.content.decode()


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused(editor, moderator):
    article = make_article(author=editor)
    workflow.submit(article, by=editor)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    base = f"/admin/articles/article/{article.pk}"
    posts = {
        f"{base}/review/": {"decision": "approve", "reviewed_revision": 1},
        f"{base}/withdraw/": {},
        f"{base}/share/": {"days": 3},
        f"{base}/revisions/1/restore/": {},
        f"{base}/delete/": {"post": "yes"},
        "/admin/articles/article/import/": {"text": "# x", "format": "auto"},
        "/admin/articles/article/table-import/": {},
        "/admin/articles/article/add/": {"title": "x"},
        "/admin/logout/": {},
    }
    for url, data in posts.items():
        assert strict.post(url, data).status_code == 403, url
    article.refresh_from_db()
    assert article.status == "in_review" and not PreviewLink.objects.exists()


@pytest.mark.django_db
def test_share_links_cannot_be_guessed_or_used_after_revocation(client, editor):
    article = make_article(author=editor)
    link = PreviewLink.objects.create(
        article=article,
        revision=article.current_revision(),
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    assert client.get(f"/preview/{link.token}/").status_code == 200
    forged = re.sub(r":[^:]+$", ":AAAAAAAAAAAAAAAAAAAAAAAAAAA", link.token)
    for guess in (str(link.pk), f"{link.pk}:", forged, link.token[:-1] + "x"):
        assert client.get(f"/preview/{guess}/").status_code == 404, guess
    # Pointing the token at another link breaks its signature.
    other = PreviewLink.objects.create(
        article=make_article(author=editor, title="Other"),
        revision=link.revision,
        expires_at=link.expires_at,
    )
    payload = signing.b64_encode(str(other.pk).encode()).decode()
    forged_other = f"{payload}:{link.token.split(':', 1)[1]}"
    assert client.get(f"/preview/{forged_other}/").status_code == 404
    assert client.get(f"/preview/{other.token}/").status_code == 200
    link.revoked_at = timezone.now()
    link.save()
    assert client.get(f"/preview/{link.token}/").status_code == 404


@pytest.mark.django_db
def test_staff_urls_send_anonymous_visitors_to_log_in(client):
    article = make_article()
    base = f"/admin/articles/article/{article.pk}"
    for url in [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        f"{base}/change/",
        f"{base}/review/",
        f"{base}/revisions/",
        f"{base}/revisions/1/",
        f"{base}/share/",
        f"{base}/source/",
        "/admin/articles/article/queue/",
        "/admin/articles/article/dashboard/",
        "/admin/articles/article/import/",
        "/admin/articles/article/table-import/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


@pytest.mark.django_db
def test_admin_form_input_is_stored_sanitised(client, editor):
    article = make_article(author=editor)
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{article.pk}/change/")
    body = editor_body(page)
    body[0]["blocks"][0]["html"] = f"Fine <b>bold</b> {PAYLOAD}"
    body[1]["blocks"][0]["items"][0] = f"Item <i>one</i> {PAYLOAD}"
    body[1]["blocks"][1]["rows"][0][0] = f"Cell {PAYLOAD}"
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        with_body(form_data(page), body),
    )
    assert response.status_code == 302
    sections = article.current_revision().snapshot["sections"]
    stored = sections[0]["blocks"][0]["html"]
    assert "<b>bold</b>" in stored
    item, cell = sections[1]["blocks"][0]["items"][0], sections[1]["blocks"][1]
    assert "<i>one</i>" in item
    for text in (stored, item, cell["rows"][0][0]):
        assert (
            "<script" not in text
            and "onerror" not in text
            and "javascript:" not in text
        )


@pytest.mark.django_db
def test_a_restored_hostile_snapshot_is_sanitised_again(editor):
    article = make_article(author=editor)
    services.replace_body(
        article,
        [
            {
                "heading": "",
                "blocks": [{"type": "paragraph", "html": f"Restored {VECTORS[1]}"}],
            }
        ],
    )
    stored = article.sections.get().blocks.get().text
    assert "onerror" not in stored and "<img" not in stored
