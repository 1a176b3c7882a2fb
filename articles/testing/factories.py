import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from articles import revisions, services, snapshot, workflow
from articles.models import Article, Desk
from articles.testing.bodies import bullets, paragraph, table


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Desk {n}")
    slug = factory.LazyAttribute(lambda desk: slugify(desk.name))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    desk = factory.SubFactory(DeskFactory)
    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.LazyAttribute(lambda article: slugify(article.title))
    byline = "A. Reporter"


def small_body() -> list[dict]:
    return [
        {"heading": "", "blocks": [paragraph("The lede.")]},
        {
            "heading": "Details",
            "blocks": [
                bullets("One", "Two"),
                table(
                    "Figures",
                    ["Name", {"label": "Value", "kind": "number"}],
                    [["a", "1"], ["b", "2"]],
                    source_note="Test source",
                ),
            ],
        },
    ]


def large_body(sections=20, tables=10, rows=30, columns=8) -> list[dict]:
    """20 sections of 3 paragraphs and a 5-item list, and 10 tables of 30x8."""
    body = []
    for s in range(sections):
        blocks = [paragraph(f"Paragraph {p} of section {s}.") for p in range(3)]
        blocks.append(bullets(*(f"Item {i}" for i in range(5))))
        if s < tables:
            blocks.append(
                table(
                    f"Table {s}",
                    [f"Column {c}" for c in range(columns)],
                    [[f"r{r}c{c}" for c in range(columns)] for r in range(rows)],
                    source_note="Test source",
                )
            )
        body.append({"heading": f"Section {s}", "blocks": blocks})
    return body


def make_article(body=None, *, publish=False, author=None, **fields) -> Article:
    """Create an article with a body and a first revision; publish it if asked.

    Publishing goes through the workflow: the author submits, a moderator approves.
    """
    author = author or UserFactory(username="author", is_staff=True)
    article = ArticleFactory(created_by=author, **fields)
    services.replace_body(article, small_body() if body is None else body)
    revisions.create_revision(article, author=author)
    if publish:
        workflow.submit(
            article, by=UserFactory(username="submitter", is_superuser=True)
        )
        article = workflow.approve(
            article, by=UserFactory(username="approver", is_superuser=True)
        )
    return article


def grouped_table_article() -> Article:
    """A published table with column groups over an empty corner, long enough
    for its print copy to be a page apart."""
    columns = [snapshot.column("")] + [
        snapshot.column(label, "number") for label in ("Wins", "Losses") * 2
    ]
    rows = [[f"Team {n}", "1", "2", "3", "4"] for n in range(30)]
    groups = [snapshot.group("2024", 1, 2), snapshot.group("2025", 3, 2)]
    block = snapshot.table("Results", columns, rows, source_note="L", groups=groups)
    return make_article(
        [snapshot.section("", [block])], publish=True, title="Grouped table"
    )


def chart_only_article() -> Article:
    """Two charts whose tables open on request: a line by date, stacked bars."""
    columns = [
        snapshot.column("Week", "date"),
        snapshot.column("Port"),
        snapshot.column("Cargo", "number", unit="million t", decimals=1),
        snapshot.column("Share", "percent"),
        snapshot.column("Transit", "number", unit="million t", decimals=1),
    ]
    rows = [
        ["2024-11-04", "Aktau", "0.6", "40", "0.2"],
        ["2024-11-11", "Baku", "0.8", "35", "0.4"],
        ["2024-11-18", "Kuryk", "0.7", "25", "0.1"],
    ]
    line = snapshot.table(
        "Weekly cargo",
        columns,
        rows,
        source_note="Port operators",
        chart="line",
        chart_category=0,
        chart_series=[2],
        chart_only=True,
    )
    stacked = snapshot.table(
        "Cargo and share",
        columns,
        rows,
        source_note="Port operators",
        chart="stacked_bar",
        chart_category=1,
        chart_series=[2, 4],
        chart_only=True,
    )
    return make_article(
        [snapshot.section("", [line]), snapshot.section("Shares", [stacked])],
        publish=True,
        title="Charts only",
    )


def stacked_table_article() -> Article:
    """A published table shown as cards on narrow screens, with column groups
    and a short one without row headers."""
    columns = [snapshot.column("")] + [
        snapshot.column(label, "number", unit="pts") for label in ("Wins", "Losses") * 2
    ]
    rows = [[f"Team {n}", "1", "2", "3", "4"] for n in range(4)]
    groups = [snapshot.group("2024", 1, 2), snapshot.group("2025", 3, 2)]
    grouped = snapshot.table(
        "Results as cards",
        columns,
        rows,
        source_note="League",
        groups=groups,
        narrow_layout=snapshot.NarrowLayout.STACK,
    )
    plain = snapshot.table(
        "Fixtures as cards",
        [snapshot.column("Home"), snapshot.column("Away")],
        [["Lions", "Tigers"]],
        source_note="League",
        row_headers=False,
        narrow_layout=snapshot.NarrowLayout.STACK,
    )
    return make_article(
        [snapshot.section("", [grouped, plain])], publish=True, title="Stacked tables"
    )
