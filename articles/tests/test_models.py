import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from articles import services
from articles.models import (
    Block,
    ContentTableColumn,
    ContentTableRow,
    Desk,
    Revision,
    RevisionImmutableError,
    Section,
    TableInvalid,
    validate_table,
)
from articles.testing.bodies import paragraph, table
from articles.testing.factories import ArticleFactory, DeskFactory, make_article


def a_table(article):
    section = Section.objects.create(article=article, heading="Data")
    block = Block.objects.create(section=section, kind=Block.Kind.TABLE)
    return services.set_table(
        block, table("Figures", ["A", "B", "C"], [["1", "2", "3"]])
    )


@pytest.mark.django_db
def test_row_with_wrong_number_of_cells_is_refused():
    """A row must hold exactly one cell per column of its table."""
    content_table = a_table(ArticleFactory())
    row = ContentTableRow(table=content_table, position=1, cells=["only", "two"])
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "This row has 2 cells but the table has 3 columns" in str(refused.value)


@pytest.mark.django_db
def test_row_with_one_cell_per_column_is_accepted():
    content_table = a_table(ArticleFactory())
    ContentTableRow(table=content_table, position=1, cells=["x", "y", "z"]).full_clean()


def test_an_empty_column_label_is_stored_stripped():
    """A missing label is a warning of the table's checks, not the model's refusal."""
    column = ContentTableColumn(label="  ")
    column.full_clean(exclude=["table"])
    assert column.label == ""


def test_validate_table_names_the_column_and_row_at_fault():
    columns = [{"label": "Name"}, {"label": "name"}]
    with pytest.raises(TableInvalid) as refused:
        validate_table(columns, [["a", "b"], ["c"]])
    assert refused.value.messages == [
        "Columns 1 and 2 are both labelled “name”: give each column its own label.",
        "Row 2 has 1 cell but the table has 2 columns: "
        "each row needs exactly one cell per column.",
    ]
    assert [
        (p.row, p.column) for p in refused.value.problems if p.level == "error"
    ] == [
        (None, 2),
        (2, None),
    ]


def test_validate_table_refuses_duplicate_labels():
    columns = [{"label": "Year"}, {"label": "year"}]
    with pytest.raises(ValidationError, match="Columns 1 and 2 are both labelled"):
        validate_table(columns, [])


def test_validate_table_refuses_a_table_without_columns():
    with pytest.raises(ValidationError, match="at least one column"):
        validate_table([], [])


@pytest.mark.django_db
def test_replace_body_writes_nothing_when_a_table_is_invalid():
    """A refused body leaves the article's existing body as it was."""
    article = make_article()
    before = list(
        Section.objects.filter(article=article).values_list("heading", flat=True)
    )
    broken = [
        {
            "heading": "New",
            "blocks": [
                paragraph("Fine."),
                table("Bad", ["A", "B"], [["1", "2"], ["3"]]),
            ],
        }
    ]
    with pytest.raises(
        ValidationError, match="Section 1, block 2: Row 2 has 1 cell but"
    ):
        services.replace_body(article, broken)
    after = list(
        Section.objects.filter(article=article).values_list("heading", flat=True)
    )
    assert after == before


def test_a_new_body_records_every_refusal_with_its_place():
    """Paragraph, list and cell refusals all come back, indexes counting from 0."""
    body = services.NewBody()
    body.add_sections(
        [
            {"heading": "", "blocks": [paragraph("Fine."), paragraph("<b> </b>")]},
            {
                "heading": "Figures",
                "blocks": [
                    {"type": "list", "ordered": False, "items": [" "]},
                    table(
                        "Votes",
                        ["Region", {"label": "Votes", "kind": "number"}],
                        [["North", "12"], ["South", "many"]],
                        source_note="Commission",
                    ),
                ],
            },
        ]
    )
    assert [problem.as_dict() for problem in body.problems] == [
        {
            "place": {"section": 0, "block": 1},
            "message": "Section 1, block 2: A paragraph needs some text.",
        },
        {
            "place": {"section": 1, "block": 0},
            "message": "Section 2, block 1: A list needs at least one item.",
        },
        {
            "place": {"section": 1, "block": 1, "row": 1, "column": 1},
            "message": "Section 2, block 2: Row 2, “Votes”: “many” is not a number.",
        },
    ]
    assert body.errors == [problem.message for problem in body.problems]


@pytest.mark.django_db
def test_paragraph_keeps_inline_formatting_and_drops_the_rest():
    block = Block(
        kind=Block.Kind.PARAGRAPH,
        text="<b>Bold</b> <em>it</em> "
        '<a href="https://example.org" onclick="x()">link</a>'
        "<script>alert(1)</script><h2>Heading</h2>",
    )
    block.full_clean(exclude=["section"])
    assert block.text == (
        '<b>Bold</b> <em>it</em> <a href="https://example.org" '
        'rel="noopener noreferrer">link</a>Heading'
    )


def test_empty_paragraph_is_refused():
    with pytest.raises(ValidationError, match="A paragraph needs some text"):
        Block(kind=Block.Kind.PARAGRAPH, text="<b> </b>").full_clean(
            exclude=["section"]
        )


@pytest.mark.django_db
def test_section_anchor_is_kept_when_the_heading_changes():
    """Links to a section keep working after its heading is edited."""
    section = Section.objects.create(article=ArticleFactory(), heading="Old heading")
    section.heading = "A better heading"
    section.save()
    section.refresh_from_db()
    assert section.anchor == "old-heading"


@pytest.mark.django_db
def test_section_anchors_are_unique_within_an_article():
    article = ArticleFactory()
    first = Section.objects.create(article=article, heading="Background")
    second = Section.objects.create(article=article, heading="Background")
    assert (first.anchor, second.anchor) == ("background", "background-2")


def test_long_anchor_is_cut_between_words():
    from articles.models.body import unique_anchor

    anchor = unique_anchor(
        "Implications of Closed CSTO Talks for Regional Stability and "
        "Defense Strategies",
        set(),
    )
    assert anchor == "implications-of-closed-csto-talks-for-regional-stability"


@pytest.mark.django_db
def test_slug_is_unique_per_desk_only():
    world, business = DeskFactory(name="World"), DeskFactory(name="Business")
    ArticleFactory(desk=world, slug="budget")
    ArticleFactory(desk=business, slug="budget")
    with pytest.raises(IntegrityError):
        ArticleFactory(desk=world, slug="budget")


@pytest.mark.django_db
def test_saved_revision_cannot_be_changed():
    revision = make_article().revisions.get()
    revision.title = "Rewritten history"
    with pytest.raises(RevisionImmutableError):
        revision.save()
    assert Revision.objects.get(pk=revision.pk).title != "Rewritten history"


@pytest.mark.django_db
def test_desk_cannot_take_an_address_the_site_uses():
    with pytest.raises(ValidationError, match="used by the site itself"):
        Desk(name="Admin", slug="admin").full_clean()
