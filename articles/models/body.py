"""An article's body: ordered sections holding ordered blocks.

A block is a paragraph, a bullet list or a table. Tables are data: typed,
ordered columns and ordered rows with exactly one cell per column.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import snapshot
from ..sanitize import clean_inline, plain_text
from ..tabledata import Problem, check_table
from .base import Ordered

ANCHOR_MAX_LENGTH = 60


class Section(Ordered):
    """A part of an article, optionally under a heading (an `h2` on the page)."""

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("article"),
    )
    heading = models.CharField(
        _("heading"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty for the opening section (the lede)."),
    )
    anchor = models.SlugField(
        _("anchor"),
        max_length=ANCHOR_MAX_LENGTH,
        blank=True,
        help_text=_(
            "The link to this section (#anchor). Made from the first heading "
            "and kept when the heading changes, so links keep working."
        ),
    )

    class Meta(Ordered.Meta):
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "anchor"],
                name="section_unique_anchor",
                violation_error_message=_(
                    "Another section of this article has this anchor."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.heading or str(_("(section without heading)"))

    def save(self, *args, **kwargs):
        if not self.anchor:
            self.anchor = self.make_anchor()
        super().save(*args, **kwargs)

    def make_anchor(self) -> str:
        """Return an anchor from the heading, unique within the article."""
        taken = set(
            Section.objects.filter(article_id=self.article_id)
            .exclude(pk=self.pk)
            .values_list("anchor", flat=True)
        )
        return unique_anchor(self.heading, taken)


def unique_anchor(heading: str, taken: set[str]) -> str:
    """Return a slug of `heading` that is not in `taken`, and add it there."""
    base = slugify(heading)
    if len(base) > ANCHOR_MAX_LENGTH - 4:  # room for a "-NN" suffix; cut between words
        base = base[: ANCHOR_MAX_LENGTH - 3].rsplit("-", 1)[0]
    base = base.strip("-") or "section"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


class Block(Ordered):
    """One paragraph, bullet list or table inside a section."""

    Kind = snapshot.BlockType

    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        related_name="blocks",
        verbose_name=_("section"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind, default=Kind.PARAGRAPH
    )
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "The paragraph. Bold, italic and links are kept; other formatting "
            "is removed."
        ),
    )
    ordered = models.BooleanField(
        _("numbered"),
        default=False,
        help_text=_("Number the list's items (1, 2, 3...)."),
    )

    class Meta(Ordered.Meta):
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        self.text = clean_inline(self.text)
        if self.kind == self.Kind.PARAGRAPH and not plain_text(self.text):
            raise ValidationError({"text": _("A paragraph needs some text.")})


class BulletItem(Ordered):
    block = models.ForeignKey(
        Block, on_delete=models.CASCADE, related_name="items", verbose_name=_("list")
    )
    text = models.TextField(_("text"))

    class Meta(Ordered.Meta):
        verbose_name = _("list item")
        verbose_name_plural = _("list items")

    def __str__(self) -> str:
        return plain_text(self.text)

    def clean(self) -> None:
        self.text = clean_inline(self.text)
        if not plain_text(self.text):
            raise ValidationError({"text": _("A list item needs some text.")})


class ContentTable(models.Model):
    """A table's caption and source; its columns and rows hang off it."""

    block = models.OneToOneField(
        Block,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="table",
        verbose_name=_("block"),
    )
    caption = models.CharField(
        _("caption"),
        max_length=300,
        blank=True,
        help_text=_("What the table shows, read out first by screen readers."),
    )
    source_note = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Who the figures come from, e.g. 'CSTO secretariat'."),
    )
    source_url = models.URLField(
        _("source address"), blank=True, help_text=_("A link to the source, if any.")
    )
    source_retrieved = models.DateField(
        _("retrieved on"),
        null=True,
        blank=True,
        help_text=_("When the figures were taken from the source."),
    )
    row_headers = models.BooleanField(
        _("first column names the rows"),
        default=True,
        help_text=_("Screen readers announce it with each cell of its row."),
    )
    narrow_layout = models.CharField(
        _("on narrow screens"),
        max_length=10,
        choices=snapshot.NarrowLayout,
        default=snapshot.NarrowLayout.SCROLL,
        help_text=_(
            "Scroll sideways (the first column and the header stay in view), or "
            "stack each row as a card of label: value pairs."
        ),
    )
    # Labels over runs of columns, as in a snapshot (`snapshot.GroupData`);
    # checked with the columns by `validate_table`.
    groups = models.JSONField(_("column groups"), default=list, blank=True)
    # The table drawn as a chart too (snapshot.ChartKind; "" for none), from
    # columns named by index, as in a snapshot; checked by `charts.check_chart`.
    chart = models.CharField(
        _("chart"), max_length=20, choices=snapshot.ChartKind, default="", blank=True
    )
    chart_category = models.PositiveSmallIntegerField(
        _("chart categories"),
        null=True,
        blank=True,
        help_text=_("The text or date column whose cells name the bars or points."),
    )
    chart_series = models.JSONField(
        _("chart series"),
        default=list,
        blank=True,
        help_text=_("The number, percent or currency columns drawn."),
    )
    chart_only = models.BooleanField(
        _("show the chart only"),
        default=False,
        help_text=_("Readers see the chart; the table opens on request."),
    )

    class Meta:
        verbose_name = _("table")
        verbose_name_plural = _("tables")

    def __str__(self) -> str:
        return self.caption or str(_("Table"))


class ContentTableColumn(Ordered):
    Kind = snapshot.ColumnKind
    Align = snapshot.Align

    table = models.ForeignKey(
        ContentTable,
        on_delete=models.CASCADE,
        related_name="columns",
        verbose_name=_("table"),
    )
    # May be empty: the corner above row headers needs none, and a missing
    # label elsewhere is a warning of `check_table` rather than a refusal.
    label = models.CharField(_("label"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.TEXT)
    unit = models.CharField(
        _("unit"),
        max_length=20,
        blank=True,
        help_text=_("Shown with the label, e.g. 'million t'; for money, 'USD' or '€'."),
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimals"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text=_("Digits after the decimal point; empty: as typed."),
    )
    align = models.CharField(
        _("alignment"), max_length=10, choices=Align, default=Align.AUTO
    )

    class Meta(Ordered.Meta):
        verbose_name = _("column")
        verbose_name_plural = _("columns")

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        self.label = self.label.strip()


def check_row_width(cells, column_count: int) -> None:
    """Refuse a row that does not hold exactly one text cell per column."""
    if not isinstance(cells, list) or not all(isinstance(cell, str) for cell in cells):
        raise ValidationError(
            _("A row must be a list of cell texts."), code="cells_type"
        )
    if len(cells) != column_count:
        raise ValidationError(
            ngettext(
                "This row has %(cells)d cell but the table has %(columns)d columns: "
                "each row needs exactly one cell per column.",
                "This row has %(cells)d cells but the table has %(columns)d columns: "
                "each row needs exactly one cell per column.",
                len(cells),
            )
            % {"cells": len(cells), "columns": column_count},
            code="row_width",
        )


class ContentTableRow(Ordered):
    table = models.ForeignKey(
        ContentTable,
        on_delete=models.CASCADE,
        related_name="rows",
        verbose_name=_("table"),
    )
    cells = models.JSONField(_("cells"), default=list)

    class Meta(Ordered.Meta):
        verbose_name = _("row")
        verbose_name_plural = _("rows")

    def __str__(self) -> str:
        return " | ".join(plain_text(cell) for cell in self.cells)

    def clean(self) -> None:
        if self.table_id is not None:
            check_row_width(self.cells, self.table.columns.count())
        self.cells = [clean_inline(cell) for cell in self.cells]


class TableInvalid(ValidationError):
    """A table refused by its checks; `problems` point at columns and cells."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__([p.message for p in problems if p.level == "error"])


def validate_table(
    columns: list[dict],
    rows: list[list[str]],
    *,
    caption="",
    source_note="",
    groups=(),
    row_headers=True,
    chart=None,
) -> list[Problem]:
    """Check a whole table as typed; raise TableInvalid on errors, return warnings.

    `chart` holds the table's chart keys (a table block will do); None: no chart.
    """
    problems = check_table(
        columns,
        rows,
        caption=caption,
        source_note=source_note,
        groups=groups,
        row_headers=row_headers,
    )
    for number, data in enumerate(columns, start=1):
        settings = {
            key: data[key]
            for key in snapshot.COLUMN_FIELDS
            if data.get(key) is not None
        }
        try:
            ContentTableColumn(**settings).full_clean(exclude=["table", "label"])
        except ValidationError as error:
            problems += [
                Problem(
                    "error",
                    gettext("Column %(number)d: %(problem)s")
                    % {"number": number, "problem": message},
                    column=number,
                )
                for message in error.messages
            ]
    if chart:
        from ..charts import check_chart

        problems += check_chart(columns, {**chart, "groups": list(groups)})
    if any(problem.level == "error" for problem in problems):
        raise TableInvalid(problems)
    return problems
