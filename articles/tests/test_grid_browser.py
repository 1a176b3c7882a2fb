"""The table grid as editors use it in Chromium: typing, pasting, importing.

The grid edits a table block of the document editor. What it would post is
the table's data in the editor's document (`table_data`), which the form
sends as the whole body; each test also watches the page for script errors
and Content-Security-Policy violations (`watch`).
"""

import json
import re
from pathlib import Path

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from playwright.sync_api import Locator, Page, expect

from articles.admin import editor_page
from articles.admin import grid as grid_widget
from articles.models import Article
from articles.snapshot import DEFAULT_ALIGN, Align, ColumnKind
from articles.testing.bodies import paragraph
from articles.testing.bodies import table as table_block
from articles.testing.factories import DeskFactory, make_article

from .test_editor_browser import log_in, watch

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TITLE = "A table in the browser"


def new_table(page: Page, live_server, editor) -> Locator:
    """Open a new article, insert a table with "/" and return its grid."""
    DeskFactory(name="World", slug="world")
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_desk", label="World")
    page.locator(".nr-editor-body").click()
    page.keyboard.type("/")
    menu = page.get_by_role("menu")
    expect(menu).to_be_visible()
    menu.get_by_role("menuitem", name="Table").click()
    block = page.locator(".nr-table-block")
    expect(block).to_have_count(1)
    block.get_by_label("Caption", exact=True).fill("Votes by region")
    block.get_by_label("Source", exact=True).fill("Electoral commission")
    grid = block.locator(".nr-table-grid")
    expect(grid.locator(".nr-grid-sheet")).to_be_visible()
    return grid


def cell(grid: Locator, name: str) -> Locator:
    """A cell by its accessible name, e.g. "Row 3, Votes"."""
    return grid.get_by_role("textbox", name=name, exact=True)


def label(grid: Locator, column: int) -> Locator:
    return grid.get_by_role("textbox", name=f"Column {column} label", exact=True)


def table_data(page: Page) -> dict:
    """The one table of the editor's document, as the form would post it."""
    (data,) = page.evaluate(
        """() => {
            const found = [];
            window.newsroomEditor.state.doc.descendants((node) => {
                if (node.type.name === "table") found.push(node.attrs.data);
            });
            return found;
        }"""
    )
    return data


def delete_column(grid: Locator, column: int) -> None:
    """Delete an empty column: the server refuses a column without a label."""
    label(grid, column).click()
    grid.locator(".nr-grid-toolbar").get_by_role("button", name="Delete column").click()


def delete_row(grid: Locator, name: str) -> None:
    """Delete the empty row of cell `name`: the editor saves empty rows as rows."""
    cell(grid, name).click()
    grid.locator(".nr-grid-toolbar").get_by_role("button", name="Delete row").click()


def save(page: Page) -> None:
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("successfully")


def saved_table() -> dict:
    article = Article.objects.get()
    snapshot = article.revisions.order_by("-number").first().snapshot
    (table,) = [
        block
        for section in snapshot["sections"]
        for block in section["blocks"]
        if block["type"] == "table"
    ]
    return table


def paste(target: Locator, text: str) -> None:
    """Paste `text` as a spreadsheet puts it on the clipboard (a real paste event)."""
    target.evaluate(
        """(element, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            element.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }));
        }""",
        text,
    )


def expect_focused(grid: Locator, name: str) -> None:
    expect(cell(grid, name)).to_be_focused()


@pytest.mark.django_db(transaction=True)
def test_editor_builds_a_table_with_the_keyboard(page: Page, live_server, editor):
    """Labels, a number column and cells typed with Tab, Enter and the arrows."""
    problems = watch(page)
    grid = new_table(page, live_server, editor)
    # Nothing of the grid is posted but through the editor's body field.
    assert grid.locator("[name]").count() == 0

    label(grid, 1).click()
    page.keyboard.type("Region")
    page.keyboard.press("ArrowRight")  # at the end of the label: the next label
    expect(label(grid, 2)).to_be_focused()
    page.keyboard.type("Votes")
    grid.get_by_label("Column 2 kind").select_option("number")

    label(grid, 1).click()
    page.keyboard.press("ArrowDown")
    expect_focused(grid, "Row 1, Region")
    page.keyboard.type("North")
    page.keyboard.press("Tab")
    expect_focused(grid, "Row 1, Votes")
    page.keyboard.type("1200")
    page.keyboard.press("Enter")
    expect_focused(grid, "Row 2, Votes")
    page.keyboard.type("900")
    # Left moves the caret inside the typed text, and leaves at its start.
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
        expect_focused(grid, "Row 2, Votes")
    page.keyboard.press("ArrowLeft")
    expect_focused(grid, "Row 2, Region")
    page.keyboard.type("South")
    page.keyboard.press("ArrowDown")
    expect_focused(grid, "Row 3, Region")
    page.keyboard.type("East")
    page.keyboard.press("Tab")
    page.keyboard.type("700")
    # Back to a filled cell: its whole text is selected, so typing replaces it.
    page.keyboard.press("Shift+Tab")
    expect_focused(grid, "Row 3, Region")
    assert cell(grid, "Row 3, Region").evaluate(
        "input => input.selectionStart === 0 && input.selectionEnd === 4"
    )
    page.keyboard.type("West")
    # An empty cell, or one whose whole text is selected, is left at once.
    page.keyboard.press("Shift+Tab")
    expect_focused(grid, "Row 2, column 3")
    page.keyboard.press("ArrowLeft")
    expect_focused(grid, "Row 2, Votes")
    page.keyboard.press("ArrowLeft")
    expect_focused(grid, "Row 2, Region")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    # Enter on the last row, when it has content, adds a row to type into.
    page.keyboard.press("Enter")
    expect_focused(grid, "Row 4, Votes")
    # Delete clears a cell whose whole text is selected.
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowLeft")
    expect_focused(grid, "Row 3, Region")
    page.keyboard.press("Delete")
    expect(cell(grid, "Row 3, Region")).to_have_value("")
    page.keyboard.type("West")
    expect(cell(grid, "Row 1, Votes")).to_have_css("text-align", "right")

    ARTIFACTS.mkdir(exist_ok=True)
    grid.screenshot(path=str(ARTIFACTS / "grid-desktop.png"))
    delete_column(grid, 3)
    delete_row(grid, "Row 4, Region")  # the row Enter added, left empty
    save(page)

    table = saved_table()
    assert [(c["label"], c["kind"]) for c in table["columns"]] == [
        ("Region", "text"),
        ("Votes", "number"),
    ]
    assert table["rows"] == [["North", "1200"], ["South", "900"], ["West", "700"]]
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_a_block_pasted_from_a_spreadsheet_fills_labels_and_cells(
    page: Page, live_server, editor
):
    """Tab-separated rows with quoted cells; the grid grows to take them."""
    problems = watch(page)
    grid = new_table(page, live_server, editor)
    grid.get_by_label("Use the first pasted row as column labels").check()
    tsv = (
        "Region\tVotes\tShare\tNote\r\n"
        'North\t1200\t40\t"Tab\there"\r\n'
        'South\t900\t30\t"Line one\nLine two"\r\n'
        'East\t900\t30\t"Said ""no"""\r\n'
    )
    paste(cell(grid, "Row 1, column 1"), tsv)
    expect(label(grid, 4)).to_have_value("Note")
    expect_focused(grid, "Row 1, Region")
    expect(cell(grid, "Row 1, Note")).to_have_value("Tab here")
    expect(cell(grid, "Row 2, Note")).to_have_value("Line one Line two")
    expect(cell(grid, "Row 3, Note")).to_have_value('Said "no"')
    assert grid.locator(".nr-grid-cell").count() == 3 * 4
    expect(grid.locator(".nr-grid-status")).to_contain_text("Pasted 3 rows and 4")

    # A single value is typed into the cell, replacing its selected text.
    cell(grid, "Row 3, Region").click()
    paste(cell(grid, "Row 3, Region"), "West\r\n")
    expect(cell(grid, "Row 3, Region")).to_have_value("West")
    grid.get_by_label("Column 2 kind").select_option("number")
    grid.get_by_label("Column 3 kind").select_option("percent")
    assert table_data(page)["rows"][2] == ["West", "900", "30", 'Said "no"']
    save(page)

    table = saved_table()
    assert [(c["label"], c["kind"]) for c in table["columns"]] == [
        ("Region", "text"),
        ("Votes", "number"),
        ("Share", "percent"),
        ("Note", "text"),
    ]
    assert table["rows"] == [
        ["North", "1200", "40", "Tab here"],
        ["South", "900", "30", "Line one Line two"],
        ["West", "900", "30", 'Said "no"'],
    ]
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_rows_and_columns_are_inserted_moved_and_deleted(
    page: Page, live_server, editor
):
    """The toolbar acts on the current cell; deleting content asks first."""
    problems = watch(page)
    grid = new_table(page, live_server, editor)
    paste(label(grid, 1), "Name\tScore\na\t1\nb\t2\nc\t3")
    expect(cell(grid, "Row 3, Name")).to_have_value("c")
    toolbar = grid.locator(".nr-grid-toolbar")

    cell(grid, "Row 2, Name").click()
    toolbar.get_by_role("button", name="Insert row above").click()
    expect_focused(grid, "Row 2, Name")
    page.keyboard.type("new")
    toolbar.get_by_role("button", name="Move row down").click()
    expect(cell(grid, "Row 3, Name")).to_have_value("new")
    expect(cell(grid, "Row 2, Name")).to_have_value("b")

    dialogs = []

    def answer(dialog, accept: bool):
        dialogs.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    cell(grid, "Row 1, Score").click()
    page.once("dialog", lambda dialog: answer(dialog, True))
    toolbar.get_by_role("button", name="Delete row").click()
    expect(cell(grid, "Row 1, Name")).to_have_value("b")
    assert dialogs == ["Delete row 1 and what it holds?"]

    toolbar.get_by_role("button", name="Insert column right").click()
    expect(label(grid, 3)).to_be_focused()
    page.keyboard.type("Extra")
    page.keyboard.press("ArrowDown")
    expect_focused(grid, "Row 1, Extra")
    page.keyboard.type("x")
    toolbar.get_by_role("button", name="Move column left").click()
    expect(label(grid, 2)).to_have_value("Extra")
    expect(cell(grid, "Row 1, Extra")).to_have_value("x")
    expect(cell(grid, "Row 1, Score")).to_have_value("2")

    cell(grid, "Row 2, Name").click()
    page.once("dialog", lambda dialog: answer(dialog, False))
    toolbar.get_by_role("button", name="Delete column").click()
    expect(label(grid, 1)).to_have_value("Name")  # refused: nothing changed
    page.once("dialog", lambda dialog: answer(dialog, True))
    toolbar.get_by_role("button", name="Delete column").click()
    expect(label(grid, 1)).to_have_value("Extra")
    assert dialogs[1:] == ["Delete column 1 (“Name”) and what it holds?"] * 2

    # An empty row goes without a question.
    cell(grid, "Row 1, Extra").click()
    toolbar.get_by_role("button", name="Insert row below").click()
    toolbar.get_by_role("button", name="Delete row").click()
    assert len(dialogs) == 3
    assert table_data(page)["rows"] == [["x", "2", ""], ["", "", ""], ["", "3", ""]]
    delete_column(grid, 3)
    delete_row(grid, "Row 2, Extra")
    assert len(dialogs) == 3
    save(page)

    table = saved_table()
    assert [c["label"] for c in table["columns"]] == ["Extra", "Score"]
    assert table["rows"] == [["x", "2"], ["", "3"]]
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_escape_restores_the_cell_as_it_was_entered(page: Page, live_server, editor):
    """Escape undoes what was typed since the cell was entered."""
    problems = watch(page)
    grid = new_table(page, live_server, editor)
    first = cell(grid, "Row 1, column 1")
    first.click()
    page.keyboard.type("North")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("Nowhere")
    expect(first).to_have_value("Nowhere")
    page.keyboard.press("Escape")
    expect(first).to_have_value("North")
    assert table_data(page)["rows"][0][0] == "North"
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.keyboard.press("Escape")
    expect(cell(grid, "Row 1, column 2")).to_have_value("")
    assert table_data(page)["rows"][0][:2] == ["North", ""]
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_the_server_s_errors_point_at_the_cell(page: Page, live_server, editor):
    """A refused cell comes back marked, with its message and as it was typed."""
    problems = watch(page)
    grid = new_table(page, live_server, editor)
    # (The server reads "12a" as 12 in unit "a"; "n/a" is no number at all.)
    long_name = "South " + "and its islands " * 20  # over 300 characters: a warning
    paste(label(grid, 1), f"Region\tVotes\nNorth\tn/a\n{long_name}\t900")
    grid.get_by_label("Column 2 kind").select_option("number")
    delete_column(grid, 3)
    page.click("input[name=_continue]")
    expect(page.locator("#nr-editor-summary")).to_be_visible()

    grid = page.locator(".nr-table-grid")
    refused = cell(grid, "Row 1, Votes")
    expect(refused).to_have_value("n/a")
    expect(refused).to_have_attribute("aria-invalid", "true")
    # The editor's errors say their block, as in the summary above the body.
    message = "Section 1, block 1: Row 1, “Votes”: “n/a” is not a number."
    expect(refused).to_have_attribute("title", message)
    expect(refused).to_have_accessible_description(f"Error: {message}")
    expect(grid.locator(".nr-grid-problems")).to_contain_text(message)
    expect(cell(grid, "Row 2, Votes")).not_to_have_attribute("aria-invalid", "true")
    # A warning is listed in the table's notes, and its cell is not invalid.
    warned = cell(grid, "Row 2, Region")
    expect(warned).not_to_have_attribute("aria-invalid", "true")
    notes = page.locator(".nr-table-block .nr-block-notes")
    expect(notes).to_contain_text(re.compile(r"Row 2, “Region”"))
    assert not Article.objects.exists()

    # The mark follows its cell when rows move; the list still leads to it.
    cell(grid, "Row 1, Region").click()
    grid.get_by_role("button", name="Insert row above").click()
    refused = cell(grid, "Row 2, Votes")
    expect(refused).to_have_attribute("aria-invalid", "true")
    grid.locator(".nr-grid-problems").get_by_role("button", name=message).click()
    expect(refused).to_be_focused()
    # Mending the cell clears the mark; Escape brings both back.
    page.keyboard.type("1200")
    expect(refused).not_to_have_attribute("aria-invalid", "true")
    page.keyboard.press("Escape")
    expect(refused).to_have_attribute("aria-invalid", "true")
    page.keyboard.type("1200")
    delete_row(grid, "Row 1, Region")
    save(page)
    assert saved_table()["rows"] == [["North", "1200"], [long_name.strip(), "900"]]
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_csv_is_previewed_before_it_replaces_the_table(
    page: Page, live_server, editor, tmp_path
):
    """Nothing changes until the editor chooses "Replace the table"."""
    problems = watch(page)
    grid = new_table(page, live_server, editor)
    cell(grid, "Row 1, column 1").fill("Kept until replaced")
    file_input = grid.locator("input[type=file]")

    unreadable = tmp_path / "old.xls"
    unreadable.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    file_input.set_input_files(str(unreadable))
    expect(grid.get_by_role("alert")).to_contain_text("save the file as .xlsx")

    upload = tmp_path / "votes.csv"
    upload.write_text(
        "\ufeffRegion,Votes,Note\r\n"
        'North,1200,"Said ""yes"""\r\n'
        "South,900,\r\nEast,800,\r\nWest,700,\r\nCentre,600,\r\nIslands,50,\r\n",
        encoding="utf-8",
    )
    file_input.set_input_files(str(upload))
    preview = grid.get_by_role("region", name="Imported table preview")
    expect(preview).to_contain_text("6 rows, 3 columns")
    expect(preview.locator("caption")).to_have_text("The first 5 of 6 rows")
    expect(preview.locator("thead th")).to_have_text(["Region", "Votes", "Note"])
    expect(preview.locator("tbody tr")).to_have_count(5)
    expect(preview.locator("tbody tr").first).to_contain_text('Said "yes"')
    expect(grid.get_by_role("alert")).to_be_hidden()
    expect(cell(grid, "Row 1, column 1")).to_have_value("Kept until replaced")

    preview.get_by_role("button", name="Cancel").click()
    expect(preview).to_be_hidden()
    expect(cell(grid, "Row 1, column 1")).to_have_value("Kept until replaced")

    file_input.set_input_files(str(upload))
    preview.get_by_role("button", name="Replace the table").click()
    expect(preview).to_be_hidden()
    expect(label(grid, 1)).to_have_value("Region")
    expect(cell(grid, "Row 6, Votes")).to_have_value("50")
    expect_focused(grid, "Row 1, Region")
    grid.get_by_label("Column 2 kind").select_option("number")
    save(page)

    table = saved_table()
    assert [(c["label"], c["kind"]) for c in table["columns"]] == [
        ("Region", "text"),
        ("Votes", "number"),
        ("Note", "text"),
    ]
    assert table["rows"] == [
        ["North", "1200", 'Said "yes"'],
        ["South", "900", ""],
        ["East", "800", ""],
        ["West", "700", ""],
        ["Centre", "600", ""],
        ["Islands", "50", ""],
    ]
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_a_table_of_200_rows_stays_responsive(page: Page, live_server, editor):
    """Pasting 200 x 10 cells, then typing and moving, without slow redraws."""
    problems = watch(page)
    grid = new_table(page, live_server, editor)
    lines = ["\t".join(f"H{c}" for c in range(10))]
    lines += ["\t".join(f"{r}-{c}" for c in range(10)) for r in range(200)]
    grid.get_by_label("Use the first pasted row as column labels").check()
    took = cell(grid, "Row 1, column 1").evaluate(
        """(element, text) => {
            const start = performance.now();
            const data = new DataTransfer();
            data.setData("text/plain", text);
            element.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }));
            return performance.now() - start;
        }""",
        "\n".join(lines),
    )
    assert grid.locator(".nr-grid-cell").count() == 2000
    assert took < 1000
    cell(grid, "Row 200, H9").click()
    page.keyboard.type("typed")
    took = grid.evaluate(
        """grid => {
            const start = performance.now();
            for (const button of ["Move row up", "Insert row below", "Delete row"]) {
                [...grid.querySelectorAll("button")]
                    .find(b => b.textContent === button).click();
            }
            return performance.now() - start;
        }"""
    )
    # Row changes touch only the rows concerned, not the 2,000 cells.
    assert took < 600
    assert table_data(page)["rows"][198][9] == "typed"
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_an_existing_table_round_trips_unchanged_then_takes_edits(
    page: Page, live_server, editor
):
    """Saving a table untouched records nothing new; an edit is saved as typed."""
    problems = watch(page)
    article = make_article(
        [
            {
                "heading": "",
                "blocks": [
                    paragraph("The lede."),
                    table_block(
                        "Turnout",
                        [
                            "Region",
                            {"label": "Share", "kind": "percent", "decimals": 1},
                        ],
                        [["North", "40.5"], ["South", "38"]],
                        source_note="Commission",
                    ),
                ],
            }
        ],
        author=editor,
    )
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    grid = page.locator(".nr-table-grid")
    expect(cell(grid, "Row 2, Share")).to_have_value("38")
    expect(grid.get_by_label("Column 2 decimals")).to_have_value("1")
    expect(grid.get_by_label("Column 2 kind")).to_have_value("percent")
    original = saved_table()
    assert table_data(page) == original
    save(page)
    assert article.revisions.count() == 1
    assert saved_table() == original

    cell(grid, "Row 2, Share").click()
    grid.get_by_role("button", name="Move row up").click()
    # At the top the button is disabled, so the moved cell takes the focus back.
    expect_focused(grid, "Row 1, Share")
    page.keyboard.type("38.5")
    save(page)
    assert article.revisions.count() == 2
    assert saved_table()["rows"] == [["South", "38.5"], ["North", "40.5"]]
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_the_grid_offers_the_servers_kinds_and_aligns_as_the_server_does(
    page: Page, live_server, editor
):
    """The kind and alignment menus are the schema's; `auto` aligns by its kind."""
    problems = watch(page)
    grid = new_table(page, live_server, editor)

    def offered(menu: Locator) -> list[tuple[str, str]]:
        return [
            tuple(option)
            for option in menu.locator("option").evaluate_all(
                "options => options.map(o => [o.value, o.textContent])"
            )
        ]

    kind_menu = grid.get_by_label("Column 1 kind")
    assert offered(kind_menu) == [(v, str(label)) for v, label in ColumnKind.choices]
    align_menu = grid.get_by_label("Column 1 alignment")
    assert offered(align_menu) == [(v, str(label)) for v, label in Align.choices]

    first = cell(grid, "Row 1, column 1")
    for kind in ColumnKind.values:
        kind_menu.select_option(kind)
        expect(first).to_have_css("text-align", DEFAULT_ALIGN[kind])
    align_menu.select_option("center")
    expect(first).to_have_css("text-align", "center")
    last_kind = ColumnKind.values[-1]
    # The editor keeps a column as the snapshot has it: no decimals is null.
    assert table_data(page)["columns"][0] == {
        "label": "",
        "kind": last_kind,
        "unit": "",
        "decimals": None,
        "align": "center",
    }
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_the_grid_says_what_it_does_in_the_server_s_words(
    page: Page, live_server, editor, monkeypatch
):
    """Announcements, plurals included, are the server's strings filled in."""
    problems = watch(page)
    words = grid_widget.script_strings

    def translated():
        return {
            **words(),
            "INSERT_ROW_ABOVE": "Insérer une ligne au-dessus",
            "ROW_INSERTED": "Ligne %(number)s insérée.",
            "ROW_COUNT": ["%(count)s ligne", "%(count)s lignes"],
            "COLUMN_COUNT": ["%(count)s colonne", "%(count)s colonnes"],
            "PASTED_WITH_LABELS": "Collé : %(rows)s et %(columns)s, avec les libellés.",
            "CELL": "Ligne %(row)s, %(column)s",
        }

    # The editor's page hands the grid its words (articles/admin/editor_page.py).
    monkeypatch.setattr(editor_page, "script_strings", translated)
    grid = new_table(page, live_server, editor)
    status = grid.locator(".nr-grid-status")

    paste(label(grid, 1), "Region\tVotes\nNorth\t1200")
    expect(status).to_have_text("Collé : 1 ligne et 2 colonnes, avec les libellés.")
    cell(grid, "Ligne 1, Votes").click()
    grid.get_by_role("button", name="Insérer une ligne au-dessus").click()
    expect(status).to_have_text("Ligne 1 insérée.")
    expect(cell(grid, "Ligne 2, Votes")).to_have_value("1200")
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_a_wide_table_scrolls_inside_the_grid_not_the_page(
    page: Page, live_server, editor
):
    """At 1280 px, twelve columns scroll inside the grid, which fills its place."""
    problems = watch(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    grid = new_table(page, live_server, editor)
    names = [f"Figure {n}" for n in range(1, 13)]
    paste(label(grid, 1), "\t".join(names) + "\n" + "\t".join(map(str, range(1, 13))))
    expect(cell(grid, "Row 1, Figure 12")).to_have_value("12")

    sizes = grid.evaluate(
        """grid => {
            const box = (node) => node.getBoundingClientRect();
            const scroller = grid.querySelector(".nr-grid-scroll");
            const place = grid.parentElement, style = getComputedStyle(place);
            const body = grid.closest(".nr-editor-body");
            const page = document.documentElement;
            return {
                page: [page.scrollWidth, page.clientWidth],
                body: [body.scrollWidth, body.clientWidth],
                scroller: [scroller.scrollWidth, scroller.clientWidth],
                scrollerWidth: box(scroller).width,
                gridWidth: box(grid).width,
                gridRight: box(grid).right,
                placeRight: box(place).right - parseFloat(style.paddingRight)
                    - parseFloat(style.borderRightWidth),
            };
        }"""
    )
    page_width, page_client = sizes["page"]
    assert page_width <= page_client, "the page scrolls sideways"
    body_width, body_client = sizes["body"]
    assert body_width <= body_client, "the editor's body clips the grid"
    table_width, scroller_client = sizes["scroller"]
    assert table_width > scroller_client * 2, "the table does not scroll in the grid"
    # The grid is as wide as its place, and so is its scrolling part.
    assert abs(sizes["gridRight"] - sizes["placeRight"]) <= 1
    assert abs(sizes["scrollerWidth"] - sizes["gridWidth"]) <= 1

    # The last column is reached inside the grid; the page stays where it is.
    cell(grid, "Row 1, Figure 1").click()
    for _ in range(11):
        page.keyboard.press("Tab")
    last = cell(grid, "Row 1, Figure 12")
    expect(last).to_be_focused()
    expect(last).to_be_in_viewport()
    assert page.evaluate("window.scrollX") == 0
    assert grid.locator(".nr-grid-scroll").evaluate("node => node.scrollLeft") > 0
    ARTIFACTS.mkdir(exist_ok=True)
    grid.screenshot(path=str(ARTIFACTS / "grid-wide-1280.png"))
    assert problems == []


MOUNT = """async ({schema, strings, table}) => {
    const { mountGrid } = await import("/static/js/grid/grid.js");
    const host = document.createElement("div");
    document.querySelector("#content-main").prepend(host);
    window.changes = [];
    window.mounted = mountGrid(host, {
        table, schema, strings, problems: [],
        onChange: (value) => window.changes.push(value),
    });
    window.host = host;
}"""


def changes(page: Page) -> list[dict]:
    return page.evaluate("window.changes")


@pytest.mark.django_db(transaction=True)
def test_mount_grid_reports_each_change_once_and_update_redraws_silently(
    page: Page, live_server, editor
):
    """The grid's module API, as the document editor uses it: no form."""
    problems = watch(page)
    log_in(page, live_server, editor)
    # Any admin page with the grid's stylesheet; the grid is mounted by hand.
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    words = json.loads(
        json.dumps(
            {
                "schema": grid_widget.script_schema(),
                "strings": grid_widget.script_strings(),
            },
            cls=DjangoJSONEncoder,
        )
    )
    votes = table_block(
        "Votes",
        ["Region", {"label": "Votes", "kind": "number", "decimals": 1}],
        [["North", "1200"], ["South", "900"]],
    )
    page.evaluate(MOUNT, {**words, "table": votes})
    host = page.locator("#content-main > div").first
    expect(cell(host, "Row 2, Votes")).to_have_value("900")
    expect(host.get_by_label("Column 2 decimals")).to_have_value("1")
    assert changes(page) == []  # drawing a table is no change

    # A cell: one call per input, each with a new value.
    cell(host, "Row 1, Votes").click()
    page.keyboard.type("15")
    assert [c["rows"][0][1] for c in changes(page)] == ["1", "15"]
    # A menu fires "input" and "change": one call.
    host.get_by_label("Column 1 kind").select_option("date")
    assert changes(page)[-1]["columns"][0]["kind"] == "date"
    assert len(changes(page)) == 3
    host.get_by_role("button", name="Insert row below").click()
    assert len(changes(page)) == 4
    assert changes(page)[-1]["rows"] == [["North", "15"], ["", ""], ["South", "900"]]
    paste(cell(host, "Row 3, Region"), "East\t800\nWest\t700")
    assert len(changes(page)) == 5
    assert changes(page)[-1]["rows"][2:] == [["East", "800"], ["West", "700"]]
    # Values reported earlier are left as they were.
    assert changes(page)[0]["rows"][0][1] == "1"

    # update() draws another value and its problems without a call.
    problem = {"level": "error", "message": "Not a number.", "row": 1, "column": 2}
    page.evaluate(
        "([table, problems]) => window.mounted.update(table, problems)",
        [{"columns": votes["columns"], "rows": [["North", "n/a"]]}, [problem]],
    )
    expect(cell(host, "Row 1, Votes")).to_have_value("n/a")
    expect(cell(host, "Row 1, Votes")).to_have_attribute("aria-invalid", "true")
    expect(host.locator(".nr-grid-cell")).to_have_count(2)
    page.evaluate("window.mounted.update(window.changes.at(-1))")
    expect(host.locator(".nr-grid-cell")).to_have_count(4 * 2)
    expect(cell(host, "Row 1, Votes")).not_to_have_attribute("aria-invalid", "true")
    # Given back the value it holds, it has nothing to redraw: the typing goes on.
    cell(host, "Row 4, Votes").click()
    page.keyboard.type("1")
    assert cell(host, "Row 4, Votes").evaluate(
        "input => { mounted.update(changes.at(-1)); return input.isConnected }"
    )
    expect(cell(host, "Row 4, Votes")).to_be_focused()
    assert len(changes(page)) == 6

    page.locator("#id_title").focus()
    page.evaluate("window.mounted.focus()")
    expect(cell(host, "Row 4, Votes")).to_be_focused()
    page.evaluate("window.mounted.destroy()")
    assert page.evaluate("[window.host.childElementCount, window.host.className]") == [
        0,
        "",
    ]
    assert problems == []
