"""The whole editorial path in Chromium: write, submit, reject, fix, approve, read."""

import pytest
from playwright.sync_api import Browser, Page, expect

from articles.testing.factories import DeskFactory

from .test_editor_browser import log_in


@pytest.fixture
def new_page(browser: Browser):
    """Pages in their own browser contexts (separate logins), closed after the test."""
    contexts = []

    def make() -> Page:
        contexts.append(browser.new_context())
        page = contexts[-1].new_page()
        page.on("pageerror", lambda error: pytest.fail(f"JavaScript error: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()


def person(new_page, live_server, user) -> Page:
    page = new_page()
    log_in(page, live_server, user)
    return page


@pytest.mark.django_db(transaction=True)
def test_editor_and_moderator_take_an_article_to_readers(
    new_page, live_server, editor, moderator
):
    DeskFactory(name="World", slug="world")
    admin = f"{live_server.url}/admin/articles/article"

    # The editor writes a short article and submits it.
    writer = person(new_page, live_server, editor)
    writer.goto(f"{admin}/add/")
    writer.locator("#id_title").press_sequentially("Talks end without a deal")
    writer.select_option("#id_desk", label="World")
    writer.locator(".nr-editor-body").click()
    writer.keyboard.type("Negotiators left without agreement.")
    writer.click("input[name=_submit]")
    expect(writer.locator(".messagelist")).to_contain_text("was submitted for review")

    # The moderator finds it in the queue, reads the changes and sends it back.
    checker = person(new_page, live_server, moderator)
    checker.goto(f"{admin}/queue/")
    checker.get_by_role("link", name="Talks end without a deal").click()
    expect(checker.locator(".nr-review")).to_contain_text(
        "Negotiators left without agreement."
    )
    checker.get_by_label("Return to the author with comments").check()
    checker.get_by_label("Comment for the author").fill("Say who the negotiators are.")
    checker.get_by_role("button", name="Confirm decision").click()
    expect(checker.locator(".messagelist")).to_contain_text("returned to its author")

    # The editor sees the comment, fixes the text and submits again.
    writer.goto(f"{admin}/dashboard/")
    returned = writer.locator("#content-main table.nr-list").first
    expect(returned).to_contain_text("Say who the negotiators are.")
    returned.get_by_role("link", name="Talks end without a deal").click()
    writer.locator(".nr-editor-body").get_by_text("Negotiators left").click()
    writer.keyboard.press("End")
    writer.keyboard.type(" Both delegations will meet again in March.")
    writer.click("input[name=_submit]")
    expect(writer.locator(".messagelist")).to_contain_text("was submitted for review")

    # The moderator approves.
    checker.goto(f"{admin}/queue/")
    checker.get_by_role("link", name="Talks end without a deal").click()
    expect(checker.locator(".nr-review")).to_contain_text("Both delegations")
    checker.get_by_label("Approve and publish now").check()
    checker.get_by_role("button", name="Confirm decision").click()
    expect(checker.locator(".messagelist")).to_contain_text("is published")

    # An anonymous reader sees it.
    reader = new_page()
    reader.goto(live_server.url + "/")
    reader.get_by_role("link", name="Talks end without a deal").click()
    expect(reader.locator("h1")).to_have_text("Talks end without a deal")
    expect(reader.locator("main")).to_contain_text(
        "Negotiators left without agreement. Both delegations will meet again in March."
    )
