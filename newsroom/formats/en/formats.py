# English, whichever country (en, en-gb, en-us...): the day before the month,
# months in full for readers, and a 24-hour clock, as newsrooms write them.
DATE_FORMAT = "j F Y"  # 5 March 2024
DATETIME_FORMAT = "j F Y, H:i"  # 5 March 2024, 14:30
TIME_FORMAT = "H:i"
# The editors' lists and screens: shorter month names.
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 5 Mar 2024, 14:30
