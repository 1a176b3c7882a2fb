import io

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
