"""Bulk imports: --jobs in worker processes, --resume, the --report lines, progress.

The parallel runs start worker processes that open their own connections, so
those tests commit their data (transaction=True). The killed run is a real
`manage.py` process group killed with SIGKILL, on PostgreSQL.
"""

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from articles.importing import bulk, parse
from articles.models import Article, Desk, ImportedSource
from articles.testing.legacy_articles import legacy_html, legacy_markdown

from .test_import_load import HTML

ROOT = Path(__file__).resolve().parents[2]


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def legacy_folder(folder: Path, count: int) -> Path:
    """COUNT generated legacy articles, half markdown and half HTML pages."""
    folder.mkdir(exist_ok=True)
    for seed in range(count):
        if seed % 2:
            (folder / f"{seed:03}.html").write_text(legacy_html(seed), "utf-8")
        else:
            (folder / f"{seed:03}.md").write_text(legacy_markdown(seed), "utf-8")
    return folder


def report_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def bodies() -> dict[str, tuple]:
    """Each imported article's title and body, by its file's name."""
    return {
        Path(article.legacy_id).name: (
            article.title,
            article.current_revision().snapshot["sections"],
        )
        for article in Article.objects.all()
    }


@pytest.mark.django_db
def test_report_has_one_json_line_per_file_with_status_notes_and_time(tmp_path):
    folder = legacy_folder(tmp_path / "legacy", 2)
    (folder / "ports.html").write_text(HTML, encoding="utf-8")
    (folder / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    report = tmp_path / "report.jsonl"

    code, out, err = run(folder, "--report", report)

    assert code == 1  # one file failed
    lines = {Path(line["file"]).name: line for line in report_lines(report)}
    assert set(lines) == {"000.md", "001.html", "ports.html", "broken.html"}
    broken = lines["broken.html"]
    assert (broken["status"], broken["article"]) == ("refused", None)
    assert "PNG image" in broken["message"]
    markdown = lines["000.md"]
    assert markdown["status"] == "imported" and markdown["outcome"] == "created"
    article = Article.objects.get(pk=markdown["article"])
    assert article.legacy_id == str(folder / "000.md")
    codes = [note["code"] for note in article.sources.get().notes]
    assert markdown["notes"] == {code: codes.count(code) for code in set(codes)}
    assert markdown["notes"]["trailing-empty-cells-dropped"] == 2
    assert all(line["seconds"] >= 0 for line in lines.values())

    run(folder, "--report", report)
    assert {line["status"] for line in report_lines(report)} == {"skipped", "refused"}


@pytest.mark.django_db
def test_resume_skips_files_already_imported_by_their_content(tmp_path):
    folder = legacy_folder(tmp_path / "legacy", 3)
    run(folder / "000.md", folder / "001.html")
    # The same content under another name was imported too.
    (folder / "copy-of-000.md").write_bytes((folder / "000.md").read_bytes())
    report = tmp_path / "report.jsonl"

    code, out, err = run(folder, "--resume", "--report", report)

    assert code == 0
    assert "4 file(s): 1 created, 3 unchanged." in err
    statuses = {Path(r["file"]).name: r["status"] for r in report_lines(report)}
    assert statuses == {
        "000.md": "skipped",
        "001.html": "skipped",
        "002.md": "imported",
        "copy-of-000.md": "skipped",
    }
    assert Article.objects.count() == 3
    assert ImportedSource.objects.count() == 3


@pytest.mark.django_db
def test_progress_shows_the_rate_and_the_time_left(tmp_path):
    folder = legacy_folder(tmp_path / "legacy", 3)
    code, out, err = run(folder, "--dry-run")
    bar = err.split("\r")[-1]
    assert "3/3" in bar
    assert " documents/s, 0:00 left " in bar
    assert "[" + "#" * 30 + "]" in bar


@pytest.mark.django_db
def test_jobs_must_be_one_or_more(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--jobs"):
        run(legacy_folder(tmp_path / "legacy", 1), "--jobs", "0")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_jobs_import_the_same_articles_as_a_serial_run(tmp_path):
    """Worker processes (on SQLite: parsing only) give a serial run's drafts."""
    folder = legacy_folder(tmp_path / "legacy", 12)
    (folder / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    code, _, serial_err = run(folder, "--report", tmp_path / "serial.jsonl")
    serial = bodies()
    assert code == 1 and len(serial) == 12
    call_command("flush", "--no-input", verbosity=0)

    code, out, err = run(folder, "--jobs", "2", "--report", tmp_path / "jobs.jsonl")

    assert code == 1
    assert err.split("\n", 1)[1] == serial_err.split("\n", 1)[1]  # the summary
    assert bodies() == serial
    assert Desk.objects.get(slug="imported").articles.count() == 12

    def by_file(name):
        lines = report_lines(tmp_path / name)
        return {
            line["file"]: (line["status"], line["notes"], line.get("message"))
            for line in lines
        }

    assert by_file("jobs.jsonl") == by_file("serial.jsonl")


def subprocess_environment() -> dict:
    """This test database, for `manage.py` run in another process."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
            f"/{db['NAME']}"
        ),
        "SECRET_KEY": "insecure-key-for-tests-only",
    }


def import_command(*args) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), "import_articles", *args]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel saves need PostgreSQL (CI runs the suite on it)",
)
def test_a_killed_bulk_run_leaves_no_half_article_and_resume_finishes_it(tmp_path):
    count = 80
    folder = legacy_folder(tmp_path / "legacy", count)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    env = subprocess_environment()
    command = import_command(str(folder), "--jobs", "2", "--report", str(first))
    process = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        start_new_session=True,  # its own process group: the workers die with it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if first.exists() and first.read_text().count("\n") >= 10:
            break
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()

    reported = {line["file"] for line in report_lines(first)}
    assert {line["status"] for line in report_lines(first)} == {"imported"}
    saved = set(Article.objects.values_list("legacy_id", flat=True))
    assert 10 <= len(reported) and len(saved) < count, "killed too late to prove much"
    # What the report lists was saved; at most a batch per worker more was
    # committed before its lines could be written.
    assert reported <= saved and len(saved) <= len(reported) + 2 * bulk.BATCH
    for article in Article.objects.all():
        # Every saved article is whole: its body, one revision, its source.
        parsed = parse(Path(article.legacy_id).read_bytes(), name=article.legacy_id)
        assert article.revisions.count() == 1 and article.sources.count() == 1
        sections = article.current_revision().snapshot["sections"]
        assert [len(s["blocks"]) for s in sections] == [
            len(s["blocks"]) for s in parsed.to_body()
        ]
        assert article.sections.count() == len(sections)

    done = subprocess.run(
        import_command(str(folder), "--jobs", "2", "--resume", "--report", str(second)),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    statuses = {line["file"]: line["status"] for line in report_lines(second)}
    assert len(statuses) == count
    assert {f for f, status in statuses.items() if status == "skipped"} == saved
    assert list(statuses.values()).count("imported") == count - len(saved)
    # Every file imported exactly once: one article, one revision, one source.
    assert Article.objects.count() == count
    assert ImportedSource.objects.count() == count
    assert set(Article.objects.values_list("legacy_id", flat=True)) == set(statuses)
    assert all(article.revisions.count() == 1 for article in Article.objects.all())
