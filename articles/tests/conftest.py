import io
import os
import shutil
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles import workflow
from articles.testing.factories import DeskFactory, UserFactory

from .helpers import empty_caches, require_tool


def member_of(group: str, username: str):
    # The roles come from a data migration, but the table flush after each
    # transaction=True test deletes them: make them again the same way.
    if not Group.objects.filter(name=group).exists():
        import_module("articles.migrations.0003_roles").create_roles(apps, None)
    user = UserFactory(
        username=username, is_staff=True, email=f"{username}@example.org"
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    """A member of the Editors group: writes, edits and submits."""
    return member_of(workflow.EDITORS, "editor")


@pytest.fixture
def other_editor(db):
    return member_of(workflow.EDITORS, "other_editor")


@pytest.fixture
def moderator(db):
    """A member of the Moderators group: also approves, rejects and unpublishes."""
    return member_of(workflow.MODERATORS, "moderator")


@pytest.fixture
def other_moderator(db):
    return member_of(workflow.MODERATORS, "other_moderator")


@pytest.fixture
def superuser(db):
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


@pytest.fixture
def desk(db):
    return DeskFactory(name="World", slug="world")


@pytest.fixture
def demo_content(db, settings):
    """The demo desks, articles and accounts, loaded as `load_demo` does."""
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} (set DATABASE_URL for PostgreSQL)"


# Browser tests: Playwright drives the system's Chromium (no browser download).
CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's sync API runs an event loop in this thread; the ORM calls in
# live_server tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


SYSTEM_TESTS = Path(__file__).resolve().parent / "system"


# tryfirst: the markers must be on the items before `-m` deselects by them.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark the browser and system tests (pyproject.toml registers the markers).

    Without Chromium, browser tests are skipped on a laptop but fail in CI.
    """
    skip = None
    if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
        skip = pytest.mark.skip(
            reason=f"Chromium not found at {CHROMIUM}: install it "
            "(apt-get install chromium) or set CHROMIUM_PATH"
        )
    for item in items:
        if SYSTEM_TESTS in item.path.parents:
            item.add_marker(pytest.mark.system)
        # `page` and `context` come from `browser`.
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
            if skip:
                item.add_marker(skip)


# Checkers of rendered pages, installed from package.json by
# `npm ci --no-audit --no-fund --ignore-scripts` (.ci/run does it); vnu.jar also
# needs Java 11 or newer.
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
NPM_CI = "run `npm ci --no-audit --no-fund --ignore-scripts` in the project folder"


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    """The command that runs the Nu HTML Checker (vnu.jar from npm) on Java."""
    java = shutil.which("java")
    require_tool(
        java is not None,
        "java not found on PATH: vnu.jar needs Java 11+ "
        "(apt-get install default-jre-headless)",
    )
    require_tool(VNU_JAR.is_file(), f"{VNU_JAR} not found: {NPM_CI}")
    return [java, "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session")
def node_command() -> list[str]:
    """The command that runs Node.js's test runner (node:test, Node 18+)."""
    node = shutil.which("node")
    require_tool(
        node is not None,
        "node not found on PATH: the scripts' unit tests need Node.js 18+ "
        "(apt-get install nodejs)",
    )
    return [node, "--test"]


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser bundle (from npm), to inject into pages."""
    require_tool(AXE_JS.is_file(), f"{AXE_JS} not found: {NPM_CI}")
    return AXE_JS


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests make many accounts; real password hashing is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def cold_caches():
    """Each test starts with empty caches: the database rolls back, caches do not."""
    empty_caches()


@pytest.fixture
def reader(page):
    """The browser page, failing the test on any JavaScript error."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
