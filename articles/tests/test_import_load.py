"""Importing legacy documents as drafts: command, re-imports, bad files, admin page."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from articles import workflow
from articles.importing.load import import_document
from articles.models import Article, Desk, ImportedSource

from .factories import UserFactory

SAMPLE = Path("/work/shared/samples/csto-talks.txt")
SAMPLE_TEXT = Path(__file__).parent / "importing" / "samples" / "csto-talks.txt"
HTML = """<!doctype html><html><head><title>Port figures</title></head><body>
<nav>Home | World</nav><article><h1>Port figures</h1><p>Cargo rose.</p>
<table><caption>Cargo</caption><tr><th>Port</th><th>Tonnes</th></tr>
<tr><td>Aktau</td><td>2.4</td></tr></table></article><footer>© Paper</footer>
</body></html>"""


def sample_bytes() -> bytes:
    return (SAMPLE if SAMPLE.exists() else SAMPLE_TEXT).read_bytes()


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def legacy_folder(tmp_path):
    (tmp_path / "nested").mkdir()
    (tmp_path / "csto-talks.txt").write_bytes(sample_bytes())
    (tmp_path / "nested" / "ports.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "nested" / "broken.html").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00binary"
    )
    return tmp_path


@pytest.mark.django_db
def test_dry_run_prints_the_stable_json_form_and_writes_nothing():
    path = SAMPLE if SAMPLE.exists() else SAMPLE_TEXT
    code, out, err = run(str(path), "--dry-run", "--json")
    document = json.loads(out)
    assert code == 0
    assert set(document) == {"title", "sections", "notes"}
    assert [s["heading"] for s in document["sections"]][1:] == [
        "Kazakh Leader’s Role in Strengthening CSTO Security Cooperation",
        "Implications of Closed CSTO Talks for Regional Stability and Defense "
        "Strategies",
        "Recommendations for Enhancing Transparency and Dialogue within the CSTO "
        "Framework",
    ]
    assert {"table-missing", "cell-split-out"} <= {n["code"] for n in document["notes"]}
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_folder_imports_what_it_can_and_a_rerun_duplicates_nothing(legacy_folder):
    code, out, err = run(str(legacy_folder))
    assert code == 1  # one file failed
    assert "3 file(s): 2 created, 1 failed." in err
    assert "FAILED" in err and "broken.html" in err and "PNG image" in err
    assert Article.objects.count() == 2
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert Desk.objects.get(slug="imported").articles.count() == 2

    code, out, err = run(str(legacy_folder))
    assert "2 unchanged" in err
    assert Article.objects.count() == 2
    assert ImportedSource.objects.count() == 2


@pytest.mark.django_db
def test_the_original_is_kept_verbatim_with_the_repairs(legacy_folder):
    run(
        str(legacy_folder / "csto-talks.txt"),
        "--desk",
        Desk.objects.create(name="World", slug="world").slug,
    )
    article = Article.objects.get()
    source = article.sources.get()
    assert source.text == sample_bytes().decode("utf-8")
    assert source.format == "markdown"
    assert {"cell-split-out", "table-missing"} <= {
        note["code"] for note in source.notes
    }
    assert article.desk.slug == "world"
    snapshot = article.current_revision().snapshot
    assert [b["type"] for b in snapshot["sections"][2]["blocks"]].count("table") == 1


@pytest.mark.django_db
def test_reimport_of_changed_content_updates_the_draft(editor, desk):
    import_document(HTML, name="ports.html", desk=desk, by=editor)
    outcome = import_document(
        HTML.replace("2.4", "2.5"), name="ports.html", desk=desk, by=editor
    )
    assert outcome.status == "updated"
    article = Article.objects.get()
    assert article.revisions.count() == 2 and article.sources.count() == 2
    table = article.current_revision().snapshot["sections"][0]["blocks"][1]
    assert table["rows"] == [["Aktau", "2.5"]]


@pytest.mark.django_db
def test_the_same_content_under_another_name_is_recognised(editor, desk):
    import_document(HTML, name="a/ports.html", desk=desk, by=editor)
    assert import_document(HTML, name="b/ports.html", desk=desk, by=editor).status == (
        "unchanged"
    )
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_reimport_leaves_an_article_in_the_workflow_alone(editor, desk):
    article = import_document(HTML, name="ports.html", desk=desk, by=editor).article
    workflow.submit(article, by=editor)
    outcome = import_document(HTML + " ", name="ports.html", desk=desk, by=editor)
    assert outcome.status == "skipped" and "in review" in outcome.message
    assert Article.objects.get().revisions.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "empty"), (b"   \n ", "nothing to import"), (b"\x00\x01\x02" * 50, "")],
)
def test_bad_files_fail_clearly_and_write_nothing(editor, desk, content, expected):
    outcome = import_document(content, name="bad.txt", desk=desk, by=editor)
    assert outcome.status == "failed"
    assert expected in outcome.message.lower()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_an_oversized_file_is_refused_with_the_limit(editor, desk):
    outcome = import_document(
        b"a" * (3 * 1024 * 1024), name="big.txt", desk=desk, by=editor
    )
    assert outcome.status == "failed" and "2.0 MB" in outcome.message


# --- the admin page


@pytest.mark.django_db
def test_admin_import_previews_the_repairs_then_creates_drafts(client, editor):
    client.force_login(editor)
    url = "/admin/articles/article/import/"
    response = client.post(
        url,
        {
            "format": "auto",
            "files": [
                SimpleUploadedFile("csto-talks.txt", sample_bytes()),
                SimpleUploadedFile("broken.html", b"\x89PNG\r\n\x1a\n\x00"),
            ],
            "text": "",
        },
    )
    html = response.content.decode()
    assert "Nothing is saved yet" in html
    assert "cell-split-out" in html and "table-missing" in html
    assert "PNG image" in html
    assert not Article.objects.exists()

    results = client.post(url, {"create": "1"}).content.decode()
    assert "created" in results and "failed" in results
    article = Article.objects.get()
    assert (article.status, article.created_by) == ("draft", editor)
    source_page = client.get(f"/admin/articles/article/{article.pk}/source/")
    assert "The original, as imported" in source_page.content.decode()


@pytest.mark.django_db
def test_pasted_text_is_imported_too(client, editor):
    client.force_login(editor)
    url = "/admin/articles/article/import/"
    client.post(url, {"format": "markdown", "text": "# Pasted title\n\nSome text."})
    client.post(url, {"create": "1"})
    assert Article.objects.get().title == "Pasted title"


@pytest.mark.django_db
def test_import_page_needs_permission_to_add_articles(client):
    client.force_login(UserFactory(username="visitor", is_staff=True))
    assert client.get("/admin/articles/article/import/").status_code == 403
