"""What a table's cells mean, and the checks a table must pass.

Cells are stored as the editor typed them (inline HTML). Here they become
typed values by their column's kind: numbers, percents and money as Decimal,
dates as date, text as text. Sorting, display and downloads all use these, and
`check_table` refuses what cannot be read, pointing at the cell.

Modules: `values` (what cells mean) and `checks` (what a table must pass).
"""

from .checks import (
    LONG_CELL,
    MAX_COLUMNS,
    MAX_ROWS,
    Problem,
    check_table,
    snapshot_warnings,
)
from .values import (
    CURRENCY,
    DATE,
    NUMBER,
    PERCENT,
    TEXT,
    collation_key,
    display,
    export_value,
    header_unit,
    parse_date,
    parse_number,
    plain_number,
    propose_column,
    safe_value,
    sort_key,
    typed_decimals,
    typed_value,
)

__all__ = [
    "CURRENCY",
    "DATE",
    "LONG_CELL",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "NUMBER",
    "PERCENT",
    "TEXT",
    "Problem",
    "check_table",
    "collation_key",
    "display",
    "export_value",
    "header_unit",
    "parse_date",
    "parse_number",
    "plain_number",
    "propose_column",
    "safe_value",
    "snapshot_warnings",
    "sort_key",
    "typed_decimals",
    "typed_value",
]
