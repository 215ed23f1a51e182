"""Dates as whole numbers in the database: days and calendar months, so that "how many
weeks from this Monday to that" and "how many months after discharge" are integer
arithmetic on both databases.

Django has no portable difference of two dates in days (SQLite has no interval type), so
a date is turned into its day number from its year, month and day, each made an integer
first (PostgreSQL's EXTRACT gives numerics, whose arithmetic is slow). The formula is
long: it is worked out once for each episode, never for each diary entry, which are
grouped into weeks by their Monday's date instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import IntegerField, Value
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear

# Earlier than any date the service holds: day 0.
EPOCH = date(1900, 1, 1)
# The Julian day number of EPOCH, which the formula below counts from.
_EPOCH_JULIAN_DAY = 2415021


def _part(extract: Any, when: Any) -> Any:
    return Cast(extract(when), IntegerField())


def day_number(when: Any) -> Any:
    """Days from EPOCH to a date (a field's name or an expression): the Julian day number
    worked out from the year, month and day in integer arithmetic (dividing whole numbers
    truncates on both databases, and every term here is positive), less that of EPOCH.
    Null stays null."""
    year, month, day = (_part(part, when) for part in (ExtractYear, ExtractMonth, ExtractDay))
    # January and February count as months 13 and 14 of the year before, so that the
    # leap day falls at the end of a year.
    before_march = (Value(14) - month) / Value(12)
    years = year + Value(4800) - before_march
    months = month + Value(12) * before_march - Value(3)
    return (
        day
        + (Value(153) * months + Value(2)) / Value(5)
        + Value(365) * years
        + years / Value(4)
        - years / Value(100)
        + years / Value(400)
        - Value(32045 + _EPOCH_JULIAN_DAY)
    )


def weeks_between(first_monday: Any, last_monday: Any) -> Any:
    """How many Monday weeks from the week of one Monday to that of another, both
    included (0 or less when the last comes first)."""
    return (day_number(last_monday) - day_number(first_monday)) / Value(7) + Value(1)


def month_number(when: Any) -> Any:
    """Calendar months from January of year 0 to a date's month."""
    return _part(ExtractYear, when) * Value(12) + _part(ExtractMonth, when) - Value(1)
