"""Uploading a CSV or XLSX file to the table grid: what the server reads from it."""

import io
import random
import zipfile
from collections.abc import Iterable
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from articles.admin import table_import
from articles.testing.factories import UserFactory

URL = "/admin/articles/article/table-import/"


def upload(client, name: str, content: bytes):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def crafted_xlsx(rows: Iterable[str], *, after_rows: str = "") -> bytes:
    """A minimal workbook whose sheet XML is streamed in: `rows` are <row> elements.

    What a hostile file may hold: no <dimension>, millions of rows in a few
    kilobytes, anything after the rows.
    """
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml"'
            ' ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets><sheet '
            'name="Big" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
    }
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for row in rows:
                sheet.write(row.encode())
            sheet.write(f"</sheetData>{after_rows}</worksheet>".encode())
    return stream.getvalue()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def rows_read(monkeypatch) -> list:
    """Count the rows openpyxl's read-only reader gives out (it still reads them)."""
    read = []
    iter_rows = ReadOnlyWorksheet.iter_rows

    def counted(self, *args, **kwargs):
        for row in iter_rows(self, *args, **kwargs):
            read.append(1)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counted)
    return read


def test_import_url_is_named_in_the_admin():
    """The grid finds the endpoint by its admin URL name."""
    assert reverse("admin:articles_article_table_import") == URL


@pytest.mark.django_db
def test_csv_with_bom_and_quoted_cells_is_read_as_typed(editor_client):
    """A UTF-8 CSV from Excel: the BOM goes, quoted cells keep commas and quotes."""
    content = (
        "\ufeffRegion,Votes,Note\r\n"
        'North,"1,200","Said ""yes"", mostly"\r\n'
        '"São Tomé",900,"two\nlines"\r\n'
    ).encode()
    response = upload(editor_client, "votes.csv", content)
    assert response.status_code == 200
    data = response.json()
    assert data["columns"] == [
        {"label": "Region"},
        {"label": "Votes"},
        {"label": "Note"},
    ]
    assert data["rows"] == [
        ["North", "1,200", 'Said "yes", mostly'],
        ["São Tomé", "900", "two lines"],
    ]
    assert "2 rows, 3 columns" in data["message"]


@pytest.mark.django_db
def test_csv_in_windows_1252_is_read(editor_client):
    """A CSV saved by older Excel on Windows (cp1252, semicolons) still reads."""
    content = "Ville;Montant\r\nGenève;12 €\r\nZürich;8 €\r\n".encode("cp1252")
    response = upload(editor_client, "montants.csv", content)
    assert response.status_code == 200
    data = response.json()
    assert [column["label"] for column in data["columns"]] == ["Ville", "Montant"]
    assert data["rows"] == [["Genève", "12 €"], ["Zürich", "8 €"]]


@pytest.mark.django_db
def test_xlsx_numbers_and_dates_are_read_as_strings(editor_client):
    """Whole numbers lose the spurious .0; dates are written YYYY-MM-DD."""
    content = xlsx(
        [
            ["Region", "Votes", "Share", "Counted on", None],
            ["North", 1200, 40.5, date(2024, 5, 31), None],
            ["South", 900.0, 0.1, datetime(2024, 6, 1, 0, 0), None],
            [None, None, None, None, None],
        ]
    )
    response = upload(editor_client, "results.xlsx", content)
    assert response.status_code == 200
    data = response.json()
    assert [column["label"] for column in data["columns"]] == [
        "Region",
        "Votes",
        "Share",
        "Counted on",
    ]
    assert data["rows"] == [
        ["North", "1200", "40.5", "2024-05-31"],
        ["South", "900", "0.1", "2024-06-01"],
    ]
    assert "Results" in data["message"]


@pytest.mark.django_db
def test_each_column_comes_with_the_kind_its_cells_suggest(editor_client):
    content = xlsx(
        [
            ["Region", "Votes", "Share", "Counted on"],
            ["North", 1200.5, "40.5%", date(2024, 5, 31)],
            ["South", 900, "59.5%", date(2024, 6, 1)],
        ]
    )
    data = upload(editor_client, "results.xlsx", content).json()
    assert data["proposed"] == [
        {"kind": "text", "decimals": None, "unit": ""},
        {"kind": "number", "decimals": 1, "unit": ""},
        {"kind": "percent", "decimals": 1, "unit": ""},
        {"kind": "date", "decimals": None, "unit": ""},
    ]


@pytest.mark.django_db
def test_a_file_over_two_megabytes_is_refused(editor_client):
    """Files over 2 MB are refused before they are read."""
    content = b"Label\r\n" + b"x" * (2 * 1024 * 1024)
    response = upload(editor_client, "big.csv", content)
    assert response.status_code == 400
    assert "limit is 2 MB" in response.json()["error"]


@pytest.mark.django_db
def test_a_file_with_too_many_rows_is_refused(editor_client):
    """More rows than a table may hold are refused, saying the limit."""
    content = ("Number\r\n" + "".join(f"{n}\r\n" for n in range(1001))).encode()
    response = upload(editor_client, "long.csv", content)
    assert response.status_code == 400
    assert "more than 1,000 rows" in response.json()["error"]
    assert "1,000 rows × 40 columns" in response.json()["error"]


@pytest.mark.django_db
def test_a_file_with_too_many_columns_is_refused(editor_client):
    """More columns than a table may hold are refused."""
    content = (",".join(f"C{n}" for n in range(41)) + "\r\n").encode()
    response = upload(editor_client, "wide.csv", content)
    assert response.status_code == 400
    assert "more than 40 columns" in response.json()["error"]


# --- cells that look like formulas are data


FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("https://evil.example","x")', "@SUM(1+1)"]


@pytest.mark.django_db
def test_csv_cells_that_look_like_formulas_arrive_as_text(editor_client):
    """The grid gets the cells' text as typed; nothing reads them as formulas."""
    content = (
        b"Name,Note\r\n"
        b"\"=cmd|' /C calc'!A0\",-1+1\r\n"
        b'"=HYPERLINK(""https://evil.example"",""x"")",@SUM(1+1)\r\n'
    )
    response = upload(editor_client, "formulas.csv", content)
    assert response.status_code == 200
    assert response.json()["rows"] == [
        [FORMULAS[0], "-1+1"],
        [FORMULAS[1], FORMULAS[2]],
    ]


@pytest.mark.django_db
def test_xlsx_text_cells_that_look_like_formulas_arrive_as_text(editor_client):
    book = Workbook()
    sheet = book.active
    sheet.append(["Formula-like text"])
    for text in FORMULAS:
        sheet.append([text])
        sheet.cell(row=sheet.max_row, column=1).data_type = "s"  # text, not a formula
    stream = io.BytesIO()
    book.save(stream)
    response = upload(editor_client, "formulas.xlsx", stream.getvalue())
    assert response.json()["rows"] == [[text] for text in FORMULAS]


@pytest.mark.django_db
def test_xlsx_formula_cells_arrive_as_their_computed_value(editor_client):
    """A formula gives the value the spreadsheet showed; the server computes nothing."""
    content = crafted_xlsx(
        [
            '<row><c t="inlineStr"><is><t>Total</t></is></c></row>',
            "<row><c><f>SUM(1+1)</f><v>2</v></c></row>",
            "<row><c t=\"str\"><f>cmd|' /C calc'!A0</f><v>#N/A</v></c></row>",
        ]
    )
    response = upload(editor_client, "computed.xlsx", content)
    assert response.json()["rows"] == [["2"], ["#N/A"]]


# --- limits: reading stops there


@pytest.mark.slow
@pytest.mark.django_db
def test_xlsx_of_a_million_rows_is_refused_before_openpyxl_reads_a_row(
    editor_client, rows_read
):
    """Its sheet unpacks to 25 MB: refused while unpacking, not after reading it."""
    content = crafted_xlsx("<row><c><v>1</v></c></row>" for _ in range(1_000_000))
    assert len(content) < table_import.MAX_BYTES
    response = upload(editor_client, "million.xlsx", content)
    assert response.status_code == 400
    assert "far more than one table" in response.json()["error"]
    assert len(rows_read) == 0


@pytest.mark.django_db
def test_xlsx_reading_stops_at_the_row_limit(editor_client, rows_read):
    """50,000 rows are refused after reading the labels and 1,001 rows."""
    content = crafted_xlsx(f"<row><c><v>{n}</v></c></row>" for n in range(50_000))
    response = upload(editor_client, "long.xlsx", content)
    assert response.status_code == 400
    assert "more than 1,000 rows" in response.json()["error"]
    assert len(rows_read) == 1 + 1_000 + 1


@pytest.mark.django_db
def test_xlsx_reading_stops_at_the_column_limit(editor_client, rows_read):
    content = crafted_xlsx(["<row>" + "<c><v>1</v></c>" * 41 + "</row>"] * 1_000)
    response = upload(editor_client, "wide.xlsx", content)
    assert response.status_code == 400
    assert "more than 40 columns" in response.json()["error"]
    assert len(rows_read) == 1


HEAVY_WORKBOOKS = {
    # 93 MB of cells: the old limit was 100 MB unpacked.
    "unpacks-to-93-MB": lambda: crafted_xlsx(
        "<row>" + "<c><v>1</v></c>" * 40 + "</row>" for _ in range(160_000)
    ),
    # openpyxl builds each cell of a row while reading it.
    "200,001-empty-cells-in-a-row": lambda: crafted_xlsx(
        ["<row>" + "<c/>" * 200_001 + "</row>"]
    ),
    # Parsed after the rows, at about 15 µs each.
    "50,000-merged-ranges": lambda: crafted_xlsx(
        ["<row><c><v>1</v></c></row>"],
        after_rows="<mergeCells>"
        + '<mergeCell ref="A1:B2"/>' * 50_000
        + "</mergeCells>",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", HEAVY_WORKBOOKS)
def test_a_workbook_that_would_take_long_to_parse_is_refused_before_reading(
    editor_client, rows_read, kind
):
    response = upload(editor_client, "heavy.xlsx", HEAVY_WORKBOOKS[kind]())
    assert response.status_code == 400
    assert "far more than one table" in response.json()["error"]
    assert len(rows_read) == 0


@pytest.mark.django_db
def test_a_full_size_table_workbook_is_read(editor_client):
    """1,000 rows × 40 columns of 100-character cells pass every limit."""
    rng = random.Random(1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Full")
    sheet.append([f"Column {c}" for c in range(40)])
    for r in range(1_000):
        sheet.append(
            [f"{'x' * 100} {r}" if c % 2 else rng.random() * 1e6 for c in range(40)]
        )
    stream = io.BytesIO()
    book.save(stream)
    response = upload(editor_client, "full.xlsx", stream.getvalue())
    assert response.status_code == 200, response.json()
    assert "1,000 rows, 40 columns" in response.json()["message"]


@pytest.mark.django_db
def test_rows_left_out_of_a_sheet_count_towards_its_end(editor_client, rows_read):
    """A sheet going on to row 999,999 stops at row 10,000: the gap is not walked."""
    content = crafted_xlsx(
        [
            '<row r="1"><c r="A1"><v>1</v></c></row>',
            '<row r="999999"><c r="A999999"><v>2</v></c></row>',
        ]
    )
    response = upload(editor_client, "gap.xlsx", content)
    assert response.status_code == 400
    assert "past row 10,000" in response.json()["error"]
    assert len(rows_read) == 10_001


@pytest.mark.django_db
def test_a_cell_longer_than_excel_allows_is_refused_where_it_is(editor_client):
    content = b"Name,Note\r\nx," + b"y" * 40_000 + b"\r\n"
    response = upload(editor_client, "long-cell.csv", content)
    assert response.status_code == 400
    assert "row 2, column 2" in response.json()["error"]
    assert "32,767 characters" in response.json()["error"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "not a readable XLSX"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Old .xls"),
        ("empty.csv", b"  \r\n", "empty"),
        ("ragged.csv", b"a,b\r\n1,2,3,4\r\n", "more cells than its first row"),
    ],
)
def test_an_unreadable_file_is_refused_with_a_reason(
    editor_client, name, content, expected
):
    """Files that are not tables get a 400 and a message an editor understands."""
    response = upload(editor_client, name, content)
    assert response.status_code == 400
    assert expected in response.json()["error"]


@pytest.mark.django_db
def test_a_post_without_a_file_is_refused(editor_client):
    response = editor_client.post(URL, {})
    assert response.status_code == 400
    assert "Choose a CSV or XLSX file" in response.json()["error"]


@pytest.mark.django_db
def test_staff_without_change_permission_is_refused(client):
    """Only people who may edit articles can import tables."""
    client.force_login(UserFactory(username="x", is_staff=True))
    response = upload(client, "votes.csv", b"Region\r\nNorth\r\n")
    assert response.status_code == 403


@pytest.mark.django_db
def test_import_needs_a_csrf_token(editor):
    """Like any form post in the admin, an upload without the page's token fails."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = upload(client, "votes.csv", b"Region\r\nNorth\r\n")
    assert response.status_code == 403


@pytest.mark.django_db
def test_import_only_accepts_posts(editor_client):
    assert editor_client.get(URL).status_code == 405
