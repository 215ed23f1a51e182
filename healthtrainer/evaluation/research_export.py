"""The de-identified research export: one row per referral (episode), for evaluators.

Identifiers are pseudonyms (evaluation/pseudonyms.py): keyed per programme, the same in
every export, irreversible without the key. Who the person is shows only as age band,
IMD quintile, employment status, ethnic category and sex; there are no names, NHS
number, date of birth, postcode, area code or free text. Dates are given as the month of
referral and as days between events.

The rows come from one query, streamed: the number of queries does not grow with the data.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from healthtrainer.casework.models import Appointment, Goal, SessionRecord
from healthtrainer.casework.vocabulary import Attendance, GoalStatus
from healthtrainer.core.period import Period
from healthtrainer.core.routing import reports_database
from healthtrainer.core.spreadsheets import CsvWriter
from healthtrainer.evaluation.metrics.referral import referrals_received
from healthtrainer.evaluation.metrics.subgroups import SUBGROUPS, grouped
from healthtrainer.evaluation.pseudonyms import programme_key, pseudonym
from healthtrainer.measures.models import ProgrammeInstrument, QuestionnaireResponse, Timepoint
from healthtrainer.programmes.models import Programme

CHUNK = 2000


class ExportUnavailable(Exception):
    """The service has no pseudonymisation key, so no export can be made."""


def _count(model: Any, path: str, condition: Q | None = None) -> Any:
    rows = model.objects.filter(**{path: OuterRef("pk")})
    if condition is not None:
        rows = rows.filter(condition)
    return Coalesce(
        Subquery(
            rows.order_by().values(path).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _minutes() -> Any:
    return Coalesce(
        Subquery(
            SessionRecord.objects.filter(appointment__episode=OuterRef("pk"))
            .order_by()
            .values("appointment__episode")
            .annotate(total=Sum("duration_minutes"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _score(instrument_id: int, timepoint: str) -> Any:
    return Subquery(
        QuestionnaireResponse.objects.filter(
            episode=OuterRef("pk"),
            instrument_id=instrument_id,
            timepoint=timepoint,
            is_current=True,
            scored=True,
        ).values("total")[:1]
    )


GOAL_COLUMNS = {
    "goals_achieved": GoalStatus.ACHIEVED,
    "goals_partly_achieved": GoalStatus.PARTLY_ACHIEVED,
    "goals_not_achieved": GoalStatus.NOT_ACHIEVED,
    "goals_no_longer_relevant": GoalStatus.NO_LONGER_RELEVANT,
    "goals_not_reviewed": GoalStatus.NOT_REVIEWED,
}
SESSION_COLUMNS = {
    "sessions_attended": Q(attendance=Attendance.ATTENDED),
    "sessions_did_not_attend": Q(attendance=Attendance.DID_NOT_ATTEND),
    "sessions_cancelled": Q(
        attendance__in=[
            Attendance.CANCELLED,
            Attendance.CANCELLED_BY_CLIENT,
            Attendance.CANCELLED_BY_TRAINER,
        ]
    ),
}
COLUMNS = [
    "episode",
    "client",
    "practice",
    "trainer",
    "received_month",
    "source",
    "outcome",
    "days_to_first_contact",
    "age_band",
    "imd_quintile",
    "employment_status",
    "ethnic_category",
    "sex",
    "pain_duration_months",
    "appointments_booked",
    *SESSION_COLUMNS,
    "session_minutes",
    "sessions_naming_a_technique",
    "goals_set",
    *GOAL_COLUMNS,
    "discharge_reason",
    "follow_up_reached",
    "maintaining_strategies",
    "gp_visits_at_follow_up",
]


# The query's field for each column whose name differs.
FIELD_OF = {
    "episode": "pk",
    "client": "client_id",
    "practice": "practice_id",
    "trainer": "assigned_trainer_id",
    "received_month": "received_date",
    "outcome": "status",
    "days_to_first_contact": "first_contact_date",
    "age_band": "group",
    "imd_quintile": "imd_decile",
    "discharge_reason": "discharge__reason",
    "follow_up_reached": "follow_up__reached",
    "maintaining_strategies": "follow_up__maintaining_strategies",
    "gp_visits_at_follow_up": "follow_up__gp_visits_last_3_months",
}


def service_key() -> bytes:
    key: str = settings.PSEUDONYMISATION_KEY
    if not key:
        raise ExportUnavailable(
            "The research export needs the PSEUDONYMISATION_KEY setting: ask the service's "
            "administrators to set it."
        )
    return key.encode()


def _instruments(programme: Programme) -> list[tuple[str, int, str]]:
    """(column, instrument id, timepoint) for each instrument the programme collects."""
    columns = []
    for chosen in ProgrammeInstrument.objects.for_programme(programme).select_related("instrument"):
        for timepoint in Timepoint.values:
            columns.append(
                (f"{chosen.instrument.code}_{timepoint}", chosen.instrument_id, timepoint)
            )
    return columns


def export_rows(programme: Programme, period: Period) -> Iterator[list[Any]]:
    """The header, then one row per referral received in the period."""
    key = programme_key(service_key(), programme.pk)
    instruments = _instruments(programme)
    yield [*COLUMNS, *(column for column, _, _ in instruments)]
    naming = Q(
        Exists(
            SessionRecord.techniques.through.objects.filter(
                sessionrecord__appointment_id=OuterRef("pk")
            )
        )
    )
    episodes = grouped(referrals_received(programme, period), "age_band").annotate(
        appointments_booked=_count(Appointment, "episode"),
        **{
            name: _count(Appointment, "episode", condition)
            for name, condition in SESSION_COLUMNS.items()
        },
        session_minutes=_minutes(),
        sessions_naming_a_technique=_count(Appointment, "episode", naming),
        goals_set=_count(Goal, "episode"),
        **{
            name: _count(Goal, "episode", Q(final_status=status))
            for name, status in GOAL_COLUMNS.items()
        },
        **{column: _score(instrument, timepoint) for column, instrument, timepoint in instruments},
    )
    fields = [FIELD_OF.get(column, column) for column in COLUMNS]
    fields += [column for column, _, _ in instruments]
    age_band = SUBGROUPS["age_band"].label
    rows = episodes.using(reports_database()).order_by("received_date", "pk").values(*fields)
    for row in rows.iterator(chunk_size=CHUNK):
        received = row["received_date"]
        first_contact = row["first_contact_date"]
        decile = row["imd_decile"]
        reached = row["follow_up__reached"]
        yield [
            pseudonym(key, "episode", row["pk"]),
            pseudonym(key, "client", row["client_id"]) if row["client_id"] else "",
            pseudonym(key, "practice", row["practice_id"]) if row["practice_id"] else "",
            pseudonym(key, "trainer", row["assigned_trainer_id"])
            if row["assigned_trainer_id"]
            else "",
            received.strftime("%Y-%m"),
            row["source"],
            row["status"],
            (first_contact - received).days if first_contact else "",
            age_band(row["group"]),
            (decile + 1) // 2 if decile else "",
            row["employment_status"],
            row["ethnic_category"],
            row["sex"],
            row["pain_duration_months"],
            row["appointments_booked"],
            *(row[name] for name in SESSION_COLUMNS),
            row["session_minutes"],
            row["sessions_naming_a_technique"],
            row["goals_set"],
            *(row[name] for name in GOAL_COLUMNS),
            row["discharge__reason"] or "",
            "" if reached is None else ("yes" if reached else "no"),
            row["follow_up__maintaining_strategies"] or "",
            ""
            if row["follow_up__gp_visits_last_3_months"] is None
            else row["follow_up__gp_visits_last_3_months"],
            *("" if row[column] is None else row[column] for column, _, _ in instruments),
        ]


def csv_lines(rows: Iterator[list[Any]]) -> Iterator[str]:
    """Each row as one CSV line, for streaming."""
    for row in rows:
        line = io.StringIO()
        CsvWriter(line).writerow(row)
        yield line.getvalue()
