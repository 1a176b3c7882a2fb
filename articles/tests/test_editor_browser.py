"""The document editor as editors use it, in Chromium under the site's CSP.

Every test collects the page's script errors and Content-Security-Policy
violations (`watch`) and ends by checking there were none.
"""

import json

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from articles import workflow
from articles.importing.load import import_document
from articles.models import Article, WorkingCopy
from articles.snapshot import section
from articles.testing.bodies import paragraph, table
from articles.testing.factories import DeskFactory, make_article

PASSWORD = "correct horse battery staple"


def log_in(page: Page, live_server, user) -> None:
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(user.username)


def watch(page: Page) -> list[str]:
    """Script errors and CSP violations of the page, as they happen."""
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return problems


def body(page: Page):
    return page.locator(".nr-editor-body")


def change_url(live_server, article) -> str:
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def sections_of(article) -> list[dict]:
    return article.revisions.order_by("-number").first().snapshot["sections"]


@pytest.mark.django_db(transaction=True)
def test_write_a_whole_article_with_the_keyboard(
    page: Page, live_server, editor, moderator
):
    problems = watch(page)
    DeskFactory(name="World", slug="world")
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_title").focus()
    page.keyboard.type("Written with the keyboard")
    page.keyboard.press("Tab")  # the slug, filled in from the title
    page.keyboard.press("Tab")
    page.keyboard.type("World")  # the desk's menu
    page.locator("#id_standfirst").focus()
    page.keyboard.type("What it is about.")

    body(page).focus()
    page.keyboard.type("The lede, ")
    page.keyboard.press("Control+b")
    page.keyboard.type("in bold")
    page.keyboard.press("Control+b")
    page.keyboard.type(".")
    page.keyboard.press("Enter")
    page.keyboard.type("## First heading")
    page.keyboard.press("Enter")
    page.keyboard.type("- one")
    page.keyboard.press("Enter")
    page.keyboard.type("two")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    page.keyboard.press("Control+Alt+2")
    page.keyboard.type("Second heading")
    page.keyboard.press("Enter")
    page.keyboard.type("/")
    menu = page.get_by_role("menu")
    expect(menu).to_be_visible()
    for _ in range(4):  # paragraph, heading, lists, then table
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    # The table's settings, then its grid, reached with Tab.
    page.keyboard.press("Tab")
    expect(page.get_by_label("Caption")).to_be_focused()
    page.keyboard.type("Votes by region")
    page.keyboard.press("Tab")
    page.keyboard.type("Electoral commission")
    grid = page.locator(".nr-table-grid")
    grid.get_by_label("Column 1 label", exact=True).focus()
    page.keyboard.type("Region")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("Votes")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("Turnout")
    grid.get_by_label("Column 2 kind").focus()
    page.keyboard.press("ArrowDown")  # text -> number
    grid.get_by_role("textbox", name="Row 1, Region").focus()
    for cell in ("North", "1200", "high", "South", "900"):
        page.keyboard.type(cell)
        page.keyboard.press("Tab")
    page.keyboard.type("low")

    page.locator("input[name=_continue]").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    article = Article.objects.get(title="Written with the keyboard")
    lede, first, second = sections_of(article)
    assert lede["blocks"] == [
        {"type": "paragraph", "html": "The lede, <b>in bold</b>."}
    ]
    assert first["heading"] == "First heading"
    assert first["blocks"] == [
        {"type": "list", "ordered": False, "items": ["one", "two"]}
    ]
    assert second["heading"] == "Second heading"
    (votes,) = second["blocks"]
    assert votes["caption"] == "Votes by region"
    assert [c["label"] for c in votes["columns"]] == ["Region", "Votes", "Turnout"]
    assert votes["columns"][1]["kind"] == "number"
    assert votes["rows"][:2] == [["North", "1200", "high"], ["South", "900", "low"]]

    workflow.submit(article, by=editor)
    workflow.approve(article, by=moderator)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.get_by_role("heading", name="First heading")).to_be_visible()
    expect(page.locator("section#first-heading li")).to_have_text(["one", "two"])
    expect(page.locator("table caption")).to_have_text("Votes by region")
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_undo_and_redo_cover_table_edits_and_blocks_move_by_keyboard(
    page: Page, live_server, editor
):
    problems = watch(page)
    article = make_article(
        [
            section(
                "",
                [
                    paragraph("First."),
                    paragraph("Second."),
                    table("Figures", ["Name", "Value"], [["a", "1"]], source_note="Us"),
                ],
            )
        ],
        author=editor,
    )
    log_in(page, live_server, editor)
    page.goto(change_url(live_server, article))
    cell = page.get_by_role("textbox", name="Row 1, Value")
    cell.fill("42")
    expect(cell).to_have_value("42")
    body(page).get_by_text("Second.").click()
    page.keyboard.press("Control+z")
    expect(cell).to_have_value("1")
    page.keyboard.press("Control+Shift+z")
    expect(cell).to_have_value("42")
    # Alt+Up moves the paragraph above the first one.
    body(page).get_by_text("Second.").click()
    page.keyboard.press("Alt+ArrowUp")
    expect(body(page).locator("p").first).to_have_text("Second.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    (lede,) = sections_of(article)
    assert [block.get("html") for block in lede["blocks"][:2]] == ["Second.", "First."]
    assert lede["blocks"][2]["rows"] == [["a", "42"]]
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_a_word_in_a_number_column_is_shown_at_its_cell_and_kept(
    page: Page, live_server, editor
):
    problems = watch(page)
    votes = table(
        "Votes", ["Region", {"label": "Votes", "kind": "number"}], [["North", "1"]]
    )
    article = make_article([section("", [paragraph("Lede."), votes])], author=editor)
    log_in(page, live_server, editor)
    page.goto(change_url(live_server, article))
    page.get_by_role("textbox", name="Row 1, Votes").fill("many")
    page.locator("input[name=_continue]").click()
    summary = page.locator("#nr-editor-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("not a number")
    cell = page.get_by_role("textbox", name="Row 1, Votes")
    expect(cell).to_have_value("many")  # nothing typed is lost
    expect(cell).to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link").first.click()
    assert article.revisions.count() == 1
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_autosave_offers_unsaved_text_back_and_leaving_warns(
    page: Page, live_server, editor
):
    problems = watch(page)
    article = make_article([section("", [paragraph("Saved text.")])], author=editor)
    log_in(page, live_server, editor)
    page.goto(change_url(live_server, article))
    body(page).get_by_text("Saved text.").click()
    page.keyboard.press("End")
    page.keyboard.type(" Typed but not saved.")
    expect(page.locator("#nr-editor-status")).to_contain_text("Draft copy kept")
    copy = WorkingCopy.objects.get(article=article, user=editor)
    assert "Typed but not saved." in json.dumps(copy.data)

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with pytest.raises(PlaywrightError):  # leaving asks first; "stay" is chosen
        page.goto(change_url(live_server, article))
    assert dialogs == ["beforeunload"]
    expect(body(page)).to_contain_text("Typed but not saved.")
    page.close()  # a closed tab: nothing saved

    page = page.context.new_page()
    problems = watch(page)
    page.goto(change_url(live_server, article))
    restore = page.locator("#nr-editor-restore")
    expect(restore).to_contain_text("not saved")
    restore.get_by_role("button", name="Restore my changes").click()
    expect(body(page)).to_contain_text("Saved text. Typed but not saved.")
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_live_preview_shows_an_unsaved_change(page: Page, live_server, editor):
    problems = watch(page)
    article = make_article([section("", [paragraph("Before.")])], author=editor)
    log_in(page, live_server, editor)
    page.goto(change_url(live_server, article))
    page.get_by_role("button", name="Live preview").click()
    preview = page.frame_locator("#nr-preview iframe")
    expect(preview.get_by_text("Before.")).to_be_visible()
    body(page).get_by_text("Before.").click()
    page.keyboard.press("End")
    page.keyboard.type(" And after.")
    expect(preview.get_by_text("Before. And after.")).to_be_visible()
    assert article.revisions.count() == 1
    assert problems == []


WORD_HTML = """<html><head><style>p.MsoNormal{margin:0}</style></head><body>
<!--StartFragment--><h1>Port figures</h1>
<p class=MsoNormal style="margin:0">Cargo rose <b>sharply</b>, said
<a href="https://example.org/ports">the ports</a> <i>on Monday</i>.<o:p></o:p></p>
<b style="font-weight:normal" id="docs-internal-guid-1"><p><span
style="font-weight:700">Docs bold</span> and
<span style="font-style:italic">italic</span></p></b>
<ul><li>Aktau<ul><li>North quay</li></ul></li><li>Baku</li></ul>
<table><tr><th colspan=2>Port and cargo</th></tr>
<tr><td>Aktau</td><td>2.4</td></tr><tr><td>Baku</td></tr></table>
<!--EndFragment--></body></html>"""


def paste(page: Page, **data) -> None:
    """Paste as a browser would, with the clipboard's types (`html`, `text`)."""
    page.evaluate(
        """(data) => {
          const clipboard = new DataTransfer();
          if (data.html) clipboard.setData("text/html", data.html);
          if (data.text) clipboard.setData("text/plain", data.text);
          document.querySelector(".nr-editor-body").dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: clipboard, bubbles: true,
                                         cancelable: true}));
        }""",
        data,
    )


@pytest.mark.django_db(transaction=True)
def test_paste_from_a_document_keeps_its_structure(page: Page, live_server, editor):
    problems = watch(page)
    article = make_article([section("", [paragraph("Start.")])], author=editor)
    log_in(page, live_server, editor)
    page.goto(change_url(live_server, article))
    body(page).get_by_text("Start.").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    paste(page, html=WORD_HTML, text="Port figures")
    editor_body = body(page)
    expect(editor_body.locator(".nr-table-block")).to_have_count(1)
    expect(editor_body.get_by_role("heading", name="Port figures")).to_be_visible()
    items = editor_body.locator("ul:not(.nr-block-notes) > li")
    expect(items).to_have_text(["Aktau", "North quay", "Baku"])
    expect(editor_body.locator("p b")).to_have_text(["sharply", "Docs bold"])
    expect(editor_body.locator("p i")).to_have_text(["on Monday", "italic"])
    expect(editor_body.locator(".nr-block-notes")).not_to_be_empty()

    page.keyboard.press("Control+End")
    paste(page, text='Name\tNote\nAktau\t"a tab\there and\na new line"\n')
    expect(editor_body.locator(".nr-table-block")).to_have_count(2)
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    blocks = [b for s in sections_of(article) for b in s["blocks"]]
    rows = sorted(b["rows"] for b in blocks if b["type"] == "table")
    # Cells are inline text: the tab and the new line became spaces.
    assert rows == [
        [["Aktau", "2.4"], ["Baku", ""]],
        [["Aktau", "a tab here and a new line"]],
    ]
    assert "style" not in json.dumps(blocks)
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_a_block_moves_by_dragging_its_handle(page: Page, live_server, editor):
    problems = watch(page)
    blocks = [paragraph("First."), paragraph("Second."), paragraph("Third.")]
    article = make_article([section("", blocks)], author=editor)
    log_in(page, live_server, editor)
    page.goto(change_url(live_server, article))
    body(page).hover()
    handles = body(page).locator(".nr-drag-handle")
    expect(handles).to_have_count(3)
    handles.nth(2).drag_to(
        body(page).get_by_text("First."), target_position={"x": 5, "y": 2}
    )
    expect(body(page).locator("p")).to_have_text(["Third.", "First.", "Second."])
    page.keyboard.press("Control+z")
    expect(body(page).locator("p")).to_have_text(["First.", "Second.", "Third."])
    assert problems == []


RAGGED_HTML = """<!doctype html><html><head><title>Port figures</title></head>
<body><article><h1>Port figures</h1><p>Cargo rose.</p><table>
<tr><th>Port</th><th>Tonnes</th></tr><tr><td>Aktau</td><td>2.4</td></tr>
<tr><td>Baku</td></tr></table></article></body></html>"""


@pytest.mark.django_db(transaction=True)
def test_an_imported_table_shows_what_the_import_repaired(
    page: Page, live_server, editor
):
    problems = watch(page)
    import_document(RAGGED_HTML, name="ports.html", desk=DeskFactory(), by=editor)
    article = Article.objects.get()
    log_in(page, live_server, editor)
    page.goto(change_url(live_server, article))
    notes = body(page).locator(".nr-table-block .nr-block-notes")
    # The padded row, and the warnings that block approval: caption, source.
    expect(notes).to_contain_text("Row 2")
    expect(notes).to_contain_text("source")
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_a_link_is_added_in_the_links_dialog(page: Page, live_server, editor):
    problems = watch(page)
    article = make_article(
        [section("", [paragraph("Read the report.")])], author=editor
    )
    log_in(page, live_server, editor)
    page.goto(change_url(live_server, article))
    body(page).get_by_text("Read the report.").dblclick(position={"x": 80, "y": 5})
    page.keyboard.press("Control+k")
    dialog = page.get_by_role("dialog", name="Link (Ctrl+K)")
    address = dialog.get_by_label("Link address")
    expect(address).to_be_focused()
    page.keyboard.type("javascript:alert(1)")
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("alert")).to_contain_text("web address")
    address.fill("example.org/report")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(body(page).locator("a")).to_have_attribute(
        "href", "https://example.org/report"
    )
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    (lede,) = sections_of(article)
    assert 'href="https://example.org/report"' in lede["blocks"][0]["html"]
    assert problems == []


GROUPED_HTML = b"""<html><head><title>Results</title></head><body><h1>Results</h1>
<p>The league's results by year.</p>
<table><thead><tr><th></th><th colspan="2">2024</th><th colspan="2">2025</th></tr>
<tr><th></th><th>Wins</th><th>Losses</th><th>Wins</th><th>Losses</th></tr></thead>
<tbody><tr><td>Lions</td><td>10</td><td>2</td><td>8</td><td>4</td></tr></tbody>
</table></body></html>"""


@pytest.mark.django_db(transaction=True)
def test_imported_column_groups_are_edited_in_the_grid_and_saved(
    page: Page, live_server, editor
):
    """Groups survive the editor's round trip; a group is typed per column."""
    problems = watch(page)
    import_document(GROUPED_HTML, name="results.html", desk=DeskFactory(), by=editor)
    article = Article.objects.get()
    log_in(page, live_server, editor)
    page.goto(change_url(live_server, article))
    grid = body(page).locator(".nr-table-block")
    expect(grid.get_by_label("Column 2 group", exact=True)).to_have_value("2024")
    expect(grid.get_by_label("Column 5 group", exact=True)).to_have_value("2025")
    expect(grid.get_by_label("Column 1 label", exact=True)).to_have_value("")
    # The first column joins no group; the last two become "2025 season".
    grid.get_by_label("Column 4 group", exact=True).fill("2025 season")
    grid.get_by_label("Column 5 group", exact=True).fill("2025 season")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    [block] = [b for b in sections_of(article)[0]["blocks"] if b["type"] == "table"]
    assert block["groups"] == [
        {"label": "2024", "start": 1, "span": 2},
        {"label": "2025 season", "start": 3, "span": 2},
    ]
    assert [c["label"] for c in block["columns"]] == [
        "",
        "Wins",
        "Losses",
        "Wins",
        "Losses",
    ]
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_a_table_is_set_to_stack_on_narrow_screens_in_its_settings(
    page: Page, live_server, editor
):
    """An imported table scrolls on phones until its editor chooses to stack it."""
    problems = watch(page)
    import_document(GROUPED_HTML, name="results.html", desk=DeskFactory(), by=editor)
    article = Article.objects.get()
    [block] = [b for b in sections_of(article)[0]["blocks"] if b["type"] == "table"]
    assert block["narrow_layout"] == "scroll"
    log_in(page, live_server, editor)
    page.goto(change_url(live_server, article))
    layout = (
        body(page).locator(".nr-table-block").get_by_label("On narrow screens (phones)")
    )
    expect(layout).to_have_value("scroll")
    layout.select_option(label="Stack each row as a card")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    [block] = [b for b in sections_of(article)[0]["blocks"] if b["type"] == "table"]
    assert block["narrow_layout"] == "stack"
    expect(
        body(page).locator(".nr-table-block").get_by_label("On narrow screens (phones)")
    ).to_have_value("stack")
    assert problems == []
