from django.template.loader import render_to_string

from articles.diff import diff
from articles.testing.bodies import bullets, paragraph, table


def article(*sections, title="Election night", **fields):
    return {
        "version": 1,
        "title": title,
        "standfirst": "",
        "byline": "Staff",
        "source_credit": "",
        **fields,
        "sections": list(sections),
    }


def section(heading, *blocks, anchor=None):
    return {
        "heading": heading,
        "anchor": anchor or heading.lower() or "intro",
        "blocks": list(blocks),
    }


def votes(*rows, columns=("Region", "Votes")):
    return table("Votes by region", list(columns), [list(row) for row in rows])


def only_block(d):
    """Return the one changed block of a diff with one changed section."""
    [changed] = d.sections
    [block] = changed.blocks
    return block


def test_a_changed_cell_names_its_row_column_and_values():
    old = article(section("Results", votes(["North", "1,200"], ["South", "900"])))
    new = article(section("Results", votes(["North", "1,250"], ["South", "900"])))
    block = only_block(diff(old, new))
    assert block.status == "changed"
    [cell] = block.table.cells
    assert (cell.row, cell.row_label, cell.column, cell.old, cell.new) == (
        1,
        "North",
        "Votes",
        "1,200",
        "1,250",
    )
    assert not (block.table.rows_added or block.table.rows_removed)


def test_a_row_inserted_in_the_middle_is_one_added_row():
    rows = [["North", "1,200"], ["South", "900"], ["West", "700"]]
    old = article(section("Results", votes(*rows)))
    new = article(section("Results", votes(rows[0], ["East", "450"], *rows[1:])))
    change = only_block(diff(old, new)).table
    assert [(row.number, row.label, row.cells) for row in change.rows_added] == [
        (2, "East", ["East", "450"])
    ]
    assert change.cells == []
    assert change.rows_removed == []


def test_a_removed_row_is_numbered_in_the_old_table():
    old = article(section("Results", votes(["North", "1"], ["South", "2"])))
    new = article(section("Results", votes(["North", "1"])))
    change = only_block(diff(old, new)).table
    assert [(row.number, row.label) for row in change.rows_removed] == [(2, "South")]


def test_a_renamed_section_is_renamed_not_removed_and_added():
    old = article(section("Results", paragraph("Counting goes on."), anchor="results"))
    new = article(
        section("Final results", paragraph("Counting goes on."), anchor="results")
    )
    [change] = diff(old, new).sections
    assert change.status == "changed"
    assert change.renamed
    assert (change.old_heading, change.heading) == ("Results", "Final results")
    assert change.blocks == []


def test_a_paragraph_edit_gives_word_pieces():
    old = article(section("", paragraph("Turnout was <b>high</b> in the north.")))
    new = article(section("", paragraph("Turnout was low in the north and west.")))
    block = only_block(diff(old, new))
    assert (block.kind, block.status) == ("paragraph", "changed")
    assert block.pieces == [
        ("equal", "Turnout was"),
        ("delete", "high"),
        ("insert", "low"),
        ("equal", "in the"),
        ("delete", "north."),
        ("insert", "north and west."),
    ]


def test_an_unrelated_paragraph_is_removed_and_added():
    old = article(section("", paragraph("Polls opened at seven.")))
    new = article(section("", paragraph("The count starts tomorrow morning.")))
    [change] = diff(old, new).sections
    assert [(b.status, b.lines) for b in change.blocks] == [
        ("removed", ["Polls opened at seven."]),
        ("added", ["The count starts tomorrow morning."]),
    ]


def test_a_block_of_another_type_is_removed_and_added():
    old = article(section("", paragraph("One, two.")))
    new = article(section("", bullets("One", "two")))
    [change] = diff(old, new).sections
    assert [(b.status, b.kind) for b in change.blocks] == [
        ("removed", "paragraph"),
        ("added", "list"),
    ]


def test_list_items_added_removed_and_changed():
    old = article(section("", bullets("Polls close at ten", "Count overnight", "X")))
    new = article(section("", bullets("Polls close at nine", "Count overnight", "Y")))
    block = only_block(diff(old, new))
    changes = [(i.status, i.number, i.old, i.new) for i in block.items]
    assert changes == [
        ("changed", 1, "Polls close at ten", "Polls close at nine"),
        ("removed", 3, "X", ""),
        ("added", 3, "", "Y"),
    ]


def test_a_list_item_inserted_is_one_added_item():
    old = article(section("", bullets("One", "Three")))
    new = article(section("", bullets("One", "Two", "Three")))
    items = only_block(diff(old, new)).items
    assert [(i.status, i.number, i.new) for i in items] == [("added", 2, "Two")]


def test_an_added_column_is_reported_once_not_as_changed_cells():
    old = article(section("Results", votes(["North", "1,200"])))
    new = article(
        section(
            "Results",
            votes(["North", "1,200", "52%"], columns=("Region", "Votes", "Share")),
        )
    )
    block = only_block(diff(old, new))
    assert block.table.columns_added == ["Share"]
    assert block.table.columns_removed == []
    assert block.table.cells == []
    assert block.table.rows_added == []


def test_column_settings_and_caption_changes_are_settings():
    old = article(
        section("", table("Cargo", ["Port", {"label": "Cargo", "unit": "t"}], []))
    )
    new = article(
        section(
            "", table("Cargo, tonnes", ["Port", {"label": "Cargo", "unit": "kt"}], [])
        )
    )
    block = only_block(diff(old, new))
    assert [(s.label, s.old, s.new) for s in block.settings] == [
        ("Caption", "Cargo", "Cargo, tonnes"),
        ("Column “Cargo”: unit", "t", "kt"),
    ]
    assert block.table is None


def test_a_formatting_change_alone_is_flagged():
    old = article(section("", paragraph("Turnout was high.")))
    new = article(section("", paragraph("Turnout was <b>high</b>.")))
    block = only_block(diff(old, new))
    assert block.formatting_only
    assert diff(old, new).fact_changes() == []


def test_article_fields_get_word_diffs():
    d = diff(article(title="Polls close"), article(title="Polls close early"))
    [change] = d.fields
    assert (change.name, change.old, change.new) == (
        "title",
        "Polls close",
        "Polls close early",
    )
    assert change.pieces == [("equal", "Polls close"), ("insert", "early")]


def test_a_moved_section_is_flagged():
    one, two, three = (section(h, paragraph(h)) for h in ("One", "Two", "Three"))
    [change] = diff(article(one, two, three), article(two, three, one)).sections
    assert (change.heading, change.moved, change.blocks) == ("One", True, [])


def test_nothing_published_yet_reports_everything_added():
    new = article(
        section("", paragraph("Lede.")),
        section("Results", votes(["North", "1"])),
        standfirst="In short.",
    )
    d = diff(None, new)
    assert [f.name for f in d.fields] == ["title", "standfirst", "byline"]
    assert [s.status for s in d.sections] == ["added", "added"]
    assert [(b.status, b.kind) for b in d.sections[1].blocks] == [("added", "table")]
    assert d.sections[1].blocks[0].lines == [
        "Votes by region",
        "Region | Votes",
        "North | 1",
    ]


def test_a_removed_section_lists_its_blocks_as_removed():
    kept = section("Results", paragraph("a"))
    d = diff(article(kept, section("Reaction", paragraph("b"))), article(kept))
    [change] = d.sections
    assert (change.status, change.heading) == ("removed", "Reaction")
    assert [b.status for b in change.blocks] == ["removed"]


def test_identical_snapshots_are_empty():
    snapshot = article(
        section("", paragraph("Lede.")), section("Results", votes(["North", "1"]))
    )
    d = diff(snapshot, article(*snapshot["sections"]))
    assert d.is_empty
    assert d.fact_changes() == []


def test_fact_changes_describe_cells_and_reworded_text():
    old = article(
        section(
            "Results",
            paragraph("Counting ended late."),
            votes(["North", "1,200"], ["", "900"]),
        )
    )
    new = article(
        section(
            "Results",
            paragraph("Counting ended very late."),
            votes(["North", "1,250"], ["", ""]),
        )
    )
    assert diff(old, new).fact_changes() == [
        "In “Votes by region”, North / Votes: 1,200 → 1,250.",
        "In “Votes by region”, row 2 / Votes: 900 → (empty).",
        "Section “Results”: a paragraph was reworded.",
    ]


def test_the_template_escapes_text_and_marks_changes():
    old = article(
        section("Results", paragraph("Turnout was high."), votes(["North", "1"]))
    )
    new = article(
        section(
            "Results <script>alert(1)</script>",
            paragraph("Turnout was low."),
            votes(["North", "&lt;script&gt;alert(2)&lt;/script&gt;"]),
            anchor="results",
        )
    )
    html = render_to_string("admin/articles/_diff.html", {"diff": diff(old, new)})
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert '<del class="nr-diff-del">high.</del>' in html
    assert '<ins class="nr-diff-ins">low.</ins>' in html
    assert "Renamed from “Results”" in html
    assert "<td>Votes</td>" in html


def test_the_template_says_when_nothing_changed():
    html = render_to_string(
        "admin/articles/_diff.html", {"diff": diff(article(), article())}
    )
    assert "No changes." in html


def test_a_change_of_row_headers_is_a_setting_not_formatting():
    """Every table setting of the schema is compared, row headers included."""
    old = article(section("", votes(["North", "1,200"])))
    new = article(section("", {**votes(["North", "1,200"]), "row_headers": False}))
    block = only_block(diff(old, new))
    assert [(s.label, s.old, s.new) for s in block.settings] == [
        ("First column names the rows", "yes", "no")
    ]
    assert not block.formatting_only


def test_a_table_saved_before_row_headers_existed_had_them():
    """A table without the row_headers key (before migration 0004) had them on."""
    before = votes(["North", "1,200"])
    del before["row_headers"]
    after = {**votes(["North", "1,200"]), "caption": "Votes"}
    block = only_block(diff(article(section("", before)), article(section("", after))))
    assert [s.label for s in block.settings] == ["Caption"]


def test_unchanged_blocks_next_to_a_change_stay_in_view_and_the_rest_fold():
    """One unchanged block shows on each side of a change; longer runs fold."""
    texts = [f"Paragraph {n} says something." for n in range(1, 8)]
    old = article(section("", *map(paragraph, texts)))
    new = article(
        section("", *map(paragraph, texts[:3]), paragraph("Paragraph 4 says more."))
    )
    new["sections"][0]["blocks"] += map(paragraph, texts[4:])
    [change] = diff(old, new).sections
    assert [b.status for b in change.blocks] == ["changed"]
    parts = change.parts
    assert [getattr(p, "status", "folded") for p in parts] == [
        "folded",
        "unchanged",
        "changed",
        "unchanged",
        "folded",
    ]
    assert [b.lines for b in parts[0].blocks] == [[texts[0]], [texts[1]]]
    assert parts[0].summary == "2 unchanged paragraphs"
    assert parts[1].lines == [texts[2]]


def test_a_single_unchanged_block_is_shown_rather_than_folded():
    old = article(section("", paragraph("One."), paragraph("Two."), paragraph("Six.")))
    new = article(section("", paragraph("One."), paragraph("Two."), paragraph("6.")))
    [change] = diff(old, new).sections
    assert [getattr(p, "status", "folded") for p in change.parts] == [
        "unchanged",
        "unchanged",
        "removed",
        "added",
    ]


def test_unchanged_sections_are_in_the_outline_only():
    kept = section("Background", paragraph("a"), votes(["North", "1"]))
    old = article(kept, section("Results", paragraph("Counting goes on.")))
    new = article(kept, section("Results", paragraph("Counting has ended.")))
    d = diff(old, new)
    assert [s.heading for s in d.sections] == ["Results"]
    assert [(s.heading, s.status) for s in d.outline] == [
        ("Background", "unchanged"),
        ("Results", "changed"),
    ]
    [fold] = d.outline[0].parts
    assert fold.summary == "2 unchanged blocks"
    # An unchanged table is named, not listed row by row.
    assert fold.blocks[1].lines == ["Votes by region", "Region | Votes", "1 row"]


def number_column(**settings):
    return {"label": "Cargo", "kind": "number", "unit": "kt", **settings}


def test_changed_number_cells_show_as_readers_see_them():
    """Cells take their column's decimals and grouping; the unit is the column's."""

    def cargo(value):
        return table("Cargo", ["Port", number_column(decimals=1)], [["Aktau", value]])

    d = diff(
        article(section("", cargo("1200"))), article(section("", cargo("1250.46")))
    )
    [cell] = only_block(d).table.cells
    assert (cell.column, cell.unit, cell.old, cell.new) == (
        "Cargo",
        "kt",
        "1,200.0",
        "1,250.5",
    )
    assert d.fact_changes() == ["In “Cargo”, Aktau / Cargo (kt): 1,200.0 → 1,250.5."]


def test_a_number_retyped_the_same_for_readers_is_not_a_changed_cell():
    def cargo(value):
        return table("Cargo", ["Port", number_column()], [["Aktau", value]])

    block = only_block(
        diff(article(section("", cargo("1200"))), article(section("", cargo("1,200"))))
    )
    assert block.table is None
    assert block.formatting_only


def test_added_rows_and_tables_show_numbers_and_units_as_readers_see_them():
    old = table("Cargo", ["Port", number_column()], [["Aktau", "1200"]])
    new = table(
        "Cargo", ["Port", number_column()], [["Aktau", "1200"], ["Kuryk", "35000"]]
    )
    block = only_block(diff(article(section("", old)), article(section("", new))))
    assert [row.cells for row in block.table.rows_added] == [["Kuryk", "35,000"]]
    d = diff(None, article(section("", new)))
    assert d.sections[0].blocks[0].lines == [
        "Cargo",
        "Port | Cargo (kt)",
        "Aktau | 1,200",
        "Kuryk | 35,000",
    ]


def test_the_template_folds_unchanged_blocks_in_details():
    texts = [f"Paragraph {n} says something." for n in range(1, 6)]
    old = article(section("Results", *map(paragraph, texts)))
    new = article(
        section("Results", *map(paragraph, texts[:4]), paragraph("Paragraph 5 new."))
    )
    cargo = table("Cargo", ["Port", number_column()], [["Aktau", "1200"]])
    old["sections"].append(section("Ports", cargo))
    new["sections"].append(section("Ports", {**cargo, "rows": [["Aktau", "1250"]]}))
    html = render_to_string("admin/articles/_diff.html", {"diff": diff(old, new)})
    assert "<summary>3 unchanged paragraphs</summary>" in html
    assert '<p class="nr-diff-line">Paragraph 4 says something.</p>' in html
    assert '<td>Cargo <span class="unit">(kt)</span></td>' in html
    assert '<del class="nr-diff-del">1,200</del>' in html
