import io
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from articles import workflow
from articles.models import Article, Revision


@pytest.mark.django_db
def test_load_demo_is_idempotent(settings):
    settings.DEBUG = True
    first, second = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=first)
    counts = (Article.objects.count(), Revision.objects.count())
    call_command("load_demo", stdout=second)
    assert (Article.objects.count(), Revision.objects.count()) == counts
    assert "admin / newsroom-admin" in first.getvalue()
    assert "0 new article(s)" in second.getvalue()
    assert Article.objects.live().count() == counts[0] - 1  # one demo draft


@pytest.mark.django_db
def test_load_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=1"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Article.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_load_demo_sends_no_email_and_ends_with_the_logins(settings, capsys):
    """`dev.py serve` prints the logins last: the demo's workflow emails nobody."""
    settings.DEBUG = True
    # Printed where `dev.py serve` would show it, were anything sent.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    if not Group.objects.filter(name=workflow.EDITORS).exists():  # flushed
        import_module("articles.migrations.0003_roles").create_roles(apps, None)
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Article.objects.filter(status="published").exists()
    assert capsys.readouterr().out == ""
    last = out.getvalue().rstrip().splitlines()[-3:]
    assert [line.split()[0] for line in last] == ["editor", "moderator", "admin"]
