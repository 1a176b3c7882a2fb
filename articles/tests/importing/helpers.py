"""Shared checks for the importer's tests: golden files and CMS validity."""

import json
import os
from pathlib import Path

from articles.importing import ImportedArticle, parse
from articles.models import validate_table

SAMPLES = Path(__file__).parent / "samples"
# Set to regenerate the golden files on purpose; review the diff before committing.
REGENERATE = os.environ.get("IMPORTING_REGENERATE") == "1"


def golden(case: str) -> tuple[ImportedArticle, dict]:
    """Parse samples/<case>.* and return it with its expected JSON."""
    (source,) = [
        path
        for path in SAMPLES.glob(f"{case}.*")
        if not path.name.endswith(".expected.json")
    ]
    article = parse(source.read_bytes(), name=source.name)
    expected_path = SAMPLES / f"{case}.expected.json"
    if REGENERATE:
        expected_path.write_text(
            json.dumps(article.to_json(), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    return article, json.loads(expected_path.read_text(encoding="utf-8"))


def tables_of(article: ImportedArticle) -> list[dict]:
    return [
        block
        for section in article.to_body()
        for block in section["blocks"]
        if block["type"] == "table"
    ]


def assert_valid_for_cms(article: ImportedArticle) -> None:
    """Every table passes the CMS's own checks; no section or block is empty."""
    for table in tables_of(article):
        # Raises on errors; a missing label is only a warning.
        validate_table(table["columns"], table["rows"], groups=table.get("groups", []))
    for section in article.to_json()["sections"]:
        for block in section["blocks"]:
            if block["type"] == "paragraph":
                assert block["text"]
            elif block["type"] == "list":
                assert block["items"] and all(block["items"])


def codes(article: ImportedArticle) -> list[str]:
    return [note.code for note in article.notes]


def note(article: ImportedArticle, code: str):
    (found,) = [n for n in article.notes if n.code == code]
    return found
