"""The admin's "Import articles" page: upload or paste, preview, create drafts.

The documents wait in the session between the preview and the creation, so
that nothing is uploaded twice and the page never holds megabytes of hidden
fields. Creating drafts goes through `importing.load`, one transaction per
document, exactly as the command does.
"""

import base64
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ..importing import MAX_BYTES, ImportRefused, parse
from ..importing.load import content_hash, import_document
from ..models import Article, Desk

MAX_FILES = 20
SESSION_KEY = "newsroom_pending_import"
_WHERE = re.compile(r"section (\d+)(?:, block (\d+))?")


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


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".html,.htm,.md,.txt"}),
        help_text=_(
            "HTML, markdown or plain text; up to %(count)d files of %(size)d MB."
        )
        % {"count": MAX_FILES, "size": MAX_BYTES // 1024 // 1024},
    )
    text = forms.CharField(
        label=_("Or paste an article"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 90}),
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
        empty_label=_("The import desk (%s)") % settings.NEWSROOM_IMPORT_DESK,
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("files") and not cleaned.get("text", "").strip():
            raise forms.ValidationError(_("Choose files or paste an article."))
        if len(cleaned.get("files") or []) > MAX_FILES:
            raise forms.ValidationError(_("At most %d files at a time.") % MAX_FILES)
        return cleaned


def import_view(request):
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied
    context = {"title": _("Import articles")}
    if request.method == "POST" and "create" in request.POST:
        return _create(request)
    form = ImportForm(request.POST or None, request.FILES or None)
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
            "notes": located.get((s, None), []),
            "blocks": [
                {
                    "block": block,
                    "kind": type(block).__name__,
                    "notes": located.get((s, b), []),
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
        "general_notes": located.get((), []),
    }


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
