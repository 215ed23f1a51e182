"""Writing the casework sheets of a programme workbook, inside the import's transaction,
after the referrals are written, so a problem found here undoes them all.

Imported history is set as it was recorded (ADR 14): no bookings, reviews or reminders
are replayed. Importing again updates what changed: a session is the n-th row for its
referral on its date, a goal is its `goal_id`, a discharge and a follow-up are one per
referral (of several follow-up rows, the latest counts, as on a retried follow-up).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from healthtrainer.casework.models import (
    Appointment,
    CbTechnique,
    Discharge,
    FollowUp,
    Goal,
    SessionRecord,
)
from healthtrainer.casework.vocabulary import Attendance, GoalStatus
from healthtrainer.casework.workbook_sheets.checking import (
    DischargeRow,
    FollowUpRow,
    GoalRow,
    SessionRow,
)
from healthtrainer.core.audit import audit_record
from healthtrainer.core.chunks import chunks
from healthtrainer.core.row_checks import Problem
from healthtrainer.referrals.episode_import import EpisodeImport

FIRST_SESSION_HOUR = 9


def _summary(label: str, created: int, updated: int, unchanged: int) -> str:
    return (
        f"{label}: {created:,} created, {updated:,} updated, {unchanged:,} unchanged."
        if created or updated or unchanged
        else ""
    )


def _audit(job: EpisodeImport, action: str, fields: set[str]) -> None:
    if fields:
        audit_record(actor=job.actor, action=action, programme=job.programme, changed_fields=fields)


def _set(target: Any, values: dict[str, Any], changed: set[str]) -> bool:
    differs = False
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.add(name)
            differs = True
    return differs


def _starts_at(day: date, ordinal: int) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, time(FIRST_SESSION_HOUR)) + timedelta(hours=ordinal)
    )


def write_sessions(job: EpisodeImport, rows: list[SessionRow]) -> str:
    if not rows:
        return ""
    techniques = {t.code: t for t in CbTechnique.objects.for_programme(job.programme)}
    for row in rows:
        for code in row.cb_techniques:
            if code not in techniques:
                job.problems.append(
                    Problem(
                        "sessions",
                        row.row,
                        "cb_techniques",
                        f"{code} is not one of the programme's CB techniques "
                        f"({', '.join(sorted(techniques)) or 'none yet'})",
                    )
                )
    if job.problems:
        return ""
    episodes = [job.referrals[row.referral_id] for row in rows]
    existing: dict[tuple[int, date], list[Appointment]] = defaultdict(list)
    for chunk in chunks(sorted({episode.pk for episode in episodes})):
        for appointment in (
            Appointment.objects.filter(episode_id__in=chunk)
            .select_related("session_record")
            .prefetch_related("session_record__techniques")
            .order_by("starts_at", "pk")
        ):
            day = timezone.localtime(appointment.starts_at).date()
            existing[(appointment.episode_id, day)].append(appointment)
    ordinal: dict[tuple[int, date], int] = defaultdict(int)
    created = updated = unchanged = 0
    changed: set[str] = set()
    new_appointments: list[tuple[Appointment, SessionRow]] = []
    to_update: list[Appointment] = []
    records: list[tuple[Appointment, SessionRow]] = []
    for row, episode in zip(rows, episodes, strict=True):
        key = (episode.pk, row.date)
        index = ordinal[key]
        ordinal[key] += 1
        values = {
            "attendance": row.attendance,
            "mode": row.mode,
            "trainer_id": episode.assigned_trainer_id,
        }
        found = existing[key][index] if index < len(existing[key]) else None
        if found is None:
            appointment = Appointment(
                programme=job.programme,
                episode=episode,
                starts_at=_starts_at(row.date, index),
                attendance_recorded_at=timezone.now(),
                **values,
            )
            new_appointments.append((appointment, row))
            created += 1
            changed.update(values)
            continue
        record_differs = _record_differs(found, row, techniques)
        appointment_differs = _set(found, values, changed)
        if appointment_differs:
            to_update.append(found)
        if appointment_differs or record_differs:
            updated += 1
        else:
            unchanged += 1
        if record_differs:
            records.append((found, row))
    Appointment.objects.bulk_create([appointment for appointment, _ in new_appointments])
    Appointment.objects.bulk_update(to_update, ["attendance", "mode", "trainer_id"])
    records.extend((appointment, row) for appointment, row in new_appointments)
    _write_session_records(job, records, techniques, changed)
    _audit(job, "casework.sessions.imported", changed)
    return _summary("Sessions", created, updated, unchanged)


def _has_record(row: SessionRow) -> bool:
    return row.attendance == Attendance.ATTENDED and (
        row.duration_minutes is not None or bool(row.cb_techniques)
    )


def _record_differs(
    appointment: Appointment, row: SessionRow, techniques: dict[str, CbTechnique]
) -> bool:
    record = getattr(appointment, "session_record", None)
    if record is None:
        return _has_record(row)
    if not _has_record(row):
        return False  # An import never deletes what was recorded.
    held = {technique.code for technique in record.techniques.all()}
    return record.duration_minutes != row.duration_minutes or held != set(row.cb_techniques)


def _write_session_records(
    job: EpisodeImport,
    pairs: list[tuple[Appointment, SessionRow]],
    techniques: dict[str, CbTechnique],
    changed: set[str],
) -> None:
    pairs = [(appointment, row) for appointment, row in pairs if _has_record(row)]
    if not pairs:
        return
    kept = {
        record.appointment_id: record
        for chunk in chunks([appointment.pk for appointment, _ in pairs])
        for record in SessionRecord.objects.filter(appointment_id__in=chunk)
    }
    new = [
        SessionRecord(
            appointment=appointment,
            duration_minutes=row.duration_minutes,
            recorded_by=job.actor if getattr(job.actor, "is_authenticated", False) else None,
        )
        for appointment, row in pairs
        if appointment.pk not in kept
    ]
    SessionRecord.objects.bulk_create(new)
    for appointment, row in pairs:
        record = kept.get(appointment.pk)
        if record is not None and record.duration_minutes != row.duration_minutes:
            record.duration_minutes = row.duration_minutes
            record.version += 1
            record.save(update_fields=["duration_minutes", "version", "updated_at"])
    records = {record.appointment_id: record for record in [*kept.values(), *new]}
    through = SessionRecord.techniques.through
    record_ids = [records[appointment.pk].pk for appointment, _ in pairs]
    for chunk in chunks(record_ids):
        through.objects.filter(sessionrecord_id__in=chunk).delete()
    through.objects.bulk_create(
        [
            through(sessionrecord_id=records[appointment.pk].pk, cbtechnique_id=techniques[code].pk)
            for appointment, row in pairs
            for code in dict.fromkeys(row.cb_techniques)
        ]
    )
    changed.update({"duration_minutes", "techniques"})


def write_goals(job: EpisodeImport, rows: list[GoalRow]) -> str:
    if not rows:
        return ""
    existing = {
        goal.reference: goal
        for chunk in chunks([row.goal_id for row in rows])
        for goal in Goal.objects.for_programme(job.programme).filter(reference__in=chunk)
    }
    created = updated = unchanged = 0
    changed: set[str] = set()
    new: list[Goal] = []
    to_update: list[Goal] = []
    fields = ["description", "set_on", "domain", "final_status", "status"]
    for row in rows:
        episode = job.referrals[row.referral_id]
        values = {
            "description": row.description,
            "set_on": row.set_date,
            "domain": row.domain,
            "final_status": row.final_status,
            "status": row.final_status or GoalStatus.IN_PROGRESS,
        }
        goal = existing.get(row.goal_id)
        if goal is None:
            new.append(
                Goal(
                    programme=job.programme,
                    episode=episode,
                    reference=row.goal_id,
                    created_by=job.actor if getattr(job.actor, "is_authenticated", False) else None,
                    **values,
                )
            )
            created += 1
            changed.update(values)
        elif goal.episode_id != episode.pk:
            job.problems.append(
                Problem(
                    "goals",
                    row.row,
                    "goal_id",
                    f"The goal ID {row.goal_id} already belongs to another referral's goal",
                )
            )
        elif _set(goal, values, changed):
            goal.version += 1
            to_update.append(goal)
            updated += 1
        else:
            unchanged += 1
    if job.problems:
        return ""
    Goal.objects.bulk_create(new)
    Goal.objects.bulk_update(to_update, [*fields, "version"])
    _audit(job, "casework.goals.imported", changed)
    return _summary("Goals", created, updated, unchanged)


def _upsert_one_per_episode(
    job: EpisodeImport,
    model: Any,
    rows: list[Any],
    values_of: Any,
    extra: dict[str, Any],
) -> tuple[int, int, int, set[str]]:
    """Create or update the one record of `model` each episode has, from its row."""
    episodes = [job.referrals[row.referral_id] for row in rows]
    existing = {
        record.episode_id: record
        for chunk in chunks([episode.pk for episode in episodes])
        for record in model.objects.filter(episode_id__in=chunk)
    }
    created = updated = unchanged = 0
    changed: set[str] = set()
    new, to_update = [], []
    for row, episode in zip(rows, episodes, strict=True):
        values = values_of(row)
        record = existing.get(episode.pk)
        if record is None:
            new.append(model(programme=job.programme, episode=episode, **values, **extra))
            created += 1
            changed.update(values)
        elif _set(record, values, changed):
            to_update.append(record)
            updated += 1
        else:
            unchanged += 1
    model.objects.bulk_create(new)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed))
    return created, updated, unchanged, changed


def write_discharges(job: EpisodeImport, rows: list[DischargeRow]) -> str:
    if not rows:
        return ""
    actor = job.actor if getattr(job.actor, "is_authenticated", False) else None
    created, updated, unchanged, changed = _upsert_one_per_episode(
        job,
        Discharge,
        rows,
        lambda row: {"discharged_on": row.date, "reason": row.reason},
        {"discharged_by": actor},
    )
    _audit(job, "casework.discharges.imported", changed)
    return _summary("Discharges", created, updated, unchanged)


def write_follow_ups(job: EpisodeImport, rows: list[FollowUpRow]) -> str:
    if not rows:
        return ""
    latest: dict[str, FollowUpRow] = {}
    for row in sorted(rows, key=lambda row: (row.date, row.row)):
        latest[row.referral_id] = row
    actor = job.actor if getattr(job.actor, "is_authenticated", False) else None
    created, updated, unchanged, changed = _upsert_one_per_episode(
        job,
        FollowUp,
        list(latest.values()),
        lambda row: {
            "due_on": row.date,
            "contacted_on": row.date,
            "reached": row.contacted,
            "maintaining_strategies": row.maintaining_strategies,
            "gp_visits_last_3_months": row.gp_visits,
        },
        {"recorded_by": actor},
    )
    _audit(job, "casework.follow_ups.imported", changed)
    return _summary("Follow-ups", created, updated, unchanged)
