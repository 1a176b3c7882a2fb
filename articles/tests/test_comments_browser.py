"""The conversation in Chromium: a comment on a table cell, through sorting.

The moderator clicks a cell of the version under review to comment on it;
the marker stays in that cell when the table is sorted. The page is watched
for script errors and CSP violations (`watch`) and checked with axe-core.
"""

import pytest
from playwright.sync_api import Page, expect

from articles import workflow
from articles.testing.factories import make_article

from .test_accessibility_browser import axe_results, logged_in, report
from .test_comments import body
from .test_editor_browser import log_in, watch


@pytest.mark.django_db(transaction=True)
def test_a_cell_comment_stays_in_its_cell_when_the_table_is_sorted(
    page: Page, new_context, live_server, editor, moderator, desk, axe_script
):
    article = make_article(body(), author=editor, desk=desk, title="Caspian ports")
    workflow.submit(article, by=editor, comment="Ready for a look.")
    problems = watch(page)
    log_in(page, live_server, moderator)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/review/")
    expect(page.locator("#thread")).to_contain_text("Ready for a look.")

    ports = page.locator(".nr-review-body figure#table-2")
    aktau_cargo = ports.locator("#table-2-row-1 td").first
    expect(aktau_cargo).to_have_text("2.4")
    aktau_cargo.click()
    expect(page.locator("#id_place option:checked")).to_have_text(
        "Table 2, row “Aktau”, column “Cargo”"
    )
    page.get_by_label("Your comment").fill("Is this 2.4 or 2.6?")
    page.get_by_role("button", name="Add comment").click()

    expect(page.locator("#thread")).to_contain_text(
        "About: Table 2, row “Aktau”, column “Cargo”"
    )
    marked = ports.locator("tbody [data-comments]")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("2.4")
    expect(ports.locator("tbody tr").first).to_contain_text("Aktau")

    # Sorting by cargo puts Turkmenbashi (1.2) first; the mark goes with Aktau.
    ports.get_by_role("link", name="Sort by Cargo").click()
    expect(ports.locator("tbody tr").first).to_contain_text("Turkmenbashi")
    marked = ports.locator("tbody [data-comments]")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("2.4")
    expect(marked.locator("xpath=..")).to_contain_text("Aktau")
    expect(marked.locator(".nr-comment-marker")).to_have_attribute(
        "href", f"#comment-{article.comments.get(action='').pk}"
    )
    assert problems == []

    # axe-core, injected, needs the CSP bypassed: a page of its own.
    checker = logged_in(new_context, live_server, moderator)
    checker.goto(page.url)
    failing = report({"review screen": axe_results(checker, axe_script)})
    assert failing == [], "\n".join(failing)
