"""Everything the client may see of what the service holds about them, across their
episodes: their goals and reviews, strategies, check-ins, diary, pacing, setback plans and
questionnaires, gathered in a fixed number of queries and written as CSV files in a zip
(for a spreadsheet) or as a printable page (for the PDF). Staff notes are not in it: a
client asks the service for those (a subject access request)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from healthtrainer.casework.models import (
    ClientStrategy,
    Discharge,
    Goal,
    GoalCheckIn,
    GoalReview,
    StrategyCheckIn,
)
from healthtrainer.clients.models import Client
from healthtrainer.companion.models import DiaryEntry, PacingPlan, SetbackPlan
from healthtrainer.core.spreadsheets import CsvWriter
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


@dataclass(frozen=True)
class EpisodeRecord:
    episode: Referral
    discharge: Discharge | None
    goals: list[Goal]
    strategies: list[ClientStrategy]
    setback: SetbackPlan | None
    pacing: list[PacingPlan]
    responses: list[QuestionnaireResponse]


@dataclass(frozen=True)
class ClientRecord:
    client: Client
    episodes: list[EpisodeRecord]
    diary: list[DiaryEntry]


def record_of(client: Client) -> ClientRecord:
    """The client's accepted episodes, newest first, and what each holds for them."""
    episodes = list(
        Referral.objects.for_programme(client.programme)
        .filter(client=client, status=Status.ACCEPTED)
        .select_related("assigned_trainer", "programme")
        .order_by("-received_date", "-pk")
    )
    goals = _by_episode(
        Goal.objects.filter(episode__in=episodes).prefetch_related(
            Prefetch("reviews", queryset=GoalReview.objects.order_by("reviewed_on", "id")),
            Prefetch("check_ins", queryset=GoalCheckIn.objects.order_by("week_starting")),
        )
    )
    strategies = _by_episode(
        ClientStrategy.objects.filter(episode__in=episodes)
        .select_related("strategy")
        .prefetch_related(
            Prefetch("check_ins", queryset=StrategyCheckIn.objects.order_by("month_starting"))
        )
    )
    responses = _by_episode(
        QuestionnaireResponse.objects.filter(episode__in=episodes, is_current=True)
        .select_related("instrument")
        .order_by("completed_on", "id")
    )
    pacing = _by_episode(PacingPlan.objects.filter(episode__in=episodes))
    setbacks = {plan.episode_id: plan for plan in SetbackPlan.objects.filter(episode__in=episodes)}
    discharges = {item.episode_id: item for item in Discharge.objects.filter(episode__in=episodes)}
    return ClientRecord(
        client=client,
        episodes=[
            EpisodeRecord(
                episode=episode,
                discharge=discharges.get(episode.pk),
                goals=goals.get(episode.pk, []),
                strategies=strategies.get(episode.pk, []),
                setback=setbacks.get(episode.pk),
                pacing=pacing.get(episode.pk, []),
                responses=responses.get(episode.pk, []),
            )
            for episode in episodes
        ],
        diary=list(
            DiaryEntry.objects.filter(episode__in=episodes)
            .prefetch_related("strategies_used__strategy")
            .order_by("recorded_for", "pk")
        ),
    )


def _by_episode(rows: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.episode_id, []).append(row)
    return grouped


def as_csv_zip(record: ClientRecord) -> bytes:
    files = {
        "goals.csv": _goal_rows(record),
        "check-ins.csv": _check_in_rows(record),
        "diary.csv": _diary_rows(record),
        "questionnaires.csv": _questionnaire_rows(record),
        "pacing.csv": _pacing_rows(record),
        "setback-plans.csv": _setback_rows(record),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in files.items():
            text = io.StringIO()
            CsvWriter(text).writerows(rows)
            # With a byte order mark, spreadsheets read the file as UTF-8.
            archive.writestr(name, "\ufeff" + text.getvalue())
    return buffer.getvalue()


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _goal_rows(record: ClientRecord) -> Iterable[list[Any]]:
    yield ["referral", "goal", "how often", "when", "set on", "reviewed on", "review"]
    for item in record.episodes:
        for goal in item.goals:
            reviews = list(goal.reviews.all())
            base = [item.episode.reference, goal.description, goal.how_often, goal.when]
            if not reviews:
                yield [*base, goal.set_on, "", ""]
            for review in reviews:
                yield [*base, goal.set_on, review.reviewed_on, review.get_status_display()]


def _check_in_rows(record: ClientRecord) -> Iterable[list[Any]]:
    yield ["referral", "about", "period starting", "your answer", "given"]
    for item in record.episodes:
        reference = item.episode.reference
        for goal in item.goals:
            for check_in in goal.check_ins.all():
                yield [
                    reference,
                    goal.description,
                    check_in.week_starting,
                    check_in.get_view_display(),
                    check_in.get_via_display(),
                ]
        for taken_up in item.strategies:
            for answer in taken_up.check_ins.all():
                yield [
                    reference,
                    taken_up.strategy.name,
                    answer.month_starting,
                    answer.get_maintained_display(),
                    answer.get_via_display(),
                ]


def _diary_rows(record: ClientRecord) -> Iterable[list[Any]]:
    yield ["when", "pain (0 to 10)", "mood", "sleep", "activity", "minutes", "used", "note"]
    for entry in record.diary:
        yield [
            _local(entry.recorded_for),
            entry.pain,
            entry.get_mood_display() if entry.mood else "",
            entry.get_sleep_display() if entry.sleep else "",
            entry.activity,
            entry.activity_minutes,
            "; ".join(str(used.strategy) for used in entry.strategies_used.all()),
            entry.note,
        ]


def _questionnaire_rows(record: ClientRecord) -> Iterable[list[Any]]:
    yield ["referral", "questionnaire", "when", "completed on", "score", "band", "answers"]
    for item in record.episodes:
        for response in item.responses:
            answers = "; ".join(f"{key}: {value}" for key, value in response.answers.items())
            yield [
                item.episode.reference,
                response.instrument.name,
                response.get_timepoint_display(),
                response.completed_on,
                response.total,
                response.band,
                answers,
            ]


def _pacing_rows(record: ClientRecord) -> Iterable[list[Any]]:
    yield ["referral", "activity", "minutes on a bad day", "share (%)", "weekly rise (%)", "from"]
    for item in record.episodes:
        for plan in item.pacing:
            yield [
                item.episode.reference,
                plan.activity,
                plan.bad_day_minutes,
                plan.baseline_percent,
                plan.weekly_increase_percent,
                plan.started_on,
            ]


def _setback_rows(record: ClientRecord) -> Iterable[list[Any]]:
    yield ["referral", "signs a flare-up is starting", "what helps", "who to contact", "saved"]
    for item in record.episodes:
        plan = item.setback
        if plan is not None:
            yield [
                item.episode.reference,
                plan.early_signs,
                plan.what_helps,
                plan.who_to_contact,
                _local(plan.updated_at),
            ]
