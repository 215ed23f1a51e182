"""How complete each programme's records are, so that a thin figure is never read as a
good one: of the accepted referrals, the share with a baseline questionnaire and with
employment status recorded; of those discharged, the share with an exit questionnaire and
with every goal given its final status; of follow-ups due, the share that reached the
client. One grouped query for every programme; shares from published counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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


def completeness(programmes: list[Programme]) -> list[Completeness]:
    def answered(timepoint: str) -> Exists:
        return Exists(
            QuestionnaireResponse.objects.filter(
                episode=OuterRef("pk"), timepoint=timepoint, is_current=True
            )
        )

    discharged = Exists(Discharge.objects.filter(episode=OuterRef("pk")))
    open_goal = Exists(Goal.objects.filter(episode=OuterRef("pk"), final_status=""))
    due = FollowUp.objects.filter(episode=OuterRef("pk"), due_on__lte=timezone.localdate())
    rows = {
        row["programme_id"]: row
        for row in Referral.objects.filter(programme__in=programmes, status=Status.ACCEPTED)
        .annotate(
            has_baseline=answered(Timepoint.BASELINE),
            has_exit=answered(Timepoint.EXIT),
            is_discharged=discharged,
            has_open_goal=open_goal,
            follow_up_due=Exists(due),
            follow_up_reached=Exists(due.filter(reached=True)),
        )
        .order_by()
        .values("programme_id")
        .annotate(
            accepted=Count("pk"),
            baseline=Count("pk", filter=Q(has_baseline=True)),
            employment=Count("pk", filter=~Q(employment_status="")),
            discharged=Count("pk", filter=Q(is_discharged=True)),
            exit=Count("pk", filter=Q(is_discharged=True, has_exit=True)),
            goal_statuses=Count("pk", filter=Q(is_discharged=True, has_open_goal=False)),
            due=Count("pk", filter=Q(follow_up_due=True)),
            reached=Count("pk", filter=Q(follow_up_reached=True)),
        )
    }
    published = Disclosure.PUBLISHED
    empty = dict.fromkeys(
        ("accepted", "baseline", "employment", "discharged", "exit", "goal_statuses"), 0
    ) | {"due": 0, "reached": 0}
    result = []
    for programme in programmes:
        row = rows.get(programme.pk, empty)
        result.append(
            Completeness(
                programme,
                shown_percentage(row["baseline"], row["accepted"], published),
                shown_percentage(row["employment"], row["accepted"], published),
                shown_percentage(row["exit"], row["discharged"], published),
                shown_percentage(row["goal_statuses"], row["discharged"], published),
                shown_percentage(row["reached"], row["due"], published),
            )
        )
    return result
