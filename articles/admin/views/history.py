"""Revisions: history, compare, preview, restore; and the imported source."""

import django_tables2 as tables
from csp.decorators import csp_replace
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from ... import workflow
from ...diff import diff
from ...tables import RevisionTable
from ...views import render_article
from .base import PER_PAGE


class HistoryScreens:
    """Revisions: history, compare, preview, restore; the imported source."""

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
