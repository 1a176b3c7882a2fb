"""What may import what: the repository's boundaries, checked on the source."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "articles" / "migrations"
PROJECT = ("articles", "newsroom", "bench")


def imported_modules(path: Path) -> set[str]:
    """The modules a file imports, relative ones with their leading dots."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or ""))
    return modules


def of(modules: set[str], packages: tuple[str, ...]) -> set[str]:
    return {module for module in modules if module.split(".")[0] in packages}


@pytest.mark.parametrize(
    "path", sorted(MIGRATIONS.glob("0*.py")), ids=lambda path: path.stem
)
def test_a_migration_imports_no_code_of_the_project(path):
    """A migration runs the same whatever the app's code becomes: it imports none."""
    modules = imported_modules(path)
    assert of(modules, PROJECT) | {m for m in modules if m.startswith(".")} == set()


def test_the_newsroom_imports_nothing_of_wagtail():
    """The benchmarks start the Wagtail anchor's own processes; nothing imports it."""
    wagtail = ("wagtail", "anchor_site", "articles_wt", "wtsite")
    paths = [
        path
        for folder in ("articles", "newsroom", "bench")
        for path in (ROOT / folder).rglob("*.py")
    ]
    found = {}
    for path in paths:
        if not any(name in path.read_text() for name in wagtail):
            continue  # cannot import it: parse only the files that name it
        modules = {
            module
            for module in imported_modules(path)
            if module.split(".")[0] in wagtail
        }
        if modules:
            found[str(path.relative_to(ROOT))] = modules
    assert len(paths) > 100 and found == {}


def test_tests_and_benchmarks_share_helpers_only_through_articles_testing():
    """bench/ and articles/tests/ never import each other; the site imports neither."""
    found = {}
    for folder, forbidden in [
        ("bench", ("articles.tests",)),
        ("articles/tests", ("bench",)),
        ("articles", ("bench", "articles.tests")),
        ("newsroom", ("bench", "articles.tests", "articles.testing")),
    ]:
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if folder == "articles" and relative.parts[1] in ("tests", "testing"):
                continue
            modules = {
                module
                for module in imported_modules(path)
                if module.startswith(forbidden)
            }
            if modules:
                found[str(relative)] = modules
    assert found == {}
