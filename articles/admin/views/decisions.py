"""The screens that change an article's status: submit, withdraw, unpublish, review."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ... import tabledata, workflow
from ...diff import diff
from ...models import TransitionLog
from ..forms import CommentForm, ReviewForm
from .base import posted_data


class DecisionScreens:
    """Submit, withdraw, unpublish, and the moderator's review."""

    def _comment_action(self, request, object_id, *, action, title, intro, button, act):
        article = self._article(request, object_id)
        if refused := self._refused(request, article, action):
            return refused
        form = CommentForm(posted_data(request))
        if request.method == "POST" and form.is_valid():
            comment = form.cleaned_data["comment"]
            return self._perform(
                request, article, lambda: act(article, comment), _("Done: %s.") % title
            )
        return self._render(
            request,
            "admin/articles/confirm.html",
            article,
            title,
            intro=intro,
            form=form,
            button=button,
        )

    def submit_view(self, request, object_id):
        return self._comment_action(
            request,
            object_id,
            action=workflow.SUBMIT,
            title=_("Submit for review"),
            intro=_(
                "A moderator will review the current version. You cannot edit it while "
                "it is in review unless you withdraw it."
            ),
            button=_("Submit for review"),
            act=lambda article, comment: workflow.submit(
                article, by=request.user, comment=comment
            ),
        )

    def withdraw_view(self, request, object_id):
        return self._comment_action(
            request,
            object_id,
            action=workflow.WITHDRAW,
            title=_("Withdraw from review"),
            intro=_("The article goes back to draft, so that it can be edited again."),
            button=_("Withdraw"),
            act=lambda article, comment: workflow.withdraw(article, by=request.user),
        )

    def unpublish_view(self, request, object_id):
        return self._comment_action(
            request,
            object_id,
            action=workflow.UNPUBLISH,
            title=_("Unpublish"),
            intro=_(
                "Readers will no longer see this article (a scheduled publication is "
                "cancelled). Its revisions are kept; it can be published again after "
                "a new review."
            ),
            button=_("Yes, unpublish it"),
            act=lambda article, comment: workflow.unpublish(
                article, by=request.user, comment=comment
            ),
        )

    def review_view(self, request, object_id):
        article = self._article(request, object_id)
        if refused := self._refused(request, article, workflow.REVIEW):
            return refused
        current = article.current_revision()
        live = article.live_revision
        changes = diff(live.snapshot if live else None, current.snapshot)
        initial = {"reviewed_revision": current.number, "correction": ""}
        if article.is_live and (facts := changes.fact_changes()):
            # A draft the moderator edits; readers see it as saved, after the
            # page's own "Correction (date):", so the draft carries no date.
            initial["correction"] = " ".join(facts)
        form = ReviewForm(posted_data(request), initial=initial)
        form.offer(workflow.available_actions(article, request.user))
        warnings = tabledata.snapshot_warnings(current.snapshot)
        if not warnings:
            del form.fields["override_reason"]
        if request.method == "POST" and form.is_valid():
            return self._decide(request, article, current, form.cleaned_data)
        imported = article.sources.first()
        submission = article.transitions.filter(
            action=TransitionLog.Action.SUBMIT
        ).first()
        return self._render(
            request,
            "admin/articles/review.html",
            article,
            _("Review: %s") % article.title,
            form=form,
            diff=changes,
            warnings=warnings,
            import_notes=imported.notes if imported else [],
            live=live,
            current=current,
            submission=submission,
            four_eyes=workflow.four_eyes_refusal(article, current, request.user),
        )

    def _decide(self, request, article, current, data):
        if data["reviewed_revision"] != current.number:
            messages.error(
                request,
                _("The article changed while you were reviewing it; review it again."),
            )
            return HttpResponseRedirect(request.path)
        decision, by = data["decision"], request.user
        if decision == ReviewForm.REJECT:
            act = lambda: workflow.reject(article, by=by, comment=data["comment"])  # noqa: E731
            done = _("“%s” was returned to its author.") % article.title
        else:
            at = data["publish_at"] if decision == ReviewForm.SCHEDULE else None
            act = lambda: workflow.approve(  # noqa: E731
                article,
                by=by,
                at=at,
                correction=data["correction"],
                override_reason=data.get("override_reason", ""),
            )
            done = (
                _("“%s” is published.") % article.title
                if at is None
                else _("“%(title)s” will be published on %(when)s.")
                % {
                    "title": article.title,
                    "when": date_format(timezone.localtime(at), "DATETIME_FORMAT"),
                }
            )
        return self._perform(request, article, act, done)
