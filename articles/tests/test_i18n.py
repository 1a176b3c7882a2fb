"""Internationalisation: named date formats, words from the server, late settings."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from articles import services, workflow
from articles.testing.factories import UserFactory, make_article, small_body


def test_english_dates_use_the_newsroom_s_formats_and_other_languages_their_own():
    """Code and templates name a format; each language decides what it looks like."""
    moment = datetime(2024, 3, 5, 14, 30)
    with translation.override("en-gb"):
        assert date_format(moment.date(), "DATE_FORMAT") == "5 March 2024"
        assert date_format(moment, "DATETIME_FORMAT") == "5 March 2024, 14:30"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "5 Mar 2024, 14:30"
    with translation.override("fr"):
        assert date_format(date(2024, 3, 5), "DATE_FORMAT") == "5 mars 2024"


@pytest.mark.django_db
def test_a_scheduled_article_s_page_names_its_revision_and_time(client, settings):
    """The state line shows the publication time in DATETIME_FORMAT."""
    settings.TIME_ZONE = "UTC"
    article = make_article()
    workflow.submit(article, by=UserFactory(username="writer", is_superuser=True))
    at = datetime(2100, 3, 5, 14, 30, tzinfo=UTC)
    chief = UserFactory(username="chief", is_staff=True, is_superuser=True)
    workflow.approve(article, by=chief, at=at)
    client.force_login(chief)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "Readers will see revision 1 from 5 March 2100, 14:30." in page.text


@pytest.mark.django_db
@time_machine.travel(datetime(2024, 3, 5, 12, 0, tzinfo=UTC))
def test_the_drafted_correction_line_dates_itself_in_date_format(client, settings):
    """The review screen drafts "Corrected on 5 March 2024: ..." for the moderator."""
    settings.TIME_ZONE = "UTC"
    writer = UserFactory(username="writer", is_staff=True, is_superuser=True)
    chief = UserFactory(username="chief", is_staff=True, is_superuser=True)
    article = make_article(publish=True)
    body = small_body()
    body[1]["blocks"][1]["rows"][0][1] = "3"  # a fact readers saw changes
    services.replace_body(article, body)
    workflow.revise(article, by=writer)
    workflow.submit(article, by=writer)
    client.force_login(chief)
    page = client.get(reverse("admin:articles_article_review", args=[article.pk]))
    correction = page.context["form"].initial["correction"]
    assert correction == "Corrected on 5 March 2024: In “Figures”, a / Value: 1 → 3."
