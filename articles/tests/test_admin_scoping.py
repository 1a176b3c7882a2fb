"""Every write made from an article's admin page stays inside that article.

The page posts the whole body as one JSON tree (`body`, the snapshot's
sections), which names no rows: a section or block that carries "id", "pk"
or "article" (another article's parts, or this one's) is refused as a form
error, and nothing is written, neither to the other article nor to this one.
Only the article in the address is written to, by someone who may edit it
now. A refused body comes back in the editor, so that nothing typed is lost.
"""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import revisions, workflow
from articles.editor import MAX_BODY_BYTES
from articles.models import Article, Block, Section
from articles.testing.bodies import paragraph
from articles.testing.factories import UserFactory, make_article

from .admin_forms import editor_body, editor_config, form_data, with_body

EDITOR_DRAFT = "An editor's draft"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


@pytest.fixture
def own_draft(editor, desk):
    """The editor's draft: a lede paragraph; 'Details' with a list and a table."""
    return make_article(desk=desk, author=editor, title=EDITOR_DRAFT)


@pytest.fixture
def published(desk, other_editor):
    """Someone else's published article, with the same shape of body."""
    return make_article(
        desk=desk, author=other_editor, publish=True, title="Someone else's story"
    )


def blocks_of(article) -> list[Block]:
    return list(
        Block.objects.filter(section__article=article).order_by(
            "section__position", "position"
        )
    )


def rows_of(article) -> list[tuple]:
    """The ids of the article's sections and blocks: a rewrite makes new ones."""
    return list(article.sections.values_list("pk", flat=True).order_by("pk")) + [
        ("block", block.pk) for block in blocks_of(article)
    ]


def body_of(article) -> dict:
    """The article's working copy as a snapshot: what any write would change."""
    article.refresh_from_db()
    return revisions.snapshot(article)


@pytest.fixture
def refused(client, editor, own_draft, published):
    """Post the editor's own change page with `body` (text) as the body.

    Checks that the post was refused at the form and that neither article
    changed, not even by a rewrite to the same content; returns the page.
    """

    def post(body: str, **fields):
        client.force_login(editor)
        data = {**form_data(client.get(change_url(own_draft))), **fields}
        before = [(body_of(a), rows_of(a)) for a in (own_draft, published)]
        own_revisions = own_draft.revisions.count()

        response = client.post(change_url(own_draft), {**data, "body": body})

        assert response.status_code == 200, "the form must refuse the post"
        assert [(body_of(a), rows_of(a)) for a in (own_draft, published)] == before
        assert own_draft.revisions.count() == own_revisions
        assert published.revisions.count() == 1
        assert response.context["adminform"].form.errors["body"]
        return response

    return post


def own_body(client, editor, article) -> list:
    client.force_login(editor)
    return editor_body(client.get(change_url(article)))


def part(sections: list, where: str) -> dict:
    """The section or block of the small body named by `where`."""
    return {
        "section": sections[1],
        "paragraph": sections[0]["blocks"][0],
        "list": sections[1]["blocks"][0],
        "table": sections[1]["blocks"][1],
    }[where]


def rows_named(article, where: str):
    if where == "section":
        return article.sections.get(heading="Details")
    return blocks_of(article)[["paragraph", "list", "table"].index(where)]


@pytest.mark.parametrize("key", ["id", "pk", "article"])
@pytest.mark.parametrize("where", ["section", "paragraph", "list", "table"])
@pytest.mark.parametrize("whose", ["another article's", "this article's"])
@pytest.mark.django_db
def test_a_body_naming_rows_is_refused_whichever_article_they_belong_to(
    client, editor, refused, own_draft, published, key, where, whose
):
    """A tree cannot point at rows: not to take them over, nor to keep them."""
    target = published if whose == "another article's" else own_draft
    sections = own_body(client, editor, own_draft)
    named = target if key == "article" else rows_named(target, where)
    part(sections, where)[key] = named.pk
    part(sections, where).update(
        {
            "section": {"heading": "Taken"},
            "paragraph": {"html": "Rewritten by someone else."},
            "list": {"items": ["Planted item", "Another"]},
            "table": {"caption": "Planted caption", "rows": [["planted", "9"]] * 2},
        }[where]
    )

    response = refused(json.dumps(sections))

    config = editor_config(response)
    [error] = config["errors"]
    assert error["place"]["field"] == key
    assert f"“{key}” does not belong here." in error["message"]
    assert config["sections"] == sections  # shown again as posted
    assert Section.objects.filter(article=published).count() == 2
    assert [item.text for item in blocks_of(published)[1].items.all()] == [
        "One",
        "Two",
    ]


@pytest.mark.django_db
def test_a_refused_page_shows_again_everything_that_was_typed(
    client, editor, refused, own_draft, published
):
    """Nothing typed is lost: the fields, and the body in the editor, as posted."""
    sections = own_body(client, editor, own_draft)
    sections[0]["id"] = published.sections.get(heading="").pk
    sections[0]["blocks"][0]["html"] = "Typed in the lede."
    sections[1]["heading"] = "Typed heading"
    sections[1]["blocks"][0]["items"] = ["Typed item"]

    response = refused(json.dumps(sections), title="Typed title")

    assert 'value="Typed title"' in response.content.decode()
    assert editor_config(response)["sections"] == sections


@pytest.mark.parametrize(
    "posted",
    [
        '{"sections": []}',
        '"not a list"',
        "not JSON at all",
        '[{"heading": NaN, "anchor": "", "blocks": []}]',
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=["an object", "a string", "not JSON", "NaN", "nested too deep"],
)
@pytest.mark.django_db
def test_a_body_that_is_not_a_list_of_sections_is_a_form_error(
    client, editor, refused, own_draft, posted
):
    """The editor posts a list: anything else shows the current body again."""
    current = own_body(client, editor, own_draft)

    config = editor_config(refused(posted))

    [error] = config["errors"]
    assert error["message"] == "The body must be a list of sections."
    assert config["sections"] == current


@pytest.mark.django_db
def test_a_block_of_an_unknown_kind_is_refused_at_its_place(
    client, editor, refused, own_draft
):
    sections = own_body(client, editor, own_draft)
    sections[1]["blocks"].insert(1, {"type": "video", "url": "https://example.org"})

    config = editor_config(refused(json.dumps(sections)))

    [error] = config["errors"]
    assert error["place"] == {"section": 1, "block": 1, "field": "type"}
    assert "“video” is not a kind of block." in error["message"]
    assert config["sections"] == sections


@pytest.mark.django_db
def test_a_body_over_the_size_limit_is_refused_and_shown_again(
    client, editor, refused, own_draft
):
    """It is not read as a body, but what was typed comes back in the editor."""
    sections = own_body(client, editor, own_draft)
    sections[0]["blocks"].append(paragraph("A long paragraph. " * 300_000))
    posted = json.dumps(sections)
    assert len(posted.encode()) > MAX_BODY_BYTES

    config = editor_config(refused(posted))

    [error] = config["errors"]
    assert error["place"] == {}
    assert error["message"] == (
        "The body is too large (5.2 MB): the limit is 5 MB. Nothing was saved."
    )
    assert config["sections"] == sections


@pytest.mark.django_db
def test_staff_who_may_not_edit_cannot_post_a_body(client, own_draft):
    """Someone who may only view articles is refused (403), and nothing changes."""
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["view_article", "view_desk"],
        )
    )
    client.force_login(viewer)
    page = client.get(change_url(own_draft))
    assert page.status_code == 200 and editor_config(page) is None
    sections = [{"heading": "", "anchor": "", "blocks": [paragraph("Planted.")]}]
    before = body_of(own_draft)

    response = client.post(change_url(own_draft), with_body(form_data(page), sections))

    assert response.status_code == 403
    assert body_of(own_draft) == before
    assert own_draft.revisions.count() == 1


@pytest.mark.django_db
def test_a_body_posted_to_a_locked_article_is_only_kept_aside(
    client, editor, other_editor, desk
):
    """An article in review opens read-only; a body posted anyway changes nothing.

    It is kept aside as a revision (the page may have been opened before the
    article was submitted), which the editor can compare and copy from.
    """
    theirs = make_article(desk=desk, author=other_editor, title="In review")
    client.force_login(editor)
    page = client.get(change_url(theirs))
    sections = editor_body(page)
    workflow.submit(theirs, by=other_editor)
    assert editor_config(client.get(change_url(theirs))) is None
    sections[0]["blocks"][0]["html"] = "Rewritten while in review."
    before = body_of(theirs), rows_of(theirs)

    response = client.post(change_url(theirs), with_body(form_data(page), sections))

    assert response.status_code == 302
    assert "/compare/" in response["Location"]
    assert (body_of(theirs), rows_of(theirs)) == before
    theirs.refresh_from_db()
    assert theirs.status == Article.Status.IN_REVIEW
    kept = theirs.revisions.get(conflicted=True)
    assert kept.snapshot["sections"][0]["blocks"][0]["html"] == (
        "Rewritten while in review."
    )


@pytest.mark.django_db
def test_a_valid_body_replaces_the_body_in_one_revision(
    client, editor, own_draft, published
):
    """Blocks move between sections, are added, sections go: one new revision."""
    client.force_login(editor)
    page = client.get(change_url(own_draft))
    lede, details = editor_body(page)
    details["blocks"].append({**lede["blocks"][0], "html": "The lede, moved."})
    details["blocks"].insert(0, paragraph("A new paragraph."))
    others = body_of(published), rows_of(published)

    response = client.post(change_url(own_draft), with_body(form_data(page), [details]))

    assert response.status_code == 302, response.context["errors"]
    assert own_draft.revisions.count() == 2
    snapshot = own_draft.current_revision().snapshot
    assert snapshot["sections"] == [details]
    assert body_of(own_draft)["sections"] == [details]
    assert [b["type"] for b in details["blocks"]] == [
        "paragraph",
        "list",
        "table",
        "paragraph",
    ]
    assert (body_of(published), rows_of(published)) == others


def share_url(article):
    return f"/admin/articles/article/{article.pk}/share/"


@pytest.mark.parametrize("posted", ["foreign", "not-a-number", "", "1" * 30])
@pytest.mark.django_db
def test_a_share_link_is_revoked_only_from_its_own_article(
    client, moderator, own_draft, published, posted
):
    client.force_login(moderator)
    client.post(share_url(published), {"days": 2})
    link = published.preview_links.get()
    revoke = {"foreign": str(link.pk)}.get(posted, posted)

    response = client.post(share_url(own_draft), {"revoke": revoke})

    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


@pytest.mark.django_db
def test_the_table_import_reads_the_file_and_writes_nothing(client, editor, published):
    """The grid's upload endpoint names no article or block: it only reads."""
    foreign_table = blocks_of(published)[2]
    client.force_login(editor)
    upload = SimpleUploadedFile("t.csv", b"Name,Value\nplanted,9\n", "text/csv")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/admin/articles/article/table-import/",
            {"file": upload, "block": foreign_table.pk, "article": published.pk},
        )
    assert response.status_code == 200
    assert response.json()["rows"] == [["planted", "9"]]
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "articles_" in q["sql"]
    ]
    assert writes == []
    assert body_of(published)["sections"][1]["blocks"][1]["rows"] == [
        ["a", "1"],
        ["b", "2"],
    ]
