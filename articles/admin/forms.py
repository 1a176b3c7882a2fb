"""Admin forms: the article editor (blocks edited in place) and workflow decisions."""

import nested_admin
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import Article, Block, ContentTable, ContentTableColumn, validate_table
from ..models.body import unique_anchor
from ..sanitize import plain_text

SPARE_ROWS = 2
SPARE_COLUMNS = 1
NEW_TABLE_SIZE = 3  # rows and columns offered for a new table


class InlineTextWidget(forms.Textarea):
    """A textarea that becomes a small bold/italic/link editor in the browser.

    `mode` is "paragraph" (one paragraph) or "list" (one item per line).
    """

    class Media:
        js = ["js/newsroom-admin.js", "js/inline-editor.js"]

    def __init__(self, mode: str = "paragraph", attrs=None):
        super().__init__(attrs={"rows": 4, "data-inline-editor": mode, **(attrs or {})})


class TableGridWidget(forms.Widget):
    """A table of inputs: one per column setting and one per cell.

    Spare empty rows and columns are always offered, so an editor can grow a
    table without JavaScript; rows and columns left entirely empty are dropped.
    """

    template_name = "admin/articles/table_grid.html"

    def value_from_datadict(self, data, files, name):
        def count(key):
            try:
                return min(int(data.get(f"{name}-{key}", 0)), 10_000)
            except ValueError:
                return 0

        n_rows, n_columns = count("rows"), count("columns")
        columns = [
            {
                field: data.get(f"{name}-col-{j}-{field}", "")
                for field in ("label", "kind", "unit", "decimals", "align")
            }
            for j in range(n_columns)
        ]
        rows = [
            [data.get(f"{name}-cell-{i}-{j}", "") for j in range(n_columns)]
            for i in range(n_rows)
        ]
        return {"columns": columns, "rows": rows}

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-columns" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Re-displayed input comes with its spare rows and columns: drop them so
        # that they are not offered twice.
        value = without_empty_lines(value)
        columns, rows = value["columns"], value["rows"]
        blank_column = {
            "label": "",
            "kind": "text",
            "unit": "",
            "decimals": "",
            "align": "auto",
        }
        if not columns and not rows:
            columns = [dict(blank_column) for _ in range(NEW_TABLE_SIZE)]
            rows = [[""] * NEW_TABLE_SIZE for _ in range(NEW_TABLE_SIZE)]
        columns += [dict(blank_column) for _ in range(SPARE_COLUMNS)]
        rows = [row + [""] * (len(columns) - len(row)) for row in rows]
        rows += [[""] * len(columns) for _ in range(SPARE_ROWS)]
        context["grid"] = {
            "columns": [
                {
                    **column,
                    "decimals": ""
                    if column.get("decimals") is None
                    else column["decimals"],
                }
                for column in columns
            ],
            "rows": rows,
            "kinds": ContentTableColumn.Kind.choices,
            "aligns": ContentTableColumn.Align.choices,
        }
        return context


def without_empty_lines(value: dict | None) -> dict:
    """Return the grid without rows and columns that hold nothing at all."""
    value = value or {"columns": [], "rows": []}
    columns, rows = value["columns"], value["rows"]
    kept = [
        j
        for j, column in enumerate(columns)
        if str(column.get("label") or "").strip()
        or any(plain_text(row[j]) for row in rows)
    ]
    rows = [[row[j].strip() for j in kept] for row in rows]
    return {
        "columns": [dict(columns[j]) for j in kept],
        "rows": [row for row in rows if any(plain_text(cell) for cell in row)],
    }


class TableGridField(forms.Field):
    """The cells and column settings of a table, as typed; checked by the form."""

    widget = TableGridWidget

    def has_changed(self, initial, data):
        def comparable(value):
            value = without_empty_lines(value)
            columns = [
                tuple(
                    str(column.get(key) or "").strip() for key in services.COLUMN_FIELDS
                )
                for column in value["columns"]
            ]
            return columns, value["rows"]

        return comparable(initial) != comparable(data)


def clean_grid(value: dict | None) -> dict:
    """Drop empty rows and columns, then check the table as a whole."""
    value = without_empty_lines(value)
    columns, rows = value["columns"], value["rows"]
    for number, column in enumerate(columns, start=1):
        decimals = str(column.get("decimals") or "").strip()
        if decimals and not (decimals.isdigit() and int(decimals) <= 10):
            raise ValidationError(
                _("Column %(n)d: decimals must be a whole number from 0 to 10.")
                % {"n": number}
            )
        column["decimals"] = int(decimals) if decimals else None
    validate_table(services.build_columns(columns), rows)
    return {"columns": columns, "rows": rows}


class BlockForm(forms.ModelForm):
    """One block of any kind; only the fields of its kind are used."""

    items = forms.CharField(
        label=_("Items"),
        required=False,
        widget=InlineTextWidget(mode="list"),
        help_text=_("One item per line; press Enter for the next item."),
    )
    caption = forms.CharField(
        label=_("Caption"),
        required=False,
        max_length=300,
        help_text=ContentTable._meta.get_field("caption").help_text,
    )
    source_note = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        help_text=ContentTable._meta.get_field("source_note").help_text,
    )
    grid = TableGridField(
        label=_("Table"),
        required=False,
        help_text=_(
            "Type a label for each column, then the cells. To remove a row or "
            "column, empty it. Save to get more empty rows and columns."
        ),
    )

    class Meta:
        model = Block
        fields = ["kind", "text", "ordered", "position"]
        widgets = {"text": InlineTextWidget(mode="paragraph")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        block = self.instance
        if block.pk is None:
            return
        if block.kind == Block.Kind.LIST:
            self.initial["items"] = "\n".join(item.text for item in block.items.all())
        elif block.kind == Block.Kind.TABLE and hasattr(block, "table"):
            table = block.table
            self.initial["caption"] = table.caption
            self.initial["source_note"] = table.source_note
            self.initial["grid"] = {
                "columns": [
                    {field: getattr(column, field) for field in services.COLUMN_FIELDS}
                    for column in table.columns.all()
                ],
                "rows": [row.cells for row in table.rows.all()],
            }

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Block.Kind.LIST and not services.clean_items(self._item_lines()):
            self.add_error("items", services.NO_ITEMS)
        if kind == Block.Kind.TABLE:
            try:
                cleaned["grid"] = clean_grid(cleaned.get("grid"))
            except ValidationError as error:
                self.add_error("grid", error)
        return cleaned

    def _post_clean(self):
        # Model validation (Block.clean) only concerns paragraphs; other kinds'
        # text is not kept.
        if self.cleaned_data.get("kind") != Block.Kind.PARAGRAPH:
            self.cleaned_data["text"] = ""
        super()._post_clean()

    def _item_lines(self) -> list[str]:
        return (self.cleaned_data.get("items") or "").splitlines()

    def _save_m2m(self):
        super()._save_m2m()
        services.set_block_content(
            self.instance,
            items=self._item_lines(),
            table={
                "caption": self.cleaned_data.get("caption") or "",
                "source_note": self.cleaned_data.get("source_note") or "",
                **(self.cleaned_data.get("grid") or {"columns": [], "rows": []}),
            },
        )


class SectionFormSet(nested_admin.formsets.NestedInlineFormSet):
    def clean(self):
        """Give new sections their anchors before anchors are checked for duplicates."""
        live_forms = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data") and not self._should_delete_form(form)
        ]
        taken = {form.cleaned_data.get("anchor") for form in live_forms} - {"", None}
        for form in live_forms:
            if not form.cleaned_data.get("anchor"):
                anchor = unique_anchor(form.cleaned_data.get("heading", ""), taken)
                form.cleaned_data["anchor"] = form.instance.anchor = anchor
        super().clean()


class ArticleForm(forms.ModelForm):
    """The article's own fields, plus the revision the editor started from."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ["title", "slug", "desk", "standfirst", "byline", "source_credit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            current = self.instance.current_revision()
            self.initial["base_revision"] = current.number if current else None


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


class ReviewForm(forms.Form):
    """A moderator's decision on a submitted revision."""

    APPROVE, SCHEDULE, REJECT = "approve", "schedule", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (APPROVE, _("Approve and publish now")),
            (SCHEDULE, _("Approve and publish at a set time")),
            (REJECT, _("Return to the author with comments")),
        ],
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        help_text=_("Your newsroom's time zone (%(zone)s).")
        % {"zone": settings.TIME_ZONE},
    )
    comment = forms.CharField(
        label=_("Comment for the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=_("Required when returning the article."),
    )
    add_correction = forms.BooleanField(
        label=_("Show readers a correction line"),
        required=False,
        help_text=_(
            "When this change corrects facts readers have already seen. The line "
            "below is written from the changes; edit it as needed."
        ),
    )
    correction = forms.CharField(
        label=_("Correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
    )
    reviewed_revision = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == self.SCHEDULE:
            at = cleaned.get("publish_at")
            if at is None:
                self.add_error("publish_at", _("Say when to publish it."))
            elif at <= timezone.now():
                self.add_error(
                    "publish_at", _("That time has passed; choose a later one.")
                )
        if decision == self.REJECT and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what needs to change."))
        if cleaned.get("add_correction") and not cleaned.get("correction", "").strip():
            self.add_error("correction", _("Write the correction readers will see."))
        if not cleaned.get("add_correction"):
            cleaned["correction"] = ""
        return cleaned


class ShareLinkForm(forms.Form):
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=30, initial=7
    )
