"""A table's layout on narrow screens (issue 17): scroll (the default) or stack.

Kept in the model and the snapshot, checked as a choice, named in the review's
diff, and rendered: a stacked table's cells carry their labels; a scrolling
table's have none.
"""

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from articles import revisions, services, snapshot
from articles.diff import diff
from articles.editor import BodyInvalid, parse_body
from articles.models import ContentTable
from articles.tables.content import ContentTableView
from articles.testing.bodies import table
from articles.testing.factories import make_article

STACK = snapshot.NarrowLayout.STACK.value
SCROLL = snapshot.NarrowLayout.SCROLL.value


def ferries(**settings):
    return table(
        "Ferry crossings",
        [
            "Route",
            {"label": "Crossings", "kind": "number"},
            {"label": "Load", "kind": "number", "unit": "t"},
            "",
        ],
        [["Baku–Aktau", "82", "1200", "<b>ASCO</b>"]],
        source_note="Operators",
        **settings,
    )


def body(block):
    return [snapshot.section("Ferries", [block])]


def article_snapshot(block) -> dict:
    return {
        "version": 1,
        "title": "Ferries",
        "standfirst": "",
        "byline": "Staff",
        "source_credit": "",
        "sections": [snapshot.section("Ferries", [block], anchor="ferries")],
    }


def the_table(data: dict) -> dict:
    [block] = data["sections"][0]["blocks"]
    return block


def test_a_table_scrolls_on_narrow_screens_unless_told():
    assert ferries()["narrow_layout"] == SCROLL
    assert ContentTable().narrow_layout == SCROLL
    assert "narrow_layout" in snapshot.TABLE_FIELDS


@pytest.mark.django_db
def test_the_layout_goes_through_a_revision_and_back():
    """Saved, snapshotted, written back and snapshotted again: still "stack"."""
    article = make_article(body(ferries(narrow_layout=STACK)))
    assert ContentTable.objects.get().narrow_layout == STACK
    saved = revisions.snapshot(article)
    assert the_table(saved)["narrow_layout"] == STACK

    services.replace_body(article, saved["sections"])
    assert revisions.snapshot(article) == saved


@pytest.mark.django_db
def test_a_table_saved_before_the_layout_existed_scrolls():
    """A snapshot's table without the key (before migration 0012) is "scroll"."""
    old = ferries()
    del old["narrow_layout"]
    [parsed] = parse_body(body(old))[0]["blocks"]
    assert parsed["narrow_layout"] == SCROLL
    article = make_article(body(old))
    assert ContentTable.objects.get().narrow_layout == SCROLL
    assert the_table(revisions.snapshot(article))["narrow_layout"] == SCROLL
    view = ContentTableView(old, prefix="t1-", anchor="table-1")
    assert not view.stacked


@pytest.mark.parametrize("value", ["cards", "", "STACK", None, True, 1])
def test_a_layout_that_is_not_a_choice_is_refused_at_its_place(value):
    with pytest.raises(BodyInvalid) as refused:
        parse_body(body(ferries(narrow_layout=value)))
    [error] = refused.value.errors
    assert error["place"] == {"section": 0, "block": 0, "field": "narrow_layout"}
    assert "is not one of the choices (scroll, stack)" in error["message"]


@pytest.mark.django_db
def test_the_services_refuse_a_layout_that_is_not_a_choice():
    """Callers other than the editor (importer, demo) are held to it too."""
    article = make_article(body(ferries()))
    with pytest.raises(ValidationError) as refused:
        services.replace_body(article, body(ferries(narrow_layout="cards")))
    assert refused.value.messages == [
        "Section 1, block 1: “cards” is not a layout for narrow screens."
    ]
    assert ContentTable.objects.get().narrow_layout == SCROLL


def test_a_change_of_layout_is_a_setting_in_the_diff():
    old = article_snapshot(ferries())
    new = article_snapshot(ferries(narrow_layout=STACK))
    [changed] = diff(old, new).sections
    [block] = changed.blocks
    assert [(s.label, s.old, s.new) for s in block.settings] == [
        ("On narrow screens", "Scroll sideways", "Stack each row as a card")
    ]
    assert not block.formatting_only
    html = render_to_string("admin/articles/_diff.html", {"diff": diff(old, new)})
    assert "On narrow screens" in html
    assert "Stack each row as a card" in html


def test_an_old_table_without_the_layout_is_no_change_from_scroll():
    before = ferries()
    del before["narrow_layout"]
    assert not diff(article_snapshot(before), article_snapshot(ferries())).sections


def rendered(data: dict):
    view = ContentTableView(data, prefix="t1-", anchor="table-1")
    view.configure(RequestFactory().get("/"))
    return lxml.html.fragment_fromstring(
        render_to_string(view.template_name, {"table": view, "request": view.request})
    )


def test_a_stacked_table_labels_its_cells_and_stays_a_table():
    figure = rendered(ferries(narrow_layout=STACK))
    assert "table-stack" in figure.get("class")
    [row] = figure.xpath(".//div[@role='region']/table/tbody/tr")
    cells = row.xpath("th|td")
    assert [cell.tag for cell in cells] == ["th", "td", "td", "td"]
    # The row header is the card's title; a column without a label has none.
    assert [cell.get("data-label") for cell in cells] == [
        "Route",
        "Crossings",
        "Load (t)",
        None,
    ]
    # No ARIA roles on the table's parts: invalid HTML inside a <table>.
    assert not figure.xpath(".//table//*[@role]")


def test_a_scrolling_table_has_no_labels_and_a_focusable_named_region():
    figure = rendered(ferries())
    assert "table-stack" not in figure.get("class")
    assert not figure.xpath(".//*[@data-label]")
    region = figure.find(".//div[@role='region']")
    assert region.get("tabindex") == "0"
    assert region.get("aria-labelledby") == "table-1-caption"
    assert figure.xpath(".//caption[@id='table-1-caption']")
    assert "table-frame" in region.getparent().get("class")
