import io
import os
import shutil

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from articles.demo import EDITOR_PERMISSIONS

from .factories import DeskFactory, UserFactory


@pytest.fixture
def editor(db):
    """A staff member who writes and edits articles but cannot publish."""
    user = UserFactory(username="editor", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS
        )
    )
    return user


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


def pytest_collection_modifyitems(config, items):
    """Without Chromium, browser tests are skipped on a laptop but fail in CI."""
    if os.path.exists(CHROMIUM) or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: install it "
        "(apt-get install chromium) or set CHROMIUM_PATH"
    )
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)
