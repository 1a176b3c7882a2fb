"""A body posted by the document editor: read and checked as a whole, with places.

The editor posts an article as one JSON tree in the snapshot's format
(`articles.snapshot`). `parse_body` (the sections) and `parse_article` (the
whole document) take it decoded and refuse, all at once, whatever a revision
could not hold:

- shape: every object has exactly the keys of its type in the schema (a
  table may leave out source_url, source_retrieved, row_headers,
  narrow_layout, groups and its chart keys, which take the snapshot's
  defaults), each of its JSON type; a choice (a column's kind, a table's
  narrow layout) is one of its values. A key the schema does not have ("id",
  "pk", "article"...) is refused: a tree cannot name rows of any article,
  this one or another;
- size: MAX_SECTIONS sections, MAX_BLOCKS blocks, MAX_TEXT characters a
  text, and the models' lengths (headings, captions, labels, the article's
  fields); the views refuse a request over MAX_BODY_BYTES before decoding it;
- content: what `services.replace_body` refuses (an empty paragraph or list,
  a table that fails `validate_table`), through the same `services.NewBody`.

A block of the wrong shape is not checked further. `BodyInvalid.errors` lists
the problems in the order of the document, each as
`{"place": {"section": 1, "block": 2, "row": 3, "column": 0}, "message": ...}`:
the place's indexes count from 0 and its keys are there only when they apply
("item" is a list's item; "field" names the key at fault, such as "caption"),
while the message names the place as people count, from 1.

Over 400 lines: one small reader per part of the schema (article, section,
block, list, table, column, cell), kept together because they share the
place they report and the order they report in.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from newsroom.formats import grouped

from ..models import Article, ContentTable, ContentTableColumn, Section
from ..models.body import unique_anchor
from ..services import NewBody
from ..snapshot import (
    ARTICLE_FIELDS,
    CHART_DEFAULTS,
    Align,
    ChartKind,
    ColumnData,
    ColumnKind,
    GroupData,
    ListData,
    NarrowLayout,
    ParagraphData,
    SectionData,
    TableData,
)

MAX_BODY_BYTES = 5 * 1024 * 1024  # a request's body, checked before decoding
MAX_SECTIONS = 500
MAX_BLOCKS = 2000  # in the whole article
MAX_TEXT = 20_000  # characters of one text: a paragraph, an item, a cell...
MAX_ERRORS = 200  # listed; the rest are counted

DOCUMENT_KEYS = frozenset({"base_revision", *ARTICLE_FIELDS, "sections"})
SECTION_KEYS = SectionData.__required_keys__
COLUMN_KEYS = ColumnData.__required_keys__
BLOCK_TYPES = {"paragraph": ParagraphData, "list": ListData, "table": TableData}
# What a table block left out means (saved before migrations 0004, 0011, 0012).
TABLE_DEFAULTS = {
    "source_url": "",
    "source_retrieved": "",
    "row_headers": True,
    "narrow_layout": NarrowLayout.SCROLL.value,
    "groups": [],
    **CHART_DEFAULTS,
}
GROUP_KEYS = GroupData.__required_keys__
MAX_REVISION_NUMBER = 2**31 - 1
# A group's label is as long as a column's may be.
GROUP_LABEL = ContentTableColumn._meta.get_field("label")
# Characters no database column can hold: NUL, and halves of surrogate pairs.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

_PLACES = {
    ("section",): gettext_lazy("Section %(section)d"),
    ("section", "block"): gettext_lazy("Section %(section)d, block %(block)d"),
    ("section", "block", "item"): gettext_lazy(
        "Section %(section)d, block %(block)d, item %(item)d"
    ),
    ("section", "block", "column"): gettext_lazy(
        "Section %(section)d, block %(block)d, column %(column)d"
    ),
    ("section", "block", "row"): gettext_lazy(
        "Section %(section)d, block %(block)d, row %(row)d"
    ),
    ("section", "block", "row", "column"): gettext_lazy(
        "Section %(section)d, block %(block)d, row %(row)d, column %(column)d"
    ),
}
_PLACE_KEYS = ("section", "block", "item", "row", "column")


def _verbose(model, name: str):
    return model._meta.get_field(name).verbose_name


# The keys as the editor's users know them.
FIELD_NAMES = {
    **{name: _verbose(Article, name) for name in ARTICLE_FIELDS},
    "base_revision": gettext_lazy("revision started from"),
    "sections": gettext_lazy("sections"),
    "heading": _verbose(Section, "heading"),
    "anchor": _verbose(Section, "anchor"),
    "blocks": gettext_lazy("blocks"),
    "type": gettext_lazy("kind of block"),
    "html": gettext_lazy("text"),
    "ordered": gettext_lazy("numbered"),
    "items": gettext_lazy("items"),
    **{
        name: _verbose(ContentTable, name)
        for name in ("caption", "source_note", "source_url", "source_retrieved")
    },
    "row_headers": _verbose(ContentTable, "row_headers"),
    "narrow_layout": _verbose(ContentTable, "narrow_layout"),
    "groups": _verbose(ContentTable, "groups"),
    **{
        name: _verbose(ContentTable, name)
        for name in ("chart", "chart_category", "chart_series", "chart_only")
    },
    "start": gettext_lazy("first column"),
    "span": gettext_lazy("number of columns"),
    "columns": gettext_lazy("columns"),
    "rows": gettext_lazy("rows"),
    **{
        name: _verbose(ContentTableColumn, name)
        for name in ("label", "kind", "unit", "decimals", "align")
    },
}


class BodyInvalid(ValidationError):
    """A posted body refused; `errors` holds every problem with its place."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__([error["message"] for error in errors])


def where(place: dict) -> str:
    """Name a place as people count: "Section 2, block 3, row 4, column 2"."""
    keys = tuple(key for key in _PLACE_KEYS if key in place)
    named = (
        _PLACES[keys] % {key: place[key] + 1 for key in keys}
        if keys
        else _("The article")
    )
    if "field" not in place:
        return named
    field = FIELD_NAMES.get(place["field"]) or f"“{place['field']}”"
    if not keys:
        return capfirst(field)
    return _("%(where)s, %(field)s") % {"where": named, "field": field}


def parse_body(data: Any) -> list[SectionData]:
    """Check a posted body (a list of sections) and return it as a revision holds it.

    The sections come back cleaned as `services.replace_body` would store
    them (texts sanitised, anchors made, a table's defaults filled in).
    Raises BodyInvalid with every problem.
    """
    checker = _Checker()
    sections = checker.body(data, {})
    checker.raise_errors()
    return sections


def parse_article(data: Any) -> dict:
    """Check a whole posted document; return it with its body as `parse_body` does.

    `data` is {"base_revision": <the revision's number> or null, "title",
    "standfirst", "byline", "source_credit", "sections"}, every key present.
    Raises BodyInvalid with every problem.
    """
    checker = _Checker()
    if not isinstance(data, dict):
        checker.refuse({}, _("The document must be a JSON object."))
        checker.raise_errors()
    checker.keys({}, data, DOCUMENT_KEYS)
    document: dict = {"base_revision": checker.base_revision(data)}
    for name in ARTICLE_FIELDS:
        value = data.get(name, "")
        document[name] = value if checker.article_field(name, value) else ""
    if "sections" in data:
        document["sections"] = checker.body(data["sections"], {"field": "sections"})
    checker.raise_errors()
    return document


class _Checker:
    """The checks of one posted document; refusals gather in `errors`."""

    def __init__(self):
        self.errors: list[dict] = []

    def refuse(self, place: dict, message: str) -> None:
        self.errors.append({"place": place, "message": message})

    def say(self, place: dict, message: str, **values) -> bool:
        """Refuse `message` ("%(where)s: ...") at `place`; return False."""
        self.refuse(place, message % {"where": where(place), **values})
        return False

    def raise_errors(self) -> None:
        if not self.errors:
            return
        errors = sorted(self.errors, key=_document_order)
        if len(errors) > MAX_ERRORS:
            more = len(errors) - MAX_ERRORS
            errors = errors[:MAX_ERRORS]
            errors.append(
                {
                    "place": {},
                    "message": ngettext(
                        "… and %(count)s more problem.",
                        "… and %(count)s more problems.",
                        more,
                    )
                    % {"count": grouped(more)},
                }
            )
        raise BodyInvalid(errors)

    # --- keys and values

    def keys(self, place: dict, data: dict, required, optional=frozenset()) -> bool:
        """Refuse the missing keys and those the schema does not have."""
        missing = _("%(where)s: “%(key)s” is missing.")
        unknown = _("%(where)s: “%(key)s” does not belong here.")
        problems = [(key, missing) for key in sorted(required - data.keys())]
        extra = data.keys() - required - optional
        problems += [(key, unknown) for key in sorted(extra)]
        for key, message in problems:
            self.refuse(
                {**place, "field": key}, message % {"where": where(place), "key": key}
            )
        return not problems

    def text(self, place: dict, value, *, field=None) -> bool:
        """Refuse anything but text of at most MAX_TEXT characters a database holds.

        `field`: a model field whose own checks (its length) it must also pass.
        """
        if not isinstance(value, str):
            return self.say(place, _("%(where)s: this must be text."))
        if len(value) > MAX_TEXT:
            return self.say(
                place,
                _(
                    "%(where)s: this text is %(length)s characters long; the limit "
                    "is %(limit)s."
                ),
                length=grouped(len(value)),
                limit=grouped(MAX_TEXT),
            )
        if _UNSTORABLE.search(value):
            return self.say(
                place,
                _("%(where)s: this text holds a character that cannot be stored."),
            )
        if field is not None and value:
            try:
                field.clean(value, None)
            except ValidationError as error:
                for message in error.messages:
                    self.say(place, _("%(where)s: %(problem)s"), problem=message)
                return False
        return True

    def boolean(self, place: dict, value) -> bool:
        if isinstance(value, bool):
            return True
        return self.say(place, _("%(where)s: this must be true or false."))

    def a_list(self, place: dict, value) -> bool:
        if isinstance(value, list):
            return True
        return self.say(place, _("%(where)s: this must be a list."))

    def choice(self, place: dict, value, choices) -> bool:
        if isinstance(value, str) and value in choices.values:
            return True
        return self.say(
            place,
            _("%(where)s: “%(value)s” is not one of the choices (%(choices)s)."),
            value=value,
            choices=", ".join(choices.values),
        )

    # --- the article's own fields

    def base_revision(self, data: dict) -> int | None:
        value = data.get("base_revision")
        if value is None:
            return None
        if _is_int(value) and 0 < value <= MAX_REVISION_NUMBER:
            return value
        self.say(
            {"field": "base_revision"},
            _("%(where)s: this must be a revision's number, or null."),
        )
        return None

    def article_field(self, name: str, value) -> bool:
        field = Article._meta.get_field(name)
        place = {"field": name}
        if not self.text(place, value, field=field):
            return False
        if not value and not field.blank:
            return self.say(place, _("%(where)s: this cannot be empty."))
        return True

    # --- the body

    def body(self, data, place: dict) -> list[SectionData]:
        """Check the sections; return them as they would be stored if all is well."""
        if not isinstance(data, list):
            if place:
                self.a_list(place, data)
            else:
                self.refuse(place, _("The body must be a list of sections."))
            return []
        if len(data) > MAX_SECTIONS:
            self.refuse(
                place,
                _("The article has %(count)s sections; the limit is %(limit)s.")
                % {"count": grouped(len(data)), "limit": grouped(MAX_SECTIONS)},
            )
            return []
        blocks = sum(
            len(section["blocks"])
            for section in data
            if isinstance(section, dict) and isinstance(section.get("blocks"), list)
        )
        if blocks > MAX_BLOCKS:
            self.refuse(
                place,
                _("The article has %(count)s blocks; the limit is %(limit)s.")
                % {"count": grouped(blocks), "limit": grouped(MAX_BLOCKS)},
            )
            return []
        new = NewBody()
        for index, anchor in enumerate(self.anchors(data)):
            self.section(new, index, data[index], anchor)
        self.errors += [problem.as_dict() for problem in new.problems]
        return [] if self.errors else new.sections_data()

    def anchors(self, sections: list) -> list[str]:
        """Each section's anchor: as posted if valid and unique, else made."""
        field = Section._meta.get_field("anchor")
        taken: set[str] = set()
        posted = [""] * len(sections)
        for index, section in enumerate(sections):
            anchor = section.get("anchor", "") if isinstance(section, dict) else ""
            place = {"section": index, "field": "anchor"}
            if not self.text(place, anchor, field=field) or not anchor:
                continue
            if anchor in taken:
                self.say(
                    place,
                    _("%(where)s: %(problem)s"),
                    problem=_("Another section of this article has this anchor."),
                )
                continue
            taken.add(anchor)
            posted[index] = anchor
        return [
            anchor
            or unique_anchor(section.get("heading") if _heading(section) else "", taken)
            for anchor, section in zip(posted, sections, strict=True)
        ]

    def section(self, new: NewBody, index: int, data, anchor: str) -> None:
        place = {"section": index}
        if not isinstance(data, dict):
            self.say(place, _("%(where)s is not a section."))
            return
        self.keys(place, data, SECTION_KEYS)
        heading = data.get("heading", "")
        field = Section._meta.get_field("heading")
        if not self.text({**place, "field": "heading"}, heading, field=field):
            heading = ""
        section = new.add_section(index, {"heading": heading, "anchor": anchor})
        blocks = data.get("blocks", [])
        if not self.a_list({**place, "field": "blocks"}, blocks):
            return
        for position, block in enumerate(blocks):
            checked = self.block({**place, "block": position}, block)
            if checked is not None:
                new.add_block(section, position, checked)

    def block(self, place: dict, data) -> dict | None:
        """Check a block's shape; return it with its defaults, or None if refused."""
        if not isinstance(data, dict):
            self.say(place, _("%(where)s is not a block."))
            return None
        kind = data.get("type")
        if not isinstance(kind, str) or kind not in BLOCK_TYPES:
            if "type" not in data:
                self.keys(place, data, frozenset({"type"}), data.keys())
            else:
                self.refuse(
                    {**place, "field": "type"},
                    _("%(where)s: “%(value)s” is not a kind of block.")
                    % {"where": where(place), "value": kind},
                )
            return None
        schema = BLOCK_TYPES[kind]
        ok = self.keys(place, data, schema.__required_keys__, schema.__optional_keys__)
        check = {"paragraph": self.paragraph, "list": self.bullets, "table": self.table}
        ok = check[kind](place, data) and ok
        if not ok:
            return None
        return {**TABLE_DEFAULTS, **data} if kind == "table" else data

    def paragraph(self, place: dict, data: dict) -> bool:
        return "html" not in data or self.text({**place, "field": "html"}, data["html"])

    def bullets(self, place: dict, data: dict) -> bool:
        ok = "ordered" not in data or self.boolean(
            {**place, "field": "ordered"}, data["ordered"]
        )
        items = data.get("items", [])
        if not self.a_list({**place, "field": "items"}, items):
            return False
        for index, item in enumerate(items):
            ok = self.text({**place, "item": index}, item) and ok
        return ok

    def table(self, place: dict, data: dict) -> bool:
        ok = True
        for name in ("caption", "source_note", "source_url", "source_retrieved"):
            if name in data:
                field = ContentTable._meta.get_field(name)
                ok = self.text({**place, "field": name}, data[name], field=field) and ok
        if "row_headers" in data:
            headers = data["row_headers"]
            ok = self.boolean({**place, "field": "row_headers"}, headers) and ok
        if "narrow_layout" in data:
            layout = data["narrow_layout"]
            ok = (
                self.choice({**place, "field": "narrow_layout"}, layout, NarrowLayout)
                and ok
            )
        if "groups" in data:
            ok = self.groups({**place, "field": "groups"}, data["groups"]) and ok
        ok = self.chart(place, data) and ok
        columns, rows = data.get("columns", []), data.get("rows", [])
        if self.a_list({**place, "field": "columns"}, columns):
            for index, column in enumerate(columns):
                ok = self.column({**place, "column": index}, column) and ok
        else:
            ok = False
        if self.a_list({**place, "field": "rows"}, rows):
            for index, row in enumerate(rows):
                ok = self.row({**place, "row": index}, row) and ok
        else:
            ok = False
        return ok

    def chart(self, place: dict, data: dict) -> bool:
        """Check the chart keys' types; what they point at is `check_chart`'s."""
        ok = True
        if "chart" in data:
            ok = self.choice({**place, "field": "chart"}, data["chart"], ChartKind)
        if "chart_only" in data:
            only = data["chart_only"]
            ok = self.boolean({**place, "field": "chart_only"}, only) and ok
        category = data.get("chart_category")
        if category is not None and not _is_int(category):
            ok = self.say(
                {**place, "field": "chart_category"},
                _("%(where)s: this must be a column's number or null."),
            )
        if "chart_series" in data:
            series = data["chart_series"]
            if not self.a_list({**place, "field": "chart_series"}, series):
                ok = False
            elif not all(_is_int(index) for index in series):
                ok = self.say(
                    {**place, "field": "chart_series"},
                    _("%(where)s: this must be a list of columns' numbers."),
                )
        return ok

    def groups(self, place: dict, groups) -> bool:
        """Check each group's shape; where it lies is `check_table`'s to refuse."""
        if not self.a_list(place, groups):
            return False
        ok = True
        for entry in groups:
            if not isinstance(entry, dict):
                ok = self.say(place, _("%(where)s: each group must be an object."))
                continue
            ok = self.keys(place, entry, GROUP_KEYS) and ok
            if "label" in entry:
                label = entry["label"]
                ok = (
                    self.text(place, label) and self.length(place, label, GROUP_LABEL)
                ) and ok
            for key in ("start", "span"):
                if key in entry and not _is_int(entry[key]):
                    ok = self.say(
                        {**place, "field": key},
                        _("%(where)s: this must be a whole number."),
                    )
        return ok

    def column(self, place: dict, data) -> bool:
        if not isinstance(data, dict):
            return self.say(place, _("%(where)s is not a column."))
        ok = self.keys(place, data, COLUMN_KEYS)
        label = ContentTableColumn._meta.get_field("label")
        checks = {
            # An empty label is refused by the table's checks, with the others.
            "label": lambda p, v: self.text(p, v) and self.length(p, v, label),
            "kind": lambda p, v: self.choice(p, v, ColumnKind),
            "unit": self.text,
            "decimals": self.decimals,
            "align": lambda p, v: self.choice(p, v, Align),
        }
        for name, check in checks.items():
            if name in data:
                ok = check({**place, "field": name}, data[name]) and ok
        return ok

    def length(self, place: dict, value: str, field) -> bool:
        try:
            field.run_validators(value)
        except ValidationError as error:
            for message in error.messages:
                self.say(place, _("%(where)s: %(problem)s"), problem=message)
            return False
        return True

    def decimals(self, place: dict, value) -> bool:
        # Its range is the column's own check (validate_table).
        if value is None or _is_int(value):
            return True
        return self.say(place, _("%(where)s: this must be a whole number or null."))

    def row(self, place: dict, cells) -> bool:
        if not isinstance(cells, list):
            return self.say(place, _("%(where)s: this must be a list of cells."))
        ok = True
        for index, cell in enumerate(cells):
            ok = self.text({**place, "column": index}, cell) and ok
        return ok


def storable(data: Any) -> bool:
    """Whether a database can hold every text in `data` (decoded JSON).

    PostgreSQL refuses NUL characters and halves of surrogate pairs.
    """
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                return False
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return True


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _heading(section) -> bool:
    return isinstance(section, dict) and isinstance(section.get("heading"), str)


def _document_order(error: dict) -> tuple:
    place = error["place"]
    return tuple(place.get(key, -1) for key in _PLACE_KEYS)
