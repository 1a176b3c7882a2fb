"""How many tables of real-world legacy documents the importer reads cell-exactly.

    .venv/bin/python bench/import_fidelity.py [--misses]

Reads the corpus in articles/tests/importing/data/corpus (legacy documents,
each beside the tables it holds), the GFM spec's table examples and the
cases read by cmark-gfm (articles/tests/importing/data/gfm-*.json), and
prints for each how many of the expected tables came out with exactly the
expected labels and cells (`articles.testing.import_corpus`). `--misses`
lists the tables that did not.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from articles.testing import import_corpus  # noqa: E402

DATA = ROOT / "articles" / "tests" / "importing" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the misses")
    parser.add_argument("--data", type=Path, default=DATA, help="the data folder")
    args = parser.parse_args()
    sets = [
        ("legacy corpus", import_corpus.documents(args.data / "corpus")),
        (
            "GFM spec examples",
            import_corpus.gfm_examples(args.data / "gfm-spec-tables.json"),
        ),
        (
            "cmark-gfm readings",
            import_corpus.gfm_examples(args.data / "gfm-readings.json"),
        ),
    ]
    for name, cases in sets:
        score = import_corpus.score(cases)
        print(f"{name} ({len(cases)} documents): {score}")
        if args.misses:
            for miss in score.misses:
                print(f"    {miss}")


if __name__ == "__main__":
    main()
