"""Downloads keep each column's format: decimals, percent, money, dates, groups.

The JSON download is checked against the official Frictionless Data profiles
(articles/tests/data/frictionless/), with jsonschema.
"""

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from articles import snapshot
from articles.tables import ContentTableView
from articles.testing.bodies import table
from articles.testing.factories import make_article

PROFILES = Path(__file__).parent / "data" / "frictionless"

FORMATTED_COLUMNS = [
    "Country",
    {"label": "Score", "kind": "number", "decimals": 1},
    {"label": "Turnout", "kind": "percent", "decimals": 1},
    {"label": "Budget", "kind": "currency", "unit": "€", "decimals": 2},
    {"label": "Aid", "kind": "currency", "unit": "USD"},
    {"label": "Length", "kind": "number", "unit": "km"},
    {"label": "Seats", "kind": "number"},
    {"label": "Held", "kind": "date"},
]
FORMATTED_ROWS = [
    ["Chile", "69.0", "62.5%", "€1,234.5", "1,200 USD", "12.5 km", "98", "2024-03-17"],
    ["Armenia", "71", "49", "€80", "300 USD", "3 km", "107", "20 June 2021"],
    ["=cmd|' /C calc'!A0", "-0.25", "", "", "", "", "", ""],
]  # fmt: skip


def formatted_table(**settings):
    return table(
        "Elections at a glance",
        FORMATTED_COLUMNS,
        FORMATTED_ROWS,
        source_note="Electoral commissions",
        source_url="https://example.org/elections",
        source_retrieved="2024-04-01",
        **settings,
    )


def publish(*blocks):
    return make_article([{"heading": "", "blocks": list(blocks)}], publish=True)


def download(client, article, export_format, number=1):
    response = client.get(
        f"{article.get_absolute_url()}r1/table-{number}.{export_format}"
    )
    assert response.status_code == 200
    return response


def profile(name: str) -> dict:
    return json.loads((PROFILES / name).read_text(encoding="utf-8"))


def assert_valid_resource(resource: dict) -> None:
    """Valid against Table Schema and Tabular Data Resource, data matching types."""
    jsonschema.Draft4Validator(profile("tabular-data-resource.json")).validate(resource)
    jsonschema.Draft4Validator(profile("table-schema.json")).validate(
        resource["schema"]
    )
    # The profiles check the descriptor; each value must also be of its type.
    fields = resource["schema"]["fields"]
    names = [field["name"] for field in fields]
    assert len(set(names)) == len(names) and all(names)
    for row in resource["data"]:
        assert list(row) == names
        for field in fields:
            value = row[field["name"]]
            if value is None:
                continue
            kind = field["type"]
            if kind == "integer":
                assert type(value) is int, (field, value)
            elif kind == "number":
                assert type(value) in (int, float), (field, value)
            elif kind == "date":
                date.fromisoformat(value)
            else:
                assert kind == "string" and isinstance(value, str), (field, value)


# --- CSV


@pytest.mark.django_db
def test_csv_keeps_declared_decimals_and_writes_plain_numbers(client):
    """69.0 stays 69.0; no grouping, no symbols: the unit is in the header."""
    article = publish(formatted_table())
    response = download(client, article, "csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{article.slug}-r1-elections-at-a-glance.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows == [
        [
            "Country",
            "Score",
            "Turnout (%)",
            "Budget (€)",
            "Aid (USD)",
            "Length (km)",
            "Seats",
            "Held",
        ],
        ["Chile", "69.0", "62.5", "1234.50", "1200", "12.5", "98", "2024-03-17"],
        ["Armenia", "71.0", "49.0", "80.00", "300", "3", "107", "2021-06-20"],
        ["'=cmd|' /C calc'!A0", "-0.25", "", "", "", "", "", ""],
    ]  # fmt: skip


# --- XLSX


@pytest.mark.django_db
def test_xlsx_cells_carry_their_columns_number_formats(client):
    article = publish(formatted_table())
    sheet = openpyxl.load_workbook(
        io.BytesIO(download(client, article, "xlsx").content)
    ).active
    kazakhstan = {cell.column_letter: cell for cell in sheet[2]}
    assert [(letter, cell.number_format) for letter, cell in kazakhstan.items()] == [
        ("A", "General"),
        ("B", "#,##0.0"),
        ("C", "#,##0.0%"),
        ("D", '"€"#,##0.00'),
        ("E", '#,##0 "USD"'),
        ("F", "#,##0.0"),  # as typed: 12.5 km
        ("G", "#,##0"),
        ("H", "yyyy-mm-dd"),
    ]  # fmt: skip
    assert [cell.value for cell in kazakhstan.values()] == [
        "Chile", 69, 0.625, 1234.5, 1200, 12.5, 98, datetime(2024, 3, 17),
    ]  # fmt: skip
    assert all(cell.data_type == "n" for cell in list(kazakhstan.values())[1:7])
    assert kazakhstan["H"].is_date
    armenia = {cell.column_letter: cell for cell in sheet[3]}
    assert armenia["C"].value == 0.49 and armenia["C"].number_format == "#,##0.0%"
    assert armenia["D"].value == 80 and armenia["D"].number_format == '"€"#,##0.00'
    assert armenia["H"].value == datetime(2021, 6, 20)
    assert sheet["B4"].value == -0.25 and sheet["B4"].number_format == "#,##0.0"
    # Text stays text, still never a formula.
    assert sheet["A4"].data_type == "s" and sheet["A4"].quotePrefix
    assert [cell.value for cell in sheet[1]][:3] == ["Country", "Score", "Turnout (%)"]
    assert sheet["B1"].font.bold


@pytest.mark.django_db
def test_xlsx_shows_a_columns_typed_decimals_when_none_are_declared(client):
    columns = ["Name", {"label": "Rate", "kind": "number"}]
    article = publish(table("Rates", columns, [["a", "1.25"], ["b", "3"]], "Src"))
    sheet = openpyxl.load_workbook(
        io.BytesIO(download(client, article, "xlsx").content)
    ).active
    assert [sheet["B2"].number_format, sheet["B3"].number_format] == ["#,##0.00"] * 2
    assert [sheet["B2"].value, sheet["B3"].value] == [1.25, 3]


# --- JSON


@pytest.mark.django_db
def test_json_is_a_valid_tabular_data_resource(client):
    article = publish(formatted_table())
    response = download(client, article, "json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{article.slug}-r1-elections-at-a-glance.json"'
    )
    resource = json.loads(response.content)
    assert_valid_resource(resource)
    assert resource["profile"] == "tabular-data-resource"
    assert resource["name"] == f"{article.slug}-r1-elections-at-a-glance"
    assert resource["title"] == "Elections at a glance"
    assert resource["sources"] == [
        {
            "title": "Electoral commissions",
            "path": "https://example.org/elections",
            "retrieved": "2024-04-01",
        }
    ]
    assert resource["schema"]["fields"] == [
        {"name": "Country", "title": "Country", "type": "string"},
        {"name": "Score", "title": "Score", "type": "number", "decimals": 1},
        {
            "name": "Turnout",
            "title": "Turnout",
            "type": "number",
            "unit": "%",
            "decimals": 1,
        },
        {
            "name": "Budget",
            "title": "Budget",
            "type": "number",
            "currency": "€",
            "decimals": 2,
        },
        {"name": "Aid", "title": "Aid", "type": "integer", "currency": "USD"},
        {"name": "Length", "title": "Length", "type": "number", "unit": "km"},
        {"name": "Seats", "title": "Seats", "type": "integer"},
        {"name": "Held", "title": "Held", "type": "date"},
    ]
    assert resource["data"][0] == {
        "Country": "Chile",
        "Score": 69.0,
        "Turnout": 62.5,
        "Budget": 1234.5,
        "Aid": 1200,
        "Length": 12.5,
        "Seats": 98,
        "Held": "2024-03-17",
    }
    # Formula-like text is data here, kept exactly; empty cells are null.
    assert resource["data"][2]["Country"] == "=cmd|' /C calc'!A0"
    assert resource["data"][2]["Turnout"] is None


@pytest.mark.django_db
def test_json_keeps_column_groups(client):
    columns = [
        "Party",
        {"label": "Seats", "kind": "number"},
        {"label": "Share", "kind": "percent", "decimals": 1},
        {"label": "Seats", "kind": "number"},
        {"label": "Share", "kind": "percent", "decimals": 1},
    ]
    rows = [
        ["Amanat", "62", "53.9", "76", "71.1"],
        ["Ak Zhol", "6", "8.4", "12", "10.9"],
    ]
    groups = [snapshot.group("2023", 1, 2), snapshot.group("2021", 3, 2)]
    article = publish(table("Seats", columns, rows, "CEC", groups=groups))
    resource = json.loads(download(client, article, "json").content)
    assert_valid_resource(resource)
    fields = resource["schema"]["fields"]
    assert [(f["name"], f["title"], f.get("group")) for f in fields] == [
        ("Party", "Party", None),
        ("2023: Seats", "Seats", "2023"),
        ("2023: Share", "Share", "2023"),
        ("2021: Seats", "Seats", "2021"),
        ("2021: Share", "Share", "2021"),
    ]
    assert resource["data"][1] == {
        "Party": "Ak Zhol",
        "2023: Seats": 6,
        "2023: Share": 8.4,
        "2021: Seats": 12,
        "2021: Share": 10.9,
    }
    # The same groups name the columns of the spreadsheets.
    header = next(csv.reader(io.StringIO(download(client, article, "csv").text)))
    assert header == [
        "Party",
        "2023: Seats",
        "2023: Share (%)",
        "2021: Seats",
        "2021: Share (%)",
    ]
    sheet = openpyxl.load_workbook(
        io.BytesIO(download(client, article, "xlsx").content)
    ).active
    assert [cell.value for cell in sheet[1]] == header
    assert sheet["C3"].number_format == "#,##0.0%" and sheet["C3"].value == 0.084


def test_json_of_a_table_without_caption_source_or_numbers_is_valid():
    block = table("", ["Name", "Note"], [["a", "b"]])
    view = ContentTableView(block, prefix="t1-", anchor="table-1")
    resource = json.loads(view.export("json").export())
    assert_valid_resource(resource)
    assert "sources" not in resource
    assert (resource["name"], resource["title"]) == ("table", "")
    assert resource["data"] == [{"Name": "a", "Note": "b"}]


def test_the_profiles_refuse_what_tools_could_not_read():
    """The check has teeth: an unknown type or a bad name is refused."""
    good = {
        "profile": "tabular-data-resource",
        "name": "t",
        "schema": {"fields": [{"name": "a", "type": "number"}]},
        "data": [{"a": 1}],
    }
    assert_valid_resource(good)
    for broken in (
        {**good, "name": "Not A Name"},
        {**good, "schema": {"fields": [{"name": "a", "type": "numeric"}]}},
        {key: value for key, value in good.items() if key != "schema"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            assert_valid_resource(broken)


def test_a_numeric_column_holding_text_stays_readable_in_every_format():
    """Older revisions may hold a cell that is not a number: it stays text."""
    block = table(
        "Mixed",
        ["Name", {"label": "Count", "kind": "number", "decimals": 1}],
        [["a", "12"], ["b", "n/a"], ["c", ""]],
        source_note="Src",
    )
    view = ContentTableView(block, prefix="t1-", anchor="table-1")
    rows = list(csv.reader(io.StringIO(view.export("csv").export())))
    assert rows[1:] == [["a", "12.0"], ["b", "n/a"], ["c", ""]]
    sheet = openpyxl.load_workbook(io.BytesIO(view.export("xlsx").export())).active
    assert (sheet["B2"].value, sheet["B2"].number_format) == (12, "#,##0.0")
    assert (sheet["B3"].value, sheet["B3"].data_type) == ("n/a", "s")
    resource = json.loads(view.export("json").export())
    assert_valid_resource(resource)
    assert resource["schema"]["fields"][1]["type"] == "string"
    assert [row["Count"] for row in resource["data"]] == ["12.0", "n/a", None]
