"""Equity across the network: how far each programme reaches the most deprived, and
whether its outcomes differ by deprivation.

- Core20 share: of the programme's accepted clients with a known IMD decile, the share
  living in the most deprived 20% of areas in England (national deciles 1 and 2), beside
  the share of its local authority's areas (LSOAs) in that 20%. LSOAs are drawn to hold
  about the same number of people, so the share of areas stands for the share of people.
- The gap in completion between clients from the most deprived fifth of areas (national
  quintile 1) and the least deprived (quintile 5), in percentage points.

Client counts are published counts; the areas' share is reference data, exact."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from healthtrainer.casework.vocabulary import DischargeReason
from healthtrainer.deprivation.lookup import newest_loaded_edition
from healthtrainer.deprivation.models import LsoaDeprivation
from healthtrainer.evaluation.disclosure import Disclosure, percentage, shown_percentage
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

CORE20_DECILES = (1, 2)


@dataclass(frozen=True)
class Equity:
    programme: Programme
    core20_clients: Decimal | str | None
    core20_local: Decimal | None
    completed_most_deprived: Decimal | str | None
    completed_least_deprived: Decimal | str | None

    @property
    def gap(self) -> Decimal | None:
        """Least minus most deprived, in percentage points, where both are shown."""
        low, high = self.completed_most_deprived, self.completed_least_deprived
        if isinstance(low, Decimal) and isinstance(high, Decimal):
            return high - low
        return None


COUNTS = ("known", "core20", "core20_completed", "least", "least_completed")
# Each programme's exact counts, and its local authority's Core20 share of areas (a
# percentage as text; None where the area is unknown or no deprivation file is loaded).
Rows = dict[int, dict[str, int | str | None]]


def equity_rows(programmes: list[Programme]) -> Rows:
    completed = Q(discharge__reason=DischargeReason.COMPLETED)
    found: Rows = {
        row.pop("programme_id"): row
        for row in Referral.objects.filter(programme__in=programmes, status=Status.ACCEPTED)
        .order_by()
        .values("programme_id")
        .annotate(
            known=Count("pk", filter=Q(imd_decile__isnull=False)),
            # National quintile 1, the most deprived fifth, is Core20 itself.
            core20=Count("pk", filter=Q(imd_decile__in=CORE20_DECILES)),
            core20_completed=Count("pk", filter=Q(imd_decile__in=CORE20_DECILES) & completed),
            least=Count("pk", filter=Q(imd_decile__in=(9, 10))),
            least_completed=Count("pk", filter=Q(imd_decile__in=(9, 10)) & completed),
        )
    }
    local = _local_core20_shares({programme.local_authority_code for programme in programmes})
    for programme in programmes:
        share = local.get(programme.local_authority_code)
        row = found.setdefault(programme.pk, dict.fromkeys(COUNTS, 0))
        row["core20_local"] = None if share is None else str(share)
    return found


def equity(programmes: list[Programme], rows: Rows | None = None) -> list[Equity]:
    """Each programme's reach and gap, from `rows` as kept with its published figures (or
    read now)."""
    rows = equity_rows(programmes) if rows is None else rows
    published = Disclosure.PUBLISHED
    empty: dict[str, int | str | None] = dict.fromkeys(COUNTS, 0) | {"core20_local": None}
    result = []
    for programme in programmes:
        row = rows.get(programme.pk) or empty
        count = {name: int(row[name] or 0) for name in COUNTS}
        local = row["core20_local"]
        result.append(
            Equity(
                programme,
                shown_percentage(count["core20"], count["known"], published),
                None if local is None else Decimal(str(local)),
                shown_percentage(count["core20_completed"], count["core20"], published),
                shown_percentage(count["least_completed"], count["least"], published),
            )
        )
    return result


def _local_core20_shares(codes: set[str]) -> dict[str, Decimal | None]:
    edition = newest_loaded_edition()
    if edition is None:
        return {}
    return {
        row["local_authority_code"]: percentage(row["core20"], row["areas"])
        for row in LsoaDeprivation.objects.filter(
            edition=edition, local_authority_code__in=[code for code in codes if code]
        )
        .order_by()
        .values("local_authority_code")
        .annotate(areas=Count("pk"), core20=Count("pk", filter=Q(imd_decile__in=CORE20_DECILES)))
    }
