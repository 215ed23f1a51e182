"""Client outcome metrics: who the clients are, their goals, strategies kept up at
follow-up, well-being and GP visits before and after, and each outcome broken down by
subgroup (equity). The period is of referral dates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from healthtrainer.casework.models import Appointment, FollowUp, Goal, SessionRecord
from healthtrainer.casework.vocabulary import Attendance, DischargeReason, GoalStatus, Maintained
from healthtrainer.core.period import Period
from healthtrainer.deprivation.lookup import local_quintiles
from healthtrainer.deprivation.models import Edition
from healthtrainer.evaluation.metrics.referrals import referrals_received
from healthtrainer.evaluation.metrics.registry import metric
from healthtrainer.evaluation.metrics.source import Ratio, headline_pairs
from healthtrainer.evaluation.metrics.subgroups import (
    KEY_FIELDS,
    SUBGROUPS,
    by_every_subgroup,
    sort_key,
)
from healthtrainer.measures.statistics import PairedSummary, paired_summary
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.triage import Status


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


def _counts_by_every_subgroup(queryset: Any) -> dict[str, list[GroupCount]]:
    groups = by_every_subgroup(queryset, n=Count("pk"))
    return {
        subgroup: [GroupCount(SUBGROUPS[subgroup].label(key), f["n"]) for key, f in found.items()]
        for subgroup, found in groups.items()
    }


def _ratios_by_every_subgroup(
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


@metric(
    "referrals.profile",
    "Who was referred",
    "Referrals received in the period, counted by national IMD quintile, employment status, "
    "ethnic category, sex and age band at referral. Everyone referred is counted once in "
    "each breakdown; what was not recorded is counted as such.",
)
def referral_profile(programme: Programme, period: Period) -> dict[str, list[GroupCount]]:
    return _counts_by_every_subgroup(referrals_received(programme, period))


@metric(
    "referrals.by_local_imd_quintile",
    "Referrals by local IMD quintile",
    "Referrals received in the period by the quintile of their area within the programme's "
    "local authority (1 is the most deprived fifth of the authority's areas), from each "
    "referral's own IMD edition. Areas outside the authority, or not known, are counted as "
    "not known. Empty when the programme has no local authority.",
)
def referrals_by_local_quintile(programme: Programme, period: Period) -> list[GroupCount]:
    if not programme.local_authority_code:
        return []
    rows = (
        referrals_received(programme, period)
        .values("lsoa_code", "imd_edition")
        .annotate(n=Count("pk"))
        .order_by()
    )
    quintiles: dict[str, dict[str, int]] = {}
    counts: dict[int | None, int] = defaultdict(int)
    for row in rows:
        # Deciles imported "as recorded" name no edition, so have no local quintile.
        edition = row["imd_edition"] if row["imd_edition"] in Edition.values else ""
        if edition and edition not in quintiles:
            quintiles[edition] = local_quintiles(programme.local_authority_code, edition)
        quintile = quintiles.get(edition, {}).get(row["lsoa_code"]) if edition else None
        counts[quintile] += row["n"]
    label = SUBGROUPS["imd_quintile"].label
    return [GroupCount(label(key), counts[key]) for key in sorted(counts, key=sort_key)]


def _goals(programme: Programme, period: Period) -> Any:
    return Goal.objects.for_programme(programme).filter(period.referral_filter("episode__"))


@metric(
    "goals.by_final_status",
    "Goals by final status",
    "Goals set in episodes referred in the period, by their status at discharge: achieved, "
    "partly achieved, not achieved, no longer relevant, not reviewed; goals of episodes not "
    "yet discharged are counted as still open.",
)
def goals_by_final_status(programme: Programme, period: Period) -> list[GroupCount]:
    counts = dict(
        _goals(programme, period)
        .order_by()
        .values("final_status")
        .annotate(n=Count("pk"))
        .values_list("final_status", "n")
    )
    finals = [status for status in GoalStatus if status != GoalStatus.IN_PROGRESS]
    rows = [GroupCount(str(status.label), counts.get(status.value, 0)) for status in finals]
    return [*rows, GroupCount("Still open", counts.get("", 0) + counts.get(None, 0))]


def _reached_follow_ups(programme: Programme, period: Period) -> Any:
    return (
        FollowUp.objects.for_programme(programme)
        .counted_by_evaluation(programme)
        .filter(period.referral_filter("episode__"))
    )


@metric(
    "follow_up.by_answer",
    "Maintaining strategies at follow-up, by answer",
    "Follow-ups of episodes referred in the period that reached the client, by their answer "
    "to maintaining self-management strategies: yes, partly, no, or not answered.",
)
def follow_up_by_answer(programme: Programme, period: Period) -> list[GroupCount]:
    counts = dict(
        _reached_follow_ups(programme, period)
        .order_by()
        .values("maintaining_strategies")
        .annotate(n=Count("pk"))
        .values_list("maintaining_strategies", "n")
    )
    return [
        *[GroupCount(str(answer.label), counts.get(answer.value, 0)) for answer in Maintained],
        GroupCount("Not answered", counts.get("", 0)),
    ]


@dataclass(frozen=True)
class GpVisits:
    n_paired: int
    before_total: int
    after_total: int
    mean_before: float | None
    mean_after: float | None


@metric(
    "gp_visits.before_after",
    "GP visits before and after",
    "For episodes referred in the period with both answers: GP visits in the three months "
    "before the first session (asked at the first session with an answer) and in the three "
    "months before the follow-up that reached the client. Totals and means per client.",
)
def gp_visits_before_after(programme: Programme, period: Period) -> GpVisits:
    return _gp_visits(_gp_visit_pairs(programme, period).aggregate(**GP_VISIT_TOTALS))


def _gp_visit_pairs(programme: Programme, period: Period) -> Any:
    """Reached follow-ups with a GP visits answer, annotated with the first session's."""
    first_answer = (
        SessionRecord.objects.filter(
            appointment__episode=OuterRef("episode"), gp_visits_last_3_months__isnull=False
        )
        .order_by("appointment__starts_at", "pk")
        .values("gp_visits_last_3_months")[:1]
    )
    return (
        _reached_follow_ups(programme, period)
        .filter(gp_visits_last_3_months__isnull=False)
        .annotate(before=Subquery(first_answer, output_field=IntegerField()))
        .filter(before__isnull=False)
    )


GP_VISIT_TOTALS = {
    "n": Count("pk"),
    "before_total": Sum("before"),
    "after_total": Sum("gp_visits_last_3_months"),
}


def _gp_visits(totals: Mapping[str, Any]) -> GpVisits:
    n = totals["n"]
    before, after = totals["before_total"] or 0, totals["after_total"] or 0
    return GpVisits(n, before, after, before / n if n else None, after / n if n else None)


@dataclass(frozen=True)
class GroupVisits:
    label: str
    visits: GpVisits


@metric(
    "equity.gp_visits",
    "GP visits before and after, by subgroup",
    "As GP visits before and after, in each subgroup of the client.",
)
def gp_visits_by_subgroup(programme: Programme, period: Period) -> dict[str, list[GroupVisits]]:
    groups = by_every_subgroup(_gp_visit_pairs(programme, period), "episode__", **GP_VISIT_TOTALS)
    return {
        subgroup: [
            GroupVisits(SUBGROUPS[subgroup].label(key), _gp_visits(totals))
            for key, totals in found.items()
        ]
        for subgroup, found in groups.items()
    }


# Equity: each client outcome by subgroup -----------------------------------------------------


def _attended_sessions() -> Any:
    return Coalesce(
        Subquery(
            Appointment.objects.filter(episode=OuterRef("pk"), attendance=Attendance.ATTENDED)
            .order_by()
            .values("episode")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


@dataclass(frozen=True)
class RatioOutcome:
    id: str
    title: str
    definition: str


EQUITY_RATIOS = [
    RatioOutcome(
        "equity.engaged",
        "Engaged (two or more sessions), by subgroup",
        "Of referrals received in the period and accepted, those with two or more sessions "
        "attended, in each subgroup.",
    ),
    RatioOutcome(
        "equity.completed",
        "Completed the programme, by subgroup",
        "Of referrals received in the period and accepted, those discharged as having completed "
        "the programme, in each subgroup.",
    ),
    RatioOutcome(
        "equity.goals_achieved_or_partly",
        "Goals achieved or partly achieved, by subgroup",
        "As goals achieved or partly achieved, in each subgroup of the client who set the goal.",
    ),
    RatioOutcome(
        "equity.maintaining_strategies",
        "Maintaining strategies at follow-up, by subgroup",
        "As maintaining self-management strategies at follow-up, in each subgroup.",
    ),
]


def _equity_ratios(
    programme: Programme, period: Period, outcome: str
) -> dict[str, list[GroupRatio]]:
    if outcome == "equity.engaged":
        accepted = referrals_received(programme, period).filter(status=Status.ACCEPTED)
        return _ratios_by_every_subgroup(
            accepted.annotate(sessions=_attended_sessions()), Q(sessions__gte=2), Q()
        )
    if outcome == "equity.completed":
        accepted = referrals_received(programme, period).filter(status=Status.ACCEPTED)
        return _ratios_by_every_subgroup(
            accepted, Q(discharge__reason=DischargeReason.COMPLETED), Q()
        )
    if outcome == "equity.goals_achieved_or_partly":
        judged = [GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED, GoalStatus.NOT_ACHIEVED]
        return _ratios_by_every_subgroup(
            _goals(programme, period),
            Q(final_status__in=judged[:2]),
            Q(final_status__in=judged),
            prefix="episode__",
        )
    return _ratios_by_every_subgroup(
        _reached_follow_ups(programme, period),
        Q(maintaining_strategies=Maintained.YES),
        ~Q(maintaining_strategies=""),
        prefix="episode__",
    )


def _register_equity(outcome: RatioOutcome) -> None:
    def compute(programme: Programme, period: Period) -> dict[str, list[GroupRatio]]:
        return _equity_ratios(programme, period, outcome.id)

    metric(outcome.id, outcome.title, outcome.definition)(compute)


for _outcome in EQUITY_RATIOS:
    _register_equity(_outcome)


@dataclass(frozen=True)
class WellbeingSummary:
    instrument: str | None
    instrument_title: str
    overall: PairedSummary
    by_subgroup: dict[str, list[GroupChange]]


@metric(
    "wellbeing.summary",
    "Well-being before and after",
    "On the programme's headline well-being instrument, for episodes referred in the period "
    "with a scored baseline and a scored exit questionnaire: the mean before and after, the "
    "mean change with its 95% confidence interval, the paired t-test and Wilcoxon signed-rank "
    "p values and the effect size (Cohen's dz); overall and in each subgroup.",
)
def wellbeing_summary(programme: Programme, period: Period) -> WellbeingSummary:
    instrument, pairs = headline_pairs(programme, period)
    if instrument is None:
        return WellbeingSummary(None, "", paired_summary([], []), {})
    by_subgroup: dict[str, list[GroupChange]] = {}
    for subgroup in SUBGROUPS.values():
        groups: dict[Any, list[Any]] = defaultdict(list)
        for pair in pairs:
            fields = {name: getattr(pair, name) for name in (*KEY_FIELDS, "received_date")}
            groups[subgroup.key_of(fields)].append(pair)
        by_subgroup[subgroup.id] = [
            GroupChange(
                subgroup.label(key),
                paired_summary([p.before for p in groups[key]], [p.after for p in groups[key]]),
            )
            for key in sorted(groups, key=sort_key)
        ]
    return WellbeingSummary(
        instrument.code,
        instrument.name,
        paired_summary([pair.before for pair in pairs], [pair.after for pair in pairs]),
        by_subgroup,
    )


@metric(
    "sessions.pct_naming_a_technique",
    "Sessions naming a CB technique",
    "Session records of episodes referred in the period that name at least one cognitive "
    "behavioural technique, out of all session records of those episodes.",
)
def sessions_naming_a_technique(programme: Programme, period: Period) -> Ratio:
    records = SessionRecord.objects.filter(appointment__programme=programme).filter(
        period.referral_filter("appointment__episode__")
    )
    counts = records.aggregate(
        total=Count("pk"),
        naming=Count(
            "pk",
            filter=Exists(
                SessionRecord.techniques.through.objects.filter(sessionrecord_id=OuterRef("pk"))
            ),
        ),
    )
    return Ratio(counts["naming"], counts["total"])
