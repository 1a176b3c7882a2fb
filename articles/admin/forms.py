"""Admin forms: the article editor (blocks edited in place) and workflow decisions."""

import json

import nested_admin
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from newsroom.formats import megabytes

from .. import services, workflow
from ..editor import MAX_BODY_BYTES, BodyInvalid, parse_body
from ..models import (
    Article,
    Block,
    ContentTable,
    TableInvalid,
)
from ..models.body import unique_anchor
from ..snapshot import COLUMN_FIELDS, TABLE_FIELDS
from .grid import TableGridField, clean_grid


def inline_editor_strings() -> dict:
    """The words the inline editor's script shows, translated now.

    static/js/inline-editor.js has none of its own; it fills in %(name)s.
    """
    return {
        "BOLD": gettext("B"),  # the button's letter
        "BOLD_HELP": gettext("Bold (Ctrl+B)"),
        "ITALIC": gettext("I"),
        "ITALIC_HELP": gettext("Italic (Ctrl+I)"),
        "LINK": gettext("Link"),
        "LINK_HELP": gettext("Link the selected words"),
        "UNLINK": gettext("Unlink"),
        "UNLINK_HELP": gettext("Remove the link"),
        "LINK_ADDRESS": gettext("Link address (https://...)"),
        "TOOLBAR": gettext("%(field)s formatting"),
    }


class InlineTextWidget(forms.Textarea):
    """A textarea that becomes a small bold/italic/link editor in the browser.

    `mode` is "paragraph" (one paragraph) or "list" (one item per line). The
    editor's words come with it, translated when it is rendered
    (data-inline-editor-strings).
    """

    class Media:
        js = ["js/newsroom-admin.js", "js/inline-editor.js"]

    def __init__(self, mode: str = "paragraph", attrs=None):
        super().__init__(attrs={"rows": 4, "data-inline-editor": mode, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        strings = json.dumps(inline_editor_strings(), ensure_ascii=False)
        context["widget"]["attrs"]["data-inline-editor-strings"] = strings
        return context


# The form's fields that each kind of block uses: a table's are its settings
# in the snapshot schema and the grid. The editor's script shows only these
# (static/js/block-kind.js, through the kind menu's data-fields-by-kind).
FIELDS_BY_KIND = {
    Block.Kind.PARAGRAPH.value: ["text"],
    Block.Kind.LIST.value: ["ordered", "items"],
    Block.Kind.TABLE.value: [*TABLE_FIELDS, "grid"],
}


class BlockForm(forms.ModelForm):
    """One block of any kind; only the fields of its kind are used."""

    items = forms.CharField(
        label=_("Items"),
        required=False,
        widget=InlineTextWidget(mode="list"),
        help_text=_("One item per line; press Enter for the next item."),
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
        widgets = {
            "kind": forms.Select(
                attrs={"data-fields-by-kind": json.dumps(FIELDS_BY_KIND)}
            ),
            "text": InlineTextWidget(mode="paragraph"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        block = self.instance
        if block.pk is None:
            return
        if block.kind == Block.Kind.LIST:
            self.initial["items"] = "\n".join(item.text for item in block.items.all())
        elif block.kind == Block.Kind.TABLE and hasattr(block, "table"):
            table = block.table
            for field in TABLE_FIELDS:
                self.initial[field] = getattr(table, field)
            self.initial["grid"] = {
                "columns": [
                    {field: getattr(column, field) for field in COLUMN_FIELDS}
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
            self._clean_table(cleaned)
        return cleaned

    def _clean_table(self, cleaned):
        widget = self.fields["grid"].widget
        try:
            cleaned["grid"], widget.problems = clean_grid(
                cleaned.get("grid"),
                caption=cleaned.get("caption", ""),
                source_note=cleaned.get("source_note", ""),
            )
        except TableInvalid as invalid:
            # The grid lists each problem beside its cell.
            widget.problems = invalid.problems
            self.add_error(
                "grid", _("The table cannot be saved yet: see the problems below.")
            )
        except ValidationError as error:
            self.add_error("grid", error)

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
        table = {field: self.cleaned_data.get(field) for field in TABLE_FIELDS}
        services.set_block_content(
            self.instance,
            items=self._item_lines(),
            table={**table, **(self.cleaned_data.get("grid") or {})},
        )


def _table_formfield(field, **kwargs):
    if field.name == "source_url":
        kwargs["assume_scheme"] = "https"
    return field.formfield(required=False, **kwargs)


# The table's caption, source and row-header setting, as the model defines them.
_table_fields = forms.fields_for_model(
    ContentTable, fields=TABLE_FIELDS, formfield_callback=_table_formfield
)
BlockForm.base_fields.update(_table_fields)
BlockForm.declared_fields.update(_table_fields)


NOT_IN_ARTICLE = _(
    "This page holds a %(part)s that is not part of this article: someone may have "
    "removed or replaced it since you opened the page. Nothing was saved. Copy what "
    "you typed from below, then reload the page."
)


def posted_id(value) -> int | None:
    """The id a form posted, or None if it is not one a database could hold."""
    value = str(value or "")
    if not value.isascii() or not value.isdigit() or int(value) >= 2**63:
        return None
    return int(value)


class ArticleScopedFormSet(nested_admin.formsets.NestedInlineFormSet):
    """Inline forms that may only load, change or delete the article's own parts.

    django-nested-admin looks up every posted id in the whole table, so that a
    block dragged to another section keeps its id. Here the lookup is limited
    to the article being edited: a part may still move between its sections,
    but a posted id that is not one of the article's own parts (another
    article's, a deleted one's, not an id at all) is a form error and nothing
    is written. Forms marked for deletion are checked too: Django skips their
    errors, and nested-admin deletes by the posted id.
    """

    # How a part names its article, as a lookup: set by each formset below.
    article_lookup = ""

    def article_parts(self) -> QuerySet:
        """All the parts of the edited article this formset may load."""
        parent = self.instance  # the article, or a section of it
        article_id = parent.pk if isinstance(parent, Article) else parent.article_id
        return self.model.objects.filter(**{self.article_lookup: article_id})

    def get_queryset(self):
        if not hasattr(self, "_own_parts"):
            if self.is_bound:
                ids = [pk for pk in self._posted_ids() if pk is not None]
                self._own_parts = self.article_parts().filter(pk__in=ids)
            else:
                # Django's own: the parts of this formset's parent.
                self._own_parts = super().get_queryset()
        return self._own_parts

    def _posted_ids(self) -> list[int | None]:
        """The ids posted by the forms for existing parts (None where not an id)."""
        ids = []
        for i in range(self.initial_form_count()):
            key = f"{self.add_prefix(i)}-{self.model._meta.pk.name}"
            ids.append(posted_id(self.data.get(key)))
        return ids

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The hidden id field accepts only this article's parts.
        form.fields[self.model._meta.pk.name].queryset = self.article_parts()

    def clean(self):
        own = {part.pk for part in self.get_queryset()}
        # If the page is shown again with errors, Django pairs each form with
        # the queryset's part in the same position: pair every form with its
        # own (a new one where its id is refused), so that none is left out.
        self._own_parts = [form.instance for form in self.initial_forms]
        if any(pk not in own for pk in self._posted_ids()):
            raise ValidationError(
                NOT_IN_ARTICLE % {"part": self.model._meta.verbose_name},
                code="not_in_article",
            )
        super().clean()


class BlockFormSet(ArticleScopedFormSet):
    article_lookup = "section__article_id"


class SectionFormSet(ArticleScopedFormSet):
    article_lookup = "article_id"

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
    """The article's own fields, the revision the editor started from, the body.

    `body` is the whole body as JSON (the snapshot's sections), written by the
    document editor (static/js/editor/) and checked here as one tree; a form
    posted without it (no JavaScript) leaves the body as it is.
    """

    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    class Meta:
        model = Article
        fields = ["title", "slug", "desk", "standfirst", "byline", "source_credit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.body_errors: list[dict] = []
        if self.instance.pk is not None:
            current = self.instance.current_revision()
            self.initial["base_revision"] = current.number if current else None

    def clean_body(self):
        text = self.cleaned_data.get("body") or ""
        if not text:
            return None
        size = len(text.encode())
        if size > MAX_BODY_BYTES:
            message = gettext(
                "The body is too large (%(size)s): the limit is %(limit)s. "
                "Nothing was saved."
            ) % {"size": megabytes(size), "limit": megabytes(MAX_BODY_BYTES)}
            self.body_errors = [{"place": {}, "message": message}]
            raise ValidationError(message)
        try:
            return parse_body(_json_or_none(text))
        except BodyInvalid as invalid:
            self.body_errors = invalid.errors
            raise ValidationError(
                ngettext(
                    "The body has a problem: see it in the editor.",
                    "The body has %(count)d problems: see them in the editor.",
                    len(invalid.errors),
                )
                % {"count": len(invalid.errors)}
            ) from None

    def posted_sections(self) -> list | None:
        """The body as posted, if it was one, to show it again with its errors.

        Even one over MAX_BODY_BYTES, so that what was typed is not lost: the
        request's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) bounds it.
        """
        data = _json_or_none(self.data.get("body") or "")
        return data if isinstance(data, list) else None


def _json_or_none(text: str):
    """`text` decoded, or None if it is not JSON (NaN and Infinity are not)."""
    try:
        return json.loads(text, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return None


def _not_json(name: str):
    raise ValueError(f"{name} is not JSON")


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


def _time_zone_help() -> str:
    # Written when shown: the time zone the form reads the time in, now.
    return gettext("Your newsroom's time zone (%(zone)s).") % {
        "zone": timezone.get_current_timezone_name()
    }


class ReviewForm(forms.Form):
    """A moderator's decision on a submitted revision."""

    APPROVE, SCHEDULE, REJECT = workflow.APPROVE, workflow.SCHEDULE, workflow.REJECT

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
        help_text=lazy(_time_zone_help, str)(),
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
    override_reason = forms.CharField(
        label=_("Approve despite the warnings, because…"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 70}),
        help_text=_("Recorded in the article's history."),
    )
    reviewed_revision = forms.IntegerField(widget=forms.HiddenInput)

    def offer(self, actions: list[str]) -> None:
        """Show only the decisions in `actions` (`workflow.available_actions`).

        Any decision posted still validates, so that the workflow refuses it as
        it refuses every other request: a 403 for one the person may not take.
        """
        field = self.fields["decision"]
        field.widget.choices = [
            (value, label) for value, label in field.choices if value in actions
        ]

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
