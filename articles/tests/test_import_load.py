"""Importing legacy documents as drafts: command, re-imports, bad files, admin page."""

import io
import json
from pathlib import Path

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from articles import revisions, workflow
from articles.admin import importer
from articles.importing import parse
from articles.importing.load import import_document, save_documents
from articles.models import Article, Desk, ImportedSource
from articles.testing.factories import UserFactory
from articles.testing.legacy_articles import legacy_markdown

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


IMPORT_URL = "/admin/articles/article/import/"


def field_errors(response, name: str) -> str:
    """The errors the page shows beside one field ("" for the form's own)."""
    page = lxml.html.fromstring(response.content)
    where = f"//div[contains(@class, 'field-{name}')]" if name else "//form"
    return " ".join(
        " ".join(errors.text_content().split())
        for errors in page.xpath(f"{where}//ul[contains(@class, 'errorlist')]")
    )


def textarea(response) -> str:
    page = lxml.html.fromstring(response.content)
    return page.xpath("//textarea[@name='text']")[0].text_content().strip()


@pytest.mark.django_db
def test_admin_import_page_states_its_limits_beside_the_upload_field(client, editor):
    client.force_login(editor)
    page = lxml.html.fromstring(client.get(IMPORT_URL).content)
    help_text = " ".join(
        page.get_element_by_id("id_files_helptext").text_content().split()
    )
    assert "up to 10 files and 512 KB at a time" in help_text
    assert "first 10 rows of each table" in help_text
    assert "python manage.py import_articles" in help_text


@pytest.mark.django_db
def test_admin_import_refuses_more_files_than_it_takes_keeping_the_pasted_text(
    client, editor
):
    """Eleven files are refused at the files field; the pasted text stays."""
    client.force_login(editor)
    files = [SimpleUploadedFile(f"a{n}.md", b"# Title\n\nText.") for n in range(11)]
    text = "# Pasted\n\nTyped with care."
    response = client.post(IMPORT_URL, {"format": "auto", "files": files, "text": text})
    assert response.status_code == 200
    assert "You chose 11 files; the page takes up to 10" in field_errors(
        response, "files"
    )
    assert "import_articles" in field_errors(response, "files")
    assert textarea(response) == text
    assert importer.SESSION_KEY not in client.session
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_admin_import_refuses_files_over_the_total_before_reading_them(client, editor):
    client.force_login(editor)
    files = [
        SimpleUploadedFile(f"a{n}.md", b"# Title\n\n" + b"word " * 60_000)
        for n in range(2)
    ]
    response = client.post(
        IMPORT_URL, {"format": "auto", "files": files, "text": "Kept."}
    )
    assert "The files come to 586 KB; the page takes up to 512 KB" in field_errors(
        response, "files"
    )
    assert textarea(response) == "Kept."
    assert importer.SESSION_KEY not in client.session


@pytest.mark.django_db
def test_admin_import_refuses_pasted_text_over_the_total_at_the_text(client, editor):
    client.force_login(editor)
    text = "# Long\n\n" + "word " * 110_000
    response = client.post(IMPORT_URL, {"format": "auto", "text": text})
    assert "The pasted text is 537 KB" in field_errors(response, "text")
    assert field_errors(response, "files") == ""
    assert textarea(response) == text.strip()
    assert importer.SESSION_KEY not in client.session


@pytest.mark.django_db
def test_admin_import_refuses_files_and_text_over_the_total_together(client, editor):
    client.force_login(editor)
    half = b"# Title\n\n" + b"word " * 60_000
    response = client.post(
        IMPORT_URL,
        {
            "format": "auto",
            "files": [SimpleUploadedFile("a.md", half)],
            "text": half.decode(),
        },
    )
    assert "The files and the pasted text come to 586 KB" in field_errors(response, "")


@pytest.mark.django_db
def test_a_refused_batch_leaves_nothing_waiting_to_be_created(client, editor):
    """The drafts created are only ever those of the preview on screen."""
    client.force_login(editor)
    client.post(IMPORT_URL, {"format": "markdown", "text": "# First\n\nText."})
    assert importer.SESSION_KEY in client.session
    refused = client.post(IMPORT_URL, {"format": "markdown", "text": ""})
    assert "Choose files or paste an article." in field_errors(refused, "")
    results = client.post(IMPORT_URL, {"create": "1"}, follow=True)
    assert "nothing waiting to be imported" in results.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_preview_shows_each_tables_first_rows_and_the_draft_gets_them_all(
    client, editor
):
    client.force_login(editor)
    rows = "".join(f"| Port {n} | {n} |\n" for n in range(1, 31))
    text = f"# Ports\n\nCargo by port.\n\n| Port | Tonnes |\n|---|---|\n{rows}"
    preview = client.post(IMPORT_URL, {"format": "markdown", "text": text})
    page = lxml.html.fromstring(preview.content)
    shown = page.xpath("//div[contains(@class, 'nr-import-block')]//tbody/tr")
    assert [[td.text_content() for td in tr.xpath("td")] for tr in shown] == [
        [f"Port {n}", str(n)] for n in range(1, 11)
    ]
    assert "And 20 more rows, not shown here: the draft gets them." in " ".join(
        page.text_content().split()
    )
    client.post(IMPORT_URL, {"create": "1"})
    table = Article.objects.get().sections.get().blocks.get(kind="table").table
    assert table.rows.count() == 30


def without_anchors(sections: list[dict]) -> list[dict]:
    return [{**section, "anchor": None} for section in sections]


def parsed_documents(*named: tuple[str, str]) -> list[tuple]:
    return [(parse(text, name=name), text, name) for name, text in named]


@pytest.mark.django_db
def test_a_batch_of_new_documents_is_written_together_as_one_by_one_would(
    editor, desk, django_assert_max_num_queries
):
    twelve = [(f"{seed}.md", legacy_markdown(seed)) for seed in range(12)]
    twelve[1] = ("same-title.md", twelve[0][1] + "\n\nOne more paragraph.\n")

    # One by one, that would be 20 queries a document.
    with django_assert_max_num_queries(20):
        outcomes = save_documents(parsed_documents(*twelve), desk=desk, by=editor)

    assert [outcome.status for outcome in outcomes] == ["created"] * 12
    articles = [outcome.article for outcome in outcomes]
    assert len({article.slug for article in articles}) == 12  # same titles too
    for (name, text), article in zip(twelve, articles, strict=True):
        article = Article.objects.get(pk=article.pk)
        revision = article.current_revision()
        assert (revision.number, revision.author, article.legacy_id) == (
            1,
            editor,
            name,
        )
        assert revision.snapshot == revisions.snapshot(article)  # as stored
        assert without_anchors(revision.snapshot["sections"]) == without_anchors(
            parse(text).to_body()
        )
        assert article.sources.get().text == text


@pytest.mark.django_db
def test_a_batch_saves_reimports_and_repeated_content_one_by_one(editor, desk):
    import_document(HTML, name="ports.html", desk=desk, by=editor)
    outcomes = save_documents(
        parsed_documents(
            ("new.md", legacy_markdown(1)),
            ("ports.html", HTML.replace("2.4", "2.5")),  # changed: updated
            ("copy-of-new.md", legacy_markdown(1)),  # same content: unchanged
        ),
        desk=desk,
        by=editor,
    )
    assert [outcome.status for outcome in outcomes] == [
        "created",
        "updated",
        "unchanged",
    ]
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_a_batch_refused_to_someone_who_may_not_edit_writes_nothing(desk):
    reader = UserFactory(username="reader", is_staff=True)
    outcomes = save_documents(
        parsed_documents(("a.md", legacy_markdown(0))), desk=desk, by=reader
    )
    assert outcomes[0].status == "failed"
    assert "permission to edit" in outcomes[0].message
    assert not Article.objects.exists()
