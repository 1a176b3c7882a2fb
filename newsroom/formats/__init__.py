"""How the newsroom writes dates and sizes, in the active language.

Dates: the subpackages are format modules of our own, per language
(FORMAT_MODULE_PATH). Django looks there before its own locale formats, so a
language listed here keeps Django's formats for everything it does not set.
Templates and code name the format (`date:"DATETIME_FORMAT"`,
`formats.date_format(value, "SHORT_DATETIME_FORMAT")`), never a pattern, so
that each language can have its own order and words.

Numbers: `file_size`, `megabytes` and `grouped` (counts: 1,000), with the
language's separators.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

KB = 1024
MB = 1024 * 1024


# number_format cuts digits off: the values are rounded first.


def megabytes(size: int) -> str:
    """Say a size in megabytes, to a tenth unless it is whole: 0.1 MB, 2 MB."""
    value = size / MB
    decimals = 0 if value.is_integer() else 1
    return _("%(size)s MB") % {"size": number_format(round(value, decimals), decimals)}


def file_size(size: int) -> str:
    """Say a size in whole kilobytes under a megabyte, else in megabytes."""
    if size < MB:
        return _("%(size)s KB") % {"size": number_format(round(size / KB), 0)}
    return megabytes(size)


def grouped(number: int) -> str:
    """Write a count with the language's thousands separator: 1,000 in English."""
    return number_format(number, force_grouping=True)
