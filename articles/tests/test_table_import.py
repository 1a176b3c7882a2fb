"""Uploading a CSV or XLSX file to the table grid: what the server reads from it."""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from .factories import UserFactory

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


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


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
    assert "1,001 rows" in response.json()["error"]
    assert "1,000 rows × 40 columns" in response.json()["error"]


@pytest.mark.django_db
def test_a_file_with_too_many_columns_is_refused(editor_client):
    """More columns than a table may hold are refused."""
    content = (",".join(f"C{n}" for n in range(41)) + "\r\n").encode()
    response = upload(editor_client, "wide.csv", content)
    assert response.status_code == 400
    assert "41 columns" in response.json()["error"]


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
