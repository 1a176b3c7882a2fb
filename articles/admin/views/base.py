"""What every workflow screen shares: the article, rendering, the policy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ... import workflow
from ...models import Article

PER_PAGE = 25
# The article page's workflow links: the actions that have a screen of their own.
ACTION_LINKS = {
    workflow.SUBMIT: (_("Submit for review"), "submit"),
    workflow.WITHDRAW: (_("Withdraw"), "withdraw"),
    workflow.REVIEW: (_("Review"), "review"),
    workflow.UNPUBLISH: (_("Unpublish"), "unpublish"),
    workflow.SHARE: (_("Share a preview"), "share"),
}


def posted_data(request):
    """The form data of a POST (even an empty one), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


class ScreenBase:
    """Helpers of the workflow screens, mixed into ArticleAdmin."""

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
                actions.append({"label": label, "url": url(name), "action": action})
        return actions
