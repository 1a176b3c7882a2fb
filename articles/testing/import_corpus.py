"""A corpus of legacy documents with the tables they hold, and how many import exactly.

A corpus is a folder of documents (`<case>.txt`, `.md` or `.html`), each beside
`<case>.tables.json`: the tables it holds, in order, as
`[{"columns": [...], "rows": [[...], ...]}]` with every cell as plain text (as
`ImportedArticle.to_json` writes it). A table is read cell-exactly when its
labels and every cell of every row are those expected, at its place in the
document. The GFM spec's table examples (`gfm-spec-tables.json`) are scored the
same way, as markdown.

`score` is what the corpus test and `bench/import_fidelity.py` both count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from articles.importing import ImportedArticle, ImportRefused, parse

DOCUMENT_SUFFIXES = (".txt", ".md", ".html")


@dataclass
class Case:
    """One document and the tables it holds."""

    name: str
    source: str
    format: str  # "html" | "markdown"
    tables: list[dict]


@dataclass
class Score:
    """How many expected tables were read cell-exactly, and what went wrong."""

    exact: int = 0
    total: int = 0  # tables expected
    misses: list[str] = field(default_factory=list)  # "case, table 2"

    def __str__(self) -> str:
        share = self.exact / self.total if self.total else 1
        return f"{self.exact} of {self.total} tables read cell-exactly ({share:.0%})"


def documents(folder: Path) -> list[Case]:
    """The corpus's documents, by name."""
    cases = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in DOCUMENT_SUFFIXES:
            continue
        expected = path.with_name(f"{path.stem}.tables.json")
        cases.append(
            Case(
                path.stem,
                path.read_text(encoding="utf-8"),
                "html" if path.suffix == ".html" else "markdown",
                json.loads(expected.read_text(encoding="utf-8")),
            )
        )
    return cases


def gfm_examples(path: Path) -> list[Case]:
    """Markdown examples and the tables cmark-gfm reads in them.

    The file is `{"source": ..., "examples": [{"example", "markdown",
    "tables"}]}` (each may say `why` it is there).
    """
    return [
        Case(
            f"{path.stem}, example {item['example']}",
            item["markdown"],
            "markdown",
            item["tables"],
        )
        for item in json.loads(path.read_text(encoding="utf-8"))["examples"]
    ]


def tables_read(article: ImportedArticle) -> list[dict]:
    """The article's tables as plain text: `{"columns", "rows"}` in order."""
    return [
        {"columns": block["columns"], "rows": block["rows"]}
        for section in article.to_json()["sections"]
        for block in section["blocks"]
        if block["type"] == "table"
    ]


def read(case: Case) -> list[dict]:
    """The tables the importer reads in the case's document (none if refused)."""
    try:
        return tables_read(parse(case.source, format=case.format))
    except ImportRefused:
        return []


def score(cases: list[Case]) -> Score:
    """Count the expected tables read cell-exactly, at their place.

    A table read where the document holds none is listed among the misses
    (it is not counted in `total`, which is the tables expected).
    """
    result = Score()
    for case in cases:
        found = read(case)
        for index in range(max(len(found), len(case.tables))):
            expected = case.tables[index] if index < len(case.tables) else None
            if expected is not None:
                result.total += 1
                if index < len(found) and found[index] == expected:
                    result.exact += 1
                    continue
            what = "not read as expected" if expected is not None else "not a table"
            result.misses.append(f"{case.name}, table {index + 1}: {what}")
    return result
