from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q


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
