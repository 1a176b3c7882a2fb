"""The review loop in Chromium, as the people in it live it.

An editor submits with a note; the moderator comments on a table cell and
returns the article; the editor finds it on the home page, fixes the cell,
replies and submits again; the moderator sees only that change and both
comments, and approves; a reader sees the fix. Every page is watched for
script errors and CSP violations; axe-core checks the home page and the
review screen.
"""

import pytest
from playwright.sync_api import expect

from articles.testing.factories import make_article

from .test_accessibility_browser import axe_results, logged_in, report
from .test_comments import body
from .test_editor_browser import watch
from .test_workflow_browser import new_page, person  # noqa: F401 - a fixture

TITLE = "Caspian ports"
CELL = "Table 2, row “Aktau”, column “Cargo”"


@pytest.mark.django_db(transaction=True)
def test_a_returned_article_comes_back_with_only_its_fix(
    new_page,  # noqa: F811 - the fixture imported above
    new_context,
    live_server,
    editor,
    moderator,
    desk,
    axe_script,
):
    article = make_article(body(), author=editor, desk=desk, title=TITLE)
    review_url = f"{live_server.url}/admin/articles/article/{article.pk}/review/"

    # The editor opens the draft from the home page and submits it with a note.
    writer = person(new_page, live_server, editor)
    problems = watch(writer)
    writer.goto(f"{live_server.url}/admin/")
    writer.get_by_role("link", name=TITLE).first.click()
    writer.get_by_label("Note for the moderator (optional)").fill("Ready for a look.")
    writer.get_by_role("button", name="Save and submit for review").click()
    expect(writer.locator(".messagelist")).to_contain_text("submitted for review")

    # The moderator finds it first on the home page, comments on a cell and
    # returns the article.
    checker = person(new_page, live_server, moderator)
    problems += watch(checker)
    checker.goto(f"{live_server.url}/admin/")
    expect(checker.locator("#header")).to_contain_text("Queue (1)")
    checker.get_by_role("link", name=TITLE).first.click()
    expect(checker.locator("#thread")).to_contain_text("Ready for a look.")
    ports = checker.locator(".nr-review-body figure#table-2")
    ports.locator("#table-2-row-1 td").first.click()
    expect(checker.locator("#id_place option:checked")).to_have_text(CELL)
    checker.get_by_label("Your comment").fill("Is this 2.4 or 2.6?")
    checker.get_by_role("button", name="Add comment").click()
    expect(checker.locator("#thread")).to_contain_text(f"About: {CELL}")
    checker.get_by_label("Return to the author with comments").check()
    checker.get_by_label("Comment for the author").fill("One figure to check.")
    checker.get_by_role("button", name="Confirm decision").click()
    expect(checker.locator(".messagelist")).to_contain_text("returned to its author")

    # The editor sees it returned on the home page, with the comment; on the
    # article's page, the thread says where the cell comment points...
    writer.goto(f"{live_server.url}/admin/")
    expect(writer.locator("#header")).to_contain_text("Returned (1)")
    returned = writer.locator("section", has_text="Returned to you").first
    expect(returned).to_contain_text("One figure to check.")
    returned.get_by_role("link", name=TITLE).click()
    expect(writer.locator("#thread")).to_contain_text("Is this 2.4 or 2.6?")
    expect(writer.locator("#thread")).to_contain_text(CELL)
    # ... and the editor shows it at its table.
    ports = writer.locator(".nr-table-block").nth(1)
    expect(ports.locator(".nr-block-notes")).to_contain_text(
        f"{CELL}. Comment 2 from moderator: Is this 2.4 or 2.6?"
    )
    cargo = ports.get_by_role("textbox", name="Row 1, Cargo", exact=True)
    cargo.fill("2.6")
    writer.get_by_label("Note for the moderator (optional)").fill("It is 2.6.")
    writer.get_by_role("button", name="Save and submit for review").click()
    expect(writer.locator(".messagelist")).to_contain_text("submitted for review")

    # The moderator sees only the fixed cell, and the whole conversation.
    checker.goto(review_url)
    thread = checker.locator("#thread")
    for said in ("Ready for a look.", "Is this 2.4 or 2.6?", "One figure", "2.6."):
        expect(thread).to_contain_text(said)
    changes = checker.locator(".nr-diff")
    expect(changes.locator("del")).to_have_text(["2.4"])
    expect(changes.locator("ins")).to_have_text(["2.6"])
    failing = []
    for where, user, url in (
        ("home page, moderator", moderator, f"{live_server.url}/admin/"),
        ("review screen", moderator, review_url),
        ("home page, editor", editor, f"{live_server.url}/admin/"),
    ):
        # axe-core, injected, needs the CSP bypassed: a page of its own.
        axe_page = logged_in(new_context, live_server, user)
        axe_page.goto(url)
        failing += report({where: axe_results(axe_page, axe_script)})
    assert failing == [], "\n".join(failing)
    # Those logins set the passwords again, which ends the earlier sessions.
    checker = person(new_page, live_server, moderator)
    problems += watch(checker)
    checker.goto(review_url)
    checker.get_by_label("Approve and publish now").check()
    checker.get_by_role("button", name="Confirm decision").click()
    expect(checker.locator(".messagelist")).to_contain_text("is published")

    # A reader sees the fix.
    reader = new_page()
    reader.goto(f"{live_server.url}/{desk.slug}/{article.slug}/")
    expect(reader.locator("#table-2-row-1")).to_contain_text("2.6")
    assert problems == []
