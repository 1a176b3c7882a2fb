"""The admin's "Import articles" page: upload or paste, preview, create drafts.

The documents wait in the session between the preview and the creation, so
that nothing is uploaded twice and the page never holds megabytes of hidden
fields. Creating drafts goes through `importing.load`, one transaction per
document, exactly as the command does.

A request takes a few files and a few hundred kilobytes: the preview parses
all of them at once, and parsing costs up to about 4 s and 240 MB a megabyte
(markdown-it's tokens, for text that is all pipe tables). Large batches
belong to `manage.py import_articles`, which reads one file at a time.
"""

import base64
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from newsroom.formats import file_size

from ..importing import MAX_BYTES, ImportRefused, parse
from ..importing.load import content_hash, import_document
from ..models import Article, Desk

MAX_FILES = 10
MAX_TOTAL_BYTES = 512 * 1024  # files and pasted text together
# The preview shows this much of each table and of each place's repairs;
# the drafts get everything.
PREVIEW_ROWS = 10
PREVIEW_NOTES = 10
SESSION_KEY = "newsroom_pending_import"
_WHERE = re.compile(r"section (\d+)(?:, block (\d+))?")
LARGER_BATCHES = _(
    "Import larger batches on the server: python manage.py import_articles PATH…"
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [
                super(MultipleFileField, self).clean(item, initial) for item in data
            ]
        return [super().clean(data, initial)] if data else []


# The form's texts that hold sizes or settings are written when shown (lazy),
# in the language and with the settings of that moment, not at import.
def _files_help() -> str:
    return gettext(
        "HTML, markdown or plain text: up to %(count)d files and %(size)s at a "
        "time, pasted text included. The preview shows the first %(rows)d rows "
        "of each table; the drafts get every row. %(larger)s"
    ) % {
        "count": MAX_FILES,
        "size": file_size(MAX_TOTAL_BYTES),
        "rows": PREVIEW_ROWS,
        "larger": LARGER_BATCHES,
    }


def _text_help() -> str:
    return gettext("Up to %(size)s, together with the files.") % {
        "size": file_size(MAX_TOTAL_BYTES)
    }


def _import_desk_label() -> str:
    return gettext("The import desk (%(slug)s)") % {
        "slug": settings.NEWSROOM_IMPORT_DESK
    }


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".html,.htm,.md,.txt"}),
        help_text=lazy(_files_help, str)(),
    )
    text = forms.CharField(
        label=_("Or paste an article"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 90}),
        help_text=lazy(_text_help, str)(),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("auto", _("Recognise it")),
            ("html", "HTML"),
            ("markdown", "Markdown"),
        ],
    )
    desk = forms.ModelChoiceField(
        label=_("Desk"),
        queryset=Desk.objects.all(),
        required=False,
        empty_label=lazy(_import_desk_label, str)(),
    )

    def clean(self):
        cleaned = super().clean()
        files = cleaned.get("files") or []
        text = cleaned.get("text", "")
        if not files and not text.strip():
            raise forms.ValidationError(_("Choose files or paste an article."))
        if len(files) > MAX_FILES:
            self.add_error(
                "files",
                _(
                    "You chose %(count)d files; the page takes up to %(max)d at a "
                    "time. %(larger)s"
                )
                % {"count": len(files), "max": MAX_FILES, "larger": LARGER_BATCHES},
            )
        # Sizes as uploaded: nothing has been read yet.
        files_size = sum(upload.size for upload in files)
        text_size = len(text.encode("utf-8"))
        if files_size + text_size > MAX_TOTAL_BYTES:
            if text_size > MAX_TOTAL_BYTES:
                field, message = "text", _("The pasted text is %(size)s")
            elif files_size > MAX_TOTAL_BYTES:
                field, message = "files", _("The files come to %(size)s")
            else:
                field = None
                message = _("The files and the pasted text come to %(size)s")
            message = message % {"size": file_size(files_size + text_size)}
            self.add_error(
                field,
                _("%(message)s; the page takes up to %(max)s at a time. %(larger)s")
                % {
                    "message": message,
                    "max": file_size(MAX_TOTAL_BYTES),
                    "larger": LARGER_BATCHES,
                },
            )
        return cleaned


def import_view(request):
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied
    context = {"title": _("Import articles")}
    if request.method == "POST" and "create" in request.POST:
        return _create(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        # A new batch replaces the one waiting, even when it is refused.
        request.session.pop(SESSION_KEY, None)
    if request.method == "POST" and form.is_valid():
        documents = _documents(form.cleaned_data)
        request.session[SESSION_KEY] = {
            "format": form.cleaned_data["format"],
            "desk": form.cleaned_data["desk"].pk if form.cleaned_data["desk"] else None,
            "documents": [
                {"name": name, "data": base64.b64encode(data).decode("ascii")}
                for name, data in documents
            ],
        }
        context["previews"] = [
            _preview(name, data, form.cleaned_data["format"])
            for name, data in documents
        ]
    context["form"] = form
    return TemplateResponse(
        request, "admin/articles/import.html", _with_admin(request, context)
    )


def _documents(data) -> list[tuple[str, bytes]]:
    documents = []
    for upload in data["files"]:
        # One byte more than the limit, so that the parser can say it is too big.
        documents.append((upload.name, upload.read(MAX_BYTES + 1)))
    if data["text"].strip():
        text = data["text"].encode("utf-8")
        # Named by content, so pasting the same text again is recognised.
        documents.append((f"pasted text {content_hash(text)[:12]}", text))
    return documents


def _preview(name: str, data: bytes, format: str) -> dict:
    """The structure the import would create, each repair beside its block."""
    try:
        article = parse(data, format=format, name=name)
    except ImportRefused as refusal:
        return {"name": name, "error": str(refusal)}
    located: dict[tuple, list] = {}
    for note in article.notes:
        match = _WHERE.search(note.where)
        key = (int(match[1]), int(match[2]) if match[2] else None) if match else ()
        located.setdefault(key, []).append(note)
    sections = [
        {
            "heading": section.heading,
            **_shown_notes(located.get((s, None), [])),
            "blocks": [
                {
                    "block": block,
                    "kind": type(block).__name__,
                    **_shown_rows(block),
                    **_shown_notes(located.get((s, b), [])),
                }
                for b, block in enumerate(section.blocks, start=1)
            ],
        }
        for s, section in enumerate(article.sections, start=1)
    ]
    return {
        "name": name,
        "article": article,
        "sections": sections,
        **{
            f"general_{key}": value
            for key, value in _shown_notes(located.get((), [])).items()
        },
    }


def _shown_rows(block) -> dict:
    rows = getattr(block, "rows", [])
    return {"rows": rows[:PREVIEW_ROWS], "more_rows": len(rows[PREVIEW_ROWS:])}


def _shown_notes(notes: list) -> dict:
    return {"notes": notes[:PREVIEW_NOTES], "more_notes": len(notes[PREVIEW_NOTES:])}


def _create(request):
    pending = request.session.pop(SESSION_KEY, None)
    if not pending:
        messages.error(
            request, _("There was nothing waiting to be imported; start again.")
        )
        return HttpResponseRedirect(request.path)
    desk = Desk.objects.filter(pk=pending["desk"]).first() if pending["desk"] else None
    desk = (
        desk
        or Desk.objects.get_or_create(
            slug=settings.NEWSROOM_IMPORT_DESK,
            defaults={
                "name": settings.NEWSROOM_IMPORT_DESK.replace("-", " ").capitalize()
            },
        )[0]
    )
    outcomes = [
        import_document(
            base64.b64decode(document["data"]),
            name=document["name"],
            desk=desk,
            by=request.user,
            format=pending["format"],
        )
        for document in pending["documents"]
    ]
    context = {"title": _("Import results"), "outcomes": outcomes}
    return TemplateResponse(
        request, "admin/articles/import_results.html", _with_admin(request, context)
    )


def _with_admin(request, context: dict) -> dict:
    return {**admin.site.each_context(request), "opts": Article._meta, **context}
