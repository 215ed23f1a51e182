"""A share: its numerator and denominator, and its percentage where there is anything
to divide by ("no data" otherwise, never an error)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    Q,
)


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percentage(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def ratio_of(queryset: Any, numerator: Q, denominator: Q) -> Ratio:
    counts = queryset.aggregate(
        numerator=Count("pk", filter=numerator & denominator),
        denominator=Count("pk", filter=denominator),
    )
    return Ratio(counts["numerator"], counts["denominator"])
