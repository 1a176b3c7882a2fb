"""The snapshot schema: one definition, which revisions, builders and models share."""

import copy
import json

import lxml.html
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.test import RequestFactory
from django.utils.text import slugify

from articles import revisions, services, snapshot
from articles.admin.editor_page import editor_config
from articles.editor.body import BLOCK_TYPES
from articles.importing import parse
from articles.models import Article, Block, ContentTable, ContentTableColumn
from articles.snapshot import (
    ARTICLE_FIELDS,
    COLUMN_FIELDS,
    DEFAULT_ALIGN,
    NUMERIC_KINDS,
    TABLE_FIELDS,
    Align,
    ColumnKind,
    effective_align,
    numbered_tables,
)
from articles.tabledata import snapshot_warnings
from articles.testing.factories import ArticleFactory, make_article


def keys(typed_dict) -> set[str]:
    return typed_dict.__required_keys__ | typed_dict.__optional_keys__


def full_body() -> list[snapshot.SectionData]:
    """One block of each type and a column with every setting, made by the builders."""
    return [
        snapshot.section(
            "",
            [
                snapshot.paragraph("Cargo rose <i>sharply</i>."),
                snapshot.bullet_list(["Aktau", "Baku"], ordered=True),
            ],
        ),
        snapshot.section(
            "Cargo by port",
            [
                snapshot.table(
                    "Cargo handled",
                    [
                        snapshot.column("Port"),
                        snapshot.column(
                            "Cargo", "number", unit="million t", decimals=1
                        ),
                        snapshot.column("Share", "percent", align="center"),
                    ],
                    [["Aktau", "2.4", "40"], ["Baku", "3.1", "60"]],
                    source_note="Port operators",
                    source_url="https://example.org/ports",
                    source_retrieved="2024-11-30",
                    row_headers=False,
                )
            ],
        ),
    ]


@pytest.mark.django_db
def test_a_revision_holds_exactly_the_keys_the_schema_defines():
    """Article, section, block and column keys are those of the TypedDicts."""
    article = ArticleFactory()
    services.replace_body(article, full_body())
    data = revisions.snapshot(article)

    assert set(data) == keys(snapshot.Snapshot)
    types = {
        "paragraph": snapshot.ParagraphData,
        "list": snapshot.ListData,
        "table": snapshot.TableData,
    }
    blocks = []
    for section in data["sections"]:
        assert set(section) == keys(snapshot.SectionData)
        blocks += section["blocks"]
    assert [block["type"] for block in blocks] == list(snapshot.BlockType)
    for block in blocks:
        assert set(block) == keys(types[block["type"]])
    (table,) = [block for block in blocks if block["type"] == "table"]
    for column in table["columns"]:
        assert list(column) == list(COLUMN_FIELDS)
    assert list(COLUMN_FIELDS) == list(snapshot.ColumnData.__annotations__)


@pytest.mark.django_db
def test_the_builders_make_what_a_revision_stores():
    """A body made by the builders comes back unchanged, anchors added."""
    article = ArticleFactory()
    body = full_body()
    services.replace_body(article, body)

    stored = revisions.snapshot(article)["sections"]
    assert [section["anchor"] for section in stored] == ["section", "cargo-by-port"]
    assert stored == [
        {**section, "anchor": anchor}
        for section, anchor in zip(body, ["section", "cargo-by-port"], strict=True)
    ]


@pytest.mark.django_db
def test_a_new_body_knows_what_a_revision_will_store_before_it_is_written():
    """NewBody's sections are what the snapshot reads back once they are written."""
    body = full_body()
    body[0]["blocks"] += [
        snapshot.paragraph("<p>Loose <script>x()</script><b>markup</b></p>"),
        snapshot.bullet_list(["One", " ", "<i>Two</i>"]),
    ]
    table = body[1]["blocks"][0]
    table.update(caption="  Cargo handled ", source_retrieved="2024-1-5")
    table["rows"][0][0] = "<b>Aktau</b><img src=x>"
    body.append(snapshot.section("Cargo by port", [snapshot.paragraph("Again.")]))
    article = ArticleFactory()
    new = services.NewBody(article)
    new.add_sections(body)
    assert new.problems == []
    expected = new.sections_data()
    new.write()
    assert expected == revisions.snapshot(article)["sections"]
    assert [section["anchor"] for section in expected] == [
        "section",
        "cargo-by-port",
        "cargo-by-port-2",
    ]


@pytest.mark.django_db
def test_an_imported_body_is_what_a_revision_stores():
    """The importer's body has the snapshot's keys and defaults, anchors aside."""
    imported = parse(
        "Intro with **bold**.\n\n- one\n- two\n\n## Figures\n\n"
        "| Port | Cargo |\n|---|---|\n| Aktau | 2.4 |\n",
        format="markdown",
    )
    body = imported.to_body()
    article = ArticleFactory()
    services.replace_body(article, body)

    stored = revisions.snapshot(article)["sections"]
    assert stored == [
        {**section, "anchor": stored_section["anchor"]}
        for section, stored_section in zip(body, stored, strict=True)
    ]


def test_the_models_take_their_choices_from_the_schema():
    """Block types, column kinds and alignments are defined once, in the schema."""
    assert Block.Kind is snapshot.BlockType
    assert ContentTableColumn.Kind is ColumnKind
    assert ContentTableColumn.Align is Align
    assert Block._meta.get_field("kind").choices == snapshot.BlockType.choices
    assert ContentTableColumn._meta.get_field("kind").choices == ColumnKind.choices
    assert ContentTableColumn._meta.get_field("align").choices == Align.choices


def test_the_field_lists_name_model_fields():
    """Each setting in a snapshot is a field of the same name in the models."""
    for model, fields in (
        (Article, ARTICLE_FIELDS),
        (ContentTable, TABLE_FIELDS),
        (ContentTableColumn, COLUMN_FIELDS),
    ):
        names = {field.name for field in model._meta.get_fields()}
        assert set(fields) <= names, model
    assert set(ARTICLE_FIELDS) <= keys(snapshot.Snapshot)
    assert set(TABLE_FIELDS) <= keys(snapshot.TableData)


def test_numbers_align_right_and_the_rest_left_unless_told():
    """`auto` follows the kind (numeric kinds right); a chosen alignment wins."""
    assert NUMERIC_KINDS == {"number", "percent", "currency"}
    assert set(DEFAULT_ALIGN) == set(ColumnKind.values)
    for kind in ColumnKind.values:
        expected = "right" if kind in NUMERIC_KINDS else "left"
        assert DEFAULT_ALIGN[kind] == expected
        assert effective_align({"kind": kind, "align": "auto"}) == expected
        assert effective_align({"kind": kind}) == expected
        assert effective_align({"kind": kind, "align": "center"}) == "center"
    # Old or odd columns: no kind is text; an unknown kind is read as text.
    assert effective_align({}) == "left"
    assert effective_align({"kind": "colour", "align": ""}) == "left"


def three_tables() -> list[snapshot.SectionData]:
    """Tables "One", "Two" and "Three" in two sections, among other blocks."""

    def numbers(caption):
        return snapshot.table(
            caption, [snapshot.column("Name")], [[caption]], source_note="Src"
        )

    return [
        snapshot.section("", [snapshot.paragraph("Intro."), numbers("One")]),
        snapshot.section(
            "Figures",
            [snapshot.bullet_list(["a"]), numbers("Two"), snapshot.paragraph("b")],
        ),
        snapshot.section("More", [numbers("Three")]),
    ]


def test_tables_are_numbered_from_1_through_the_whole_article():
    """Numbers follow reading order across sections; other blocks do not count."""
    tree = {"sections": three_tables()}
    numbered = [(number, table["caption"]) for number, table in numbered_tables(tree)]
    assert numbered == [(1, "One"), (2, "Two"), (3, "Three")]
    assert numbered_tables({"sections": []}) == []


@pytest.mark.django_db
def test_page_downloads_embeds_and_warnings_agree_on_table_numbers(client):
    """Table n is the same table at #table-n, in its addresses and in its warnings."""
    article = make_article(three_tables(), publish=True)
    data = article.live_revision.snapshot
    url = article.get_absolute_url()
    revision = article.live_revision.number
    doc = lxml.html.fromstring(client.get(url).content)
    for number, table in numbered_tables(data):
        caption = table["caption"]
        assert caption in doc.get_element_by_id(f"table-{number}").text_content()
        download = client.get(f"{url}r{revision}/table-{number}.csv")
        assert download["Content-Disposition"].endswith(f'-{slugify(caption)}.csv"')
        embed = client.get(f"{url}table-{number}/embed/")
        assert caption in embed.content.decode()

    unsourced = copy.deepcopy(data)
    for _, table in numbered_tables(unsourced):
        table["source_note"] = ""
    named = [warning.split(":")[0] for warning in snapshot_warnings(unsourced)]
    assert named == [
        f"Table {number} (“{table['caption']}”)"
        for number, table in numbered_tables(data)
    ]


def test_the_grid_script_gets_columns_from_the_schema():
    """What the editor hands the grid (nr-editor-config) is the schema's, not a copy."""
    request = RequestFactory().get("/admin/articles/article/add/")
    request.user = AnonymousUser()
    config = editor_config(request, None, [], [])
    # As the page holds it (json_script).
    data = json.loads(json.dumps(config["gridSchema"], cls=DjangoJSONEncoder))

    assert data["kinds"] == [[value, str(label)] for value, label in ColumnKind.choices]
    assert data["aligns"] == [[value, str(label)] for value, label in Align.choices]
    # The grid's one field of its own: each column's group (the table's groups).
    assert config["columnFields"] == list(COLUMN_FIELDS)
    assert data["columnFields"] == [*COLUMN_FIELDS, "group"]
    assert data["blankColumn"] == {
        **{
            key: "" if value is None else value
            for key, value in snapshot.column("").items()
        },
        "group": "",
    }
    assert data["autoAlign"] == Align.AUTO
    assert data["defaultAlign"] == DEFAULT_ALIGN


def test_the_editor_s_checks_take_each_kind_of_block_as_the_schema_gives_it():
    """A posted body is checked against the schema's own kinds and keys."""
    assert set(BLOCK_TYPES) == set(snapshot.BlockType.values)
    table = BLOCK_TYPES["table"]
    assert table.__required_keys__ | table.__optional_keys__ == {
        "type",
        *TABLE_FIELDS,
        "columns",
        "rows",
    }
    for kind, typed_dict in BLOCK_TYPES.items():
        assert typed_dict.__annotations__["type"].__args__ == (kind,)
