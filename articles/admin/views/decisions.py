"""The screens that change an article's status: submit, withdraw, unpublish, review."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ... import tabledata, workflow
from ...diff import diff
from ...models import TransitionLog
from ..forms import CommentForm, CompareForm, ReviewForm
from .base import posted_data
from .comments import marked_body, thread_context


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
            act=lambda article, comment: workflow.withdraw(
                article, by=request.user, comment=comment
            ),
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
        # The correction line is about what readers saw: always the live version.
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
        compare_form, base, returned = self._comparison(request, article, current)
        if base != live:
            changes = diff(base.snapshot if base else None, current.snapshot)
        thread = thread_context(request, article, current, return_to="review")
        return self._render(
            request,
            "admin/articles/review.html",
            article,
            _("Review: %s") % article.title,
            form=form,
            diff=changes,
            compare_form=compare_form,
            base=base,
            returned=returned,
            warnings=warnings,
            import_notes=imported.notes if imported else [],
            live=live,
            current=current,
            submission=submission,
            four_eyes=workflow.four_eyes_refusal(article, current, request.user),
            marked_body=marked_body(
                request, current.snapshot, thread["thread"], revision_id=current.pk
            ),
            **thread,
        )

    def _comparison(self, request, article, current):
        """Return the compare form, the revision to compare with and the return.

        By default the submitted version is compared with the one last returned
        to its author, when the latest decision on the article was a return
        (a re-review); else with the published version, if any. The return is
        that TransitionLog, or None.
        """
        Action = TransitionLog.Action
        decision = (
            article.transitions.filter(
                action__in=[Action.REJECT, Action.APPROVE, Action.SCHEDULE]
            )
            .select_related("revision", "by")
            .first()
        )
        returned = None
        if decision and decision.action == Action.REJECT and decision.revision:
            returned = decision
        live = article.live_revision
        form = CompareForm(
            request.GET,
            returned=returned.revision if returned else None,
            live=live,
            # Numbers, authors and dates only: snapshots are loaded one at most.
            revisions=article.revisions.exclude(pk=current.pk).values_list(
                "number", "created_at", "author__username"
            ),
        )
        choice = form.choice
        if choice == CompareForm.RETURNED:
            base = returned.revision
        elif choice == CompareForm.LIVE:
            base = live
        elif choice == CompareForm.NOTHING:
            base = None
        else:  # a number among this article's revisions: the form says so
            base = article.revisions.get(number=int(choice))
        return form, base, returned

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
                comment=data["comment"],
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
