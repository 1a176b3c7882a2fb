"""Every kind of public page is valid HTML, as the Nu HTML Checker (vnu.jar) says."""

import json
import subprocess

import pytest
from django.template.loader import render_to_string

from articles.models import Article
from articles.testing.factories import (
    chart_only_article,
    grouped_table_article,
    large_body,
    make_article,
    stacked_table_article,
)

SAMPLE_URL = "/world/kazakh-president-joins-closed-csto-talks/"
# The demo article whose table is also a bar chart (articles/demo.py).
CHART_URL = "/world/caspian-ports-busier-autumn/"
# A broken page checked with the others: proves the checker ran and that its
# report was read (duplicate ids are also what several tables on a page risk).
CANARY = (
    '<!DOCTYPE html><html lang="en"><head><title>Canary</title></head>'
    '<body><p id="twice">One</p><p id="twice">Two</p></body></html>'
)


def long_table_article() -> Article:
    """Two tables of 120 rows: enough for a filter box, pages and '…' in them."""
    return make_article(
        large_body(sections=3, tables=2, rows=120, columns=4),
        publish=True,
        title="Long tables",
    )


def public_pages(client) -> dict[str, str]:
    """Each public page worth checking, by name, as the server sends it."""
    article = long_table_article()
    grouped = grouped_table_article().get_absolute_url()
    chart_only = chart_only_article().get_absolute_url()
    url = article.get_absolute_url()
    embed = f"{url}table-1/embed/"
    # Table 1 sorted by its second column, descending, filtered to "r1"
    # (r1, r10-r19, r100-r119: 31 rows) and on its second page.
    choices = "?t1-sort=-c1&t1-q=r1&t1-page=2"
    urls = {
        "home": ("/", 200),
        "desk": ("/world/", 200),
        "sample-article": (SAMPLE_URL, 200),
        "long-tables": (url, 200),
        "long-tables-sorted-filtered-page-2": (f"{url}{choices}", 200),
        "long-table-no-match": (f"{url}?t1-q=no-such-row", 200),
        "search-form": ("/search/", 200),
        "search-results": ("/search/?q=Kazakhstan", 200),
        "search-no-results": ("/search/?q=xylophone", 200),
        "not-found": ("/no-such-desk/", 404),
        "table-embed": (f"{SAMPLE_URL}table-1/embed/", 200),
        "table-share": (f"{SAMPLE_URL}table-1/share/", 200),
        "grouped-table": (grouped, 200),
        "bar-chart": (CHART_URL, 200),
        "bar-chart-sorted": (f"{CHART_URL}?t1-sort=-c1", 200),
        "bar-chart-embed": (f"{CHART_URL}table-1/embed/", 200),
        "chart-only-line-and-stacked": (chart_only, 200),
        "stacked-tables": (stacked_table_article().get_absolute_url(), 200),
        "long-table-embed": (f"{embed}{choices}", 200),
    }
    pages = {}
    for name, (address, status) in urls.items():
        response = client.get(address)
        assert response.status_code == status, address
        pages[name] = response.content.decode()
    assert "found for “Kazakhstan”" in pages["search-results"]
    assert "No published articles match" in pages["search-no-results"]
    assert '<a aria-current="page">2</a>' in pages["long-tables-sorted-filtered-page-2"]
    assert pages["bar-chart"].count('role="img"') == 1
    assert pages["chart-only-line-and-stacked"].count('role="img"') == 2
    pages["server-error"] = render_to_string("500.html")
    return pages


def nu_errors(vnu_command, tmp_path, pages: dict[str, str]) -> dict[str, list]:
    """Check every page in one run of the checker; return its errors by page."""
    files = {}
    for name, text in pages.items():
        files[name] = tmp_path / f"{name}.html"
        files[name].write_text(text, encoding="utf-8")
    result = subprocess.run(
        [*vnu_command, "--errors-only", "--format", "json", *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        messages = json.loads(result.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"The checker gave no report (exit {result.returncode}):\n{result}")
    by_file = {path.name: name for name, path in files.items()}
    errors = {name: [] for name in pages}
    for message in messages:
        name = by_file.get(message.get("url", "").rsplit("/", 1)[-1])
        assert name is not None, message  # e.g. an unreadable file
        errors[name].append(message)
    return errors


def describe(name: str, text: str, message: dict) -> str:
    line = message.get("lastLine", message.get("firstLine", "?"))
    source = text.splitlines()[line - 1].strip() if isinstance(line, int) else ""
    return (
        f"{name}.html:{line}: {message.get('message')}\n"
        f"    extract: {message.get('extract', '').strip()!r}\n"
        f"    line:    {source[:300]!r}"
    )


@pytest.mark.slow
@pytest.mark.django_db
def test_public_pages_are_valid_html(client, demo_content, vnu_command, tmp_path):
    """The checker finds no errors on any public page, in any table state."""
    pages = public_pages(client)
    errors = nu_errors(vnu_command, tmp_path, {**pages, "canary": CANARY})

    canary = errors.pop("canary")
    assert any("Duplicate ID" in message["message"] for message in canary), canary
    report = [
        describe(name, pages[name], message)
        for name, messages in errors.items()
        for message in messages
    ]
    print("\n".join(report))
    assert report == [], f"{len(report)} HTML errors:\n" + "\n".join(report)
