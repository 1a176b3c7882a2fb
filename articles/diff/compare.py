"""How two snapshots are matched up: sections by anchor, blocks, rows, cells."""

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from difflib import SequenceMatcher

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import tabledata
from ..sanitize import plain_text
from ..snapshot import (
    ARTICLE_FIELDS,
    CHART_DEFAULTS,
    COLUMN_FIELDS,
    TABLE_FIELDS,
    ChartKind,
    NarrowLayout,
    column_headings,
)
from .changes import (
    ArticleDiff,
    BlockChange,
    CellChange,
    FieldChange,
    ItemChange,
    RowChange,
    SectionChange,
    TableChange,
    word_diff,
)

# How a change of each of the snapshot's settings is named. Every field of the
# schema needs one: columns are matched by their label, the rest is compared.
LABELS = {
    "title": gettext_lazy("Title"),
    "standfirst": gettext_lazy("Standfirst"),
    "byline": gettext_lazy("Byline"),
    "source_credit": gettext_lazy("Source credit"),
    "caption": gettext_lazy("Caption"),
    "source_note": gettext_lazy("Source"),
    "source_url": gettext_lazy("Source address"),
    "source_retrieved": gettext_lazy("Retrieved on"),
    "row_headers": gettext_lazy("First column names the rows"),
    "narrow_layout": gettext_lazy("On narrow screens"),
    "groups": gettext_lazy("Column groups"),
    "chart": gettext_lazy("Chart"),
    "chart_category": gettext_lazy("Chart categories"),
    "chart_series": gettext_lazy("Chart series"),
    "chart_only": gettext_lazy("Chart only (table on request)"),
    "kind": gettext_lazy("kind"),
    "unit": gettext_lazy("unit"),
    "decimals": gettext_lazy("decimal places"),
    "align": gettext_lazy("alignment"),
}
ARTICLE_SETTINGS = {name: LABELS[name] for name in ARTICLE_FIELDS}
TABLE_SETTINGS = {name: LABELS[name] for name in TABLE_FIELDS}
COLUMN_SETTINGS = {name: LABELS[name] for name in COLUMN_FIELDS if name != "label"}
# What a table saved before migration 0004 holds without saying.
ROW_HEADERS_DEFAULT = True
# A table block's keys added since version 1, and what their absence means.
TABLE_DEFAULTS = {
    "source_url": "",
    "source_retrieved": "",
    "row_headers": ROW_HEADERS_DEFAULT,
    "narrow_layout": NarrowLayout.SCROLL.value,
    "groups": [],
    **CHART_DEFAULTS,
}
# Paragraphs, items or rows sharing less than this are shown as one removed and
# one added rather than as an edit, which would be all deletions and insertions.
SIMILARITY = 0.5


def diff(old: dict | None, new: dict) -> ArticleDiff:
    """Compare two snapshots; `old=None` (nothing published yet) adds everything."""
    old = old or {}
    outline = _outline(old.get("sections", []), new.get("sections", []))
    return ArticleDiff(
        fields=_field_changes(old, new, ARTICLE_SETTINGS),
        sections=[section for section in outline if section.status != "unchanged"],
        outline=outline,
    )


def _outline(olds: list[dict], news: list[dict]) -> list[SectionChange]:
    """Every section in order: removed ones where they were, unchanged ones too."""
    old_by_anchor = {section["anchor"]: section for section in olds}
    new_by_anchor = {section["anchor"]: section for section in news}
    a, b = list(old_by_anchor), list(new_by_anchor)
    changes = []
    # Sections off the common sequence but present on both sides have moved.
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for anchor in a[i1:i2]:
            if anchor not in new_by_anchor:
                changes.append(_whole_section("removed", old_by_anchor[anchor]))
        for anchor in b[j1:j2]:
            if anchor not in old_by_anchor:
                changes.append(_whole_section("added", new_by_anchor[anchor]))
                continue
            changes.append(
                _changed_section(
                    old_by_anchor[anchor], new_by_anchor[anchor], moved=tag != "equal"
                )
            )
    return changes


def _whole_section(status: str, section: dict) -> SectionChange:
    blocks = [
        BlockChange(status, block["type"], number, lines=_lines(block))
        for number, block in enumerate(section["blocks"], 1)
    ]
    return SectionChange(status, section["anchor"], section["heading"], blocks=blocks)


def _changed_section(old: dict, new: dict, *, moved: bool) -> SectionChange:
    """Compare a section kept from `old` to `new`; its status may be "unchanged"."""
    olds, news = old["blocks"], new["blocks"]
    every_block = []
    for i, j in _align(olds, news, key=_signature, match=_same_block):
        if j is None:
            block = BlockChange("removed", olds[i]["type"], i + 1, _lines(olds[i]))
        elif i is None:
            block = BlockChange("added", news[j]["type"], j + 1, _lines(news[j]))
        elif _filled(olds[i]) != _filled(news[j]):
            block = _changed_block(olds[i], news[j], j + 1)
        else:
            block = BlockChange(
                "unchanged", news[j]["type"], j + 1, _context_lines(news[j])
            )
        every_block.append(block)
    blocks = [block for block in every_block if block.status != "unchanged"]
    renamed = old["heading"] != new["heading"]
    status = "changed" if blocks or renamed or moved else "unchanged"
    old_heading = old["heading"] if renamed else None
    return SectionChange(
        status,
        new["anchor"],
        new["heading"],
        old_heading,
        moved,
        blocks,
        every_block,
    )


def _changed_block(old: dict, new: dict, number: int) -> BlockChange:
    change = BlockChange("changed", new["type"], number)
    if new["type"] == "paragraph":
        a, b = plain_text(old["html"]), plain_text(new["html"])
        change.pieces = word_diff(a, b) if a != b else []
    elif new["type"] == "list":
        numbering = {False: _("bullets"), True: _("numbered")}
        before, after = (numbering[bool(block.get("ordered"))] for block in (old, new))
        if before != after:
            change.settings.append(
                FieldChange("ordered", _("Numbering"), before, after)
            )
        change.items = _item_changes(old["items"], new["items"])
    else:
        change.settings, change.table = _table_changes(old, new)
    return change


def _item_changes(olds: list[str], news: list[str]) -> list[ItemChange]:
    a, b = [plain_text(item) for item in olds], [plain_text(item) for item in news]
    changes = []
    for i, j in _align(a, b, match=lambda x, y: _similar(x.split(), y.split())):
        if j is None:
            changes.append(ItemChange("removed", i + 1, old=a[i]))
        elif i is None:
            changes.append(ItemChange("added", j + 1, new=b[j]))
        elif a[i] != b[j]:
            changes.append(ItemChange("changed", j + 1, a[i], b[j]))
    return changes


def _table_changes(
    old: dict, new: dict
) -> tuple[list[FieldChange], TableChange | None]:
    settings = _field_changes(old, new, TABLE_SETTINGS)
    # Columns are matched by label, a repeated one by its occurrence (the
    # second "Wins" with the second), so that renaming a group over them
    # changes a setting, not every column. They are named with their group.
    old_keys, new_keys = column_keys(old), column_keys(new)
    old_names, new_names = column_headings(old), column_headings(new)
    common = [key for key in new_keys if key in old_keys]
    old_order = [key for key in old_keys if key in common]
    old_at = [old_keys.index(key) for key in common]
    new_at = [new_keys.index(key) for key in common]
    if old_order != common:
        settings.append(
            FieldChange(
                "columns",
                _("Column order"),
                ", ".join(old_names[old_keys.index(key)] for key in old_order),
                ", ".join(new_names[j] for j in new_at),
            )
        )
    for i, j in zip(old_at, new_at, strict=True):
        names = {
            name: _("Column “%(label)s”: %(setting)s")
            % {"label": new_names[j], "setting": text}
            for name, text in COLUMN_SETTINGS.items()
        }
        settings += _field_changes(old["columns"][i], new["columns"][j], names)

    table = TableChange(
        caption=new.get("caption") or "",
        columns_added=[
            name
            for name, key in zip(new_names, new_keys, strict=True)
            if key not in old_keys
        ],
        columns_removed=[
            name
            for name, key in zip(old_names, old_keys, strict=True)
            if key not in new_keys
        ],
    )
    old_rows, new_rows = _plain_rows(old), _plain_rows(new)
    # Rows are compared on the columns both versions share, so that adding a
    # column does not make every row look changed.
    a = [tuple(row[k] for k in old_at) for row in old_rows]
    b = [tuple(row[k] for k in new_at) for row in new_rows]
    # Cells are compared as typed and shown as readers see them.
    for i, j in _align(a, b, match=lambda x, y: x[:1] == y[:1] or _similar(x, y)):
        if j is None:
            row = _shown_row(old, old_rows[i])
            table.rows_removed.append(RowChange(i + 1, _label(row), row))
        elif i is None:
            row = _shown_row(new, new_rows[j])
            table.rows_added.append(RowChange(j + 1, _label(row), row))
        elif a[i] != b[j]:
            before, after = _shown_row(old, old_rows[i]), _shown_row(new, new_rows[j])
            table.cells += [
                CellChange(
                    j + 1,
                    _label(after),
                    new_names[m],
                    before[k],
                    after[m],
                    tabledata.header_unit(new["columns"][m]),
                )
                for k, m in zip(old_at, new_at, strict=True)
                # "1200" retyped "1,200" in a number column: readers see no change.
                if before[k] != after[m]
            ]
    return settings, (None if table.is_empty else table)


def column_keys(table: dict) -> list[tuple[str, int]]:
    """Each column's label and how many columns before it have the same one."""
    seen: Counter = Counter()
    keys = []
    for column in table["columns"]:
        keys.append((column["label"], seen[column["label"]]))
        seen[column["label"]] += 1
    return keys


def _align(
    olds: Sequence, news: Sequence, *, match: Callable, key: Callable = lambda x: x
) -> Iterator[tuple[int | None, int | None]]:
    """Yield index pairs of matching elements, None on the side without one.

    SequenceMatcher finds what stayed; inside each replaced stretch, elements
    are paired in order when `match` accepts them.
    """
    a, b = [key(x) for x in olds], [key(x) for x in news]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from zip(range(i1, i2), range(j1, j2), strict=True)
            continue
        j = j1
        for i in range(i1, i2):
            k = next((k for k in range(j, j2) if match(olds[i], news[k])), None)
            if k is None:
                yield i, None
                continue
            yield from ((None, skipped) for skipped in range(j, k))
            yield i, k
            j = k + 1
        yield from ((None, rest) for rest in range(j, j2))


def _filled(block: dict) -> dict:
    """A block with the keys an older revision's table leaves out filled in."""
    return {**TABLE_DEFAULTS, **block} if block["type"] == "table" else block


def _signature(block: dict) -> tuple:
    kind = block["type"]
    if kind == "paragraph":
        return kind, plain_text(block["html"])
    if kind == "list":
        return kind, block.get("ordered", False), tuple(map(plain_text, block["items"]))
    columns = tuple(
        tuple(_setting(column, name) for name in COLUMN_FIELDS)
        for column in block["columns"]
    )
    rows = tuple(tuple(row) for row in _plain_rows(block))
    return kind, block.get("caption"), block.get("source_note"), columns, rows


def _same_block(old: dict, new: dict) -> bool:
    if old["type"] != new["type"]:
        return False
    if old["type"] != "paragraph":
        return True
    return _similar(plain_text(old["html"]).split(), plain_text(new["html"]).split())


def _similar(a: Sequence, b: Sequence) -> bool:
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILARITY


def _lines(block: dict) -> list[str]:
    if block["type"] == "paragraph":
        return [plain_text(block["html"])]
    if block["type"] == "list":
        return [plain_text(item) for item in block["items"]]
    rows = [" | ".join(_shown_row(block, row)) for row in _plain_rows(block)]
    return [line for line in (block.get("caption"), _header(block), *rows) if line]


def _context_lines(block: dict) -> list[str]:
    """The text of an unchanged block: a table's caption and header, not its rows."""
    if block["type"] != "table":
        return _lines(block)
    count = len(block["rows"])
    rows = ngettext("%(count)d row", "%(count)d rows", count) % {"count": count}
    return [line for line in (block.get("caption"), _header(block), rows) if line]


def _header(table: dict) -> str:
    """The column labels as readers see them, each with its unit."""
    labels = []
    for column, name in zip(table["columns"], column_headings(table), strict=True):
        unit = tabledata.header_unit(column)
        labels.append(f"{name} ({unit})" if unit else name)
    return " | ".join(labels)


def _shown_row(table: dict, row: list[str]) -> list[str]:
    """A row of plain cells as readers see them: numbers by their column."""
    return [
        shown if (shown := tabledata.display(column, cell)) is not None else cell
        for column, cell in zip(table["columns"], row, strict=True)
    ]


def _plain_rows(table: dict) -> list[list[str]]:
    width = len(table["columns"])
    return [
        ([plain_text(cell) for cell in row] + [""] * width)[:width]
        for row in table["rows"]
    ]


def _field_changes(old: dict, new: dict, labels: dict[str, str]) -> list[FieldChange]:
    values = [
        (name, label, _setting(old, name), _setting(new, name))
        for name, label in labels.items()
    ]
    return [
        FieldChange(name, str(label), old, new)
        for name, label, old, new in values
        if old != new
    ]


def _label(row: list[str]) -> str:
    return row[0] if row else ""


def _groups(table: dict) -> str:
    """A table's groups in words: “2024” over Wins, Losses; “2025” over Wins."""
    labels = [column["label"] for column in table.get("columns", [])]
    return "; ".join(
        _("“%(group)s” over %(columns)s")
        % {
            "group": entry["label"],
            "columns": ", ".join(
                labels[entry["start"] : entry["start"] + entry["span"]]
            ),
        }
        for entry in table.get("groups") or ()
    )


def _chart_columns(table: dict, indexes) -> str:
    """Chart columns in words, by their headings: “Cargo, Change”."""
    headings = column_headings(table) if table.get("columns") else []
    return ", ".join(
        headings[index]
        if isinstance(index, int) and 0 <= index < len(headings)
        # An index past the columns cannot be saved; said as it is, all the same.
        else _("column %(number)s") % {"number": index}
        for index in indexes
    )


def _setting(data: dict, name: str) -> str:
    if name == "groups":
        return _groups(data)
    if name == "chart":
        kind = data.get(name) or ""
        return str(ChartKind(kind).label) if kind in ChartKind.values else kind
    if name == "chart_category":
        index = data.get(name)
        return "" if index is None else _chart_columns(data, [index])
    if name == "chart_series":
        return _chart_columns(data, data.get(name) or [])
    if name == "chart_only":
        return _("yes") if data.get(name) else _("no")
    if name == "row_headers":
        return _("yes") if data.get(name, ROW_HEADERS_DEFAULT) else _("no")
    if name == "narrow_layout":
        layout = data.get(name) or NarrowLayout.SCROLL
        return str(NarrowLayout(layout).label) if layout in NarrowLayout else layout
    value = data.get(name)
    return "" if value is None else str(value)
