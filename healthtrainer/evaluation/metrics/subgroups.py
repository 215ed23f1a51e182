"""Who the clients are: the subgroups the evaluation breaks its figures down by.

Each subgroup is a database expression over a referral's fields, so that a breakdown is
one grouped query whose size is the number of groups, not the number of people; and a
label for each of its keys. The same keys can be worked out in Python for figures that
are paired outside the database (well-being before and after).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear

from healthtrainer.clients.codes import AGE_BANDS, EmploymentStatus, EthnicCategory, Sex
from healthtrainer.evaluation.metrics.ratio import Ratio
from healthtrainer.measures.statistics import PairedSummary
from healthtrainer.referrals.eligibility import age_on

NOT_RECORDED = "Not recorded"


def _day_number(field: str) -> Combinable:
    """The date as the whole number yyyymmdd. PostgreSQL's EXTRACT gives numerics, whose
    arithmetic is slow: each part is made an integer first."""
    return sum(
        (Cast(part(field), IntegerField()) * scale for part, scale in _DATE_PARTS),
        start=Value(0),
    )


_DATE_PARTS = ((ExtractYear, 10000), (ExtractMonth, 100), (ExtractDay, 1))


def _age_band_expression(prefix: str) -> Any:
    """The age band on the day received, and the span it is read from: yyyymmdd received
    minus yyyymmdd of birth, whose digits above the fourth are whole years of age, so each
    band is a range of it, in integer arithmetic on both databases."""
    span = _day_number(f"{prefix}received_date") - _day_number(f"{prefix}date_of_birth")
    return Case(
        *[
            When(Q(_age_span__gte=low * 10000, _age_span__lt=(high + 1) * 10000), then=Value(index))
            for index, (low, high, _) in enumerate(AGE_BANDS)
        ],
        default=Value(-1),
        output_field=IntegerField(),
    ), span


def _code_label(choices: Any) -> Callable[[Any], str]:
    labels = dict(choices.choices)

    def label(code: Any) -> str:
        return str(labels.get(code, NOT_RECORDED)) if code else NOT_RECORDED

    return label


def _quintile_label(quintile: Any) -> str:
    return f"Quintile {quintile}" if quintile else "Not known"


def _age_band_label(index: Any) -> str:
    if index is None or index < 0:
        return "Under 18"
    return AGE_BANDS[index][2]


def age_band_index(date_of_birth: date, on: date) -> int:
    age = age_on(date_of_birth, on)
    return next((i for i, (low, high, _) in enumerate(AGE_BANDS) if low <= age <= high), -1)


@dataclass(frozen=True)
class Subgroup:
    id: str
    title: str
    label: Callable[[Any], str]
    # The key of one referral, from its fields, for figures paired in Python.
    key_of: Callable[[dict[str, Any]], Any]
    # Every group's label, in the order reports list them, so that an empty group is
    # listed with 0 rather than left out; and the groups that say nothing was recorded.
    groups: tuple[str, ...] = ()
    unrecorded: frozenset[str] = frozenset()


def _code_groups(choices: Any) -> tuple[str, ...]:
    return (*[str(label) for _, label in choices.choices], NOT_RECORDED)


QUINTILE_GROUPS = (*[_quintile_label(quintile) for quintile in range(1, 6)], "Not known")

SUBGROUPS: dict[str, Subgroup] = {
    subgroup.id: subgroup
    for subgroup in [
        Subgroup(
            "imd_quintile",
            "IMD quintile (national; 1 is the most deprived)",
            _quintile_label,
            lambda fields: (fields["imd_decile"] + 1) // 2 if fields["imd_decile"] else None,
            QUINTILE_GROUPS,
            frozenset({"Not known"}),
        ),
        Subgroup(
            "employment_status",
            "Employment status",
            _code_label(EmploymentStatus),
            lambda fields: fields["employment_status"],
            _code_groups(EmploymentStatus),
            frozenset({str(EmploymentStatus.NOT_STATED.label), NOT_RECORDED}),
        ),
        Subgroup(
            "ethnic_category",
            "Ethnic category",
            _code_label(EthnicCategory),
            lambda fields: fields["ethnic_category"],
            _code_groups(EthnicCategory),
            frozenset(
                {
                    str(EthnicCategory.NOT_STATED.label),
                    str(EthnicCategory.NOT_KNOWN.label),
                    NOT_RECORDED,
                }
            ),
        ),
        Subgroup(
            "sex",
            "Sex",
            _code_label(Sex),
            lambda fields: fields["sex"],
            _code_groups(Sex),
            frozenset({str(Sex.UNKNOWN.label), NOT_RECORDED}),
        ),
        Subgroup(
            "age_band",
            "Age band at referral",
            _age_band_label,
            lambda fields: age_band_index(fields["date_of_birth"], fields["received_date"]),
            ("Under 18", *[label for _, _, label in AGE_BANDS]),
        ),
    ]
}
KEY_FIELDS = ("imd_decile", "employment_status", "ethnic_category", "sex", "date_of_birth")


def with_key(queryset: Any, subgroup: str, prefix: str, name: str) -> Any:
    """The queryset annotated with `name`, the subgroup's key of each row."""
    if subgroup == "imd_quintile":
        return queryset.annotate(**{name: (F(f"{prefix}imd_decile") + 1) / 2})
    if subgroup == "age_band":
        band, span = _age_band_expression(prefix)
        return queryset.annotate(_age_span=span).annotate(**{name: band})
    return queryset.annotate(**{name: F(f"{prefix}{subgroup}")})


def grouped(queryset: Any, subgroup: str, prefix: str = "") -> Any:
    """The queryset annotated with `group`, the subgroup's key, ready for .values("group")."""
    return with_key(queryset, subgroup, prefix, "group")


def by_every_subgroup(
    queryset: Any, prefix: str = "", **sums: Any
) -> dict[str, dict[Any, Counter[str]]]:
    """Additive figures (counts and sums) in each group of every subgroup, from one query.

    The query groups by all the subgroups' keys at once; a subgroup's figures are then the
    sums over the other keys. Its rows number at most the product of the subgroups' sizes,
    however many people there are, and one pass replaces one query per subgroup.
    """
    for subgroup in SUBGROUPS:
        queryset = with_key(queryset, subgroup, prefix, f"group_{subgroup}")
    columns = [f"group_{subgroup}" for subgroup in SUBGROUPS]
    rows = queryset.values(*columns).annotate(**sums).order_by()
    result: dict[str, dict[Any, Counter[str]]] = {subgroup: {} for subgroup in SUBGROUPS}
    for row in rows:
        for subgroup in SUBGROUPS:
            figures = result[subgroup].setdefault(row[f"group_{subgroup}"], Counter())
            for name in sums:
                figures[name] += row[name] or 0
    return {
        subgroup: dict(sorted(groups.items(), key=lambda item: sort_key(item[0])))
        for subgroup, groups in result.items()
    }


def sort_key(key: Any) -> tuple[int, Any]:
    """Known groups in code order, then the unknown ones."""
    if key is None or key == "" or key == -1:
        return (1, "")
    return (0, key)


@dataclass(frozen=True)
class GroupCount:
    label: str
    count: int


@dataclass(frozen=True)
class GroupRatio:
    label: str
    ratio: Ratio


@dataclass(frozen=True)
class GroupChange:
    label: str
    summary: PairedSummary


def counts_by_every_subgroup(queryset: Any) -> dict[str, list[GroupCount]]:
    groups = by_every_subgroup(queryset, n=Count("pk"))
    return {
        subgroup: [GroupCount(SUBGROUPS[subgroup].label(key), f["n"]) for key, f in found.items()]
        for subgroup, found in groups.items()
    }


def ratios_by_every_subgroup(
    queryset: Any, numerator: Q, denominator: Q, prefix: str = ""
) -> dict[str, list[GroupRatio]]:
    groups = by_every_subgroup(
        queryset,
        prefix,
        numerator=Count("pk", filter=numerator & denominator),
        denominator=Count("pk", filter=denominator),
    )
    return {
        subgroup: [
            GroupRatio(SUBGROUPS[subgroup].label(key), Ratio(f["numerator"], f["denominator"]))
            for key, f in found.items()
            if f["denominator"]
        ]
        for subgroup, found in groups.items()
    }
