import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Block, ContentTable
from articles.testing.bodies import bullets, paragraph, table
from articles.testing.factories import large_body, make_article

from .admin_forms import (
    editor_body,
    editor_config,
    form_data,
    new_article_data,
    with_body,
)

ADD_URL = "/admin/articles/article/add/"

FULL_BODY = [
    {
        "heading": "",
        "blocks": [
            paragraph(
                'A <b>bold</b> lede with a <a href="https://example.org">link</a>.'
            )
        ],
    },
    {
        "heading": "The figures",
        "blocks": [
            bullets("First point", "Second point", "Third point"),
            table(
                "Results by region",
                [
                    "Region",
                    {"label": "Votes", "kind": "number"},
                    {"label": "Share", "kind": "percent"},
                ],
                [
                    ["North", "1200", "40"],
                    ["South", "900", "30"],
                    ["East", "900", "30"],
                ],
                source_note="Electoral commission",
            ),
        ],
    },
]


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def review_url(article):
    return f"/admin/articles/article/{article.pk}/review/"


def approve_in_review_screen(client, article):
    """What a moderator does: open the review screen, approve what it shows."""
    page = client.get(review_url(article))
    assert page.status_code == 200
    return client.post(
        review_url(article), {**form_data(page, "decision-form"), "decision": "approve"}
    )


@pytest.mark.django_db
def test_editor_creates_a_full_article_and_a_moderator_publishes_it(
    client, editor, moderator, desk
):
    client.force_login(editor)
    data = new_article_data(
        desk=desk,
        sections=FULL_BODY,
        title="Election results",
        slug="election-results",
        byline="Ana Author",
    )
    response = client.post(ADD_URL, {**data, "_submit": "Save and submit for review"})
    assert response.status_code == 302, response.context["errors"]

    article = Article.objects.get(slug="election-results")
    assert article.status == Article.Status.IN_REVIEW
    assert article.created_by == article.submitted_by == editor
    assert client.get("/world/election-results/").status_code == 404
    revision = article.revisions.get()
    assert revision.author == editor
    sections = revision.snapshot["sections"]
    assert [s["heading"] for s in sections] == ["", "The figures"]
    assert sections[1]["blocks"][0]["items"] == [
        "First point",
        "Second point",
        "Third point",
    ]
    stored_table = sections[1]["blocks"][1]
    assert [c["label"] for c in stored_table["columns"]] == ["Region", "Votes", "Share"]
    assert stored_table["rows"][2] == ["East", "900", "30"]

    client.force_login(moderator)
    assert approve_in_review_screen(client, article).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.live_revision == revision

    client.logout()
    html = client.get("/world/election-results/").content.decode()
    assert "Election results" in html
    assert 'A <b>bold</b> lede with a <a href="https://example.org"' in html
    assert "<caption" in html and "Results by region" in html
    assert "<li>Third point</li>" in html


@pytest.mark.django_db
def test_editor_cannot_approve_even_by_posting_directly(client, editor, desk):
    article = make_article(desk=desk, author=editor)
    client.force_login(editor)
    client.post(f"/admin/articles/article/{article.pk}/submit/")
    assert client.get(review_url(article)).status_code == 403
    response = client.post(
        review_url(article), {"decision": "approve", "reviewed_revision": 1}
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.live_revision is None


@pytest.mark.django_db
def test_invalid_table_is_refused_with_the_input_kept(client, editor, desk):
    body = [
        {
            "heading": "Data",
            "blocks": [
                table(
                    "Bad table",
                    ["Region", "region"],
                    [["North", "typed value 1"], ["South", "typed value 2"]],
                )
            ],
        }
    ]
    client.force_login(editor)
    response = client.post(
        ADD_URL,
        new_article_data(desk=desk, sections=body, title="Kept title", slug="kept"),
    )
    assert response.status_code == 200
    assert "Kept title" in response.content.decode()
    config = editor_config(response)
    # The editor opens again on the body as it was typed, with the problem.
    assert config["sections"] == [{"anchor": "", **section} for section in body]
    [error] = config["errors"]
    assert error["place"] == {"section": 0, "block": 0, "column": 1}
    assert "Columns 1 and 2 are both labelled “region”" in error["message"]
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_list_without_items_is_refused(client, editor, desk):
    body = [{"heading": "", "blocks": [bullets()]}]
    client.force_login(editor)
    response = client.post(
        ADD_URL, new_article_data(desk=desk, sections=body, title="T", slug="t")
    )
    assert response.status_code == 200
    [error] = editor_config(response)["errors"]
    assert "A list needs at least one item." in error["message"]
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_edits_to_a_published_article_wait_for_the_next_approval(
    client, editor, moderator, desk
):
    article = make_article(desk=desk, publish=True, title="Before")
    public_url = article.get_absolute_url()

    client.force_login(editor)
    page = client.get(change_url(article))
    body = editor_body(page)
    body[0]["blocks"][0]["html"] = "A corrected lede."
    data = {**with_body(form_data(page), body), "title": "After"}
    assert (
        client.post(
            change_url(article), {**data, "_submit": "Save and submit"}
        ).status_code
        == 302
    )
    article.refresh_from_db()
    assert article.revisions.count() == 2
    assert article.status == Article.Status.IN_REVIEW
    assert article.live_revision.number == 1

    client.logout()
    html = client.get(public_url).content.decode()
    assert "Before" in html and "The lede." in html
    assert "After" not in html and "corrected" not in html

    client.force_login(moderator)
    approve_in_review_screen(client, article)
    client.logout()
    html = client.get(public_url).content.decode()
    assert "After" in html and "A corrected lede." in html


@pytest.mark.django_db
def test_saving_without_changes_adds_no_revision(client, editor, desk):
    article = make_article(desk=desk)
    client.force_login(editor)
    page = client.get(change_url(article))
    # As the editor posts it: the body it opened with, unchanged.
    client.post(change_url(article), with_body(form_data(page), editor_body(page)))
    assert article.revisions.count() == 1


@pytest.mark.django_db
def test_a_form_posted_without_a_body_leaves_the_body_as_it_is(client, editor, desk):
    """Without JavaScript the form still saves the article's own fields."""
    article = make_article(desk=desk)
    before = article.current_revision().snapshot["sections"]
    client.force_login(editor)
    data = {**form_data(client.get(change_url(article))), "title": "Renamed"}
    assert data["body"] == ""
    assert client.post(change_url(article), data).status_code == 302
    current = article.current_revision()
    assert (current.number, current.title) == (2, "Renamed")
    assert current.snapshot["sections"] == before


@pytest.mark.django_db
def test_the_form_holds_the_body_field_the_editor_fills(client, editor, desk):
    """The editor writes the body into the form's hidden `body` when it is sent."""
    article = make_article(desk=desk)
    client.force_login(editor)
    page = client.get(change_url(article))
    doc = lxml.html.fromstring(page.content)
    (field,) = doc.get_element_by_id("article_form").xpath(".//input[@name='body']")
    assert (field.get("type"), field.get("value")) == ("hidden", None)
    assert editor_body(page) == article.current_revision().snapshot["sections"]


@pytest.mark.django_db
def test_sections_and_blocks_are_saved_in_the_posted_order(client, editor, desk):
    article = make_article(desk=desk)
    client.force_login(editor)
    page = client.get(change_url(article))
    lede, details = editor_body(page)
    details["blocks"].reverse()
    response = client.post(
        change_url(article), with_body(form_data(page), [details, lede])
    )
    assert response.status_code == 302
    snapshot = article.revisions.order_by("-number").first().snapshot
    assert [s["heading"] for s in snapshot["sections"]] == ["Details", ""]
    assert [b["type"] for b in snapshot["sections"][0]["blocks"]] == ["table", "list"]


@pytest.mark.django_db
def test_changing_a_block_kind_drops_its_old_content(client, editor, desk):
    article = make_article(desk=desk)
    client.force_login(editor)
    page = client.get(change_url(article))
    body = editor_body(page)
    body[1]["blocks"][1] = paragraph("The table became a sentence.")
    response = client.post(change_url(article), with_body(form_data(page), body))
    assert response.status_code == 302
    block = Block.objects.get(section__article=article, text__startswith="The table")
    assert block.kind == Block.Kind.PARAGRAPH
    assert not ContentTable.objects.filter(block__section__article=article).exists()


@pytest.mark.django_db
def test_published_address_cannot_change(client, superuser, desk):
    """Links to a published article keep working: its desk and slug are fixed."""
    article = make_article(desk=desk, publish=True, slug="fixed-address")
    client.force_login(superuser)
    data = form_data(client.get(change_url(article)))
    data["slug"] = "moved"
    client.post(change_url(article), data)
    article.refresh_from_db()
    assert article.slug == "fixed-address"


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def queries_to_open_and_save(client, article, caption) -> tuple[int, int]:
    """Open the article's page, change a table's caption and a cell, save it."""
    with CaptureQueriesContext(connection) as opening:
        page = client.get(change_url(article))
    body = editor_body(page)
    changed = body[3]["blocks"][4]
    changed["caption"] = caption
    changed["rows"][4][7] = f"cell of {caption}"
    data = with_body(form_data(page), body)
    with CaptureQueriesContext(connection) as saving:
        assert client.post(change_url(article), data).status_code == 302
    table = article.revisions.order_by("-number").first().snapshot
    table = table["sections"][3]["blocks"][4]
    assert (table["caption"], table["rows"][4][7]) == (caption, f"cell of {caption}")
    return len(opening), len(saving)


@pytest.mark.slow
@pytest.mark.django_db
def test_editor_queries_do_not_grow_with_table_size(client, editor, desk):
    """Opening and saving cost the same for tables of 5 rows and of 30 rows."""
    client.force_login(editor)
    small = make_article(large_body(rows=5), desk=desk, title="Small tables")
    large = make_article(large_body(rows=30), desk=desk, title="Large tables")
    # The first page opened also looks up the article's content type, which
    # is then cached: each article is opened and saved once first, so that
    # both are measured alike.
    for article in (small, large):
        queries_to_open_and_save(client, article, "A renamed table")
    assert queries_to_open_and_save(client, small, "Renamed again") == (
        queries_to_open_and_save(client, large, "Renamed again")
    )


@pytest.mark.django_db
def test_save_and_submit_sends_the_note_for_the_moderator(client, editor, desk):
    """The note typed beside "Save and submit for review" goes with the submission."""
    article = make_article(desk=desk, author=editor)
    client.force_login(editor)
    page = client.get(change_url(article))
    doc = lxml.html.fromstring(page.content.decode())
    (box,) = doc.xpath("//form[@id='article_form']//*[@id='nr-submit']")
    label = box.xpath(".//label[@for='id_submit-comment']")[0].text_content()
    assert label.strip() == "Note for the moderator (optional):"
    assert box.xpath(".//textarea[@name='submit-comment']")
    assert box.xpath(".//input[@type='submit'][@name='_submit']")
    # "Submit for review" at the top leads to it: one page, not two.
    (link,) = doc.xpath("//ul[@class='object-tools']//a[.='Submit for review']")
    assert link.get("href") == "#nr-submit"

    data = {**form_data(page), "_submit": "1", "submit-comment": "  Figures checked. "}
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.transitions.first().comment == "Figures checked."


@pytest.mark.django_db
def test_a_refused_save_and_submit_keeps_the_note(client, editor, desk):
    article = make_article(desk=desk, author=editor)
    client.force_login(editor)
    page = client.get(change_url(article))
    data = {**form_data(page), "title": "", "_submit": "1", "submit-comment": "Mine"}
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    assert doc.xpath("//textarea[@name='submit-comment']")[0].text.strip() == "Mine"
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_the_submit_screen_still_works_without_the_article_page(client, editor):
    """The confirm page stays, for links from elsewhere and pages without scripts."""
    article = make_article(author=editor)
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/submit/"
    assert client.get(url).status_code == 200
    client.post(url, {"comment": "Ready"})
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
