import io

import pytest
from django.core.management import CommandError, call_command

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
