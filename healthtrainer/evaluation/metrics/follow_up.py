"""What the follow-up found: strategies kept up, every answer, and GP visits before and
after. Counted by the date the episode's referral was received."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)

from healthtrainer.casework.models import FollowUp, SessionRecord, StrategyFollowUp
from healthtrainer.casework.vocabulary import (
    AnswerSource,
    Maintained,
)
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.ratio import Ratio, ratio_of
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.evaluation.metrics.subgroups import GroupCount
from healthtrainer.programmes.models import Programme


@metric(
    "follow_up.pct_maintaining_strategies",
    "Maintaining self-management strategies at follow-up",
    "Follow-ups of episodes referred in the period that reached the client and answered yes "
    "to maintaining strategies (yes when every strategy taken up is kept up), out of "
    "follow-ups that reached the client and have an answer. A follow-up made early counts "
    "only within the programme's rule (days before the due date).",
    period=PeriodRule.REFERRAL_DATE,
)
def follow_up_maintaining(programme: Programme, period: Period) -> Ratio:
    return ratio_of(reached_follow_ups(programme, period), MAINTAINING, ANSWERED)


MAINTAINING = Q(maintaining_strategies="yes")
ANSWERED = ~Q(maintaining_strategies="")


def reached_follow_ups(programme: Programme, period: Period) -> Any:
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
    period=PeriodRule.REFERRAL_DATE,
)
def follow_up_by_answer(programme: Programme, period: Period) -> list[GroupCount]:
    counts = dict(
        reached_follow_ups(programme, period)
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
class SourceAnswers:
    """The strategy answers from one source, by answer (yes, partly, no)."""

    label: str
    answers: tuple[GroupCount, ...]


@metric(
    "follow_up.strategy_answers_by_source",
    "Strategy answers at follow-up, by source",
    "For follow-ups of episodes referred in the period that reached the client (as for "
    "maintaining strategies): the answer recorded on each strategy the client took up "
    "(yes, partly or no), by where it came from: asked by the trainer at the follow-up, or "
    "the client's own latest monthly check-in, kept as it was by the trainer recording the "
    "follow-up. An answer the trainer changed counts as the trainer's.",
    period=PeriodRule.REFERRAL_DATE,
)
def strategy_answers_by_source(programme: Programme, period: Period) -> list[SourceAnswers]:
    counts = {
        (row["source"], row["maintained"]): row["n"]
        for row in StrategyFollowUp.objects.filter(
            follow_up__in=reached_follow_ups(programme, period)
        )
        .order_by()
        .values("source", "maintained")
        .annotate(n=Count("pk"))
    }
    return [
        SourceAnswers(
            str(source.label),
            tuple(
                GroupCount(str(answer.label), counts.get((source.value, answer.value), 0))
                for answer in Maintained
            ),
        )
        for source in AnswerSource
    ]


@dataclass(frozen=True)
class GpVisits:
    n_paired: int
    before_total: int
    after_total: int
    mean_before: float | None
    mean_after: float | None


@metric(
    "follow_up.gp_visits_before_after",
    "GP visits before and after",
    "For episodes referred in the period with both answers: GP visits in the three months "
    "before the first session (asked at the first session with an answer) and in the three "
    "months before the follow-up that reached the client. Totals and means per client.",
    period=PeriodRule.REFERRAL_DATE,
)
def gp_visits_before_after(programme: Programme, period: Period) -> GpVisits:
    return gp_visits_of(gp_visit_pairs(programme, period).aggregate(**GP_VISIT_TOTALS))


def gp_visit_pairs(programme: Programme, period: Period) -> Any:
    """Reached follow-ups with a GP visits answer, annotated with the first session's."""
    first_answer = (
        SessionRecord.objects.filter(
            appointment__episode=OuterRef("episode"), gp_visits_last_3_months__isnull=False
        )
        .order_by("appointment__starts_at", "pk")
        .values("gp_visits_last_3_months")[:1]
    )
    return (
        reached_follow_ups(programme, period)
        .filter(gp_visits_last_3_months__isnull=False)
        .annotate(before=Subquery(first_answer, output_field=IntegerField()))
        .filter(before__isnull=False)
    )


GP_VISIT_TOTALS = {
    "n": Count("pk"),
    "before_total": Sum("before"),
    "after_total": Sum("gp_visits_last_3_months"),
}


def gp_visits_of(totals: Mapping[str, Any]) -> GpVisits:
    n = totals["n"]
    before, after = totals["before_total"] or 0, totals["after_total"] or 0
    return GpVisits(n, before, after, before / n if n else None, after / n if n else None)
