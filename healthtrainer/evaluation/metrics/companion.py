"""The client companion: how many clients were invited to it and used it, how often they
kept their diary and answered their weekly check-ins on goals while they were seen, and
whether they still used their strategies, month by month, after discharge.

Counted over accepted episodes whose referral was received in the period, as the rest of
the report is; each figure is also broken down by IMD quintile, age band and ethnic
category, so that clients the companion does not reach show rather than hide in the
total. Every figure is a count or a sum over one row per episode, so that a breakdown is
one grouped query however many clients and entries there are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import (
    Coalesce,
    Greatest,
    Least,
    TruncDate,
    TruncMonth,
    TruncWeek,
)
from django.utils import timezone

from healthtrainer.casework.models import GoalCheckIn, StrategyCheckIn
from healthtrainer.casework.vocabulary import Maintained
from healthtrainer.companion.models import CompanionDevice, DiaryEntry
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.days import month_number, weeks_between
from healthtrainer.evaluation.metrics.ratio import Ratio
from healthtrainer.evaluation.metrics.referral import referrals_received
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.evaluation.metrics.subgroups import SUBGROUPS, by_every_subgroup
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.triage import Status

# Used in the last this many days, up to the moment the report is made.
ACTIVE_DAYS = 14
# The subgroups each companion figure is broken down by.
COMPANION_SUBGROUPS = ("imd_quintile", "age_band", "ethnic_category")
STILL_USING = (Maintained.YES, Maintained.PARTLY)


@dataclass(frozen=True)
class CompanionUse:
    """The additive figures of the companion for a group of accepted episodes: counts of
    clients, and weeks and months summed over them."""

    accepted: int = 0
    invited: int = 0
    # Invited, and a device of their companion used in the last ACTIVE_DAYS days.
    active: int = 0
    # Invited, with a diary entry in at least half the weeks their companion was open.
    diary_most_weeks: int = 0
    weeks_open: int = 0
    diary_weeks: int = 0
    # Invited, with a goal check-in answered in at least one of those weeks.
    goal_check_in_clients: int = 0
    goal_check_in_weeks: int = 0
    # Months after discharge with an answer on a strategy, and with yes or partly to one.
    strategy_months: int = 0
    strategy_months_using: int = 0

    @classmethod
    def of(cls, figures: Mapping[str, Any]) -> CompanionUse:
        return cls(**{field.name: figures.get(field.name) or 0 for field in fields(cls)})

    def __add__(self, other: CompanionUse) -> CompanionUse:
        return CompanionUse(
            *(getattr(self, field.name) + getattr(other, field.name) for field in fields(self))
        )


@dataclass(frozen=True)
class GroupUse:
    label: str
    use: CompanionUse


def invited() -> Q:
    """The episode's client was invited to the companion while the episode was open: on or
    before the day of discharge (or not discharged yet), and the companion was not closed
    before the referral was received (a companion closed in an earlier episode and never
    opened again does not count)."""
    return (
        Q(client__companion__isnull=False)
        & (
            Q(discharge__isnull=True)
            | Q(client__companion__invited_at__date__lte=F("discharge__discharged_on"))
        )
        & (
            Q(client__companion__closed_at__isnull=True)
            | Q(client__companion__closed_at__date__gte=F("received_date"))
        )
    )


def _monday(when: Any) -> Any:
    """The Monday of a date's week, as a date."""
    return TruncWeek(when, output_field=DateField())


def _weeks_with(records: Any, when: Any, episode: str) -> Any:
    """How many of the episode's open weeks hold at least one of the records, by the
    Monday of the local date `when`. Weeks are compared as their Mondays' dates, which
    cost little to work out for each record."""
    weeks = (
        records.annotate(week=_monday(when))
        .filter(week__gte=OuterRef("opened_monday"), week__lte=OuterRef("ended_monday"))
        .order_by()
        .values(episode)
        .annotate(n=Count("week", distinct=True))
        .values("n")[:1]
    )
    return Coalesce(Subquery(weeks, output_field=IntegerField()), 0)


def _months_answered(answers: Any) -> Any:
    """How many calendar months, from the month of discharge on, hold at least one of the
    episode's strategy answers."""
    months = (
        answers.annotate(month=TruncMonth("month_starting", output_field=DateField()))
        .filter(month__gte=OuterRef("discharge_month"))
        .order_by()
        .values("client_strategy__episode")
        .annotate(n=Count("month", distinct=True))
        .values("n")[:1]
    )
    return Coalesce(Subquery(months, output_field=IntegerField()), 0)


def episodes_with_use(programme: Programme, period: Period) -> Any:
    """Accepted episodes referred in the period, each annotated with its own figures.

    The weeks an episode's companion was open run from the Monday week of the later of
    the invitation and the referral to that of the earliest of discharge, the companion's
    closing and today, both included, and are at least one (so that every invited client
    has a week to be counted in, whatever the dates recorded)."""
    today = Value(timezone.localdate(), output_field=DateField())
    opened = Greatest(
        TruncDate("client__companion__invited_at"), F("received_date"), output_field=DateField()
    )
    ended = Least(
        Coalesce("discharge__discharged_on", today),
        Coalesce(TruncDate("client__companion__closed_at"), today),
        today,
        output_field=DateField(),
    )
    since = timezone.now() - timedelta(days=ACTIVE_DAYS)
    strategy_answers = StrategyCheckIn.objects.filter(client_strategy__episode=OuterRef("pk"))
    return (
        referrals_received(programme, period)
        .filter(status=Status.ACCEPTED)
        .annotate(
            opened_monday=_monday(opened),
            ended_monday=_monday(ended),
            discharge_month=TruncMonth("discharge__discharged_on", output_field=DateField()),
        )
        .annotate(
            weeks_open=Greatest(
                weeks_between(F("opened_monday"), F("ended_monday")),
                Value(1),
                output_field=IntegerField(),
            ),
            diary_weeks=_weeks_with(
                DiaryEntry.objects.filter(episode=OuterRef("pk")),
                TruncDate("recorded_for"),
                "episode",
            ),
            goal_weeks=_weeks_with(
                GoalCheckIn.objects.filter(goal__episode=OuterRef("pk")),
                F("week_starting"),
                "goal__episode",
            ),
            months_answered=_months_answered(strategy_answers),
            months_using=_months_answered(strategy_answers.filter(maintained__in=STILL_USING)),
            used_lately=Exists(
                CompanionDevice.objects.filter(
                    access__client=OuterRef("client"), last_used_at__gte=since
                )
            ),
        )
    )


def use_sums() -> dict[str, Any]:
    """Each figure of `CompanionUse` as an aggregate over `episodes_with_use`."""
    was_invited = invited()
    # At least half the weeks: twice the weeks with an entry is at least the weeks open.
    most_weeks = Q(diary_weeks__gte=(F("weeks_open") + Value(1)) / Value(2))
    return {
        "accepted": Count("pk"),
        "invited": Count("pk", filter=was_invited),
        "active": Count("pk", filter=was_invited & Q(used_lately=True)),
        "diary_most_weeks": Count("pk", filter=was_invited & most_weeks),
        "weeks_open": Sum("weeks_open", filter=was_invited),
        "diary_weeks": Sum("diary_weeks", filter=was_invited),
        "goal_check_in_clients": Count("pk", filter=was_invited & Q(goal_weeks__gt=0)),
        "goal_check_in_weeks": Sum("goal_weeks", filter=was_invited),
        "strategy_months": Sum("months_answered"),
        "strategy_months_using": Sum("months_using"),
    }


def companion_use(programme: Programme, period: Period) -> CompanionUse:
    """Every figure for everyone, in one query: grouped by a constant, which makes no GROUP
    BY, as `by_every_subgroup` groups. (`aggregate()` would wrap the annotations in a
    subquery and, in Django 5.2, leave out some that the sums name, which SQLite then reads
    as text.)"""
    rows = (
        episodes_with_use(programme, period)
        .annotate(everyone=Value(1))
        .values("everyone")
        .annotate(**use_sums())
        .order_by()
    )
    return CompanionUse.of(next(iter(rows), {}))


@dataclass(frozen=True)
class Uptake:
    invited: Ratio
    active: Ratio


@dataclass(frozen=True)
class Habit:
    """Clients who kept a habit, out of those invited; and the weeks they kept it in, out
    of the weeks their companion was open."""

    clients: Ratio
    weeks: Ratio


@metric(
    "companion.uptake",
    "Invited to the companion, and using it",
    "Of accepted episodes referred in the period, those whose client was invited to their "
    "companion while the episode was open (invited on or before the day of discharge, or "
    "not yet discharged, and the companion not closed before the referral was received). "
    f"Of those invited, the ones who used it in the last {ACTIVE_DAYS} days: a device "
    "signed in to their companion was last used within the "
    f"{ACTIVE_DAYS} days up to the moment the report was made, whatever the period, "
    "whether or not it has been signed out since. Answers by text message are not use "
    "of a device.",
    period=PeriodRule.REFERRAL_DATE,
)
def uptake(programme: Programme, period: Period) -> Uptake:
    use = companion_use(programme, period)
    return Uptake(Ratio(use.invited, use.accepted), Ratio(use.active, use.invited))


@metric(
    "companion.diary_adherence",
    "Keeping the diary",
    "For each client invited (as for uptake), the weeks their companion was open in the "
    "episode: Monday to Sunday, from the week of the later of the invitation and the "
    "referral to the week of the earliest of discharge, the companion's closing and the "
    "day the report was made, both included (at least one week). The clients with a diary "
    "entry, by the moment it is for, in at least half of those weeks, out of the clients "
    "invited; and the weeks with at least one diary entry, out of all those weeks, added "
    "up over the clients.",
    period=PeriodRule.REFERRAL_DATE,
)
def diary_adherence(programme: Programme, period: Period) -> Habit:
    use = companion_use(programme, period)
    return Habit(Ratio(use.diary_most_weeks, use.invited), Ratio(use.diary_weeks, use.weeks_open))


@metric(
    "companion.goal_check_ins",
    "Weekly check-ins on goals",
    "Of the clients invited (as for uptake), those who answered at least one weekly "
    "check-in on a goal, in their companion or by text message, in the weeks their "
    "companion was open in the episode (as for the diary); and the weeks in which they "
    "answered at least one, out of all those weeks, added up over the clients.",
    period=PeriodRule.REFERRAL_DATE,
)
def goal_check_ins(programme: Programme, period: Period) -> Habit:
    use = companion_use(programme, period)
    return Habit(
        Ratio(use.goal_check_in_clients, use.invited),
        Ratio(use.goal_check_in_weeks, use.weeks_open),
    )


@dataclass(frozen=True)
class MonthAnswers:
    # 0 is the calendar month of discharge, 1 the month after, and so on.
    month: int
    # Of the clients who answered that month, those still using a strategy.
    still_using: Ratio

    @property
    def label(self) -> str:
        if self.month == 0:
            return "Month of discharge"
        return f"{self.month} month{'' if self.month == 1 else 's'} after"


@metric(
    "companion.strategies_by_month",
    "Strategies still used, month by month after discharge",
    "The monthly check-ins on strategies of accepted episodes referred in the period, by "
    "calendar month counted from the month of discharge (the month of discharge, then 1, "
    "2, 3 … months after). In each month, the clients who answered on at least one "
    "strategy, and of them those who answered yes or partly on at least one: still using "
    "some of what they took up. Every month up to the programme's follow-up interval is "
    "listed, and any later month someone answered in.",
    period=PeriodRule.REFERRAL_DATE,
)
def strategies_by_month(programme: Programme, period: Period) -> list[MonthAnswers]:
    episode = "client_strategy__episode__"
    rows = (
        StrategyCheckIn.objects.filter(
            **{f"{episode}programme": programme, f"{episode}status": Status.ACCEPTED}
        )
        .filter(period.referral_filter(episode))
        .annotate(
            after=month_number("month_starting")
            - month_number(f"{episode}discharge__discharged_on")
        )
        .filter(after__gte=0)
        .order_by()
        .values("after")
        .annotate(
            answered=Count("client_strategy__episode", distinct=True),
            using=Count(
                "client_strategy__episode",
                distinct=True,
                filter=Q(maintained__in=STILL_USING),
            ),
        )
    )
    found = {row["after"]: Ratio(row["using"], row["answered"]) for row in rows}
    last = max([programme.follow_up_interval_months, *found])
    return [MonthAnswers(month, found.get(month, Ratio(0, 0))) for month in range(last + 1)]


@metric(
    "companion.by_subgroup",
    "The companion, by subgroup",
    "Each figure of the companion in each group of national IMD quintile, age band at "
    "referral and ethnic category: accepted episodes, clients invited, using it in the "
    f"last {ACTIVE_DAYS} days, with a diary entry in at least half their weeks and "
    "answering a goal check-in; the weeks their companion was open and those with a goal "
    "check-in answered; and the months after discharge with an answer on a strategy and "
    "those with yes or partly, each defined as above.",
    period=PeriodRule.REFERRAL_DATE,
)
def companion_by_subgroup(programme: Programme, period: Period) -> dict[str, list[GroupUse]]:
    """Every group found, with its figures; groups of one label (a blank and an unknown
    code, both "Not recorded") added together, as every figure adds up."""
    groups = by_every_subgroup(episodes_with_use(programme, period), **use_sums())
    result: dict[str, list[GroupUse]] = {}
    for subgroup in COMPANION_SUBGROUPS:
        merged: dict[str, Counter[str]] = {}
        for key, figures in groups[subgroup].items():
            label = SUBGROUPS[subgroup].label(key)
            merged.setdefault(label, Counter()).update(figures)
        result[subgroup] = [
            GroupUse(label, CompanionUse.of(figures)) for label, figures in merged.items()
        ]
    return result
