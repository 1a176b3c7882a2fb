"""The re-review screen in Chromium: folds open from the keyboard, axe finds nothing."""

import pytest
from playwright.sync_api import expect

from articles import workflow
from articles.testing.factories import make_article

from .test_accessibility_browser import REVIEW_SCREEN, axe_results, logged_in, report
from .test_editor_browser import watch
from .test_review_diff import PARAGRAPHS, body, edited


@pytest.mark.django_db(transaction=True)
def test_the_re_review_screen_folds_unchanged_text_accessibly(
    new_context, live_server, editor, moderator, axe_script
):
    article = make_article(body(PARAGRAPHS * 2), author=editor, publish=True)
    edited(article, body(PARAGRAPHS * 2, north="1250"), editor)
    workflow.submit(article, by=editor)
    workflow.reject(article, by=moderator, comment="Shorten the last paragraph.")
    texts = PARAGRAPHS * 2
    texts[-1] = "Results by noon."
    edited(article, body(texts, north="1250"), editor)
    workflow.submit(article, by=editor)

    page = logged_in(new_context, live_server, moderator)
    problems = watch(page)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/review/")
    fold = page.locator(".nr-diff details").first
    expect(fold.locator("summary")).to_have_text("8 unchanged paragraphs")
    expect(fold.get_by_text(PARAGRAPHS[0]).first).to_be_hidden()
    fold.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(fold.get_by_text(PARAGRAPHS[0]).first).to_be_visible()
    found = {REVIEW_SCREEN: axe_results(page, axe_script)}

    page.get_by_label("Compare with").select_option(
        label="The published version (revision 1)"
    )
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("h2#changes")).to_have_text(
        "Changes since the published version (revision 1)"
    )
    expect(page.locator(".nr-diff-cells")).to_contain_text("1,250")
    found[f"{REVIEW_SCREEN}, against the published version"] = axe_results(
        page, axe_script
    )
    failing = report(found)
    assert failing == [], f"{len(failing)} serious or critical:\n" + "\n".join(failing)
    assert problems == []
