from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from articles import search, snapshot
from articles.models import Article
from articles.testing.bodies import bullets, paragraph, table
from articles.testing.factories import make_article


@pytest.mark.django_db
def test_the_search_migration_indexes_the_articles_already_live():
    """0007 fills the search text (and vector) of live articles from their snapshot."""
    body = [
        {
            "heading": "Gamma heading",
            "blocks": [
                paragraph("Delta <b>bold</b> &amp; more"),
                bullets("epsilon item"),
                table(
                    "Zeta caption", ["Port"], [["Aktau"]], source_note="Port authority"
                ),
            ],
        }
    ]
    article = make_article(
        body, publish=True, title="Alpha title", standfirst="Beta standfirst"
    )
    Article.objects.update(search_text="", search_vector=None)
    migration = import_module("articles.migrations.0007_article_search")
    migration.index_live_articles(apps, SimpleNamespace(connection=connection))
    article = Article.objects.get(pk=article.pk)
    assert article.search_text.splitlines() == [
        "Beta standfirst",
        "Gamma heading",
        "Delta bold & more",
        "epsilon item",
        "Zeta caption",
        "Port",
        "Aktau",
    ]
    if connection.vendor == "postgresql":
        for word in ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "aktau"]:
            assert f"'{word}'" in article.search_vector


@pytest.mark.django_db
def test_the_table_lines_migration_stores_what_index_article_stores():
    """0012 rewrites the search text of live articles as `search.document` now does."""
    body = [
        {
            "heading": "Gamma heading",
            "blocks": [
                paragraph("Delta <b>bold</b> &amp; more"),
                bullets("epsilon item"),
                table(
                    "Zeta caption",
                    ["Port", {"label": "Ships", "kind": "number"}],
                    [["Aktau", "12"], ["", ""]],
                    source_note="Port authority",
                    groups=[snapshot.group("2024", 1, 1)],
                ),
            ],
        }
    ]
    article = make_article(body, publish=True, standfirst="Beta standfirst")
    indexed = Article.objects.get(pk=article.pk).search_text
    assert search.TABLE in indexed
    Article.objects.update(search_text="Old text")
    migration = import_module("articles.migrations.0012_search_text_table_lines")
    migration.index_tables_as_lines(apps, SimpleNamespace(connection=connection))
    assert Article.objects.get(pk=article.pk).search_text == indexed
