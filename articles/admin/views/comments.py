"""The article's conversation: its thread, new comments, resolving them.

The thread is shown at the top of the review screen and of the article's
page (`thread_context`); both post here. Every write is scoped to the article
in the address, by someone the policy lets comment on it
(`workflow.comment_refusal`).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ... import charts, rendering, workflow
from ...diff.anchors import Anchor, describe, map_anchor
from ...models import Comment, Revision
from ...tables import ContentTableView
from ..forms import ThreadCommentForm


@dataclass
class Entry:
    """One comment as the thread shows it."""

    comment: Comment
    number: int
    place: str  # where it points, in the version it was written on
    anchor: Anchor | None  # the same place in the version shown, if any
    gone: bool  # it pointed at a place the version shown no longer has
    can_resolve: bool


def thread_context(request, article, current: Revision | None, *, return_to: str):
    """What `_thread.html` shows: the entries, the form, the markers by place."""
    comments = list(article.comments.thread())
    written_on = {current.pk: current} if current else {}
    wanted = {c.revision_id for c in comments if c.section is not None} - {
        None,
        *written_on,
    }
    written_on |= {r.pk: r for r in Revision.objects.filter(pk__in=wanted)}
    may_comment = not workflow.comment_refusal(article, request.user)
    entries = []
    for number, comment in enumerate(comments, start=1):
        anchor = Anchor.of(comment)
        revision = written_on.get(comment.revision_id)
        place, here = "", None
        if anchor is not None and revision is not None:
            place = describe(revision.snapshot, anchor)
            if current is not None:
                here = map_anchor(revision.snapshot, current.snapshot, anchor)
        entries.append(
            Entry(
                comment,
                number,
                place,
                here,
                gone=bool(place) and current is not None and here is None,
                can_resolve=may_comment
                and comment.resolvable
                and not comment.is_resolved,
            )
        )
    form = None
    if may_comment and current is not None:
        form = ThreadCommentForm(
            snapshot=current.snapshot,
            initial={"revision": current.number, "return_to": return_to},
        )
    return {
        "thread": entries,
        "thread_form": form,
        "thread_action": reverse("admin:articles_article_comment", args=[article.pk]),
        "thread_return_to": return_to,
        # For static/js/thread.js: naming a cell clicked on the review screen.
        "thread_strings": {
            "cell": gettext("Table %(table)s, row “%(row)s”, column “%(column)s”"),
        },
    }


def marked_body(
    request, snapshot: dict, entries: list[Entry], *, revision_id: int | None = None
) -> SafeString:
    """The version's body as readers see it, with the comments' markers in place.

    Not the cached body: the markers belong to this screen. Tables are made
    as `views.table_view` makes them for a preview, with their markers and
    their charts (kept by `revision_id`, the version's revision).
    """
    by_place: dict[Anchor, list[Entry]] = {}
    for entry in entries:
        if entry.anchor is not None:
            by_place.setdefault(entry.anchor, []).append(entry)
    markers = {anchor: _marker(found) for anchor, found in by_place.items()}
    place_of = {
        id(block): (s, b)
        for s, section in enumerate(snapshot["sections"])
        for b, block in enumerate(section["blocks"])
    }

    def table_for(block: dict, number: int) -> ContentTableView:
        s, b = place_of[id(block)]
        marks: dict[int, dict[int, tuple[str, str]]] = {}
        for anchor, marker in markers.items():
            if (anchor.section, anchor.block) == (s, b) and anchor.is_cell:
                marks.setdefault(anchor.row + 1, {})[anchor.column] = marker
        return ContentTableView(
            block,
            prefix=f"t{number}-",
            anchor=f"table-{number}",
            request=request,
            marks=marks,
            chart=charts.rendered(
                block, anchor=f"table-{number}", revision_id=revision_id
            ),
        )

    sections = rendering.sections(snapshot, table_for)
    for s, section in enumerate(sections):
        for b, block in enumerate(section["blocks"]):
            block["place"] = str(Anchor(s, b))
            block["marker"] = markers.get(Anchor(s, b), ("", ""))[1]
    return render_to_string(
        "admin/articles/_marked_body.html", {"sections": sections, "request": request}
    )


def _marker(entries: list[Entry]) -> tuple[str, str]:
    """The ids for `data-comments` and the links to the comments, escaped."""
    ids = " ".join(str(entry.comment.pk) for entry in entries)
    links = "".join(
        f'<a class="nr-comment-marker" href="#comment-{entry.comment.pk}"'
        f' aria-label="{escape(gettext("Comment %d") % entry.number)}">'
        f"{entry.number}</a>"
        for entry in entries
    )
    return ids, mark_safe(links)  # noqa: S308 - numbers and escaped words


class CommentScreens:
    """Post a comment to an article's thread; resolve one."""

    def _thread_url(self, article, return_to: str, anchor: str = "") -> str:
        name = "review" if return_to == "review" else "change"
        url = reverse(f"admin:articles_article_{name}", args=[article.pk])
        return f"{url}#{anchor or 'thread'}"

    def _may_comment(self, request, article) -> None:
        if refusal := workflow.comment_refusal(article, request.user):
            raise PermissionDenied(refusal)

    def comment_view(self, request, object_id):
        article = self._article(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(article))
        self._may_comment(request, article)
        current = article.current_revision()
        if current is None:
            messages.error(request, _("Save the article before commenting on it."))
            return HttpResponseRedirect(self._change_url(article))
        form = ThreadCommentForm(request.POST, snapshot=current.snapshot)
        if form.is_valid():
            data = form.cleaned_data
            try:
                comment = workflow.comment(
                    article,
                    by=request.user,
                    text=data["text"],
                    revision=data["revision"],
                    anchor=data["place"],
                )
            except workflow.WorkflowPermissionDenied:
                raise
            except workflow.WorkflowError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Your comment was added."))
                return HttpResponseRedirect(
                    self._thread_url(
                        article, data["return_to"], f"comment-{comment.pk}"
                    )
                )
        # Shown again with what was typed; the version read is the current one.
        form.data = form.data.copy()
        form.data["revision"] = current.number
        return self._render(
            request,
            "admin/articles/comment.html",
            article,
            _("Comment on “%s”") % article.title,
            thread_form=form,
            thread_action=request.path,
            back=self._thread_url(article, self._posted_return_to(request)),
        )

    @staticmethod
    def _posted_return_to(request) -> str:
        value = request.POST.get("return_to", "")
        return value if value in ThreadCommentForm.RETURN_TO else "change"

    def resolve_comment_view(self, request, object_id, comment_id):
        article = self._article(request, object_id)
        comment = get_object_or_404(article.comments, pk=comment_id)
        return_to = self._posted_return_to(request)
        if request.method == "POST":
            try:
                workflow.resolve(comment, by=request.user)
            except workflow.WorkflowPermissionDenied:
                raise
            except workflow.WorkflowError as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("The comment is resolved."))
        return HttpResponseRedirect(
            self._thread_url(article, return_to, f"comment-{comment.pk}")
        )
