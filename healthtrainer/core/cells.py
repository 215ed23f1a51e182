"""Reading one cell of a workbook: text, dates, whole numbers, codes and identifiers.

Each reader returns the value or raises CellError with a plain-English message naming
the column; the sheet checks collect these into the workbook's problem list.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from healthtrainer.clients.codes import EmploymentStatus, EthnicCategory
from healthtrainer.clients.identifiers import (
    InvalidIdentifier,
    normalise_nhs_number,
    normalise_postcode,
)

ETHNIC_CATEGORIES = tuple(EthnicCategory.values)
EMPLOYMENT_STATUSES = tuple(EmploymentStatus.values)
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


def ethnic_category(value: Any) -> str:
    code = as_text(value).upper()
    if code not in ETHNIC_CATEGORIES:
        raise CellError(
            "The ethnic category must be an NHS Data Dictionary code "
            f"({', '.join(ETHNIC_CATEGORIES)}), not {shown(value)}"
        )
    return code


def employment_status(value: Any) -> str:
    # A spreadsheet turns 01 into the number 1; both mean the same code.
    code = as_text(value).upper()
    code = code.zfill(2) if code.isdigit() and len(code) == 1 else code
    if code not in EMPLOYMENT_STATUSES:
        raise CellError(
            "The employment status must be an NHS Data Dictionary code "
            f"({', '.join(EMPLOYMENT_STATUSES)}), not {shown(value)}"
        )
    return code


def nhs_number(value: Any) -> str:
    try:
        return normalise_nhs_number(as_text(value))
    except InvalidIdentifier as error:
        raise CellError(str(error)) from None


def postcode(value: Any) -> str:
    try:
        return normalise_postcode(as_text(value))
    except InvalidIdentifier as error:
        raise CellError(str(error)) from None


def pattern(
    value: Any, label: str, pattern: re.Pattern[str], example: str, *, upper: bool = True
) -> str:
    text = as_text(value).upper() if upper else as_text(value)
    if not pattern.match(text):
        raise CellError(f"The {label} must look like {example}, not {shown(value)}")
    return text


def pain_sites(value: Any) -> str:
    sites = [" ".join(site.split()) for site in as_text(value).split(";")]
    return text("; ".join(site for site in sites if site), "list of pain sites", 300)
