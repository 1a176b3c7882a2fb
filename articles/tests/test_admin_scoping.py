"""Every write made from an article's admin page stays inside that article.

The page's nested forms post the ids of the sections and blocks they edit. An
id that is not one of this article's own (another article's, a deleted one's,
or not an id at all) is refused as a form error, and nothing is written:
neither to the other article nor to this one.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import revisions
from articles.models import Block, Section
from articles.testing.factories import make_article

from .admin_forms import form_data

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


def body_of(article) -> dict:
    """The article's working copy as a snapshot: what any write would change."""
    article.refresh_from_db()
    return revisions.snapshot(article)


@pytest.fixture
def tamper(client, editor, own_draft, published):
    """Post the editor's own change page with `changes` applied to its data.

    Checks that the post was refused at the form and that neither article
    changed; returns the page shown.
    """

    def post(changes: dict):
        client.force_login(editor)
        data = form_data(client.get(change_url(own_draft)))
        data.update(changes)
        before = body_of(own_draft), body_of(published)
        own_revisions = own_draft.revisions.count()

        response = client.post(change_url(own_draft), data)

        assert response.status_code == 200, "the form must refuse the post"
        assert (body_of(own_draft), body_of(published)) == before
        assert own_draft.revisions.count() == own_revisions
        assert published.revisions.count() == 1
        return response.content.decode()

    return post


FOREIGN = "is not part of this article"


@pytest.mark.django_db
def test_a_section_of_another_article_cannot_be_moved_in(tamper, published):
    foreign = published.sections.get(heading="Details")
    page = tamper({"sections-1-id": foreign.pk, "sections-1-heading": "Taken"})
    assert FOREIGN in page


@pytest.mark.django_db
def test_a_section_of_another_article_cannot_be_deleted(tamper, published):
    foreign = published.sections.get(heading="Details")
    page = tamper({"sections-1-id": foreign.pk, "sections-1-DELETE": "on"})
    assert FOREIGN in page
    assert Section.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_a_paragraph_of_another_article_cannot_be_rewritten(tamper, published):
    foreign = blocks_of(published)[0]
    page = tamper(
        {
            "sections-0-blocks-0-id": foreign.pk,
            "sections-0-blocks-0-text": "Rewritten by someone else.",
        }
    )
    assert FOREIGN in page


@pytest.mark.django_db
def test_a_block_of_another_article_cannot_be_deleted(tamper, own_draft, published):
    """The reported attack: an own section's block form carrying a foreign id."""
    foreign = blocks_of(published)[0]
    own_section = own_draft.sections.get(heading="")
    page = tamper(
        {
            "sections-0-blocks-0-id": foreign.pk,
            "sections-0-blocks-0-section": own_section.pk,
            "sections-0-blocks-0-DELETE": "on",
        }
    )
    assert FOREIGN in page
    assert Block.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_the_list_items_of_another_article_cannot_be_replaced(tamper, published):
    foreign_list = blocks_of(published)[1]
    assert foreign_list.kind == Block.Kind.LIST
    page = tamper(
        {
            "sections-1-blocks-0-id": foreign_list.pk,
            "sections-1-blocks-0-items": "Planted item\nAnother",
        }
    )
    assert FOREIGN in page
    assert [item.text for item in foreign_list.items.all()] == ["One", "Two"]


@pytest.mark.django_db
def test_the_table_of_another_article_cannot_be_rewritten(tamper, published):
    """Its caption, columns and rows, all posted through the block's grid."""
    foreign_table = blocks_of(published)[2]
    assert foreign_table.kind == Block.Kind.TABLE
    page = tamper(
        {
            "sections-1-blocks-1-id": foreign_table.pk,
            "sections-1-blocks-1-caption": "Planted caption",
            "sections-1-blocks-1-grid-col-0-label": "Planted column",
            "sections-1-blocks-1-grid-cell-0-0": "planted cell",
        }
    )
    assert FOREIGN in page
    table = Block.objects.get(pk=foreign_table.pk).table
    assert table.caption == "Figures"
    assert [column.label for column in table.columns.all()] == ["Name", "Value"]
    assert [row.cells for row in table.rows.all()] == [["a", "1"], ["b", "2"]]


@pytest.mark.django_db
def test_a_block_cannot_be_turned_into_a_table_of_another_article(tamper, published):
    """Changing the kind of a foreign block would drop its items: refused too."""
    foreign_list = blocks_of(published)[1]
    page = tamper(
        {
            "sections-1-blocks-1-id": foreign_list.pk,
            "sections-1-blocks-1-kind": "paragraph",
            "sections-1-blocks-1-text": "No longer a list.",
        }
    )
    assert FOREIGN in page


@pytest.mark.parametrize("bad_id", ["not-a-number", "", "99999999", "1" * 30])
@pytest.mark.django_db
def test_a_tampered_section_id_is_a_form_error_not_a_crash(tamper, bad_id):
    page = tamper({"sections-1-id": bad_id, "sections-1-heading": "Changed"})
    assert FOREIGN in page


@pytest.mark.parametrize("bad_id", ["not-a-number", "", "99999999", "1" * 30])
@pytest.mark.django_db
def test_a_tampered_block_id_is_a_form_error_not_a_crash(tamper, bad_id):
    page = tamper({"sections-0-blocks-0-id": bad_id})
    assert FOREIGN in page


@pytest.mark.django_db
def test_a_refused_page_shows_again_everything_that_was_typed(tamper, published):
    """Nothing typed is lost: every section and block is shown with its input."""
    page = tamper(
        {
            "sections-0-id": published.sections.get(heading="").pk,
            "sections-0-blocks-0-text": "Typed in the lede.",
            "sections-1-heading": "Typed heading",
            "sections-1-blocks-0-items": "Typed item",
        }
    )
    for typed in ("Typed in the lede.", 'value="Typed heading"', "Typed item"):
        assert typed in page
    assert page.count('name="sections-0-blocks-0-text"') == 1
    assert page.count('name="sections-1-blocks-1-caption"') == 1


@pytest.mark.django_db
def test_a_block_can_still_move_to_another_section_of_the_same_article(
    client, editor, own_draft
):
    """Dragging a block between this article's own sections is not an attack."""
    client.force_login(editor)
    data = form_data(client.get(change_url(own_draft)))
    lede = blocks_of(own_draft)[0]
    # The lede paragraph, posted as the third block of the second section.
    data["sections-0-blocks-TOTAL_FORMS"] = "0"
    data["sections-0-blocks-INITIAL_FORMS"] = "0"
    data["sections-1-blocks-TOTAL_FORMS"] = "3"
    data["sections-1-blocks-INITIAL_FORMS"] = "3"
    moved = {
        "id": lede.pk,
        "section": own_draft.sections.get(heading="Details").pk,
        "kind": "paragraph",
        "text": "The lede, moved.",
        "position": "2",
    }
    data.update({f"sections-1-blocks-2-{key}": value for key, value in moved.items()})
    del data["sections-0-blocks-0-id"]
    # The lede section is now empty: remove it.
    data["sections-0-DELETE"] = "on"

    response = client.post(change_url(own_draft), data)

    assert response.status_code == 302, response.context["errors"]
    snapshot = own_draft.revisions.order_by("-number").first().snapshot
    assert [s["heading"] for s in snapshot["sections"]] == ["Details"]
    blocks = snapshot["sections"][0]["blocks"]
    assert [b["type"] for b in blocks] == ["list", "table", "paragraph"]
    assert blocks[2]["html"] == "The lede, moved."


@pytest.mark.django_db
def test_a_block_can_be_added_while_the_article_is_edited_normally(
    client, editor, own_draft
):
    """The scoping leaves ordinary saves alone: a new paragraph is added."""
    client.force_login(editor)
    data = form_data(client.get(change_url(own_draft)))
    data["sections-0-blocks-TOTAL_FORMS"] = "2"
    data.update(
        {
            "sections-0-blocks-1-kind": "paragraph",
            "sections-0-blocks-1-text": "A second paragraph.",
            "sections-0-blocks-1-position": "1",
        }
    )
    assert client.post(change_url(own_draft), data).status_code == 302
    snapshot = own_draft.revisions.order_by("-number").first().snapshot
    assert [b["html"] for b in snapshot["sections"][0]["blocks"]] == [
        "The lede.",
        "A second paragraph.",
    ]


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
def test_the_table_grid_upload_reads_the_file_and_writes_nothing(
    client, editor, published
):
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
