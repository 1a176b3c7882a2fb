"""The scopes of public pages: which generations a page is rendered under."""

SITE = "site"
LISTINGS = "listings"
SCHEDULE_KEY = "schedule"


def article_scope(desk: str, slug: str) -> str:
    return f"article:{desk}/{slug}"


def desk_scope(desk: str) -> str:
    return f"desk:{desk}"


def page_scope(url_kwargs: dict) -> str:
    """Return the scope of a public URL from its pattern's keyword arguments."""
    desk, slug = url_kwargs.get("desk"), url_kwargs.get("slug")
    if desk and slug:
        return article_scope(desk, slug)
    if desk:
        return desk_scope(desk)
    return LISTINGS
