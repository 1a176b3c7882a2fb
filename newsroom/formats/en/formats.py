# English, whichever country (en, en-gb, en-us...): the day before the month,
# months in full for readers, and a 24-hour clock, as newsrooms write them.
DATE_FORMAT = "j F Y"  # 5 March 2024
DATETIME_FORMAT = "j F Y, H:i"  # 5 March 2024, 14:30
TIME_FORMAT = "H:i"
# One way of writing a moment everywhere, the editors' lists and screens
# included (django-tables2's columns and older templates ask for the short one).
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
