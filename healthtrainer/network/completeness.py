"""How complete each programme's records are, so that a thin figure is never read as a
good one: of the accepted referrals, the share with a baseline questionnaire and with
employment status recorded; of those discharged, the share with an exit questionnaire and
with every goal given its final status; of follow-ups due, the share that reached the
client. One grouped query for every programme; shares from published counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from healthtrainer.casework.models import Discharge, FollowUp, Goal
from healthtrainer.evaluation.disclosure import Disclosure, shown_percentage
from healthtrainer.measures.models import QuestionnaireResponse, Timepoint
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


@dataclass(frozen=True)
class Completeness:
    programme: Programme
    # Each a published percentage: "*" where a count is hidden, None with nothing to count.
    baseline: Decimal | str | None
    employment: Decimal | str | None
    exit: Decimal | str | None
    goal_statuses: Decimal | str | None
    follow_up_reached: Decimal | str | None


COLUMNS = (
    ("baseline", "Baseline questionnaire", "of accepted referrals"),
    ("employment", "Employment status", "of accepted referrals"),
    ("exit", "Exit questionnaire", "of those discharged"),
    ("goal_statuses", "Every goal's final status", "of those discharged"),
    ("follow_up_reached", "Follow-up reached", "of follow-ups due"),
)


# Each column's numerator and denominator, among the counts below.
FRACTIONS = {
    "baseline": ("baseline", "accepted"),
    "employment": ("employment", "accepted"),
    "exit": ("exit", "discharged"),
    "goal_statuses": ("goal_statuses", "discharged"),
    "follow_up_reached": ("reached", "due"),
}


def flagged(programmes: list[Programme]) -> Any:
    """The programmes' accepted referrals, each flagged with what its record holds."""

    def answered(timepoint: str) -> Exists:
        return Exists(
            QuestionnaireResponse.objects.filter(
                episode=OuterRef("pk"), timepoint=timepoint, is_current=True
            )
        )

    discharged = Exists(Discharge.objects.filter(episode=OuterRef("pk")))
    open_goal = Exists(Goal.objects.filter(episode=OuterRef("pk"), final_status=""))
    due = FollowUp.objects.filter(episode=OuterRef("pk"), due_on__lte=timezone.localdate())
    return Referral.objects.filter(programme__in=programmes, status=Status.ACCEPTED).annotate(
        has_baseline=answered(Timepoint.BASELINE),
        has_exit=answered(Timepoint.EXIT),
        is_discharged=discharged,
        has_open_goal=open_goal,
        follow_up_due=Exists(due),
        follow_up_reached=Exists(due.filter(reached=True)),
    )


def counts() -> dict[str, Count]:
    """The counts the columns are shares of, as aggregates over `flagged` referrals."""
    return {
        "accepted": Count("pk"),
        "baseline": Count("pk", filter=Q(has_baseline=True)),
        "employment": Count("pk", filter=~Q(employment_status="")),
        "discharged": Count("pk", filter=Q(is_discharged=True)),
        "exit": Count("pk", filter=Q(is_discharged=True, has_exit=True)),
        "goal_statuses": Count("pk", filter=Q(is_discharged=True, has_open_goal=False)),
        "due": Count("pk", filter=Q(follow_up_due=True)),
        "reached": Count("pk", filter=Q(follow_up_reached=True)),
    }


# Each programme's counts: {count name: number}.
Rows = dict[int, dict[str, int]]


def completeness_rows(programmes: list[Programme]) -> Rows:
    """The counts the shares are made from, exact, for each programme: one grouped query."""
    return {
        row.pop("programme_id"): row
        for row in flagged(programmes).order_by().values("programme_id").annotate(**counts())
    }


def completeness(programmes: list[Programme], rows: Rows | None = None) -> list[Completeness]:
    """Each programme's shares, from `rows` as kept with its published figures (or read
    now)."""
    rows = completeness_rows(programmes) if rows is None else rows
    published = Disclosure.PUBLISHED
    empty = dict.fromkeys(counts(), 0)
    result = []
    for programme in programmes:
        row = rows.get(programme.pk) or empty
        result.append(
            Completeness(
                programme,
                *(
                    shown_percentage(row[top], row[bottom], published)
                    for top, bottom in FRACTIONS.values()
                ),
            )
        )
    return result


NOT_SHARED = "not shared"


@dataclass(frozen=True)
class Beside:
    """The completeness an outcome rests on, beside each programme in its funnel."""

    # (key, title, of) of each column the outcome rests on, from COLUMNS.
    columns: list[tuple[str, str, str]]
    # By programme, in column order: a share, "*", None, or NOT_SHARED.
    values: dict[int, list[Decimal | str | None]]
    # For each column with a share to compare: its title, the least complete programme
    # of the funnel's and its share.
    least: list[tuple[str, Programme, Decimal]]


def beside(
    records: list[Completeness], keys: tuple[str, ...], programmes: list[Programme]
) -> Beside:
    of = {record.programme.pk: record for record in records}
    columns = [column for column in COLUMNS if column[0] in keys]
    values: dict[int, list[Decimal | str | None]] = {
        programme.pk: [
            getattr(of[programme.pk], key) if programme.pk in of else NOT_SHARED
            for key, _, _ in columns
        ]
        for programme in programmes
    }
    least = []
    for index, (_, title, _) in enumerate(columns):
        shares = [
            (value, programme)
            for programme in programmes
            for value in [values[programme.pk][index]]
            if isinstance(value, Decimal)
        ]
        if shares:
            share, programme = min(shares, key=lambda item: item[0])
            least.append((title, programme, share))
    return Beside(columns, values, least)
