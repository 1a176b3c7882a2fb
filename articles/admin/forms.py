"""Admin forms: the article's fields and body, and workflow decisions."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from newsroom.formats import megabytes

from .. import workflow
from ..diff.anchors import Anchor, describe, locate, places
from ..editor import MAX_BODY_BYTES, BodyInvalid, parse_body
from ..models import Article


def posted_id(value) -> int | None:
    """The id a form posted, or None if it is not one a database could hold."""
    value = str(value or "")
    if not value.isascii() or not value.isdigit() or int(value) >= 2**63:
        return None
    return int(value)


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


class ThreadCommentForm(forms.Form):
    """A comment for the article's conversation, on a place of the version read.

    `place` is "" (the whole article) or an anchor of `diff.anchors` ("1.0",
    "1.0.3.2"); the page offers the blocks, and clicking a table's cell on the
    review screen chooses that cell. Any place posted is checked against the
    revision the person read (`revision`).
    """

    RETURN_TO = ("review", "change")

    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Write a comment first.")},
    )
    place = forms.CharField(
        label=_("About"), required=False, widget=forms.Select(choices=[])
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)
    return_to = forms.ChoiceField(
        choices=[(name, name) for name in RETURN_TO], widget=forms.HiddenInput
    )

    def __init__(self, *args, snapshot: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.snapshot = snapshot
        choices = [("", gettext("The whole article"))]
        choices += [(str(anchor), label) for anchor, label in places(snapshot)]
        posted = Anchor.parse(self.data.get("place", "")) if self.is_bound else None
        if posted is not None and posted.is_cell and locate(snapshot, posted):
            # A cell chosen on the page: offered again with what was typed.
            choices.append((str(posted), describe(snapshot, posted)))
        self.fields["place"].widget.choices = choices

    def clean_place(self) -> Anchor | None:
        text = self.cleaned_data["place"]
        if not text:
            return None
        anchor = Anchor.parse(text)
        if anchor is None or locate(self.snapshot, anchor) is None:
            raise ValidationError(
                _("That place is not in this version of the article; choose another.")
            )
        return anchor


class SubmitNoteForm(forms.Form):
    """The note sent with "Save and submit for review", from the article's page."""

    comment = forms.CharField(
        label=_("Note for the moderator (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, prefix="submit", **kwargs)


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


class CompareForm(forms.Form):
    """What the review screen compares the submitted version with (a GET form).

    The choices are the version last returned to the author, the published
    one and every other revision of this article, by number; a number that is
    not among them is refused, so another article's revision is never loaded.
    """

    RETURNED, LIVE, NOTHING = "returned", "live", "nothing"

    compare = forms.ChoiceField(
        label=_("Compare with"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not one of this article's versions; showing the "
                "usual comparison instead."
            )
        },
    )

    def __init__(self, data, *, returned, live, revisions):
        """`returned` and `live` are Revisions or None; `revisions` holds
        (number, created_at, author's name) of the others, newest first."""
        self.default = (
            self.RETURNED if returned else self.LIVE if live else self.NOTHING
        )
        bound = data if data and "compare" in data else None
        super().__init__(bound, initial={"compare": self.default})
        choices = []
        if returned:
            choices.append(
                (
                    self.RETURNED,
                    _("The version returned to its author (revision %d)")
                    % returned.number,
                )
            )
        if live:
            choices.append(
                (self.LIVE, _("The published version (revision %d)") % live.number)
            )
        for number, created_at, author in revisions:
            when = date_format(timezone.localtime(created_at), "SHORT_DATETIME_FORMAT")
            choices.append(
                (
                    str(number),
                    _("Revision %(number)d (%(author)s, %(when)s)")
                    % {
                        "number": number,
                        "author": author or gettext("unknown"),
                        "when": when,
                    },
                )
            )
        choices.append((self.NOTHING, _("Nothing: show the whole article as new")))
        self.fields["compare"].choices = choices

    @property
    def choice(self) -> str:
        """The comparison asked for if valid, else the default: a key or a number."""
        if self.is_bound and self.is_valid() and self.cleaned_data["compare"]:
            return self.cleaned_data["compare"]
        return self.default


class ShareLinkForm(forms.Form):
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=30, initial=7
    )


class RevokeLinkForm(forms.Form):
    """The confirmation that a share link is to stop working."""

    revoke = forms.IntegerField(widget=forms.HiddenInput)
    confirmed = forms.CharField(widget=forms.HiddenInput, initial="yes")
