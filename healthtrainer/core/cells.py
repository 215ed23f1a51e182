"""Reading one cell of a spreadsheet: text, dates, whole numbers and choices.

Each reader returns the value or raises CellError with a plain-English message naming
the column; a sheet's checks collect these as problems (`core/row_checks.py`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")


class CellError(ValueError):
    pass


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as the text a person sees: numbers without a trailing .0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def shown(value: Any) -> str:
    text = as_text(value)
    return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'


def text(value: Any, label: str, max_length: int | None = None) -> str:
    text = " ".join(as_text(value).split())
    if max_length is not None and len(text) > max_length:
        raise CellError(f"The {label} is longer than {max_length} characters")
    return text


def iso_date(value: Any, label: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = as_text(value)
    if not ISO_DATE.match(text):
        raise CellError(f"The {label} must be a date written like 2011-04-18, not {shown(value)}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellError(f"The {label} {shown(value)} is not a real date") from None


def whole_number(value: Any, label: str, *, minimum: int, maximum: int) -> int:
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and WHOLE_NUMBER.match(value.strip()):
        number = int(value.strip())
    if number is None:
        raise CellError(f"The {label} must be a whole number, not {shown(value)}")
    if number < minimum or number > maximum:
        if minimum == 0 and number < 0:
            raise CellError(f"The {label} cannot be negative")
        raise CellError(f"The {label} must be from {minimum} to {maximum}, not {number}")
    return number


def choice(value: Any, label: str, choices: tuple[str, ...]) -> str:
    text = as_text(value).lower()
    if text not in choices:
        raise CellError(f"The {label} must be one of {', '.join(choices)}, not {shown(value)}")
    return text


def pattern(
    value: Any, label: str, pattern: re.Pattern[str], example: str, *, upper: bool = True
) -> str:
    text = as_text(value).upper() if upper else as_text(value)
    if not pattern.match(text):
        raise CellError(f"The {label} must look like {example}, not {shown(value)}")
    return text
