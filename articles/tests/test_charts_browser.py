"""Charts in Chromium: the page at phone and desktop widths, under the CSP, and
the document editor's Chart section."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from articles.models import Article
from articles.testing.bodies import paragraph, table
from articles.testing.factories import make_article

from .test_accessibility_browser import DESKTOP, PHONE
from .test_editor_browser import body, change_url, log_in, sections_of, watch

CHART_URL = "/world/caspian-ports-busier-autumn/"
# Set to a folder to keep the screenshots (e.g. /tmp/shots).
SHOTS = os.environ.get("NEWSROOM_SHOTS")


@pytest.fixture
def demo(editor, moderator, demo_content):
    """The demo articles; the demo's accounts need the roles the flush removed."""


@pytest.mark.parametrize(
    ("viewport", "name"),
    [(DESKTOP, "desktop"), (PHONE, "phone")],
    ids=["desktop", "phone"],
)
@pytest.mark.django_db(transaction=True)
def test_the_chart_fits_its_column_and_runs_under_the_csp(
    new_context, live_server, demo, viewport, name, tmp_path
):
    page = new_context(viewport=viewport).new_page()  # the CSP enforced
    problems = watch(page)
    page.goto(f"{live_server.url}{CHART_URL}")
    svg = page.locator("figure.chart svg[role=img]")
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    column = page.locator("figure.chart .chart-image").bounding_box()
    assert box["width"] == pytest.approx(column["width"], abs=1)
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert 100 < box["height"] < 600
    # The category labels stay readable on a phone: 9 CSS pixels or more.
    label = page.locator("figure.chart .chart-category text").first
    assert label.evaluate("t => t.getBoundingClientRect().height") >= 9
    # The page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # The data view is one click away.
    page.locator("figure.chart a[href='#table-1']").click()
    expect(page.locator("#table-1 table")).to_be_in_viewport()
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.locator("figure.chart").scroll_into_view_if_needed()
    page.evaluate(
        "window.scrollTo(0, document.querySelector('#cargo-by-port').offsetTop - 8)"
    )
    page.screenshot(path=str(folder / f"chart-{name}.png"))
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_a_chart_only_table_opens_in_one_click(page: Page, live_server, demo):
    from articles.testing.factories import chart_only_article

    url = chart_only_article().get_absolute_url()
    page.goto(f"{live_server.url}{url}")
    table = page.locator("#table-1 table")
    expect(table).to_be_hidden()
    page.locator("details.chart-data summary").first.click()
    expect(table).to_be_visible()
    # The chart's link to its table opens it too.
    second = page.locator("#table-2 table").first
    expect(second).to_be_hidden()
    page.locator("#table-2-chart a[href='#table-2']").click()
    expect(second).to_be_visible()
    # Print has no clicks: every table is printed.
    page.emulate_media(media="print")
    expect(page.locator("#table-2 table").first).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_editor_s_chart_section_sets_a_table_s_chart(
    page: Page, live_server, editor
):
    problems = watch(page)
    article = make_article(
        [
            {"heading": "", "blocks": [paragraph("The lede.")]},
            {
                "heading": "Cargo",
                "blocks": [
                    table(
                        "Cargo handled",
                        [
                            "Port",
                            {"label": "Cargo", "kind": "number"},
                            {"label": "Change", "kind": "percent"},
                        ],
                        [["Aktau", "2.4", "6"], ["Baku", "3.1", "4"]],
                        source_note="Port operators",
                    )
                ],
            },
        ],
        author=editor,
    )
    log_in(page, live_server, editor)
    page.goto(change_url(live_server, article))
    block = body(page).locator(".nr-table-block")
    kind = block.get_by_label("Show the table as a chart too")
    expect(kind).to_have_value("")
    expect(block.get_by_label("Categories (bars or points) from")).to_be_hidden()
    kind.select_option("column")
    block.get_by_label("Categories (bars or points) from").select_option(label="Port")
    # Only numeric columns are offered to draw.
    expect(block.locator(".nr-chart-series input")).to_have_count(2)
    block.get_by_label("Cargo", exact=True).check()
    block.get_by_label("Change", exact=True).check()
    block.get_by_label("Show the chart only; readers open the table").check()
    # A column inserted before the drawn ones: the chart follows its columns.
    block.get_by_role("textbox", name="Row 1, Port", exact=True).click()
    toolbar = block.locator(".nr-grid-toolbar")
    toolbar.get_by_role("button", name="Insert column right").click()
    page.keyboard.type("Note")
    expect(block.get_by_label("Cargo", exact=True)).to_be_checked()
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    [saved] = [b for b in sections_of(article)[1]["blocks"] if b["type"] == "table"]
    assert (
        saved["chart"],
        saved["chart_category"],
        saved["chart_series"],
        saved["chart_only"],
    ) == ("column", 0, [2, 3], True)
    assert [c["label"] for c in saved["columns"]] == ["Port", "Note", "Cargo", "Change"]
    # Back in the editor, the section shows what was saved.
    page.goto(change_url(live_server, Article.objects.get(pk=article.pk)))
    expect(body(page).get_by_label("Show the table as a chart too")).to_have_value(
        "column"
    )
    expect(body(page).get_by_label("Cargo", exact=True)).to_be_checked()
    assert problems == []
