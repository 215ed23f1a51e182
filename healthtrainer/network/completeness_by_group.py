"""Data completeness by group across the network: the completeness columns
(`completeness.COLUMNS`) in each IMD quintile, ethnic category and age band at referral,
for the programmes that share their completeness, taken together.

One grouped query counts every programme's accepted referrals by all three groups at
once. Each programme's counts in each group are then published as its own report would
show them (1 to 7 hidden, others to the nearest 5), and the network's share in a group is
the sum of the shown numerators over the sum of the shown denominators, so nothing here
is finer than a programme's published counts.

Where a programme's denominator in a group is hidden, the programme is left out of that
share altogether. Where only its numerator is hidden (1 to 7 complete records), those
records are counted as none and its denominator kept: leaving it out would drop exactly
the groups with few complete records, and a thin figure would read as a good one.
Counted as none, a share can understate completeness but never flatter it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from healthtrainer.evaluation.disclosure import percentage, published_count
from healthtrainer.evaluation.metrics.subgroups import SUBGROUPS, with_key
from healthtrainer.network.completeness import FRACTIONS, counts, flagged
from healthtrainer.programmes.models import Programme

BY = ("imd_quintile", "ethnic_category", "age_band")


@dataclass(frozen=True)
class GroupCompleteness:
    label: str
    # Accepted referrals in the group: the sum of the programmes' published counts.
    accepted: int
    # By column key (completeness.COLUMNS): a percentage, or None with nothing to count.
    shares: dict[str, Decimal | None]


@dataclass(frozen=True)
class SubgroupCompleteness:
    id: str
    title: str
    groups: list[GroupCompleteness]


# Each programme's counts in each group: {subgroup: {group label: {count name: number}}}.
GroupRows = dict[int, dict[str, dict[str, dict[str, int]]]]


def group_rows(programmes: list[Programme]) -> GroupRows:
    """Each programme's exact counts in each group of each subgroup, summed over the other
    subgroups: one grouped query for every programme and all three subgroups."""
    queryset = flagged(programmes)
    for subgroup in BY:
        queryset = with_key(queryset, subgroup, "", f"group_{subgroup}")
    rows = (
        queryset.order_by()
        .values("programme_id", *(f"group_{subgroup}" for subgroup in BY))
        .annotate(**counts())
    )
    found: GroupRows = {}
    names = list(counts())
    for row in rows:
        of_programme = found.setdefault(row["programme_id"], {})
        for subgroup in BY:
            label = SUBGROUPS[subgroup].label(row[f"group_{subgroup}"])
            tally = of_programme.setdefault(subgroup, {}).setdefault(label, dict.fromkeys(names, 0))
            for name in names:
                tally[name] += row[name]
    return found


def completeness_by_group(
    programmes: list[Programme], rows: GroupRows | None = None
) -> list[SubgroupCompleteness]:
    rows = group_rows(programmes) if rows is None else rows
    exact: dict[tuple[str, str], dict[int, Counter[str]]] = defaultdict(dict)
    for programme in programmes:
        for subgroup, groups in (rows.get(programme.pk) or {}).items():
            for label, tally in groups.items():
                exact[(subgroup, label)][programme.pk] = Counter(tally)
    return [
        SubgroupCompleteness(
            subgroup,
            SUBGROUPS[subgroup].title,
            [_group(label, exact.get((subgroup, label), {})) for label in _labels(subgroup)],
        )
        for subgroup in BY
    ]


def _labels(subgroup: str) -> tuple[str, ...]:
    """Every group in the order reports list them, so an empty one is listed too."""
    return SUBGROUPS[subgroup].groups


def _group(label: str, by_programme: dict[int, Counter[str]]) -> GroupCompleteness:
    accepted = sum(_shown_or_none(tally["accepted"]) for tally in by_programme.values())
    shares: dict[str, Decimal | None] = {}
    for key, (top, bottom) in FRACTIONS.items():
        numerator = denominator = 0
        for tally in by_programme.values():
            shown = _shown_or_none(tally[bottom])
            if shown:
                numerator += _shown_or_none(tally[top])
                denominator += shown
        shares[key] = percentage(numerator, denominator)
    return GroupCompleteness(label, accepted, shares)


def _shown_or_none(count: int) -> int:
    """The published count, with a hidden one (1 to 7) taken as none."""
    shown = published_count(count)
    return 0 if isinstance(shown, str) else shown
