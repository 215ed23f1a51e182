"""The joint display: each participant's themes beside their figures.

For a client case study, the client's goals and their final statuses, their well-being
change on the programme's headline instrument, and whether they kept up their
strategies at follow-up. For a trainer, their mean fidelity rating in supervision and
their mean change in confidence to use CB techniques from before to after training. A
fixed number of queries, whatever the number of participants.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg

from healthtrainer.casework.models import FollowUp, Goal
from healthtrainer.casework.vocabulary import GoalStatus
from healthtrainer.measures.models import ProgrammeInstrument, QuestionnaireResponse, Timepoint
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative.models import Coding, Participant
from healthtrainer.workforce.models import ConfidenceAnswer, FidelityRating
from healthtrainer.workforce.vocabulary import SurveyStage


@dataclass
class ClientRow:
    participant: Participant
    themes: list[str] = field(default_factory=list)
    goals: Counter[str] = field(default_factory=Counter)
    wellbeing_before: float | None = None
    wellbeing_after: float | None = None
    maintaining: list[str] = field(default_factory=list)

    @property
    def wellbeing_change(self) -> float | None:
        if self.wellbeing_before is None or self.wellbeing_after is None:
            return None
        return self.wellbeing_after - self.wellbeing_before


@dataclass
class TrainerRow:
    participant: Participant
    themes: list[str] = field(default_factory=list)
    fidelity: float | None = None
    confidence_before: float | None = None
    confidence_after: float | None = None

    @property
    def confidence_change(self) -> float | None:
        if self.confidence_before is None or self.confidence_after is None:
            return None
        return self.confidence_after - self.confidence_before


@dataclass(frozen=True)
class JointDisplay:
    instrument: str
    clients: list[ClientRow]
    trainers: list[TrainerRow]


def _themes(participants: list[Participant]) -> dict[int, list[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for participant_id, theme in (
        Coding.objects.filter(document__participant__in=participants, code__theme__isnull=False)
        .values_list("document__participant_id", "code__theme__name")
        .distinct()
    ):
        found[participant_id].add(theme)
    return {key: sorted(names) for key, names in found.items()}


def joint_display(programme: Programme) -> JointDisplay:
    participants = list(
        Participant.objects.for_programme(programme).exclude(client=None, trainer=None)
    )
    themes = _themes(participants)
    clients = [
        ClientRow(participant, themes.get(participant.pk, []))
        for participant in participants
        if participant.client_id
    ]
    trainers = [
        TrainerRow(participant, themes.get(participant.pk, []))
        for participant in participants
        if participant.trainer_id
    ]
    instrument = _client_figures(programme, clients)
    _trainer_figures(trainers)
    return JointDisplay(instrument, clients, trainers)


def _client_figures(programme: Programme, rows: list[ClientRow]) -> str:
    by_client: dict[int | None, ClientRow] = {row.participant.client_id: row for row in rows}
    if not by_client:
        return ""
    for client_id, status in Goal.objects.filter(episode__client__in=list(by_client)).values_list(
        "episode__client_id", "final_status"
    ):
        by_client[client_id].goals[status or "open"] += 1
    for client_id, answer in FollowUp.objects.filter(
        episode__client__in=list(by_client), reached=True
    ).values_list("episode__client_id", "maintaining_strategies"):
        by_client[client_id].maintaining.append(answer or "not answered")
    headline = (
        ProgrammeInstrument.objects.for_programme(programme)
        .filter(is_primary=True)
        .select_related("instrument")
        .first()
    )
    if headline is None:
        return ""
    scores: dict[tuple[int | None, str], list[float]] = defaultdict(list)
    for owner, timepoint, total in QuestionnaireResponse.objects.filter(
        episode__client__in=list(by_client),
        instrument=headline.instrument,
        timepoint__in=[Timepoint.BASELINE, Timepoint.EXIT],
        is_current=True,
        total__isnull=False,
    ).values_list("episode__client_id", "timepoint", "total"):
        if owner is not None and total is not None:
            scores[(owner, timepoint)].append(total)
    for client, row in by_client.items():
        before, after = (
            scores.get((client, Timepoint.BASELINE)),
            scores.get((client, Timepoint.EXIT)),
        )
        row.wellbeing_before = sum(before) / len(before) if before else None
        row.wellbeing_after = sum(after) / len(after) if after else None
    return headline.instrument.name


def _trainer_figures(rows: list[TrainerRow]) -> None:
    by_trainer: dict[int | None, TrainerRow] = {row.participant.trainer_id: row for row in rows}
    if not by_trainer:
        return
    for trainer_id, mean in (
        FidelityRating.objects.filter(trainer__in=list(by_trainer))
        .values("trainer")
        .annotate(mean=Avg("value"))
        .values_list("trainer", "mean")
    ):
        by_trainer[trainer_id].fidelity = float(mean)
    stages: dict[tuple[int | None, str], list[int]] = defaultdict(list)
    for rater, stage, value in ConfidenceAnswer.objects.filter(
        survey__trainer__in=list(by_trainer),
        survey__stage__in=[SurveyStage.BEFORE_TRAINING, SurveyStage.AFTER_TRAINING],
    ).values_list("survey__trainer_id", "survey__stage", "value"):
        stages[(rater, stage)].append(value)
    for trainer, row in by_trainer.items():
        before = stages.get((trainer, SurveyStage.BEFORE_TRAINING))
        after = stages.get((trainer, SurveyStage.AFTER_TRAINING))
        row.confidence_before = sum(before) / len(before) if before else None
        row.confidence_after = sum(after) / len(after) if after else None


def describe_goals(goals: Counter[str]) -> str:
    labels = {**dict(GoalStatus.choices), "open": "Still open"}
    return ", ".join(
        f"{count} {str(labels.get(status, status)).lower()}" for status, count in goals.items()
    )
