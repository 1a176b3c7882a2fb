"""Tables in Chromium as readers use them: sort, filter, download, read on a phone."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from articles.testing.bodies import table
from articles.testing.factories import make_article

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SAMPLE_URL = "/world/kazakh-president-joins-closed-csto-talks/"
PORTS_URL = "/world/caspian-ports-busier-autumn/"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def demo(editor, moderator, demo_content):
    """The demo articles; the demo's accounts need the roles the flush removed."""


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def column_texts(page: Page, number: int, column: int) -> list[str]:
    rows = page.locator(f"#table-{number} div[role=region] tbody tr")
    return [
        " ".join(text.split())
        for text in rows.locator(f":is(th, td):nth-child({column})").all_inner_texts()
    ]


def wide_article():
    """An article with a table of ten columns, wider than any phone."""
    columns = ["Country"] + [
        {"label": f"Exports {year}", "kind": "number", "unit": "million t"}
        for year in range(2015, 2024)
    ]
    rows = [
        [name] + [f"{(n + 1) * (year + 3) * 1234}" for year in range(9)]
        for n, name in enumerate(["Kazakhstan", "Azerbaijan", "Turkmenistan"])
    ]
    return make_article(
        [
            {
                "heading": "Trade",
                "blocks": [
                    table(
                        "Cargo exported by sea, by year",
                        columns,
                        rows,
                        source_note="Port authorities",
                        source_url="https://example.org/a/very/long/address/"
                        "that/must/not/widen/the/page/on/a/phone",
                    )
                ],
            }
        ],
        publish=True,
        title="Caspian exports over nine years",
    )


@pytest.mark.django_db(transaction=True)
def test_reader_sorts_a_number_column_with_its_header_button(
    reader: Page, live_server, demo
):
    reader.set_viewport_size({"width": 1280, "height": 900})
    reader.goto(f"{live_server.url}{PORTS_URL}")
    assert column_texts(reader, 1, 2) == ["2.4", "3.1", "1.2"]
    cargo = reader.locator("#table-1 thead th").nth(1)

    reader.get_by_role("link", name="Sort by Cargo (million t)").click()
    expect(cargo).to_have_attribute("aria-sort", "ascending")
    assert "t1-sort=c1" in reader.url and reader.url.endswith("#table-1")
    assert column_texts(reader, 1, 2) == ["1.2", "2.4", "3.1"]
    assert column_texts(reader, 1, 1) == ["Turkmenbashi", "Aktau", "Baku"]

    reader.get_by_role("link", name="Sort by Cargo (million t)").click()
    expect(cargo).to_have_attribute("aria-sort", "descending")
    assert column_texts(reader, 1, 2) == ["3.1", "2.4", "1.2"]
    expect(reader.locator("#table-1 thead th").first).not_to_have_attribute(
        "aria-sort", "ascending"
    )

    reader.get_by_role("link", name="Sort by Change").click()
    expect(reader.locator("#table-1 thead th").nth(2)).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert column_texts(reader, 1, 3) == ["-1.5%", "4.0%", "6.2%"]
    screenshot(reader, "table-desktop.png")

    # Each row opens with a "#" link to itself, made in the browser from the
    # row's id (js/row-links.js): reached by keyboard, named for AT.
    row = reader.locator("#table-1 tbody tr").first
    row_id = row.get_attribute("id")
    position = row_id.rsplit("-", 1)[1]
    link = row.get_by_role("link", name=f"Link to row {position}", exact=True)
    expect(link).to_have_attribute("href", f"#{row_id}")
    expect(reader.locator("#table-1 tbody .row-link")).to_have_count(3)
    link.focus()
    reader.keyboard.press("Enter")
    assert reader.url.endswith(f"#{row_id}")
    assert row.evaluate("el => el.matches(':target')")


def sixty_rows():
    rows = [
        [f"Row {n}", str(n * 10), "North" if n % 3 == 0 else "south"]
        for n in range(1, 61)
    ]
    return make_article(
        [
            {
                "heading": "",
                "blocks": [
                    table(
                        "Sixty rows",
                        ["Name", {"label": "Value", "kind": "number"}, "Region"],
                        rows,
                        source_note="Test source",
                    )
                ],
            }
        ],
        publish=True,
    )


@pytest.mark.django_db(transaction=True)
def test_reader_filters_a_long_table_and_pages_through_it(
    reader: Page, live_server, moderator
):
    # (`moderator` restores the roles and permissions that publishing looks up.)
    article = sixty_rows()
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    body_rows = reader.locator("#table-1 div[role=region] tbody tr")
    expect(body_rows).to_have_count(25)
    reader.get_by_role("navigation", name="Pages of “Sixty rows”").get_by_role(
        "link", name="3"
    ).click()
    expect(body_rows).to_have_count(10)
    assert column_texts(reader, 1, 1)[0] == "Row 51"
    # Rows in their stored order get their ids in the browser (row-links.js).
    expect(body_rows.first).to_have_attribute("id", "table-1-row-51")
    expect(body_rows.last).to_have_attribute("id", "table-1-row-60")

    box = reader.get_by_label("Find rows containing")
    box.fill("NORTH")
    box.press("Enter")
    expect(reader.locator("#table-1 .table-status")).to_have_text(
        "20 of 60 rows contain “NORTH”."
    )
    expect(body_rows).to_have_count(20)
    assert "t1-q=NORTH" in reader.url and "t1-page" not in reader.url
    assert set(column_texts(reader, 1, 3)) == {"North"}
    expect(box).to_have_value("NORTH")

    # Sorting keeps the filter.
    reader.get_by_role("link", name="Sort by Value").click()
    reader.get_by_role("link", name="Sort by Value").click()
    expect(reader.locator("#table-1 thead th").nth(1)).to_have_attribute(
        "aria-sort", "descending"
    )
    assert column_texts(reader, 1, 1)[:2] == ["Row 60", "Row 57"]
    expect(body_rows).to_have_count(20)


@pytest.mark.django_db(transaction=True)
def test_an_address_naming_a_row_opens_at_that_row(
    reader: Page, live_server, moderator
):
    """The row's id is given by row-links.js after the page arrived: the
    browser still goes to it and marks it as the target."""
    article = sixty_rows()
    reader.goto(
        f"{live_server.url}{article.get_absolute_url()}?t1-page=2#table-1-row-40"
    )
    row = reader.locator("#table-1-row-40")
    expect(row).to_be_in_viewport()
    assert row.evaluate("el => el.matches(':target')")
    expect(row.locator(":scope > :first-child")).to_have_text("Row 40")


@pytest.mark.django_db(transaction=True)
def test_reader_downloads_a_table_as_csv(reader: Page, live_server, demo):
    reader.goto(f"{live_server.url}{PORTS_URL}")
    with reader.expect_download() as info:
        reader.locator("#table-1 .table-downloads").get_by_role(
            "link", name="CSV"
        ).click()
    download = info.value
    assert download.suggested_filename == (
        "caspian-ports-busier-autumn-r1-cargo-handled-september-to-november.csv"
    )
    content = Path(download.path()).read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(content))) == [
        ["Port", "Cargo (million t)", "Change (%)"],
        ["Aktau", "2.4", "6.2"],
        ["Baku", "3.1", "4.0"],  # typed 4.0, one decimal declared
        ["Turkmenbashi", "1.2", "-1.5"],
    ]


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.django_db(transaction=True)
def test_phone_never_scrolls_sideways_wide_tables_scroll_in_place(
    reader: Page, live_server, demo
):
    reader.set_viewport_size(PHONE)
    reader.goto(f"{live_server.url}{SAMPLE_URL}")
    assert page_width(reader) <= PHONE["width"]

    article = wide_article()
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert page_width(reader) <= PHONE["width"]
    region = reader.get_by_role("region", name="Cargo exported by sea, by year")
    expect(region).to_have_attribute("tabindex", "0")
    sizes = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1] + 200, sizes

    # Scrolled sideways, the first column stays in view.
    first_cell = region.locator("tbody tr").first.locator("th")
    last_header = region.locator("thead th").last
    before = (first_cell.bounding_box()["x"], last_header.bounding_box()["x"])
    region.evaluate("el => { el.scrollLeft = 400; }")
    reader.wait_for_function(
        "() => document.querySelector('#table-1 .table-scroll').scrollLeft == 400"
    )
    after = (first_cell.bounding_box()["x"], last_header.bounding_box()["x"])
    assert abs(after[0] - before[0]) < 1  # the first column stays put
    assert abs(after[1] - (before[1] - 400)) < 1  # the rest moves
    assert page_width(reader) <= PHONE["width"]
    region.evaluate("el => { el.scrollLeft = 0; }")
    screenshot(reader, "table-phone.png")
