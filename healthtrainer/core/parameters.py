"""Whole numbers read from outside: a query parameter, a form value, an id.

`int()` takes far more than people type: digits of any script (Arabic-Indic, say),
signs, spaces, underscores, and numbers no database column holds. Such a number reaching a
query fails deep inside the driver (SQLite raises OverflowError), so values from a
request are checked here first and anything else is simply not a number.
"""

from __future__ import annotations

# The range of a BigAutoField, the type of every id (DEFAULT_AUTO_FIELD).
ID_MAX = 2**63 - 1


def bounded_int(value: object, *, minimum: int = 0, maximum: int = ID_MAX) -> int | None:
    """`value` as an int if it is ASCII digits (or an int) from `minimum` to `maximum`,
    else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        if len(value.lstrip("0")) > len(str(maximum)):
            return None  # Also spares int() a string of thousands of digits.
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value: object, *, maximum: int = ID_MAX) -> int | None:
    """An id as sent by a page: ASCII digits from 1 to the largest id, else None."""
    return bounded_int(value, minimum=1, maximum=maximum)
