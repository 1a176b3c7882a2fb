"""Share links: a signed, expiring preview of one revision for people outside."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ... import workflow
from ...models import PreviewLink
from ..forms import RevokeLinkForm, ShareLinkForm, posted_id
from .base import posted_data


class ShareScreens:
    """Share links to a revision, and revoking them."""

    def share_view(self, request, object_id):
        article = self._article(request, object_id)
        if refused := self._refused(request, article, workflow.SHARE):
            return refused
        if request.method == "POST" and "revoke" in request.POST:
            return self._revoke(request, article)
        form = ShareLinkForm(posted_data(request))
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
                request,
                _("Link created for revision %d: copy it below.") % current.number,
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
                    "state": _link_state(link),
                    "url": request.build_absolute_uri(
                        reverse("articles:preview", args=[link.token])
                    ),
                }
                for link in links
            ],
        )

    def _revoke(self, request, article):
        """Ask first, then revoke one of this article's links."""
        # Only this article's links; anything else posted is not one of them.
        link = get_object_or_404(
            article.preview_links.select_related("revision"),
            pk=posted_id(request.POST["revoke"]),
        )
        if "confirmed" not in request.POST:
            return self._render(
                request,
                "admin/articles/confirm.html",
                article,
                _("Revoke a preview link"),
                intro=_(
                    "The link to revision %(number)d stops working at once for "
                    "everyone who has it. This cannot be undone; you can create a "
                    "new link."
                )
                % {"number": link.revision.number},
                form=RevokeLinkForm(initial={"revoke": link.pk}),
                button=_("Yes, revoke it"),
                cancel_url=request.path,
            )
        link.revoked_at = link.revoked_at or timezone.now()
        link.save(update_fields=["revoked_at"])
        messages.success(request, _("The link no longer works."))
        return HttpResponseRedirect(request.path)


def _link_state(link) -> str:
    if link.revoked_at is not None:
        return "revoked"
    return "active" if link.is_valid else "expired"
