"""How fast legacy articles import: parsing alone, then parse + save on PostgreSQL.

    .venv/bin/python bench/import_bench.py [--count 1000] [--jobs 2]
    DATABASE_URL=postgres://user:password@127.0.0.1:5432/newsroom \\
        .venv/bin/python bench/import_bench.py [--count 1000] [--jobs 2]

Generates COUNT legacy articles (half broken markdown, half HTML pages; 5
sections and 2 tables of 20 x 6 each) and parses them all in this one process:
that half needs no database. With DATABASE_URL naming PostgreSQL, it then
writes them to files and imports them as drafts with JOBS worker processes,
through the same code as `manage.py import_articles --jobs JOBS`, into a
throwaway database (`test_<name>`, created and dropped by this script). Prints
documents per second for each, and the ratio to its target: 1,000/s parsing
in one process, 150/s saved with 2 jobs, on the project's 2-core machine.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from articles.importing import parse  # noqa: E402
from articles.testing.legacy_articles import legacy_html, legacy_markdown  # noqa: E402

PARSE_TARGET, SAVE_TARGET = 1000, 150  # documents per second


def documents(count: int) -> list[tuple[str, str, str]]:
    made = []
    for seed in range(count):
        if seed % 2:
            made.append((f"legacy/{seed}.html", "html", legacy_html(seed)))
        else:
            made.append((f"legacy/{seed}.md", "markdown", legacy_markdown(seed)))
    return made


def rate(count: int, seconds: float, target: int) -> str:
    each = 1000 * seconds / count
    per_second = count / seconds
    return (
        f"{per_second:7.1f} documents/second ({each:.2f} ms each), "
        f"{per_second / target:.2f} x the target of {target}/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    count = options.count
    print("command: " + " ".join([Path(sys.executable).name, *sys.argv]))

    docs = documents(count)
    start = time.perf_counter()
    for name, format, text in docs:
        parse(text, format=format, name=name)
    parsing = time.perf_counter() - start
    print(f"parse only      {count} documents: {rate(count, parsing, PARSE_TARGET)}")

    if connection.vendor != "postgresql":
        print(
            "parse + save    skipped: set DATABASE_URL to a PostgreSQL database "
            "(see this file's docstring)."
        )
        return
    setup_test_environment()
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with tempfile.TemporaryDirectory() as folder:
            files = []
            for name, _format, text in docs:
                path = Path(folder, name)
                path.parent.mkdir(exist_ok=True)
                path.write_text(text, encoding="utf-8")
                files.append(path)
            saved = save(files, options.jobs)
        print(
            f"parse + save    {count} documents: {rate(count, saved, SAVE_TARGET)}"
            f"  (PostgreSQL, --jobs {options.jobs})"
        )
    finally:
        connection.close()
        connection.creation.destroy_test_db(original, verbosity=0)


def save(files: list[Path], jobs: int) -> float:
    from articles.importing import bulk
    from articles.models import Article, Desk

    desk = Desk.objects.create(name="Imported", slug="imported")
    job = bulk.Job(desk=desk.pk)
    start = time.perf_counter()
    for result in bulk.run(files, job, jobs=jobs):
        if result.status != "imported":
            sys.exit(f"{result.file}: {result.status} {result.message}")
    seconds = time.perf_counter() - start
    assert Article.objects.count() == len(files)
    return seconds


if __name__ == "__main__":
    main()
