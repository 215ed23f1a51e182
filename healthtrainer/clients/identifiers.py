"""NHS numbers and UK postcodes: parsed, checked and written one canonical way."""

from __future__ import annotations

import re

_NHS_NUMBER_SEPARATORS = re.compile(r"[\s-]")
# Outward code (area, district, optional sub-district) then inward code (sector, unit).
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


class InvalidIdentifier(ValueError):
    """The value is not a well-formed identifier; the message says why, for the form."""


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None when no digit is possible."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(value: str) -> str:
    """Ten digits with no spaces, or InvalidIdentifier. Spaces and hyphens are allowed in."""
    digits = _NHS_NUMBER_SEPARATORS.sub("", value)
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        raise InvalidIdentifier("Enter an NHS number of 10 digits, like 943 476 5919")
    if nhs_number_check_digit(digits[:9]) != int(digits[9]):
        raise InvalidIdentifier("This is not a valid NHS number: check each digit")
    return digits


def format_nhs_number(digits: str) -> str:
    """The 3-3-4 form people read: 943 476 5919."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def normalise_postcode(value: str) -> str:
    """A UK postcode in capitals with one space before the inward code, or InvalidIdentifier.

    Only the shape is checked: an unknown but well-formed postcode is accepted.
    """
    compact = re.sub(r"\s+", "", value).upper()
    match = _POSTCODE.match(compact)
    if not match:
        raise InvalidIdentifier("Enter a full UK postcode, like S1 2HE")
    return f"{match.group(1)} {match.group(2)}"
