"""The document editor's JSON endpoints: autosave, working copy, preview, paste.

Each answers JSON, refusals included: `{"errors": [{"place": {...},
"message": ...}]}` with 400 (what was posted), 403 (who asks, or an article
that cannot be edited now) or 404. The article always comes from the
address, never from what was posted; who may write to it is the workflow
policy's answer (`workflow.check(EDIT, ...)`). The admin's CSRF protection
covers every POST (the editor sends the X-CSRFToken header).
"""

import json
from functools import wraps

from csp.decorators import csp_replace
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from newsroom.formats import megabytes

from ... import workflow
from ...editor import MAX_BODY_BYTES, BodyInvalid, parse_article, paste, storable
from ...importing import ImportRefused
from ...models import Article, Revision, WorkingCopy
from ...snapshot import ARTICLE_FIELDS, VERSION
from ...views import render_article

# A revision's number, as the working copy's field can hold it.
MAX_REVISION_NUMBER = 2**31 - 1
# A paste's JSON: its text (at most paste.MAX_BYTES) and the escapes around it.
MAX_PASTE_BODY_BYTES = 2 * paste.MAX_BYTES
PASTE_KEYS = frozenset({"html", "text", "first_row_labels"})


class Refused(Exception):
    """A request the endpoint refuses: its status and its errors' messages."""

    def __init__(self, status: int, *messages: str):
        self.status = status
        self.messages = messages
        super().__init__(*messages)


def refusal(status: int, *messages: str) -> JsonResponse:
    """The JSON answer to a refused request: errors without a place."""
    errors = [{"place": {}, "message": message} for message in messages]
    return JsonResponse({"errors": errors}, status=status)


def answers_json(view):
    """Answer a view's refusals (403, 404, Refused) as JSON errors."""

    @wraps(view)
    def wrapper(self, request, *args, **kwargs):
        try:
            return view(self, request, *args, **kwargs)
        except Refused as refused:
            return refusal(refused.status, *refused.messages)
        except workflow.WorkflowError as refused:  # the person, or the state
            return refusal(403, str(refused))
        except PermissionDenied:
            return refusal(403, _("You do not have permission to do this."))
        except Http404:
            return refusal(404, _("There is no such article."))

    return wrapper


def read_json(request, limit: int):
    """The request's body decoded from JSON; Refused (400) if too large or not JSON.

    A body declared larger than `limit` bytes is refused before it is read.
    """
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if size <= limit:
        body = request.body
        size = len(body)
    if size > limit:
        raise Refused(
            400,
            _("What was sent is too large (%(size)s): the limit is %(limit)s.")
            % {"size": megabytes(size), "limit": megabytes(limit)},
        )
    try:
        return json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise Refused(400, _("What was sent is not valid JSON.")) from error


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _base_revision(document: dict) -> int | None:
    number = document.get("base_revision")
    if isinstance(number, bool) or not isinstance(number, int):
        return None
    return number if 0 < number <= MAX_REVISION_NUMBER else None


class EditorViews:
    """The document editor's endpoints, mixed into ArticleAdmin."""

    def _editor_article(self, request, object_id) -> Article:
        """The article at the address, if this person may see it; else 404/403."""
        articles = Article.objects.select_related("desk")
        article = get_object_or_404(articles, pk=object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    @method_decorator(require_POST)
    @answers_json
    def editor_autosave_view(self, request, object_id):
        """Keep what this person has typed in the article, valid or not."""
        article = self._editor_article(request, object_id)
        workflow.check(workflow.EDIT, article, by=request.user)
        document = read_json(request, MAX_BODY_BYTES)
        if not isinstance(document, dict):
            raise Refused(400, _("The document must be a JSON object."))
        if not storable(document):
            raise Refused(
                400,
                _(
                    "The document holds a character that cannot be stored (such as "
                    "NUL)."
                ),
            )
        copy, _created = WorkingCopy.objects.update_or_create(
            article=article,
            user=request.user,
            defaults={"data": document, "base_revision": _base_revision(document)},
        )
        return JsonResponse({"saved_at": copy.saved_at.isoformat()})

    @method_decorator(require_POST)
    @answers_json
    def editor_discard_view(self, request, object_id):
        """Throw away this person's working copy of the article."""
        article = self._editor_article(request, object_id)
        # One's own working copy can be thrown away whatever the article's
        # state (in review, scheduled): it changes nothing of the article.
        # Without the permission, `check` raises the policy's refusal.
        if not workflow.has_permission(workflow.EDIT, article, by=request.user):
            workflow.check(workflow.EDIT, article, by=request.user)
        WorkingCopy.objects.filter(article=article, user=request.user).delete()
        return HttpResponse(status=204)

    @method_decorator(require_GET)
    @answers_json
    def editor_working_copy_view(self, request, object_id):
        """This person's working copy of the article, to offer it back."""
        article = self._editor_article(request, object_id)
        copy = WorkingCopy.objects.filter(article=article, user=request.user).first()
        if copy is None:
            raise Refused(404, _("You have no unsaved changes to this article."))
        return JsonResponse(
            {
                "data": copy.data,
                "saved_at": copy.saved_at.isoformat(),
                "base_revision": copy.base_revision,
            }
        )

    # The editor shows the preview in an <iframe>: the site's own pages may
    # frame it, no other site may (as the revision preview, history.py).
    @method_decorator(require_GET)
    @method_decorator(xframe_options_sameorigin)
    @method_decorator(csp_replace({"frame-ancestors": ["'self'"]}))
    def editor_preview_view(self, request, object_id):
        """This person's working copy as readers would see it, else the current one.

        `?width=phone` and the like are for the frame: the page is the same.
        """
        article = self._editor_article(request, object_id)
        copy = WorkingCopy.objects.filter(article=article, user=request.user).first()
        if copy is None:
            current = article.current_revision()
            if current is None:
                raise Http404(_("This article has no saved version to preview."))
            return render_article(
                request,
                article,
                current,
                preview=_("Preview of revision %d") % current.number,
            )
        try:
            document = parse_article(copy.data)
        except BodyInvalid as invalid:
            return self._invalid_preview(request, article, invalid.errors)
        numbers = article.revisions.order_by("-number").values_list("number", flat=True)
        revision = Revision(
            article=article,
            number=(numbers.first() or 0) + 1,
            title=document["title"],
            snapshot={
                "version": VERSION,
                **{name: document[name] for name in ARTICLE_FIELDS},
                "sections": document["sections"],
            },
        )
        return render_article(
            request, article, revision, preview=_("Preview of your unsaved changes")
        )

    def _invalid_preview(self, request, article, errors: list[dict]):
        response = TemplateResponse(
            request,
            "admin/articles/editor_preview_invalid.html",
            {
                "article": article,
                "errors": errors,
                "preview": _("Preview of your unsaved changes"),
            },
            status=422,
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    @method_decorator(require_POST)
    @answers_json
    def editor_paste_table_view(self, request):
        """The tables of pasted HTML or spreadsheet text, made valid, with notes.

        Posted: {"html": ...} or {"text": ..., "first_row_labels": true}.
        Answers {"tables": [{"table": <a table block>, "notes": [...]}]}.
        """
        user = request.user
        if not (
            workflow.has_permission(workflow.EDIT, None, by=user)
            or user.has_perm("articles.add_article")
        ):
            raise Refused(403, _("You do not have permission to edit articles."))
        posted = read_json(request, MAX_PASTE_BODY_BYTES)
        content = _pasted(posted)
        if not storable(content):
            raise Refused(
                400, _("What was pasted holds a character that cannot be read.")
            )
        size = len(content.encode())
        if size > paste.MAX_BYTES:
            raise Refused(
                400,
                _("What was pasted is %(size)s; the limit is %(limit)s.")
                % {"size": megabytes(size), "limit": megabytes(paste.MAX_BYTES)},
            )
        try:
            if "html" in posted:
                tables = paste.tables_from_html(content)
            else:
                first_row_labels = posted.get("first_row_labels", True)
                tables = paste.tables_from_text(
                    content, first_row_labels=first_row_labels
                )
        except ImportRefused as refused:
            raise Refused(400, str(refused)) from refused
        return JsonResponse({"tables": [table.as_dict() for table in tables]})


def _pasted(posted) -> str:
    """The pasted HTML or text; Refused (400) when the request is not one."""
    if (
        isinstance(posted, dict)
        and posted.keys() <= PASTE_KEYS
        and len(posted.keys() & {"html", "text"}) == 1
        and isinstance(posted.get("html", posted.get("text")), str)
        and isinstance(posted.get("first_row_labels", True), bool)
    ):
        return posted.get("html", posted.get("text"))
    raise Refused(
        400,
        _("Send what was pasted as “html” or as “text” (tab-separated), one of them."),
    )
