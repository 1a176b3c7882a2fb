"""The document editor's server side: body checks, working copies, preview, paste."""

import copy

import pytest
from django.db import IntegrityError

from articles import snapshot
from articles.editor import (
    MAX_BLOCKS,
    MAX_SECTIONS,
    MAX_TEXT,
    BodyInvalid,
    parse_article,
    parse_body,
)
from articles.editor.body import MAX_ERRORS
from articles.models import WorkingCopy
from articles.testing.bodies import bullets, paragraph, table
from articles.testing.factories import make_article


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
