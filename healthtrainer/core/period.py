from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

# The dates a period may name: from the NHS's founding to the end of the century. A report
# lists every month of its period, so a period of thousands of years would be a page of
# tens of thousands of rows, and the last day of year 9999 has no month after it.
EARLIEST = date(1948, 7, 5)
LATEST = date(2099, 12, 31)


def period_problems(start: date | None, end: date | None) -> dict[str, str]:
    """What is wrong with a period from `start` to `end`, in words, by end ("start", "end")."""
    problems = {
        name: f"Choose a date from {EARLIEST:%-d %B %Y} to {LATEST:%-d %B %Y}"
        for name, day in (("start", start), ("end", end))
        if day is not None and not EARLIEST <= day <= LATEST
    }
    if not problems and start and end and end < start:
        problems["end"] = "The end date must be on or after the start date"
    return problems


@dataclass(frozen=True)
class Period:
    """A range of referral dates, both ends included; an open end means no limit."""

    start: date | None = None
    end: date | None = None

    def referral_filter(self, prefix: str = "") -> Q:
        condition = Q()
        if self.start:
            condition &= Q(**{f"{prefix}received_date__gte": self.start})
        if self.end:
            condition &= Q(**{f"{prefix}received_date__lte": self.end})
        return condition

    def words(self) -> str:
        """The period as a title says it: 1 Jan 2011 to 31 Dec 2011, from …, to …, or every
        date."""
        if self.start and self.end:
            return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"
        if self.start:
            return f"from {self.start:%-d %b %Y}"
        if self.end:
            return f"to {self.end:%-d %b %Y}"
        return "of every date"

    def slug(self) -> str:
        """The period for a file name: 2011-01-01-2011-12-31, from-2011-01-01, or all."""
        if self.start and self.end:
            return f"{self.start.isoformat()}-{self.end.isoformat()}"
        if self.start:
            return f"from-{self.start.isoformat()}"
        if self.end:
            return f"to-{self.end.isoformat()}"
        return "all"

    def describe(self) -> str:
        if self.start and self.end:
            return f"referred {self.start:%d %B %Y} to {self.end:%d %B %Y}"
        if self.start:
            return f"referred from {self.start:%d %B %Y}"
        if self.end:
            return f"referred up to {self.end:%d %B %Y}"
        return "all referrals"
