"""How fast legacy articles import: parsing alone, then parse + save on PostgreSQL.

    DATABASE_URL=postgres://user:password@127.0.0.1:5432/newsroom \\
        .venv/bin/python bench/import_bench.py [--count 1000]

Generates COUNT legacy articles (half broken markdown, half HTML pages; 5
sections and 2 tables of 20 x 6 each), parses them all, then imports them as
drafts through the same code as `manage.py import_articles` into a throwaway
database (`test_<name>`, created and dropped by this script). Prints documents
per second for each. Targets: 200/s parsing, 50/s saved, on 2 cores.
"""

import argparse
import os
import sys
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


def documents(count: int) -> list[tuple[str, str, str]]:
    made = []
    for seed in range(count):
        if seed % 2:
            made.append((f"legacy/{seed}.html", "html", legacy_html(seed)))
        else:
            made.append((f"legacy/{seed}.md", "markdown", legacy_markdown(seed)))
    return made


def rate(count: int, seconds: float) -> str:
    each = 1000 * seconds / count
    return f"{count / seconds:7.1f} documents/second ({each:.2f} ms each)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    count = parser.parse_args().count
    if connection.vendor != "postgresql":
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database (see this file's docstring)."
        )

    docs = documents(count)
    start = time.perf_counter()
    for name, format, text in docs:
        parse(text, format=format, name=name)
    parsing = time.perf_counter() - start
    print(f"parse only      {count} documents: {rate(count, parsing)}")

    setup_test_environment()
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from articles.importing.load import import_document
        from articles.models import Article, Desk

        desk = Desk.objects.create(name="Imported", slug="imported")
        start = time.perf_counter()
        for name, format, text in docs:
            outcome = import_document(
                text, name=name, desk=desk, by=None, format=format
            )
            if outcome.status != "created":
                sys.exit(f"{name}: {outcome.status} {outcome.message}")
        saving = time.perf_counter() - start
        assert Article.objects.count() == count
        print(f"parse + save    {count} documents: {rate(count, saving)}  (PostgreSQL)")
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
