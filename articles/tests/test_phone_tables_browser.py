"""Reader tables on a 375 px phone (issue 17): scrolled in place or stacked.

A wide table scrolls sideways inside its own region with its first column and
header in view and a shadow at the edge that hides more; no number is cut
inside its cell; the caption and source wrap to the screen; the page itself
never scrolls sideways. A table whose editor chose the stacked layout shows
each row as a card of label: value pairs and is still a table to assistive
technology. Screenshots go to SHOTS (phone-table-scrolled.png,
phone-table-stacked.png, desktop-table.png).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from articles import snapshot
from articles.testing.bodies import table
from articles.testing.factories import make_article

# Where the screenshots go: SHOTS_DIR, else test-artifacts/ as for the others.
SHOTS = Path(
    os.environ.get("SHOTS_DIR")
    or Path(__file__).resolve().parents[2] / "test-artifacts"
)
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
CAPTION = "Cargo exported by sea from each Caspian port, by year, in million tonnes"
STACKED = "Ferry crossings this autumn"


def shoot(page: Page, name: str, *, full_page=False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=full_page)


def phone_article(*, layout: str = snapshot.NarrowLayout.SCROLL):
    """A published article with a wide, long table of decimals under column
    groups (a filter box and pages of 25 rows), and a short table in
    `layout`."""
    columns = ["Port"] + [
        {"label": label, "kind": "number", "unit": "million t", "decimals": 1}
        for label in ("Spring", "Autumn") * 4
    ]
    groups = [
        snapshot.group(str(year), 1 + 2 * n, 2)
        for n, year in enumerate(range(2020, 2024))
    ]
    ports = ["Aktau", "Baku", "Turkmenbashi", "Makhachkala", "Astrakhan", "Anzali"]
    rows = [
        [f"{ports[n % 6]} {n // 6 + 1}"]
        + [f"{(n + 1) * 1234.5 + column * 82.4:.1f}" for column in range(8)]
        for n in range(30)
    ]
    wide = table(
        CAPTION,
        columns,
        rows,
        source_note="Port authorities of Kazakhstan, Azerbaijan, Turkmenistan, "
        "Russia and Iran",
        source_url="https://example.org/a/very/long/address/that/must/not/widen"
        "/the/page/on/a/phone",
        groups=groups,
    )
    ferries = table(
        STACKED,
        [
            "Route",
            {"label": "Crossings", "kind": "number"},
            {"label": "Change", "kind": "percent", "decimals": 1},
            "Operator",
        ],
        [
            ["Baku–Aktau", "82", "4.5", "<b>ASCO</b> ferries"],
            ["Baku–Turkmenbashi", "61", "-2.0", "ASCO"],
            ["Aktau–Makhachkala", "12", "", "Kaztransflot"],
        ],
        source_note="Operators",
        narrow_layout=layout,
    )
    return make_article(
        [
            {"heading": "Cargo", "blocks": [wide]},
            {"heading": "Ferries", "blocks": [ferries]},
        ],
        publish=True,
        title="Caspian trade on a phone",
    )


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def cut_cells(page: Page, selector: str) -> list[str]:
    """The cells under `selector` whose content is wider than the cell."""
    return page.locator(selector).evaluate_all(
        "cells => cells.filter((c) => c.scrollWidth > c.clientWidth)"
        ".map((c) => c.textContent + ' ' + c.scrollWidth + '>' + c.clientWidth)"
    )


def cue(frame) -> list[str]:
    """The edges of a table's region that show a shadow: more-start, more-end."""
    return frame.evaluate(
        "el => [...el.classList].filter((name) => name.startsWith('more-'))"
    )


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
    )


@pytest.mark.django_db(transaction=True)
def test_phone_scrolled_table_keeps_first_column_and_header_in_view(
    reader: Page, live_server, moderator
):
    # (`moderator` restores the roles and permissions that publishing looks up.)
    article = phone_article(layout=snapshot.NarrowLayout.STACK)
    reader.set_viewport_size(PHONE)
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    region = reader.get_by_role("region", name=CAPTION)
    expect(region).to_have_attribute("tabindex", "0")
    frame = reader.locator("#table-1 .table-frame")
    sizes = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1] + 200, sizes
    # More to the right, nothing to the left: the shadow is on the right edge.
    assert cue(frame) == ["more-end"]

    first_cell = region.locator("tbody tr").first.locator("th")
    last_header = region.locator("thead tr").last.locator("th").last
    before = last_header.bounding_box()["x"]
    region.evaluate("el => { el.scrollLeft = 400; }")
    reader.wait_for_function(
        "() => document.querySelector('#table-1 .table-scroll').scrollLeft == 400"
    )
    reader.wait_for_function(
        "() => document.querySelector('#table-1 .table-frame.more-start')"
    )
    assert cue(frame) == ["more-end", "more-start"] or cue(frame) == [
        "more-start",
        "more-end",
    ]
    box = region.bounding_box()
    assert inside(first_cell.bounding_box(), box)
    assert abs(last_header.bounding_box()["x"] - (before - 400)) < 1  # the rest moves
    assert page_width(reader) <= PHONE["width"]

    # Scrolled down inside the region, both header rows stay at its top.
    header = region.locator("thead")
    region.evaluate("el => { el.scrollTop = 300; }")
    reader.wait_for_function(
        "() => document.querySelector('#table-1 .table-scroll').scrollTop == 300"
    )
    head = header.bounding_box()
    assert abs(head["y"] - box["y"]) < 1, (head, box)
    corner = region.locator("thead th").first  # "Port", over the row headers
    expect(corner).to_have_text("Port")
    assert inside(corner.bounding_box(), box)
    assert abs(corner.bounding_box()["y"] - box["y"]) < 1
    region.evaluate("el => { el.scrollTop = 0; }")
    region.scroll_into_view_if_needed()
    reader.evaluate("window.scrollBy(0, -60)")
    shoot(reader, "phone-table-scrolled.png")

    # At the far end, only the left shadow.
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    reader.wait_for_function(
        "() => !document.querySelector('#table-1 .table-frame.more-end')"
    )
    assert cue(frame) == ["more-start"]


@pytest.mark.django_db(transaction=True)
def test_phone_no_number_is_cut_and_the_page_never_scrolls_sideways(
    reader: Page, live_server, moderator
):
    article = phone_article()
    reader.set_viewport_size(PHONE)
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert page_width(reader) <= PHONE["width"]
    numbers = reader.locator(".table-scroll tbody td.num")
    assert numbers.count() == 25 * 8 + 3 * 2  # a page of the long table
    assert cut_cells(reader, ".content-table tbody td") == []
    assert cut_cells(reader, ".content-table :is(thead th, tbody th)") == []
    assert numbers.first.inner_text() == "1,234.5"

    # The caption and the source wrap to the screen, not to the table.
    for figure in ("#table-1", "#table-2"):
        region = reader.locator(f"{figure} .table-scroll").bounding_box()
        caption = reader.locator(f"{figure} .table-scroll caption").bounding_box()
        source = reader.locator(f"{figure} .table-source").bounding_box()
        assert inside(caption, region) and inside(source, region)
        assert region["x"] + region["width"] <= PHONE["width"]
    assert reader.locator("#table-1-caption").bounding_box()["height"] > 30  # wrapped

    # The embed page behaves the same.
    reader.goto(f"{live_server.url}{article.get_absolute_url()}table-1/embed/")
    assert page_width(reader) <= PHONE["width"]
    assert cut_cells(reader, ".content-table tbody td") == []
    assert cue(reader.locator(".table-frame")) == ["more-end"]


@pytest.mark.django_db(transaction=True)
def test_phone_stacked_table_shows_label_value_pairs(
    reader: Page, live_server, moderator
):
    article = phone_article(layout=snapshot.NarrowLayout.STACK)
    reader.set_viewport_size(PHONE)
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert page_width(reader) <= PHONE["width"]
    stacked = reader.get_by_role("table", name=STACKED)
    expect(stacked).to_be_visible()
    rows = stacked.locator("tbody tr")
    expect(rows).to_have_count(3)
    first = rows.first
    assert first.evaluate("el => getComputedStyle(el).display") == "block"
    # Each value under its column's label, as "label: value".
    pairs = first.locator("td").evaluate_all(
        """cells => cells.map((cell) => [
            getComputedStyle(cell, '::before').content, cell.textContent.trim()])"""
    )
    assert [(label.split('"')[1], value) for label, value in pairs] == [
        ("Crossings: ", "82"),
        ("Change: ", "4.5%"),
        ("Operator: ", "ASCO ferries"),
    ]
    card = first.bounding_box()
    assert card["x"] >= 0 and card["x"] + card["width"] <= PHONE["width"]
    for cell in first.locator("td").all():
        assert inside(cell.bounding_box(), card)
    assert cut_cells(reader, "#table-2 tbody td") == []
    # Still a table to assistive technology: rows, headers and cells.
    expect(stacked.get_by_role("row")).to_have_count(4)
    expect(stacked.get_by_role("rowheader", name="Baku–Aktau")).to_have_count(1)
    expect(stacked.get_by_role("columnheader")).to_have_count(4)
    expect(stacked.get_by_role("cell", name="82", exact=True)).to_have_count(1)
    # The header is out of sight until a keyboard user reaches its sort links.
    sort = stacked.get_by_role("link", name="Sort by Crossings")
    head = stacked.locator("thead")
    assert head.bounding_box()["width"] <= 1
    sort.focus()
    shown = head.bounding_box()
    assert shown["width"] > 100 and inside(shown, {"x": 0, "width": PHONE["width"]})
    assert inside(sort.bounding_box(), shown)
    shoot(reader, "phone-table-stacked-header-focused.png")
    sort.blur()
    reader.locator("#table-2").scroll_into_view_if_needed()
    shoot(reader, "phone-table-stacked.png")

    # Wide screens show it as a table.
    reader.set_viewport_size(DESKTOP)
    assert first.evaluate("el => getComputedStyle(el).display") == "table-row"
    expect(stacked.locator("thead th").first).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_desktop_and_print_show_the_whole_table(reader: Page, live_server, moderator):
    article = phone_article(layout=snapshot.NarrowLayout.STACK)
    reader.set_viewport_size(DESKTOP)
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    region = reader.get_by_role("region", name=CAPTION)
    assert cut_cells(reader, ".content-table tbody td") == []
    assert page_width(reader) <= DESKTOP["width"]
    reader.locator("#table-1").evaluate("el => el.scrollIntoView()")
    reader.evaluate("window.scrollBy(0, -60)")
    shoot(reader, "desktop-table.png")

    reader.emulate_media(media="print")
    reader.set_viewport_size(PHONE)  # print ignores the phone's layouts
    # Each table prints as on screen, as a table, without scrolling, sticky
    # parts or shadow; the long one its page, and where every row is.
    expect(reader.locator("#table-1 .table-frame tbody tr")).to_have_count(25)
    expect(reader.locator("#table-1 .table-frame")).to_be_visible()
    note = reader.locator("#table-1 .table-print-all")
    expect(note).to_be_visible()
    expect(note).to_contain_text("t1-page=all#table-1")
    expect(reader.locator("#table-1 .table-pages")).to_be_hidden()
    region = reader.locator("#table-2 .table-scroll")
    style = region.evaluate(
        "el => [getComputedStyle(el).overflowX, getComputedStyle(el).maxHeight]"
    )
    assert style == ["visible", "none"]
    stacked = reader.get_by_role("table", name=STACKED)
    assert (
        stacked.locator("tbody tr").first.evaluate("el => getComputedStyle(el).display")
        == "table-row"
    )
    assert (
        stacked.locator("thead").evaluate("el => getComputedStyle(el).position")
        == "static"
    )
    assert (
        reader.locator("#table-2 .table-frame").evaluate(
            "el => getComputedStyle(el, '::after').content"
        )
        == "none"
    )


@pytest.mark.django_db(transaction=True)
def test_phone_demo_articles_cut_no_value(
    reader: Page, live_server, editor, moderator, demo_content
):
    """The published demo articles, where the reader found numbers cut ("82.")."""
    reader.set_viewport_size(PHONE)
    for url in (
        "/world/kazakh-president-joins-closed-csto-talks/",
        "/world/caspian-ports-busier-autumn/",
        "/world/kazakh-president-joins-closed-csto-talks/table-1/embed/",
    ):
        reader.goto(f"{live_server.url}{url}")
        assert page_width(reader) <= PHONE["width"], url
        assert cut_cells(reader, ".table-scroll :is(td, th)") == [], url
    # Three short columns fit the screen once their headings wrap: no scrolling.
    reader.goto(f"{live_server.url}/world/caspian-ports-busier-autumn/")
    region = reader.locator(".table-scroll").first
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth")
