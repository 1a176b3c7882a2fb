"""Workflow screens: actions, review, history, compare, preview, share, queues.

Every screen asks the workflow's policy whether the person may do what it
offers: a refusal because of who they are is a 403 (`PermissionDenied`), one
because of the article's state is shown as a message. The actions go through
`workflow`, which asks the same policy again under its row lock.
"""

from datetime import timedelta

import django_tables2 as tables
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from .. import tabledata, workflow
from ..diff import diff
from ..filters import ArticleFilter
from ..models import Article, PreviewLink, TransitionLog
from ..tables import DashboardTable, ReviewQueueTable, RevisionTable
from ..views import render_article
from .forms import CommentForm, ReviewForm, ShareLinkForm, posted_id
from .importer import import_view
from .table_import import import_table

PER_PAGE = 25
# The article page's workflow links: the actions that have a screen of their own.
ACTION_LINKS = {
    workflow.SUBMIT: (_("Submit for review"), "submit"),
    workflow.WITHDRAW: (_("Withdraw"), "withdraw"),
    workflow.REVIEW: (_("Review"), "review"),
    workflow.UNPUBLISH: (_("Unpublish"), "unpublish"),
    workflow.SHARE: (_("Share a preview"), "share"),
}


def _posted(request):
    """The form data of a POST (even an empty one), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


class WorkflowViews:
    """Mixed into ArticleAdmin: the URLs and views of the editorial workflow."""

    def get_urls(self):
        def view(function, name):
            return self.admin_site.admin_view(function), f"articles_article_{name}"

        routes = [
            ("queue/", self.queue_view, "queue"),
            ("dashboard/", self.dashboard_view, "dashboard"),
            ("<int:object_id>/submit/", self.submit_view, "submit"),
            ("<int:object_id>/withdraw/", self.withdraw_view, "withdraw"),
            ("<int:object_id>/review/", self.review_view, "review"),
            ("<int:object_id>/unpublish/", self.unpublish_view, "unpublish"),
            ("<int:object_id>/revisions/", self.history_view, "revisions"),
            ("<int:object_id>/revisions/compare/", self.compare_view, "compare"),
            ("<int:object_id>/revisions/<int:number>/", self.preview_view, "preview"),
            (
                "<int:object_id>/revisions/<int:number>/restore/",
                self.restore_view,
                "restore",
            ),
            ("<int:object_id>/share/", self.share_view, "share"),
            ("table-import/", import_table, "table_import"),
            ("import/", import_view, "import"),
            ("<int:object_id>/source/", self.source_view, "source"),
        ]
        extra = []
        for route, function, name in routes:
            wrapped, url_name = view(function, name)
            extra.append(path(route, wrapped, name=url_name))
        return extra + super().get_urls()

    # --- helpers

    def _article(self, request, object_id) -> Article:
        article = get_object_or_404(
            Article.objects.select_related("desk", "live_revision"), pk=object_id
        )
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def _change_url(self, article) -> str:
        return reverse("admin:articles_article_change", args=[article.pk])

    def _render(self, request, template, article, title, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": article,
                "article": article,
                "title": title,
                **context,
            },
        )

    def _refused(self, request, article, action):
        """Return a redirect saying why the article's state refuses `action`, or None.

        A refusal of the person's permission is raised instead: a 403.
        """
        try:
            workflow.check(action, article, by=request.user)
        except workflow.WorkflowPermissionDenied:
            raise
        except workflow.WorkflowError as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(self._change_url(article))
        return None

    def _perform(self, request, article, action, success):
        """Run a workflow action; report a refusal of the article's state.

        A refusal of the person's permission is raised instead: a 403.
        """
        try:
            action()
        except workflow.WorkflowPermissionDenied:
            raise
        except workflow.WorkflowError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, success)
        return HttpResponseRedirect(self._change_url(article))

    def workflow_actions(self, request, article) -> list[dict]:
        """The workflow links shown on an article's page, for this person."""
        if article is None:
            return []

        def url(name, *args):
            return reverse(f"admin:articles_article_{name}", args=[article.pk, *args])

        actions = [{"label": _("Revisions"), "url": url("revisions")}]
        if article.legacy_id:
            actions.append({"label": _("Imported source"), "url": url("source")})
        current = article.current_revision()
        if current is not None:
            actions.append(
                {"label": _("Preview"), "url": url("preview", current.number)}
            )
        for action in workflow.available_actions(article, request.user):
            if action in ACTION_LINKS:
                label, name = ACTION_LINKS[action]
                actions.append({"label": label, "url": url(name)})
        return actions

    # --- actions

    def _comment_action(self, request, object_id, *, action, title, intro, button, act):
        article = self._article(request, object_id)
        if refused := self._refused(request, article, action):
            return refused
        form = CommentForm(_posted(request))
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
        if article.is_live and changes.fact_changes():
            today = timezone.localdate().strftime("%-d %B %Y")
            initial["correction"] = f"Corrected on {today}: " + " ".join(
                changes.fact_changes()
            )
        form = ReviewForm(_posted(request), initial=initial)
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
                % {"title": article.title, "when": timezone.localtime(at)}
            )
        return self._perform(request, article, act, done)

    # --- revisions

    def history_view(self, request, object_id):
        article = self._article(request, object_id)
        revisions = article.revisions.select_related("author")
        table = RevisionTable(
            revisions,
            article=article,
            can_restore=workflow.can(workflow.EDIT, article, by=request.user),
        )
        tables.RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        return self._render(
            request,
            "admin/articles/history.html",
            article,
            _("History: %s") % article.title,
            table=table,
            revision_numbers=list(revisions.values_list("number", flat=True)),
            corrections=article.corrections.select_related("revision", "created_by"),
            transitions=article.transitions.select_related("by", "revision"),
        )

    def compare_view(self, request, object_id):
        article = self._article(request, object_id)
        numbers = {}
        for key in ("from", "to"):
            try:
                numbers[key] = int(request.GET.get(key, ""))
            except ValueError:
                raise Http404(_("Choose two revisions to compare.")) from None
        old = get_object_or_404(article.revisions, number=numbers["from"])
        new = get_object_or_404(article.revisions, number=numbers["to"])
        return self._render(
            request,
            "admin/articles/compare.html",
            article,
            _("Compare revisions %(a)d and %(b)d") % {"a": old.number, "b": new.number},
            old=old,
            new=new,
            diff=diff(old.snapshot, new.snapshot),
            revision_numbers=list(article.revisions.values_list("number", flat=True)),
        )

    # The imported source page (source_view) shows a revision in an <iframe>:
    # the site's own pages may frame it, no other site may (the rest of the
    # admin keeps X-Frame-Options: DENY and frame-ancestors 'none').
    @method_decorator(xframe_options_sameorigin)
    @method_decorator(csp_replace({"frame-ancestors": ["'self'"]}))
    def preview_view(self, request, object_id, number):
        article = self._article(request, object_id)
        revision = get_object_or_404(article.revisions, number=number)
        return render_article(
            request, article, revision, preview=_("Preview of revision %d") % number
        )

    def restore_view(self, request, object_id, number):
        article = self._article(request, object_id)
        if refused := self._refused(request, article, workflow.EDIT):
            return refused
        revision = get_object_or_404(article.revisions, number=number)
        if request.method == "POST":
            return self._perform(
                request,
                article,
                lambda: workflow.restore(revision, by=request.user),
                _("Revision %d restored as the current version.") % number,
            )
        return self._render(
            request,
            "admin/articles/confirm.html",
            article,
            _("Restore revision %d") % number,
            intro=_(
                "The article's current content is replaced by revision %d's, saved as "
                "a new revision. Nothing is overwritten: every revision stays in the "
                "history. Readers see no change until it is approved."
            )
            % number,
            button=_("Restore revision %d") % number,
        )

    def source_view(self, request, object_id):
        """The imported original, verbatim, beside what the import made of it."""
        article = self._article(request, object_id)
        sources = article.sources.select_related("imported_by")
        if not sources:
            raise Http404(_("This article was not imported."))
        first = article.revisions.filter(note__startswith="Imported from").first()
        return self._render(
            request,
            "admin/articles/source.html",
            article,
            _("Imported source: %s") % article.title,
            source=sources[0],
            earlier=sources[1:],
            result=first,
        )

    # --- share links

    def share_view(self, request, object_id):
        article = self._article(request, object_id)
        if refused := self._refused(request, article, workflow.SHARE):
            return refused
        form = ShareLinkForm(_posted(request))
        if request.method == "POST" and "revoke" in request.POST:
            # Only this article's links; anything else posted is not one of them.
            link = get_object_or_404(
                article.preview_links, pk=posted_id(request.POST["revoke"])
            )
            link.revoked_at = link.revoked_at or timezone.now()
            link.save(update_fields=["revoked_at"])
            messages.success(request, _("The link no longer works."))
            return HttpResponseRedirect(request.path)
        if request.method == "POST" and form.is_valid():
            current = article.current_revision()
            if current is None:
                messages.error(request, _("Save the article before sharing it."))
                return HttpResponseRedirect(self._change_url(article))
            PreviewLink.objects.create(
                article=article,
                revision=current,
                created_by=request.user,
                expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
            )
            messages.success(
                request, _("Link created for revision %d.") % current.number
            )
            return HttpResponseRedirect(request.path)
        links = article.preview_links.select_related("revision", "created_by")
        return self._render(
            request,
            "admin/articles/share.html",
            article,
            _("Share a preview: %s") % article.title,
            form=form,
            links=[
                {
                    "link": link,
                    "url": request.build_absolute_uri(
                        reverse("articles:preview", args=[link.token])
                    ),
                }
                for link in links
            ],
        )

    # --- queues

    def _list_page(self, request, title, intro, tables_and_titles, filterset):
        for table, _title in tables_and_titles:
            tables.RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(
                table
            )
        return TemplateResponse(
            request,
            "admin/articles/queue.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "intro": intro,
                "filter": filterset,
                "tables": tables_and_titles,
            },
        )

    def queue_view(self, request):
        if not workflow.is_moderator(request.user):
            raise PermissionDenied
        in_review = Article.objects.filter(
            status=Article.Status.IN_REVIEW
        ).select_related("desk", "created_by", "submitted_by")
        filterset = ArticleFilter(request.GET, queryset=in_review, request=request)
        table = ReviewQueueTable(filterset.qs, prefix="queue-", order_by="submitted_at")
        return self._list_page(
            request,
            _("Moderation queue"),
            _("Articles waiting for a moderator, the longest waiting first."),
            [(table, "")],
            filterset,
        )

    def dashboard_view(self, request):
        user = request.user
        if not self.has_view_permission(request):
            raise PermissionDenied
        last_transition = TransitionLog.objects.filter(article=OuterRef("pk")).order_by(
            "-at", "-pk"
        )
        mine = (
            Article.objects.filter(Q(created_by=user) | Q(submitted_by=user))
            .select_related("desk", "created_by")
            .annotate(
                last_action=Subquery(last_transition.values("action")[:1]),
                last_comment=Subquery(last_transition.values("comment")[:1]),
            )
        )
        filterset = ArticleFilter(request.GET, queryset=mine, request=request)
        articles = filterset.qs
        Status = Article.Status
        returned = articles.filter(
            status=Status.DRAFT, last_action=TransitionLog.Action.REJECT
        )
        drafts = articles.filter(status__in=[Status.DRAFT, Status.UNPUBLISHED])
        scheduled = articles.filter(status=Status.SCHEDULED)
        tables_and_titles = [
            (
                DashboardTable(returned, prefix="returned-", with_comment=True),
                _("Returned to you with comments"),
            ),
            (DashboardTable(drafts, prefix="drafts-"), _("Your drafts")),
            (DashboardTable(scheduled, prefix="scheduled-"), _("Scheduled")),
            (DashboardTable(articles, prefix="all-"), _("All your articles")),
        ]
        return self._list_page(
            request,
            _("Your articles"),
            _("What you wrote or submitted, by state."),
            tables_and_titles,
            filterset,
        )
