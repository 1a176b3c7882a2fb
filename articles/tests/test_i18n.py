"""Internationalisation: named date formats, words from the server, settings read late."""

from datetime import date, datetime

from django.utils import translation
from django.utils.formats import date_format


def test_english_dates_use_the_newsroom_s_formats_and_other_languages_their_own():
    """Code and templates name a format; each language decides what it looks like."""
    moment = datetime(2024, 3, 5, 14, 30)
    with translation.override("en-gb"):
        assert date_format(moment.date(), "DATE_FORMAT") == "5 March 2024"
        assert date_format(moment, "DATETIME_FORMAT") == "5 March 2024, 14:30"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "5 Mar 2024, 14:30"
    with translation.override("fr"):
        assert date_format(date(2024, 3, 5), "DATE_FORMAT") == "5 mars 2024"
