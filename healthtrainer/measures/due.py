"""Which questionnaires each episode owes, and which are missing: a fixed number of queries
for any number of episodes.

A timepoint is due once the episode reaches it: baseline at the first session attended,
exit at discharge, follow-up once the follow-up contact reached the client. It is missing
while due and not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from healthtrainer.casework.models import Appointment, Discharge, FollowUp
from healthtrainer.casework.vocabulary import Attendance
from healthtrainer.measures.models import ProgrammeInstrument, QuestionnaireResponse, Timepoint
from healthtrainer.referrals.models import Referral


@dataclass(frozen=True)
class Owed:
    instrument_id: int
    instrument: str
    timepoint: str
    recorded: bool

    @property
    def timepoint_label(self) -> str:
        return str(Timepoint(self.timepoint).label)


@dataclass
class EpisodeMeasures:
    episode: Referral
    owed: list[Owed] = field(default_factory=list)

    @property
    def missing(self) -> list[Owed]:
        return [item for item in self.owed if not item.recorded]


def reached_timepoints(episodes: QuerySet[Referral]) -> QuerySet[Referral]:
    return episodes.annotate(
        attended=Exists(
            Appointment.objects.filter(episode=OuterRef("pk"), attendance=Attendance.ATTENDED)
        ),
        discharged=Exists(Discharge.objects.filter(episode=OuterRef("pk"))),
        followed_up=Exists(FollowUp.objects.filter(episode=OuterRef("pk"), reached=True)),
    )


def _reached(episode: Any) -> set[str]:
    reached: set[str] = set()
    if episode.attended:
        reached.add(Timepoint.BASELINE)
    if episode.discharged:
        reached.add(Timepoint.EXIT)
    if episode.followed_up:
        reached.add(Timepoint.FOLLOW_UP)
    return reached


def measures_owed(programme: Any, episodes: QuerySet[Referral]) -> list[EpisodeMeasures]:
    """For each episode, every configured questionnaire whose timepoint it has reached."""
    chosen = list(
        ProgrammeInstrument.objects.filter(programme=programme).select_related("instrument")
    )
    rows = list(reached_timepoints(episodes).select_related("client"))
    recorded = set(
        QuestionnaireResponse.objects.filter(
            episode__in=episodes.values("pk"), is_current=True
        ).values_list("episode_id", "instrument_id", "timepoint")
    )
    result = []
    for episode in rows:
        reached = _reached(episode)
        owed = [
            Owed(
                item.instrument_id,
                item.instrument.name,
                timepoint,
                (episode.pk, item.instrument_id, timepoint) in recorded,
            )
            for item in chosen
            for timepoint in item.timepoints
            if timepoint in reached
        ]
        result.append(EpisodeMeasures(episode, owed))
    return result


@dataclass(frozen=True)
class Questionnaire:
    code: str
    name: str
    timepoint: str
    recorded: bool


def questionnaires_at(programme: Any, episode: Referral, timepoint: str) -> list[Questionnaire]:
    """The questionnaires the programme collects at a timepoint, and which this episode has,
    for the form that reaches that timepoint to link to."""
    recorded = set(
        QuestionnaireResponse.objects.filter(
            episode=episode, timepoint=timepoint, is_current=True
        ).values_list("instrument_id", flat=True)
    )
    return [
        Questionnaire(
            item.instrument.code, item.instrument.name, timepoint, item.instrument_id in recorded
        )
        for item in ProgrammeInstrument.objects.filter(programme=programme)
        .select_related("instrument")
        .order_by("-is_primary", "instrument__name")
        if timepoint in item.timepoints
    ]
