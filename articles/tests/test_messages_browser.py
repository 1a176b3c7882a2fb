"""Workflow forms in Chromium: the error summary, the share page's copy button.

Screenshots at desktop and phone width go to $SHOTS_DIR (default /tmp/shots-15).
"""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from articles import workflow
from articles.testing.factories import make_article

from .test_accessibility_browser import DESKTOP, PHONE, axe_results, logged_in, report
from .test_editor_browser import watch

SHOTS = Path(os.environ.get("SHOTS_DIR") or Path(tempfile.gettempdir(), "shots-15"))
VIEWPORTS = {"1280": DESKTOP, "375": PHONE}


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def reject_without_a_comment(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_label("Return to the author with comments").check()
    page.get_by_role("button", name="Confirm decision").click()


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.django_db(transaction=True)
def test_a_refused_decision_opens_on_its_error_summary(
    new_context, live_server, editor, moderator, axe_script, width
):
    article = make_article(author=editor, title="Talks end")
    workflow.submit(article, by=editor, comment="Ready")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/review/"
    checker = logged_in(
        new_context, live_server, moderator, VIEWPORTS[width], bypass_csp=False
    )
    problems = watch(checker)
    reject_without_a_comment(checker, url)

    summary = checker.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_have_attribute("role", "alert")
    expect(checker.get_by_label("Return to the author with comments")).to_be_checked()
    checker.screenshot(path=str(SHOTS / f"review-errors-{width}-viewport.png"))
    shoot(checker, f"review-errors-{width}")
    summary.get_by_role("link", name="Comment for the author: Say what").click()
    expect(checker.locator("#id_comment")).to_be_focused()
    assert problems == []

    audit = logged_in(new_context, live_server, moderator, VIEWPORTS[width])
    reject_without_a_comment(audit, url)
    failing = report({"the review screen": axe_results(audit, axe_script)})
    assert failing == [], "\n".join(failing)


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.django_db(transaction=True)
def test_an_editor_copies_a_preview_link(
    new_context, live_server, editor, axe_script, width
):
    article = make_article(author=editor, title="Draft for a source")
    share = f"{live_server.url}/admin/articles/article/{article.pk}/share/"
    writer = logged_in(
        new_context,
        live_server,
        editor,
        VIEWPORTS[width],
        bypass_csp=False,
        permissions=["clipboard-read", "clipboard-write"],
    )
    problems = watch(writer)
    writer.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    writer.get_by_role("link", name="Share a preview").click()
    writer.get_by_role("button", name="Create a link to the current version").click()
    expect(writer.locator(".messagelist")).to_contain_text("copy it below")

    field = writer.get_by_label("Link", exact=True)
    link = field.input_value()
    assert link.startswith(f"{live_server.url}/preview/")
    writer.get_by_role("button", name="Copy", exact=True).click()
    expect(writer.get_by_role("status")).to_have_text("Copied")
    assert writer.evaluate("navigator.clipboard.readText()") == link
    shoot(writer, f"share-{width}")

    # The link works for someone logged out; revoking asks first.
    guest = new_context().new_page()
    guest.goto(link)
    expect(guest.locator("h1")).to_have_text("Draft for a source")
    writer.get_by_role("button", name="Revoke…").click()
    expect(writer.locator("#content-main")).to_contain_text("stops working at once")
    shoot(writer, f"share-revoke-confirm-{width}")
    writer.get_by_role("button", name="Yes, revoke it").click()
    expect(writer.locator(".nr-share-links")).to_contain_text("Revoked")
    shoot(writer, f"share-revoked-{width}")
    assert guest.goto(link).status == 404
    assert problems == []

    audit = logged_in(new_context, live_server, editor, VIEWPORTS[width])
    audit.goto(share)
    failing = report({"the share page": axe_results(audit, axe_script)})
    assert failing == [], "\n".join(failing)
