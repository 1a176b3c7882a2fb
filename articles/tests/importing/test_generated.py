"""The benchmark's legacy articles import as their generator meant.

Speed itself is measured by bench/import_bench.py, never by a test.
"""

import pytest

from articles.importing import Table, parse
from articles.models import validate_table
from articles.testing.legacy_articles import legacy_html, legacy_markdown


@pytest.mark.parametrize(
    ("make", "format"), [(legacy_markdown, "markdown"), (legacy_html, "html")]
)
def test_generated_articles_have_five_sections_and_two_valid_tables(make, format):
    for seed in range(5):
        article = parse(make(seed), format=format)
        headed = [section for section in article.sections if section.heading]
        tables = [b for s in article.sections for b in s.blocks if isinstance(b, Table)]
        assert len(headed) == 5
        assert [(len(t.columns), len(t.rows)) for t in tables] == [(6, 20), (6, 20)]
        for table in tables:
            validate_table(
                [{"label": label} for label in table.columns],
                table.rows,
                caption="c",
                source_note="s",
            )
