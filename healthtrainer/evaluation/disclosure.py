"""Disclosure control for figures that leave the care team (domain.md).

In `published` mode a count of 0 stays 0, a count of 1 to 7 becomes "*", and any other
count is rounded to the nearest 5. A percentage is computed from the rounded counts, or
suppressed when either is. `exact` mode shows counts as they are, for programme managers
and administrators only. Pure functions: numbers in, what may be shown out.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

SUPPRESSED = "*"
SMALLEST_SHOWN = 8
ROUND_TO = 5


class Disclosure(StrEnum):
    EXACT = "exact"
    PUBLISHED = "published"


def published_count(count: int) -> int | str:
    """The count as it may be published: 0, "*" for 1 to 7, else the nearest 5 (halves up)."""
    if count < 0:
        raise ValueError("A count cannot be negative.")
    if count == 0:
        return 0
    if count < SMALLEST_SHOWN:
        return SUPPRESSED
    return int(
        (Decimal(count) / ROUND_TO).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * ROUND_TO
    )


def shown_count(count: int, mode: Disclosure) -> int | str:
    return count if mode == Disclosure.EXACT else published_count(count)


def percentage(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator as a percentage to one decimal place; None for 0 / 0."""
    if denominator == 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def shown_percentage(numerator: int, denominator: int, mode: Disclosure) -> Decimal | str | None:
    """numerator / denominator as a percentage to one decimal place, from the counts as shown:
    "*" when either count is suppressed, None when there is nothing to divide by."""
    top, bottom = shown_count(numerator, mode), shown_count(denominator, mode)
    if isinstance(top, str) or isinstance(bottom, str):
        return SUPPRESSED
    if bottom == 0:
        return None
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
