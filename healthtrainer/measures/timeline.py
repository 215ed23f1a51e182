"""Questionnaires as events on a client's timeline (see casework.timeline)."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from healthtrainer.casework.timeline import Event
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.measures.services import item_results
from healthtrainer.referrals.models import Referral


def questionnaire_events(episodes: QuerySet[Referral]) -> list[Event]:
    events = []
    responses = QuestionnaireResponse.objects.filter(
        episode__in=episodes.values("pk"), is_current=True
    ).select_related("instrument")
    for response in responses:
        if not response.scored:
            score = "Incomplete, not scored"
        elif response.total is None:
            score = item_results(response)
        else:
            score = f"Score {response.total:g}" + (f", {response.band}" if response.band else "")
        events.append(
            Event(
                timezone.make_aware(datetime.combine(response.completed_on, time.min)),
                "Measure",
                f"{response.instrument.name} at {response.get_timepoint_display().lower()}",
                score,
                response.episode_id,
            )
        )
    return events
