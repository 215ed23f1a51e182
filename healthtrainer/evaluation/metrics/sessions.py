"""What happened in sessions: how often a CB technique was named. Counted by the date
the episode's referral was received."""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    OuterRef,
)

from healthtrainer.casework.models import SessionRecord
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.ratio import Ratio
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.programmes.models import Programme


@metric(
    "sessions.pct_naming_a_technique",
    "Sessions naming a CB technique",
    "Session records of episodes referred in the period that name at least one cognitive "
    "behavioural technique, out of all session records of those episodes.",
    period=PeriodRule.REFERRAL_DATE,
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
