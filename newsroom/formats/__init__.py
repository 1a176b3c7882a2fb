"""Date formats of the newsroom's own, per language (FORMAT_MODULE_PATH).

Django looks here before its own locale formats, so a language listed here
keeps Django's formats for everything it does not set. Templates and code name
the format (`date:"DATETIME_FORMAT"`, `formats.date_format(value,
"SHORT_DATETIME_FORMAT")`), never a pattern, so that each language can have its
own order and words.
"""
