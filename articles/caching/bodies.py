"""Rendered article bodies, kept by revision."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from .store import failed, page_cache, usable


def article_body(
    request, revision, render: Callable[[], SafeString], *, public: bool
) -> SafeString:
    """Return the HTML of a revision's body: `render()`'s, kept by revision.

    Kept only for the tables' default state (a request without a query
    string): sorted, filtered or paged tables are rendered each time. `public`
    says whether the body is the live one, with download and embed links.
    Revisions never change, so nothing invalidates these; they expire after
    NEWSROOM_BODY_CACHE_SECONDS. A revision not saved (the editor's preview
    of a working copy) changes as it is typed, and is never kept.
    """
    if (
        not settings.NEWSROOM_BODY_CACHE
        or request.META.get("QUERY_STRING")
        or revision.pk is None
    ):
        return render()
    # The body holds absolute addresses (the embed code): kept per scheme
    # and host as well as per path.
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    where = hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()
    key = f"body:{revision.pk}:{int(public)}:{where}"
    html = None
    if usable():
        try:
            html = page_cache().get(key)
        except Exception as error:
            failed(error)
    if html is None:
        html = str(render())
        if usable():
            try:
                page_cache().set(key, html, settings.NEWSROOM_BODY_CACHE_SECONDS)
            except Exception as error:
                failed(error)
    return mark_safe(html)  # noqa: S308 - rendered by render(), or its copy
