"""The corpus of legacy documents: each imports with exactly its tables, and
all its words.

The figures (how many tables are read cell-exactly, here and in the GFM
examples) are printed by `bench/import_fidelity.py`.
"""

import html
import re
from pathlib import Path

import pytest

from articles.importing import parse
from articles.testing import import_corpus

from .helpers import assert_valid_for_cms

CORPUS = import_corpus.documents(Path(__file__).parent / "data" / "corpus")
WORD = re.compile(r"\w+")
# The page's head, and tags (not autolinks such as <https://example.org>).
MARKUP = re.compile(
    r"<!DOCTYPE[^>]*>|<head>.*</head>|</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>", re.S
)


def test_the_corpus_covers_each_class_of_failure():
    """Every class of the rules that once lost data has documents."""
    names = " ".join(case.name for case in CORPUS)
    for kind in (
        "header-repeat",
        "repeated-header",
        "long-cell",
        "swallowed",
        "rows-starting",
        "empty-rows",
        "wrapped-row",
        "one-column",
        "lists-in-cells",
        "list-in-cells",
    ):
        assert kind in names


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_each_document_imports_with_exactly_its_tables(case):
    """Labels and every cell of every table are those the document holds."""
    article = parse(case.source, format=case.format)
    assert import_corpus.tables_read(article) == case.tables
    assert_valid_for_cms(article)


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_each_document_keeps_all_its_words(case):
    """Every word of the document's text is in the import or in a note."""
    article = parse(case.source, format=case.format)
    text = html.unescape(MARKUP.sub(" ", case.source))
    found = set(WORD.findall(str(article.to_json())))
    assert set(WORD.findall(text)) - found == set()
