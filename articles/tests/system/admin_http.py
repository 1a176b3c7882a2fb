"""The moderator's workflow screens, used over HTTP as a person uses them."""

from urllib.parse import urlsplit

import lxml.html

from articles.testing.servers import Browser

# The confirmation pages have one form of their own beside the admin's logout.
CONFIRM_FORM = "//form[@method='post' and not(@id='logout-form')]"


def approve(moderator: Browser, article_pk: int) -> None:
    """Approve the version in review on its review screen, publishing it now."""
    review = f"/admin/articles/article/{article_pk}/review/"
    values = moderator.form(review, form_xpath="//form[@id='decision-form']")
    values["decision"] = "approve"
    _expect_done(moderator, moderator.post(review, values), "approve")


def unpublish(moderator: Browser, article_pk: int, comment: str) -> None:
    """Take the article away from readers on its Unpublish screen."""
    page = f"/admin/articles/article/{article_pk}/unpublish/"
    values = moderator.form(page, form_xpath=CONFIRM_FORM)
    values["comment"] = comment
    _expect_done(moderator, moderator.post(page, values), "unpublish")


def _expect_done(moderator: Browser, response, action: str) -> None:
    """The action redirects to the article's page, which says it was done."""
    if response.status != 302:  # the form again, with its errors
        raise AssertionError(f"{action}: {response.status}\n{response.text[:3000]}")
    page = moderator.get(urlsplit(response.headers["Location"]).path)
    messages = lxml.html.fromstring(page.text).xpath("//ul[@class='messagelist']/li")
    outcome = [(m.get("class"), m.text_content().strip()) for m in messages]
    if not outcome or any(kind != "success" for kind, _ in outcome):
        raise AssertionError(f"{action}: {outcome}")
