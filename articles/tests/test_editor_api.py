"""The document editor's server side: body checks, working copies, preview, paste."""

import copy
import json

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import snapshot, workflow
from articles.editor import (
    MAX_BLOCKS,
    MAX_BODY_BYTES,
    MAX_SECTIONS,
    MAX_TEXT,
    BodyInvalid,
    parse_article,
    parse_body,
)
from articles.editor.body import MAX_ERRORS
from articles.models import WorkingCopy
from articles.testing.bodies import bullets, paragraph, table
from articles.testing.factories import UserFactory, large_body, make_article

from .test_production import csp


def figures(*rows, kind="number"):
    """A table of regions and a column of `kind`, every key given."""
    return table(
        "Votes by region",
        ["Region", {"label": "Votes", "kind": kind}],
        rows or [["North", "1,200"], ["South", "900"]],
        source_note="Electoral commission",
    )


def body(*blocks, heading="Results"):
    return [snapshot.section(heading, blocks or [paragraph("Text.")])]


def document(sections=None, **fields):
    return {
        "base_revision": 3,
        "title": "Turnout rises",
        "standfirst": "",
        "byline": "A. Reporter",
        "source_credit": "",
        "sections": body() if sections is None else sections,
        **fields,
    }


def refusals(data, parse=parse_body) -> list[dict]:
    with pytest.raises(BodyInvalid) as refused:
        parse(data)
    return refused.value.errors


def places(data, parse=parse_body) -> list[dict]:
    return [error["place"] for error in refusals(data, parse)]


# --- parse_body: what it accepts


def test_every_kind_of_block_is_accepted_and_comes_back_as_a_revision_holds_it():
    """Paragraphs, lists and tables pass; texts are cleaned and anchors made."""
    old_table = figures()
    for key in ("source_url", "source_retrieved", "row_headers"):
        del old_table[key]
    sections = [
        snapshot.section(
            "",
            [
                paragraph("Turnout <b>rose</b><script>x()</script>."),
                bullets("North", "<i>South</i>", ordered=True),
            ],
        ),
        snapshot.section("Results", [figures(), old_table], anchor="the-results"),
        snapshot.section("Results", [paragraph("Again.")]),
    ]
    parsed = parse_body(sections)
    assert [section["anchor"] for section in parsed] == [
        "section",
        "the-results",
        "results",
    ]
    assert parsed[0]["blocks"] == [
        paragraph("Turnout <b>rose</b>."),
        bullets("North", "<i>South</i>", ordered=True),
    ]
    assert parsed[1]["blocks"] == [figures(), figures()]


def test_a_made_anchor_never_takes_one_posted_further_on():
    sections = [
        snapshot.section("Results", [paragraph("One.")]),
        snapshot.section("Other", [paragraph("Two.")], anchor="results"),
    ]
    assert [s["anchor"] for s in parse_body(sections)] == ["results-2", "results"]


# --- parse_body: what it refuses, and where


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (lambda s: s[0].update(heading=5), {"section": 0, "field": "heading"}),
        (lambda s: s[0].update(blocks={}), {"section": 0, "field": "blocks"}),
        (
            lambda s: s[0]["blocks"][0].update(html=["Text"]),
            {"section": 0, "block": 0, "field": "html"},
        ),
        (
            lambda s: s[0]["blocks"][1].update(ordered="yes"),
            {"section": 0, "block": 1, "field": "ordered"},
        ),
        (
            lambda s: s[0]["blocks"][1].update(items="North"),
            {"section": 0, "block": 1, "field": "items"},
        ),
        (
            lambda s: s[0]["blocks"][1]["items"].append(7),
            {"section": 0, "block": 1, "item": 2},
        ),
        (
            lambda s: s[0]["blocks"][2].update(caption=None),
            {"section": 0, "block": 2, "field": "caption"},
        ),
        (
            lambda s: s[0]["blocks"][2].update(row_headers=1),
            {"section": 0, "block": 2, "field": "row_headers"},
        ),
        (
            lambda s: s[0]["blocks"][2].update(source_retrieved="last May"),
            {"section": 0, "block": 2, "field": "source_retrieved"},
        ),
        (
            lambda s: s[0]["blocks"][2]["columns"][1].update(decimals="1"),
            {"section": 0, "block": 2, "column": 1, "field": "decimals"},
        ),
        (
            lambda s: s[0]["blocks"][2]["columns"][1].update(decimals=True),
            {"section": 0, "block": 2, "column": 1, "field": "decimals"},
        ),
        (
            lambda s: s[0]["blocks"][2]["columns"][1].update(kind="money"),
            {"section": 0, "block": 2, "column": 1, "field": "kind"},
        ),
        (
            lambda s: s[0]["blocks"][2]["columns"][0].update(align="middle"),
            {"section": 0, "block": 2, "column": 0, "field": "align"},
        ),
        (
            lambda s: s[0]["blocks"][2]["rows"][1].__setitem__(1, 900),
            {"section": 0, "block": 2, "row": 1, "column": 1},
        ),
        (
            lambda s: s[0]["blocks"][2]["rows"].__setitem__(0, "North,1200"),
            {"section": 0, "block": 2, "row": 0},
        ),
        (lambda s: s.append("Section"), {"section": 1}),
        (lambda s: s[0]["blocks"].append([]), {"section": 0, "block": 3}),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_at_its_place(change, place):
    sections = body(paragraph("Text."), bullets("North", "South"), figures())
    change(sections)
    assert places(sections) == [place]


def test_a_list_without_items_is_refused():
    errors = refusals(body(paragraph("Text."), bullets()))
    assert errors == [
        {
            "place": {"section": 0, "block": 1},
            "message": "Section 1, block 2: A list needs at least one item.",
        }
    ]


def test_an_unknown_kind_of_block_is_refused():
    errors = refusals(body(paragraph("Text."), {"type": "video", "url": "x"}))
    assert errors == [
        {
            "place": {"section": 0, "block": 1, "field": "type"},
            "message": "Section 1, block 2: “video” is not a kind of block.",
        }
    ]


def test_ids_of_rows_are_refused_whichever_article_they_belong_to():
    """A tree naming rows ("id", "pk", "article") is refused: keys are the schema's."""
    sections = body(paragraph("Text."), figures())
    sections[0]["id"] = 41
    sections[0]["blocks"][0]["id"] = 5
    sections[0]["blocks"][1]["columns"][0]["pk"] = 9
    assert refusals(sections) == [
        {
            "place": {"section": 0, "field": "id"},
            "message": "Section 1: “id” does not belong here.",
        },
        {
            "place": {"section": 0, "block": 0, "field": "id"},
            "message": "Section 1, block 1: “id” does not belong here.",
        },
        {
            "place": {"section": 0, "block": 1, "column": 0, "field": "pk"},
            "message": "Section 1, block 2, column 1: “pk” does not belong here.",
        },
    ]


def test_a_missing_key_is_refused_but_a_table_may_leave_out_its_newer_settings():
    sections = body(figures())
    del sections[0]["anchor"]
    del sections[0]["blocks"][0]["source_note"]
    del sections[0]["blocks"][0]["row_headers"]
    assert places(sections) == [
        {"section": 0, "field": "anchor"},
        {"section": 0, "block": 0, "field": "source_note"},
    ]


def test_too_many_sections_are_refused_before_anything_else_is_read():
    sections = [snapshot.section("", [{"type": "?"}])] * (MAX_SECTIONS + 1)
    assert refusals(sections) == [
        {"place": {}, "message": "The article has 501 sections; the limit is 500."}
    ]


def test_too_many_blocks_are_refused():
    sections = [
        snapshot.section(f"Part {n}", [paragraph("Text.")] * 500) for n in range(4)
    ]
    assert parse_body(sections)
    sections[0]["blocks"].append(paragraph("One too many."))
    assert refusals(sections) == [
        {
            "place": {},
            "message": f"The article has 2,001 blocks; the limit is {MAX_BLOCKS:,}.",
        }
    ]


def test_an_over_long_text_is_refused_where_it_is():
    long = "a" * (MAX_TEXT + 1)
    sections = body(paragraph(long), figures(["North", "1"], [long, "2"]))
    assert refusals(sections) == [
        {
            "place": {"section": 0, "block": 0, "field": "html"},
            "message": "Section 1, block 1, text: this text is 20,001 characters "
            "long; the limit is 20,000.",
        },
        {
            "place": {"section": 0, "block": 1, "row": 1, "column": 0},
            "message": "Section 1, block 2, row 2, column 1: this text is 20,001 "
            "characters long; the limit is 20,000.",
        },
    ]


def test_settings_longer_than_their_field_are_refused():
    sections = body(figures())
    sections[0]["heading"] = "h" * 301
    sections[0]["blocks"][0]["columns"][0]["label"] = "l" * 121
    assert places(sections) == [
        {"section": 0, "field": "heading"},
        {"section": 0, "block": 0, "column": 0, "field": "label"},
    ]


def test_a_word_in_a_number_column_is_refused_at_its_cell():
    errors = refusals(body(paragraph("Text."), figures(["North", "abc"])))
    assert errors == [
        {
            "place": {"section": 0, "block": 1, "row": 0, "column": 1},
            "message": "Section 1, block 2: Row 1, “Votes”: “abc” is not a number.",
        }
    ]


def test_duplicate_anchors_are_refused():
    sections = body() + body()
    sections[0]["anchor"] = sections[1]["anchor"] = "results"
    assert places(sections) == [{"section": 1, "field": "anchor"}]


def test_every_error_comes_back_at_once_in_the_order_of_the_document():
    sections = body(paragraph(" "), figures(["North", "many"], ["South"])) + body(
        {"type": "list", "ordered": False, "items": [], "id": 3}, heading=7
    )
    sections[0]["blocks"][1]["columns"][1]["unit"] = "u" * 21
    assert places(sections) == [
        {"section": 0, "block": 0},
        {"section": 0, "block": 1, "column": 1},
        {"section": 0, "block": 1, "row": 0, "column": 1},
        {"section": 0, "block": 1, "row": 1},
        {"section": 1, "field": "heading"},
        {"section": 1, "block": 0, "field": "id"},
    ]


def test_a_flood_of_errors_is_cut_short_and_counted():
    sections = body(figures(*[["Region", "many"]] * 300))
    errors = refusals(sections)
    assert len(errors) == MAX_ERRORS + 1
    assert errors[-1] == {"place": {}, "message": "… and 100 more problems."}


def test_a_body_that_is_not_a_list_is_refused():
    assert refusals({"sections": []}) == [
        {"place": {}, "message": "The body must be a list of sections."}
    ]


def test_the_refusal_is_a_validation_error_with_every_message():
    with pytest.raises(BodyInvalid) as refused:
        parse_body(body(paragraph(""), bullets()))
    assert refused.value.messages == [
        "Section 1, block 1: A paragraph needs some text.",
        "Section 1, block 2: A list needs at least one item.",
    ]


# --- parse_article


def test_a_whole_document_is_read_with_its_base_revision():
    parsed = parse_article(document())
    assert parsed == {
        "base_revision": 3,
        "title": "Turnout rises",
        "standfirst": "",
        "byline": "A. Reporter",
        "source_credit": "",
        "sections": parse_body(body()),
    }
    assert parse_article(document(base_revision=None))["base_revision"] is None


def test_a_document_s_fields_are_checked_with_its_body():
    data = document(
        title="",
        byline="b" * 201,
        standfirst=5,
        base_revision="3",
        id=12,
        sections=body(paragraph("")),
    )
    del data["source_credit"]
    assert refusals(data, parse_article) == [
        {
            "place": {"field": "source_credit"},
            "message": "The article: “source_credit” is missing.",
        },
        {
            "place": {"field": "id"},
            "message": "The article: “id” does not belong here.",
        },
        {
            "place": {"field": "base_revision"},
            "message": "Revision started from: this must be a revision's number, "
            "or null.",
        },
        {"place": {"field": "title"}, "message": "Title: this cannot be empty."},
        {"place": {"field": "standfirst"}, "message": "Standfirst: this must be text."},
        {
            "place": {"field": "byline"},
            "message": "Byline: Ensure this value has at most 200 characters "
            "(it has 201).",
        },
        {
            "place": {"section": 0, "block": 0},
            "message": "Section 1, block 1: A paragraph needs some text.",
        },
    ]


@pytest.mark.parametrize("data", [[], "text", None, 5])
def test_a_document_must_be_an_object(data):
    assert places(data, parse_article) == [{}]


def test_text_a_database_cannot_hold_is_refused():
    assert places(body(paragraph("a\x00b"), bullets("\ud800"))) == [
        {"section": 0, "block": 0, "field": "html"},
        {"section": 0, "block": 1, "item": 0},
    ]


def test_parsing_leaves_the_posted_tree_as_it_was():
    sections = body(paragraph("<b>Text</b><script></script>"), figures())
    del sections[0]["blocks"][1]["row_headers"]
    posted = copy.deepcopy(sections)
    parse_body(sections)
    assert sections == posted


# --- working copies


@pytest.mark.django_db
def test_a_person_has_one_working_copy_of_an_article(editor, other_editor):
    article = make_article()
    WorkingCopy.objects.create(article=article, user=editor, data={"title": 5})
    WorkingCopy.objects.create(article=article, user=other_editor, data={})
    with pytest.raises(IntegrityError):
        WorkingCopy.objects.create(article=article, user=editor, data={})


@pytest.mark.django_db
def test_working_copies_go_with_their_article(editor):
    article = make_article()
    WorkingCopy.objects.create(article=article, user=editor, data={})
    article.delete()
    assert not WorkingCopy.objects.exists()


# --- the endpoints


def url(name: str, article) -> str:
    return reverse(f"admin:articles_article_editor_{name}", args=[article.pk])


def post_json(client, address: str, data, **extra):
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(address, body, content_type="application/json", **extra)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def article(editor):
    return make_article(body(paragraph("As saved.")), author=editor)


def test_the_endpoints_are_named_in_the_admin():
    """The editor's script finds them by their URL names."""
    names = {
        "autosave": "/admin/articles/article/7/editor/autosave/",
        "discard": "/admin/articles/article/7/editor/discard/",
        "working_copy": "/admin/articles/article/7/editor/working-copy/",
        "preview": "/admin/articles/article/7/editor/preview/",
    }
    for name, address in names.items():
        assert reverse(f"admin:articles_article_editor_{name}", args=[7]) == address


@pytest.mark.django_db
def test_an_autosave_keeps_the_document_as_typed_and_gives_it_back(
    editor_client, article
):
    """Even a document that would not pass the checks is kept: nothing is lost."""
    typed = document(title="", sections=body(paragraph("")), base_revision=1)
    response = post_json(editor_client, url("autosave", article), typed)
    assert response.status_code == 200
    saved_at = response.json()["saved_at"]
    copy = editor_client.get(url("working_copy", article))
    assert copy.status_code == 200
    assert copy.json() == {"data": typed, "saved_at": saved_at, "base_revision": 1}

    retyped = document(title="Second go", base_revision="not a number")
    response = post_json(editor_client, url("autosave", article), retyped)
    assert response.status_code == 200
    copy = editor_client.get(url("working_copy", article)).json()
    assert copy["data"] == retyped
    assert copy["base_revision"] is None
    assert WorkingCopy.objects.count() == 1


@pytest.mark.django_db
def test_each_person_gets_only_their_own_working_copy(
    editor_client, client, article, other_editor
):
    post_json(editor_client, url("autosave", article), document(title="Mine"))
    other = Client()
    other.force_login(other_editor)
    assert other.get(url("working_copy", article)).status_code == 404
    assert "As saved." in other.get(url("preview", article)).text


@pytest.mark.django_db
def test_the_article_is_the_one_in_the_address_whatever_the_document_says(
    editor_client, article, editor
):
    elsewhere = make_article(author=editor)
    typed = document(id=elsewhere.pk, article=elsewhere.pk)
    response = post_json(editor_client, url("autosave", article), typed)
    assert response.status_code == 200
    assert list(WorkingCopy.objects.values_list("article", flat=True)) == [article.pk]


@pytest.mark.django_db
def test_an_article_in_review_cannot_be_autosaved(editor_client, article, editor):
    workflow.submit(article, by=editor)
    response = post_json(editor_client, url("autosave", article), document())
    assert response.status_code == 403
    (error,) = response.json()["errors"]
    assert "in review" in error["message"]
    assert error["place"] == {}
    assert not WorkingCopy.objects.exists()


@pytest.mark.django_db
def test_staff_who_may_not_edit_cannot_autosave(client, article):
    reader = UserFactory(username="reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(reader)
    response = post_json(client, url("autosave", article), document())
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == (
        "You do not have permission to edit articles."
    )
    client.force_login(UserFactory(username="stranger", is_staff=True))
    assert post_json(client, url("autosave", article), document()).status_code == 403
    assert not WorkingCopy.objects.exists()


@pytest.mark.django_db
def test_autosave_needs_the_page_s_csrf_token(editor, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert post_json(client, url("autosave", article), document()).status_code == 403
    assert not WorkingCopy.objects.exists()
    client.get(reverse("admin:articles_article_change", args=[article.pk]))
    token = client.cookies["csrftoken"].value
    response = post_json(
        client, url("autosave", article), document(), HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    assert post_json(client, url("discard", article), {}).status_code == 403
    assert WorkingCopy.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ("{", "not valid JSON"),
        ('{"title": NaN}', "not valid JSON"),
        (b"\xff\xfe{", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"title": "a\\u0000b"}', "cannot be stored"),
        ('{"title": "\\ud800"}', "cannot be stored"),
    ],
)
def test_what_is_not_a_json_document_is_refused(
    editor_client, article, posted, message
):
    response = post_json(editor_client, url("autosave", article), posted)
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]
    assert not WorkingCopy.objects.exists()


@pytest.mark.django_db
def test_a_document_over_the_size_limit_is_refused(editor_client, article):
    typed = document(standfirst="")
    padding = MAX_BODY_BYTES - len(json.dumps(typed)) + 1
    response = post_json(
        editor_client, url("autosave", article), document(standfirst="x" * padding)
    )
    assert response.status_code == 400
    assert "What was sent is too large" in response.json()["errors"][0]["message"]
    assert not WorkingCopy.objects.exists()


@pytest.mark.django_db
def test_the_endpoints_take_only_their_method(editor_client, article):
    assert editor_client.get(url("autosave", article)).status_code == 405
    assert editor_client.get(url("discard", article)).status_code == 405
    assert post_json(editor_client, url("working_copy", article), {}).status_code == 405


@pytest.mark.django_db
def test_an_unknown_article_is_a_json_404(editor_client):
    response = post_json(
        editor_client,
        reverse("admin:articles_article_editor_autosave", args=[999]),
        document(),
    )
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "There is no such article."


@pytest.mark.django_db
def test_discarding_drops_only_one_s_own_working_copy(
    editor_client, article, other_editor, editor
):
    WorkingCopy.objects.create(article=article, user=other_editor, data={})
    post_json(editor_client, url("autosave", article), document())
    workflow.submit(article, by=editor)
    response = post_json(editor_client, url("discard", article), {})
    assert response.status_code == 204
    assert editor_client.get(url("working_copy", article)).status_code == 404
    assert list(WorkingCopy.objects.values_list("user", flat=True)) == [other_editor.pk]
    assert post_json(editor_client, url("discard", article), {}).status_code == 204


@pytest.mark.django_db
def test_discarding_needs_the_permission_to_edit(client, article):
    client.force_login(UserFactory(username="stranger", is_staff=True))
    assert post_json(client, url("discard", article), {}).status_code == 403


# --- the preview


@pytest.mark.django_db
def test_the_preview_shows_the_working_copy_as_readers_would_see_it(
    editor_client, article
):
    typed = document(
        title="Turnout rises",
        sections=body(paragraph("Typed <b>since</b>."), figures(), heading="Votes"),
    )
    post_json(editor_client, url("autosave", article), typed)
    response = editor_client.get(url("preview", article))
    assert response.status_code == 200
    page = response.text
    assert "Preview of your unsaved changes" in page
    assert "<h1>Turnout rises</h1>" in page
    assert "Typed <b>since</b>." in page
    assert 'id="votes"' in page
    assert "As saved." not in page


@pytest.mark.django_db
def test_the_preview_is_private_and_framed_only_by_the_site(editor_client, article):
    for typed in (None, document(), document(title="")):
        if typed is not None:
            post_json(editor_client, url("autosave", article), typed)
        response = editor_client.get(url("preview", article), {"width": "phone"})
        assert response.status_code in (200, 422)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control
        assert "noindex" in response["X-Robots-Tag"]
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert csp(response)["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_without_a_working_copy_the_preview_shows_the_current_revision(
    editor_client, article
):
    response = editor_client.get(url("preview", article))
    assert response.status_code == 200
    assert "As saved." in response.text
    assert "Preview of revision 1" in response.text


@pytest.mark.django_db
def test_a_working_copy_that_does_not_pass_is_previewed_as_its_problems(
    editor_client, article
):
    typed = document(title="", sections=body(figures(["North", "lots"])))
    post_json(editor_client, url("autosave", article), typed)
    response = editor_client.get(url("preview", article))
    assert response.status_code == 422
    page = response.text
    assert "This version cannot be shown yet" in page
    assert "Title: this cannot be empty." in page
    assert "Section 1, block 1: Row 1, “Votes”: “lots” is not a number." in page


def queries_for_preview(client, article, sections) -> int:
    post_json(client, url("autosave", article), document(sections=sections))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("preview", article))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_preview_costs_the_same_queries_however_long_the_article(
    editor_client, article
):
    small = queries_for_preview(editor_client, article, body())
    sections = [{**section, "anchor": ""} for section in large_body()]
    large = queries_for_preview(editor_client, article, sections)
    assert small == large
    assert small <= 10


# --- pasting tables

PASTE_URL = "/admin/articles/article/editor/paste-table/"
# What Word puts on the clipboard: a whole page, its styles, conditional
# comments, <o:p> tags; a header cell spanning two columns, a short row.
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta charset="utf-8"><style><!-- p.MsoNormal {margin:0cm;} --></style></head>
<body lang=EN-GB style='tab-interval:36.0pt'>
<!--StartFragment-->
<p class=MsoNormal>Results by region:<o:p></o:p></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0
 style='border-collapse:collapse;mso-yfti-tbllook:1184'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td style='width:150pt'><p class=MsoNormal><b>Region<o:p></o:p></b></p></td>
  <td colspan=2><p class=MsoNormal><b>Votes<o:p></o:p></b></p></td>
 </tr>
 <tr><td><p class=MsoNormal>North<o:p></o:p></p></td>
  <td><p class=MsoNormal>1,234.5<o:p></o:p></p></td>
  <td><p class=MsoNormal>40.5%</p></td></tr>
 <!--[if !supportMisalignedRows]--><tr><td><p class=MsoNormal>South</p></td>
  <td><span style='mso-bidi-font-size:11pt'>900</span></td></tr><!--[endif]-->
</table>
<!--EndFragment-->
</body></html>"""


def test_the_paste_endpoint_is_named_in_the_admin():
    assert reverse("admin:articles_article_editor_paste_table") == PASTE_URL


@pytest.mark.django_db
def test_a_table_pasted_from_word_comes_back_regular_with_its_repairs_noted(
    editor_client,
):
    response = post_json(editor_client, PASTE_URL, {"html": WORD_HTML})
    assert response.status_code == 200
    (pasted,) = response.json()["tables"]
    table = pasted["table"]
    assert set(table) == set(snapshot.TableData.__annotations__)
    # "Votes" over two columns is a group; their own labels are left to the editor.
    assert [c["label"] for c in table["columns"]] == ["Region", "", ""]
    assert table["groups"] == [{"label": "Votes", "start": 1, "span": 2}]
    assert [(c["kind"], c["decimals"]) for c in table["columns"]] == [
        ("text", None),
        ("number", 1),
        ("percent", 1),
    ]
    assert table["rows"] == [["North", "1,234.5", "40.5%"], ["South", "900", ""]]
    notes = " ".join(pasted["notes"])
    assert "Merged cells were split into a regular grid" in notes
    assert "Row 2: This row had 2 of the table's 3 cells" in notes
    assert "Column 2: This column has no label" in notes
    assert parse_body(body(table))  # it passes the checks as it is


@pytest.mark.django_db
def test_spreadsheet_text_keeps_tabs_and_line_breaks_inside_quoted_cells(
    editor_client,
):
    text = (
        "Region\tNote\tVotes\r\n"
        'North\t"a tab\there and\na line break"\t1,200\r\n'
        "South\t<b>not bold</b>\r\n"
    )
    response = post_json(editor_client, PASTE_URL, {"text": text})
    assert response.status_code == 200
    (pasted,) = response.json()["tables"]
    table = pasted["table"]
    assert [c["label"] for c in table["columns"]] == ["Region", "Note", "Votes"]
    assert table["rows"] == [
        ["North", "a tab here and a line break", "1,200"],
        ["South", "&lt;b&gt;not bold&lt;/b&gt;", ""],
    ]
    assert table["columns"][2]["kind"] == "number"
    assert pasted["notes"] == [
        "Row 2: This row had 2 of the table's 3 cells: empty cells were added at "
        "its end. Check that its values are under the right labels."
    ]


@pytest.mark.django_db
def test_spreadsheet_rows_without_labels_leave_the_labels_to_the_editor(
    editor_client,
):
    posted = {"text": "North\t12%\nSouth\t8%\n", "first_row_labels": False}
    (pasted,) = post_json(editor_client, PASTE_URL, posted).json()["tables"]
    assert [c["label"] for c in pasted["table"]["columns"]] == ["", ""]
    assert "Column 2: This column has no label" in " ".join(pasted["notes"])
    assert pasted["table"]["columns"][1]["kind"] == "percent"
    assert len(pasted["table"]["rows"]) == 2


@pytest.mark.django_db
def test_a_paste_without_a_table_gives_no_table(editor_client):
    for posted in ({"html": "<p>Just text</p>"}, {"text": ""}, {"text": "\t\n"}):
        response = post_json(editor_client, PASTE_URL, posted)
        assert response.json() == {"tables": []}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "posted",
    [
        {},
        {"html": "<table></table>", "text": "a"},
        {"html": 5},
        {"text": "a", "first_row_labels": "yes"},
        {"text": "a", "id": 4},
        ["a"],
    ],
)
def test_a_paste_that_is_neither_html_nor_text_is_refused(editor_client, posted):
    response = post_json(editor_client, PASTE_URL, posted)
    assert response.status_code == 400
    assert "“html” or as “text”" in response.json()["errors"][0]["message"]


@pytest.mark.django_db
def test_a_paste_over_the_importer_s_limit_is_refused(editor_client):
    response = post_json(editor_client, PASTE_URL, {"text": "a" * (2 * 1024**2 + 1)})
    assert response.status_code == 400
    assert "the limit is 2 MB" in response.json()["errors"][0]["message"]


@pytest.mark.django_db
def test_pasting_needs_the_permission_to_edit_and_the_csrf_token(client, editor):
    client.force_login(UserFactory(username="stranger", is_staff=True))
    assert post_json(client, PASTE_URL, {"text": "a\tb"}).status_code == 403
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(editor)
    assert post_json(guarded, PASTE_URL, {"text": "a\tb"}).status_code == 403
    assert guarded.get(PASTE_URL).status_code == 405
