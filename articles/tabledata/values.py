"""What a cell means by its column's kind: values, sorting, display, downloads."""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

from ..sanitize import plain_text
from ..snapshot import NUMERIC_KINDS, ColumnKind

# The kinds as plain strings: they are compared with the kind of every cell,
# and reading an enum member costs four times as much as reading a global.
TEXT = ColumnKind.TEXT.value
NUMBER = ColumnKind.NUMBER.value
PERCENT = ColumnKind.PERCENT.value
CURRENCY = ColumnKind.CURRENCY.value
DATE = ColumnKind.DATE.value

# A number with an optional unit before or after it: "$1,200.50", "-3.5 %",
# "12 km", "1 234". Group separators are commas (or spaces) between threes.
_NUMBER = re.compile(
    r"^(?P<before>[^\d+\-−.]*?)\s*(?P<sign>[+\-−]?)\s*"
    r"(?P<digits>\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<after>[^\d]*?)$"
)
DATE_FORMATS = [
    "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d/%m/%Y",
    "%d.%m.%Y", "%Y-%m", "%B %Y", "%b %Y", "%Y",
]  # fmt: skip
CURRENCY_SYMBOLS = frozenset("$€£¥₽₸₹₩₺")
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")  # ISO 4217: USD, EUR, KZT
# A column is proposed a kind when at least this share of its non-empty cells
# read as it; the others then show as errors for the editor to fix.
PROPOSAL_SHARE = 0.9
# A bare whole number in this range, alone in a cell, is read as a year.
YEARS = range(1800, 2101)
MAX_DECIMALS = 10  # ContentTableColumn.decimals


def parse_number(text: str) -> tuple[Decimal, str]:
    """Return the number in `text` and the unit written around it.

    Raises ValueError when `text` is not a number.
    """
    match = _NUMBER.match(text.replace("\u00a0", " ").replace("\u202f", " ").strip())
    if not match:
        raise ValueError(text)
    digits = re.sub(r"[,\s]", "", match["digits"])
    try:
        value = Decimal(digits)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if match["sign"] in {"-", "−"}:
        value = -value
    unit = f"{match['before']} {match['after']}".strip()
    return value, unit


def parse_date(text: str) -> date:
    """Return the date written in `text`, in one of the usual ways; else ValueError."""
    cleaned = " ".join(text.split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def typed_value(kind: str, cell: str):
    """Return the cell's value by its column's kind: Decimal, date, text or None."""
    text = plain_text(cell)
    if not text:
        return None
    if kind in NUMERIC_KINDS:
        return parse_number(text)[0]
    if kind == DATE:
        return parse_date(text)
    return text


def safe_value(kind: str, cell: str):
    """Like typed_value, but a cell that cannot be read counts as text."""
    try:
        return typed_value(kind, cell)
    except ValueError:
        return plain_text(cell)


def sort_key(kind: str, cell: str) -> tuple:
    """A key that sorts numbers by value, dates by time and text by collation.

    Empty cells sort last; cells that cannot be read sort after the rest.
    """
    value = safe_value(kind, cell)
    if value is None:
        return (2, "")
    if isinstance(value, str):
        return (1 if kind != TEXT else 0, collation_key(value))
    if isinstance(value, date):
        return (0, value.toordinal())
    return (0, float(value))


def collation_key(text: str) -> str:
    """Compare text as readers expect: ignoring case and accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def display(column: dict, cell: str) -> str | None:
    """The plain text a numeric cell shows readers; None to show the cell as typed."""
    kind = column.get("kind") or TEXT
    if kind not in NUMERIC_KINDS:
        return None
    value = safe_value(kind, cell)
    if not isinstance(value, Decimal):
        return None
    decimals = column.get("decimals")
    if decimals is not None:  # number_format cuts digits off; round them instead
        value = value.quantize(Decimal(1).scaleb(-int(decimals)), ROUND_HALF_UP)
    shown = number_format(
        value, decimal_pos=decimals, use_l10n=True, force_grouping=True
    )
    if kind == PERCENT:
        return f"{shown}%"
    unit = (column.get("unit") or "").strip()
    if kind == CURRENCY and unit:
        return f"{unit}{shown}" if unit in CURRENCY_SYMBOLS else f"{shown} {unit}"
    return shown


def header_unit(column: dict) -> str:
    """The unit shown after a column's label ('' when the cells carry it)."""
    unit = (column.get("unit") or "").strip()
    if column.get("kind") in {PERCENT, CURRENCY}:
        return ""
    return unit


def export_value(column: dict, cell: str):
    """The cell for downloads: Decimal, date, text, or None when empty.

    Numbers keep the digits they were typed with (Decimal("69.0")): each
    format writes them its own way (`plain_number`, a spreadsheet's number
    format, a JSON number). A cell that cannot be read by its column's kind
    is text.
    """
    return safe_value(column.get("kind") or TEXT, cell)


def plain_number(value: Decimal, decimals: int | None = None) -> str:
    """The number as data tools read it: no grouping, no unit, "." for decimals.

    It has at least `decimals` digits after the point (a column's declared
    decimals: 69 in a column of one decimal is "69.0"); digits typed beyond
    them are kept, since the page rounds them only for show.
    """
    if decimals is not None and -value.as_tuple().exponent < decimals:
        value = value.quantize(Decimal(1).scaleb(-decimals))
    return format(value.copy_abs() if value.is_zero() else value, "f")


def typed_decimals(values: Iterable) -> int:
    """The most digits after the point among the numbers in `values`, as typed."""
    return min(
        max(
            (
                max(0, -value.as_tuple().exponent)
                for value in values
                if isinstance(value, Decimal)
            ),
            default=0,
        ),
        MAX_DECIMALS,
    )


def propose_column(cells: Iterable[str]) -> dict:
    """Propose a column's kind, decimals and unit from its cells, as typed.

    Returns {"kind", "decimals", "unit"} (a ColumnKind value, an int or None,
    a string). A kind is proposed when (nearly) all the non-empty cells read
    as it (PROPOSAL_SHARE): dates (a column of years too), then percentages
    ("12%"), amounts ("$1,200", "5 EUR") and numbers with the same unit
    ("12 km"), with as many decimals as the most precise cell; else text.
    """
    texts = [text for text in map(plain_text, cells) if text]
    proposal = {"kind": TEXT, "decimals": None, "unit": ""}
    if not texts:
        return proposal
    needed = math.ceil(len(texts) * PROPOSAL_SHARE)
    if sum(1 for text in texts if _reads_as_date(text)) >= needed:
        return {**proposal, "kind": DATE}
    numbers: dict[tuple[str, str], list[Decimal]] = {}
    for text in texts:
        try:
            value, unit = parse_number(text)
        except ValueError:
            continue
        numbers.setdefault(_numeric_kind(unit), []).append(value)
    if not numbers:
        return proposal
    (kind, unit), count = Counter(
        {key: len(values) for key, values in numbers.items()}
    ).most_common(1)[0]
    if count < needed:
        return proposal
    decimals = max(max(0, -value.as_tuple().exponent) for value in numbers[kind, unit])
    return {"kind": kind, "decimals": min(decimals, MAX_DECIMALS), "unit": unit}


def _reads_as_date(text: str) -> bool:
    try:
        parse_date(text)
    except ValueError:
        return False
    try:
        value, unit = parse_number(text)
    except ValueError:
        return True
    # "2024" is a year; "1500" is more likely a count.
    return bool(unit) or (value == value.to_integral_value() and int(value) in YEARS)


def _numeric_kind(unit: str) -> tuple[str, str]:
    """The kind a number written with `unit` belongs to, and the column's unit."""
    if unit == "%":
        return PERCENT, ""
    if unit in CURRENCY_SYMBOLS or _CURRENCY_CODE.match(unit):
        return CURRENCY, unit
    return NUMBER, unit
