"""Charts of tables' data: settings, checks, snapshots, SVG, caching, og:image, diff."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from lxml import etree, html

from articles import charts, revisions, services, snapshot
from articles.caching import page_cache
from articles.diff import diff
from articles.editor.body import BodyInvalid, parse_body
from articles.models import TableInvalid, validate_table
from articles.testing.factories import make_article

DEMO_URL = "/world/caspian-ports-busier-autumn/"
SVG = "{http://www.w3.org/2000/svg}"


def demo_svg(page_html: str) -> etree._Element:
    """The first chart's <svg> of a page, parsed as the XML it is written as."""
    found = re.search(r"<svg\b.*?</svg>", page_html, re.S)
    assert found, "no chart on the page"
    return etree.fromstring(found.group(0))


def ports_table(**chart) -> dict:
    return snapshot.table(
        "Cargo handled",
        [
            snapshot.column("Port"),
            snapshot.column("Cargo", "number", unit="million t", decimals=1),
            snapshot.column("Change", "percent", decimals=1),
            snapshot.column("Counted", "date"),
        ],
        [
            ["Aktau", "2.4", "6.2", "2024-11-30"],
            ["Baku", "3.1", "4.0", "2024-11-30"],
            ["Turkmenbashi", "1.2", "-1.5", "2024-11-30"],
            ["Anzali", "", "2.0", "2024-11-30"],
        ],
        source_note="Port operators",
        **chart,
    )


def one_table_body(block: dict) -> list[dict]:
    return [
        snapshot.section("", [snapshot.paragraph("Lede.")]),
        snapshot.section("Figures", [block]),
    ]


# --- the sample article's chart, as readers get it


@pytest.mark.django_db
def test_the_demo_table_is_a_bar_chart_with_a_bar_and_label_per_row_in_order(
    client, demo_content
):
    page = client.get(DEMO_URL).content.decode()
    svg = demo_svg(page)
    assert svg.get("role") == "img"
    assert svg.get("viewBox") and svg.get("width") is None  # scales with its column
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title.text == "Cargo handled, September to November"
    assert svg.get("aria-labelledby") == title.get("id") == "table-1-chart-title"
    assert svg.get("aria-describedby") == desc.get("id")
    assert desc.text == (
        "Bar chart of Cargo by Port: highest Baku at 3.1 million t, "
        "lowest Turkmenbashi at 1.2 million t."
    )
    bars = svg.findall(f".//{SVG}g[@class='chart-bar']")
    assert len(bars) == 3
    labels = [
        "".join(g.itertext()).strip()
        for g in svg.findall(f".//{SVG}g[@class='chart-category']")
    ]
    assert labels == ["Aktau", "Baku", "Turkmenbashi"]
    # Nothing a Content-Security-Policy of style-src 'self' would block.
    assert "style=" not in etree.tostring(svg).decode()
    assert svg.find(f".//{SVG}style") is None
    # Caption and source as HTML; the table is one link away, and still there.
    doc = html.fromstring(page)
    (figure,) = doc.xpath("//figure[@class='chart']")
    assert figure.xpath("string(figcaption)") == "Cargo handled, September to November"
    assert "Source: Port operators" in figure.xpath("string(.//p)")
    assert figure.xpath(".//a/@href") == ["#table-1"]
    assert doc.xpath("//figure[@id='table-1']//table")


@pytest.mark.django_db
def test_the_embed_page_shows_the_chart(client, demo_content):
    page = client.get(f"{DEMO_URL}table-1/embed/").content.decode()
    assert demo_svg(page).get("role") == "img"


@pytest.mark.django_db
def test_text_written_into_a_chart_stays_text(client):
    """Caption, labels and categories are user-written: inside the inline SVG
    they are text, never elements or attributes."""
    block = ports_table(chart="bar", chart_category=0, chart_series=[1])
    # Markup itself is dropped on saving; what reads as markup once the
    # entities are decoded must still be text in the chart.
    block["caption"] = "Cargo &lt;script&gt;alert(0)&lt;/script&gt;"
    block["columns"][1]["label"] = 'Cargo &lt;img src=x onerror="alert(1)"&gt;'
    block["rows"][0][0] = "Aktau&lt;/text&gt;&lt;script&gt;alert(2)&lt;/script&gt;"
    article = make_article(one_table_body(block), publish=True)
    page = client.get(article.get_absolute_url()).content.decode()
    svg = demo_svg(page)
    names = {etree.QName(element).localname for element in svg.iter(etree.Element)}
    assert not names & {"script", "img", "foreignObject"}
    assert not [
        name
        for e in svg.iter(etree.Element)
        for name in e.attrib
        if name.startswith("on")
    ]
    text = "".join(svg.itertext())  # kept, as text: a category and the title
    assert "Aktau</text><script>alert(2)</script>" in text
    assert "Cargo <script>alert(0)</script>" in text
    assert "<script>" not in page


@pytest.mark.django_db
def test_a_chart_only_table_is_shown_on_request_inside_details(client):
    article = make_article(
        one_table_body(
            ports_table(
                chart="line", chart_category=3, chart_series=[1, 2], chart_only=True
            )
        ),
        publish=True,
    )
    doc = html.fromstring(client.get(article.get_absolute_url()).content)
    (details,) = doc.xpath("//details[@class='chart-data']")
    assert details.get("open") is None
    assert details.xpath("figure[@id='table-1']//table")
    assert "Show the table" in details.xpath("string(summary)")
    (svg,) = doc.xpath("//figure[@class='chart']//*[local-name()='svg']")
    assert len(svg.xpath(".//*[@class='chart-series']")) == 2


def test_summary_names_series_when_there_are_several():
    data = charts.chart_data(
        ports_table(chart="column", chart_category=0, chart_series=[1, 2])
    )
    assert charts.summary(data) == (
        "Column chart of Cargo, Change by Port: highest Aktau (Change) at 6.2%, "
        "lowest Turkmenbashi (Change) at -1.5%."
    )
    assert data.bar_count == 7  # Anzali's empty cargo draws no bar


@pytest.mark.parametrize("kind", ["bar", "column", "line", "stacked_bar"])
def test_every_kind_draws(kind):
    block = ports_table(chart=kind, chart_category=0, chart_series=[1, 2])
    # Stacked parts add up: the same kind and unit.
    block["columns"][2] = {**block["columns"][1], "label": "Transit"}
    chart = charts.rendered(block, anchor="table-9")
    svg = etree.fromstring(str(chart.svg))
    assert svg.get("role") == "img"
    ids = [element.get("id") for element in svg.iter() if element.get("id")]
    assert ids and all(ident.startswith("table-9-chart-") for ident in ids)
    assert len(ids) == len(set(ids))


# --- settings: checked, kept, compared


def test_chart_settings_are_checked_in_the_editor_s_terms():
    block = ports_table(chart="bar", chart_category=1, chart_series=[0, 3])
    with pytest.raises(TableInvalid) as refused:
        validate_table(
            block["columns"], block["rows"], caption="C", source_note="S", chart=block
        )
    assert [
        (p.message, p.column) for p in refused.value.problems if p.level == "error"
    ] == [
        (
            "Chart: the categories come from a text or date column; "
            "“Cargo” is a number column.",
            2,
        ),
        (
            "Chart: only number, percent or currency columns can be drawn; "
            "“Port” is a text column.",
            1,
        ),
        (
            "Chart: only number, percent or currency columns can be drawn; "
            "“Counted” is a date column.",
            4,
        ),
    ]
    for chart, message in [
        ({"chart": "pie"}, "“pie” is not a kind of chart."),
        ({"chart": "bar", "chart_series": [1]}, "Chart: choose the column that names"),
        ({"chart": "bar", "chart_category": 0}, "Chart: choose at least one number"),
        (
            {"chart": "bar", "chart_category": 0, "chart_series": [1, 1]},
            "one is chosen twice",
        ),
        (
            {"chart": "bar", "chart_category": 9, "chart_series": [1]},
            "is not in the table",
        ),
    ]:
        problems = charts.check_chart(block["columns"], chart)
        assert any(message in p.message for p in problems), (chart, problems)
    stacked = {**block, "chart": "stacked_bar", "chart_category": 0}
    assert [
        p.message
        for p in charts.check_chart(
            block["columns"], {**stacked, "chart_series": [1, 2]}
        )
    ] == [
        "Chart: stacked bars add their columns up, so they need the same kind and "
        "unit; “Change” is not measured as “Cargo” is."
    ]
    too_long = {**block, "rows": [["A", "1", "1", "2024-01-01"]] * 101}
    assert [
        p.message
        for p in charts.check_chart(
            block["columns"], {**too_long, "chart_category": 0, "chart_series": [1]}
        )
    ] == [
        "Chart: a chart can show at most 100 rows; this table has 101. "
        "Show it as a table only."
    ]
    # No chart needs nothing more.
    assert (
        charts.check_chart(block["columns"], {"chart": "", "chart_series": [0]}) == []
    )


def test_a_refused_chart_is_reported_at_its_place_by_the_document_editor():
    bad = ports_table(chart="bar", chart_category=1, chart_series=[1])
    with pytest.raises(BodyInvalid) as refused:
        parse_body(one_table_body(bad))
    messages = [error["message"] for error in refused.value.errors]
    assert messages == [
        "Section 2, block 1: Chart: the categories come from a text or "
        "date column; “Cargo” is a number column.",
        "Section 2, block 1: Chart: “Cargo” cannot name the categories "
        "and be drawn too.",
    ]
    # The editor marks the column at fault (places count from 0).
    assert [error["place"] for error in refused.value.errors] == [
        {"section": 1, "block": 0, "column": 1}
    ] * 2
    wrong_types = {
        **bad,
        "chart": "radar",
        "chart_category": "Port",
        "chart_series": "Cargo",
    }
    with pytest.raises(BodyInvalid) as refused:
        parse_body(one_table_body(wrong_types))
    fields = [error["place"].get("field") for error in refused.value.errors]
    assert fields == ["chart", "chart_category", "chart_series"]


@pytest.mark.django_db
def test_chart_settings_round_trip_through_the_database_and_the_snapshot():
    block = ports_table(
        chart="column", chart_category=0, chart_series=[1, 2], chart_only=True
    )
    article = make_article(one_table_body(block))
    table = revisions.snapshot(article)["sections"][1]["blocks"][0]
    assert table == block
    # And back out of the revision into a working tree, as a restore does.
    services.replace_body(article, revisions.snapshot(article)["sections"])
    assert revisions.snapshot(article)["sections"][1]["blocks"][0] == block
    # Settings of no chart are not kept.
    services.replace_body(article, one_table_body({**block, "chart": ""}))
    table = revisions.snapshot(article)["sections"][1]["blocks"][0]
    assert {
        key: table[key] for key in snapshot.CHART_DEFAULTS
    } == snapshot.CHART_DEFAULTS


@pytest.mark.django_db
def test_old_snapshots_without_chart_keys_still_render_and_compare(client):
    article = make_article(one_table_body(ports_table()), publish=True)
    revision = article.live_revision
    old = revision.snapshot
    for key in snapshot.CHART_DEFAULTS:
        del old["sections"][1]["blocks"][0][key]
    type(revision).objects.filter(pk=revision.pk).update(snapshot=old)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200 and b"<svg" not in page.content
    [block] = [
        b for s in diff(old, revisions.snapshot(article)).sections for b in s.blocks
    ] or [None]
    assert block is None  # the defaults are what was meant


def test_the_diff_shows_a_change_of_chart_settings():
    def article(block):
        return {
            "version": 1,
            "title": "T",
            "standfirst": "",
            "byline": "",
            "source_credit": "",
            "sections": [
                {"heading": "Figures", "anchor": "figures", "blocks": [block]}
            ],
        }

    old = article(ports_table())
    new = article(ports_table(chart="bar", chart_category=0, chart_series=[1, 2]))
    [section] = diff(old, new).sections
    [block] = section.blocks
    assert block.status == "changed" and block.table is None  # the data is the same
    assert {c.name: (c.old, c.new) for c in block.settings} == {
        "chart": ("No chart", "Bar (horizontal)"),
        "chart_category": ("", "Port"),
        "chart_series": ("", "Cargo, Change"),
    }
    # The review screen says so, in words (not pixels).
    shown = render_to_string("admin/articles/_diff.html", {"diff": diff(old, new)})
    assert "<dt>Chart</dt>" in shown
    assert '<ins class="nr-diff-ins">Bar (horizontal)</ins>' in shown
    assert "<dt>Chart series</dt>" in shown
    assert '<ins class="nr-diff-ins">Cargo, Change</ins>' in shown
    # Drawing other columns, or the chart alone, is a change too.
    newer = article(
        ports_table(chart="bar", chart_category=3, chart_series=[2], chart_only=True)
    )
    [block] = diff(new, newer).sections[0].blocks
    assert {c.name: (c.old, c.new) for c in block.settings} == {
        "chart_category": ("Port", "Counted"),
        "chart_series": ("Cargo, Change", "Change"),
        "chart_only": ("no", "yes"),
    }


# --- cost: queries, cache, og:image


@pytest.mark.django_db
def test_a_chart_costs_the_article_page_no_query_and_is_drawn_once(client, monkeypatch):
    plain = make_article(one_table_body(ports_table()), publish=True, title="Plain")
    charted = make_article(
        one_table_body(ports_table(chart="bar", chart_category=0, chart_series=[1])),
        publish=True,
        title="Charted",
    )
    page_cache().clear()
    counts = {}
    for article in (plain, charted):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        counts[article.title] = len(queries)
    assert counts["Plain"] == counts["Charted"] == 2
    # Drawn once per revision and table: a sorted view (not the body cache)
    # takes the drawing from the cache.
    from articles.charts import draw

    calls = []
    monkeypatch.setattr(draw, "svg", lambda *a, **k: calls.append(1) or "<svg/>")
    response = client.get(charted.get_absolute_url() + "?t1-sort=c1")
    assert b'role="img"' in response.content and calls == []


@pytest.mark.django_db
def test_the_first_chart_is_the_og_image_and_its_png_is_served(client, demo_content):
    doc = html.fromstring(client.get(DEMO_URL).content)
    (image,) = doc.xpath("//meta[@property='og:image']/@content")
    assert image == f"http://testserver{DEMO_URL}r1/chart-1.png"
    assert doc.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"]
    response = client.get(f"{DEMO_URL}r1/chart-1.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    # A table without a chart has no picture, nor does an article without one.
    sample = "/world/kazakh-president-joins-closed-csto-talks/"
    assert client.get(f"{sample}r1/chart-1.png").status_code == 404
    assert not html.fromstring(client.get(sample).content).xpath(
        "//meta[@property='og:image']"
    )


def test_imported_tables_have_no_chart():
    from articles.importing import parse

    document = parse(
        "# Ports\n\n| Port | Cargo |\n| --- | --- |\n| Aktau | 2.4 |\n",
        format="markdown",
    )
    tables = [
        b for s in document.to_body() for b in s["blocks"] if b["type"] == "table"
    ]
    assert tables
    assert all(
        {key: table[key] for key in snapshot.CHART_DEFAULTS} == snapshot.CHART_DEFAULTS
        for table in tables
    )


def test_refused_settings_raise_validation_errors_through_services():
    block = ports_table(chart="bar", chart_category=2, chart_series=[1])
    with pytest.raises(ValidationError):
        services.build_table(None, block)


@pytest.mark.django_db
def test_the_review_screen_shows_the_chart_and_its_change_in_words(
    client, editor, moderator
):
    from articles import workflow

    article = make_article(one_table_body(ports_table()), author=editor, publish=True)
    services.replace_body(
        article,
        one_table_body(ports_table(chart="bar", chart_category=0, chart_series=[1])),
    )
    workflow.revise(article, by=editor)
    workflow.submit(article, by=editor)
    client.force_login(moderator)
    response = client.get(f"/admin/articles/article/{article.pk}/review/")
    assert response.status_code == 200
    doc = html.fromstring(response.content)
    # What readers will see, drawn; and what changed, in words.
    assert doc.xpath("//figure[@class='chart']//*[local-name()='svg'][@role='img']")
    terms = [" ".join(dt.text_content().split()) for dt in doc.xpath("//dl//dt")]
    assert {"Chart", "Chart categories", "Chart series"} <= set(terms)
