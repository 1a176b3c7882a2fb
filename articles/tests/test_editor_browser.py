"""The article editor as editors use it: in Chromium, clicking and typing."""

import pytest
from playwright.sync_api import Page, expect

from articles.models import Article
from articles.testing.factories import DeskFactory

PASSWORD = "correct horse battery staple"


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(username)


def inline_editor(page: Page, name: str):
    """The rich-text editor (toolbar and area) that stands in for textarea `name`."""
    return page.locator(f"[name='{name}']").locator("xpath=..")


def add_section(page: Page, index: int, heading: str) -> None:
    page.locator(".djn-add-handler.djn-model-articles-section").click()
    page.fill(f"#id_sections-{index}-heading", heading)


def add_block(page: Page, section: int, block: int, kind: str) -> str:
    group = page.locator(f"#sections-{section}-blocks-group")
    group.locator(".djn-add-handler.djn-model-articles-block").last.click()
    prefix = f"sections-{section}-blocks-{block}"
    page.select_option(f"#id_{prefix}-kind", kind)
    return prefix


@pytest.mark.django_db(transaction=True)
def test_editor_builds_an_article_by_clicking_and_typing(
    page: Page, live_server, editor
):
    """Sections, a formatted paragraph, a list and a table, without writing HTML."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    editor.set_password(PASSWORD)
    editor.save()
    DeskFactory(name="World", slug="world")
    log_in(page, live_server, "editor")

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Made in the browser")
    expect(page.locator("#id_slug")).to_have_value("made-in-the-browser")
    page.select_option("#id_desk", label="World")

    add_section(page, 0, "")
    prefix = add_block(page, 0, 0, "paragraph")
    paragraph = inline_editor(page, f"{prefix}-text")
    paragraph.locator(".nr-inline-area").click()
    page.keyboard.type("Plain and ")
    paragraph.get_by_role("button", name="B").click()
    page.keyboard.type("bold")
    page.keyboard.press("Control+b")
    page.keyboard.type(" words.")
    # Only the fields of the chosen kind are shown.
    expect(page.locator(f"#id_{prefix}-caption")).to_be_hidden()

    add_section(page, 1, "The figures")
    prefix = add_block(page, 1, 0, "list")
    inline_editor(page, f"{prefix}-items").locator(".nr-inline-area").click()
    page.keyboard.type("First item")
    page.keyboard.press("Enter")
    page.keyboard.type("Second item")

    prefix = add_block(page, 1, 1, "table")
    expect(page.locator(f"#id_{prefix}-text")).to_be_hidden()
    page.fill(f"#id_{prefix}-caption", "Votes by region")
    grid = page.locator(f"#id_{prefix}-grid")
    for column, label in enumerate(["Region", "Votes"], 1):
        grid.get_by_label(f"Column {column} label", exact=True).fill(label)
    grid.get_by_label("Column 2 kind").select_option("number")
    for row, cells in enumerate([["North", "1200"], ["South", "900"]], 1):
        for label, cell in zip(["Region", "Votes"], cells, strict=True):
            grid.get_by_role("textbox", name=f"Row {row}, {label}").fill(cell)

    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    article = Article.objects.get(slug="made-in-the-browser")
    lede, figures = article.revisions.get().snapshot["sections"]
    assert lede["blocks"] == [
        {"type": "paragraph", "html": "Plain and <b>bold</b> words."}
    ]
    assert figures["heading"] == "The figures"
    listing, table = figures["blocks"]
    assert listing["items"] == ["First item", "Second item"]
    assert table["caption"] == "Votes by region"
    assert [c["label"] for c in table["columns"]] == ["Region", "Votes"]
    assert table["columns"][1]["kind"] == "number"
    assert table["rows"] == [["North", "1200"], ["South", "900"]]
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_refused_input_shown_again_in_the_editor_stays_inert(
    page: Page, live_server, editor
):
    """What the server refused comes back to the editor as text, never as markup."""
    editor.set_password(PASSWORD)
    editor.save()
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    add_section(page, 0, "")
    prefix = add_block(page, 0, 0, "paragraph")
    payload = (
        'Kept <b>text</b><img src=x onerror="window.hacked=1">'
        "<script>window.hacked=2</script>"
    )
    page.evaluate(
        "([name, value]) => { document.getElementsByName(name)[0].value = value; }",
        [f"{prefix}-text", payload],
    )
    page.click("input[name=_continue]")  # refused: the title is missing
    expect(page.locator(".errornote")).to_be_visible()
    area = inline_editor(page, f"{prefix}-text").locator(".nr-inline-area")
    expect(area).to_have_text("Kept text")
    assert area.locator("img").count() == 0
    assert page.evaluate("window.hacked") is None
