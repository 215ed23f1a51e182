"""Pacing: doing an activity for a steady, planned time on good days and bad, rather than
as much as possible on a good day and paying for it after (boom and bust).

A baseline is a share of what the client can do on a bad day (the programme's setting,
80% unless changed); it rises by a planned share each week (10% unless changed),
compounded and rounded down to whole minutes. The diary's minutes of the activity show
boom and bust: two or more days in a row well over the day's target, then within two
days a flare (pain 2 points above those days', or the activity falling below half its
target). The words for it are gentle, and there are no streaks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from healthtrainer.clients.models import Client
from healthtrainer.companion.models import DiaryEntry, PacingPlan
from healthtrainer.core.audit import audit_record
from healthtrainer.referrals.models import Referral

WELL_OVER = 1.5
BOOM_DAYS = 2
FLARE_WITHIN_DAYS = 2
FLARE_PAIN_RISE = 2
LOOK_BACK_DAYS = 14

GENTLE_WARNING = gettext_lazy(
    "Your diary shows some days well over your plan for %(activity)s, followed by a harder "
    "time. That is very common. Keeping to your planned time on good days too can help "
    "even things out: you may want to talk it through with your health trainer."
)


def baseline_minutes(bad_day_minutes: int, baseline_percent: int) -> int:
    """The starting time: the share of a bad day's tolerance, at least a minute."""
    return max(1, bad_day_minutes * baseline_percent // 100)


def target_minutes(baseline: int, weekly_increase_percent: int, weeks: int) -> int:
    """The planned time after `weeks` whole weeks: raised each week by the share of the
    week before, rounded down, never less than the baseline."""
    raised = baseline * (1 + weekly_increase_percent / 100) ** max(weeks, 0)
    return max(baseline, math.floor(raised + 1e-9))


def target_on(plan: PacingPlan, day: date) -> int:
    weeks = max((day - plan.started_on).days, 0) // 7
    return target_minutes(
        baseline_minutes(plan.bad_day_minutes, plan.baseline_percent),
        plan.weekly_increase_percent,
        weeks,
    )


@dataclass(frozen=True)
class PacedDay:
    day: date
    minutes: int
    target: int
    mean_pain: float | None


def boom_and_bust(days: Sequence[PacedDay]) -> bool:
    """Whether the days (in order, one per calendar day with an entry) hold a boom of
    `BOOM_DAYS` or more days in a row well over target, then a flare within
    `FLARE_WITHIN_DAYS`."""
    for start in range(len(days)):
        run = _boom_from(days, start)
        if len(run) < BOOM_DAYS:
            continue
        boom_pains = [day.mean_pain for day in run if day.mean_pain is not None]
        boom_pain = sum(boom_pains) / len(boom_pains) if boom_pains else None
        last = run[-1].day
        for after in days[start + len(run) :]:
            if (after.day - last).days > FLARE_WITHIN_DAYS:
                break
            pain_rose = (
                boom_pain is not None
                and after.mean_pain is not None
                and after.mean_pain >= boom_pain + FLARE_PAIN_RISE
            )
            if pain_rose or after.minutes < after.target / 2:
                return True
    return False


def _boom_from(days: Sequence[PacedDay], start: int) -> list[PacedDay]:
    run: list[PacedDay] = []
    for day in days[start:]:
        consecutive = not run or (day.day - run[-1].day).days == 1
        if not consecutive or day.minutes < day.target * WELL_OVER:
            break
        run.append(day)
    return run


def paced_days(plan: PacingPlan, *, today: date | None = None) -> list[PacedDay]:
    """The last two weeks of the activity in the diary, a day a row, in one query. Days
    with any diary entry count, with 0 minutes if the activity was not done."""
    today = today or timezone.localdate()
    first = today - timedelta(days=LOOK_BACK_DAYS - 1)
    rows = (
        DiaryEntry.objects.filter(episode=plan.episode, recorded_for__date__gte=first)
        .annotate(day=TruncDate("recorded_for"))
        .values("day")
        .annotate(
            minutes=Sum("activity_minutes", filter=Q(activity__iexact=plan.activity)),
            mean_pain=Avg("pain"),
        )
        .order_by("day")
    )
    return [
        PacedDay(row["day"], row["minutes"] or 0, target_on(plan, row["day"]), row["mean_pain"])
        for row in rows
    ]


@dataclass(frozen=True)
class PacingLine:
    """An activity the client paces, as the client and their trainer see it."""

    plan: PacingPlan
    baseline: int
    this_week: int
    next_week: int
    days: list[PacedDay]
    warning: str


def pacing_lines(episode: Referral, *, today: date | None = None) -> list[PacingLine]:
    today = today or timezone.localdate()
    lines = []
    for plan in PacingPlan.objects.filter(episode=episode):
        days = paced_days(plan, today=today)
        lines.append(
            PacingLine(
                plan=plan,
                baseline=baseline_minutes(plan.bad_day_minutes, plan.baseline_percent),
                this_week=target_on(plan, today),
                next_week=target_on(plan, today + timedelta(days=7)),
                days=days,
                warning=GENTLE_WARNING % {"activity": plan.activity.lower()}
                if boom_and_bust(days)
                else "",
            )
        )
    return lines


@transaction.atomic
def pacing_plan_start(
    *, client: Client, episode: Referral, activity: str, bad_day_minutes: int
) -> PacingPlan:
    activity = activity.strip()
    if not activity:
        raise ValidationError({"activity": gettext("Enter the activity you want to pace")})
    if not 1 <= bad_day_minutes <= 24 * 60:
        raise ValidationError({"bad_day_minutes": gettext("Enter the minutes, from 1 to 1,440")})
    if PacingPlan.objects.filter(episode=episode, activity__iexact=activity).exists():
        raise ValidationError(
            {"activity": gettext("You already pace %(activity)s") % {"activity": activity}}
        )
    programme = episode.programme
    plan = PacingPlan.objects.create(
        programme=programme,
        episode=episode,
        activity=activity,
        bad_day_minutes=bad_day_minutes,
        baseline_percent=programme.pacing_baseline_percent,
        weekly_increase_percent=programme.pacing_weekly_increase_percent,
        started_on=timezone.localdate(),
    )
    audit_record(
        actor=None,
        client_actor=client,
        action="companion.pacing_plan.started",
        target=plan,
        programme=programme,
        changed_fields=["activity", "bad_day_minutes"],
    )
    return plan
