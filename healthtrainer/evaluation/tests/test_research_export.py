"""The de-identified research export: pseudonyms, no identifiers, one row per referral."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.casework import services as casework
from healthtrainer.casework.models import CbTechnique
from healthtrainer.core.models import AuditEvent
from healthtrainer.core.period import Period
from healthtrainer.evaluation.pseudonyms import programme_key, pseudonym
from healthtrainer.evaluation.research_export import (
    COLUMNS,
    ExportUnavailable,
    export_rows,
)
from healthtrainer.measures import services as measures
from healthtrainer.tests.factories import (
    AppointmentFactory,
    GoalFactory,
    accepted_episode,
    collect,
    past,
)


def _rows(programme, period=None):
    header, *rows = list(export_rows(programme, period or Period()))
    return [dict(zip(header, row, strict=True)) for row in rows], header


@pytest.fixture
def episode(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    phq9 = collect(world.programme, "phq9", primary=True)
    episode = accepted_episode(
        trainer,
        world.programme,
        nhs_number="9434765919",
        given_name="Ada",
        family_name="Lovelace",
    )
    episode.imd_decile, episode.employment_status, episode.ethnic_category = 3, "04", "A"
    episode.postcode, episode.risk_notes = "S1 2HE", "Lives alone"
    episode.save()
    technique = CbTechnique.objects.filter(programme=world.programme).first()
    casework.session_record_save(
        actor=trainer,
        appointment=AppointmentFactory(episode=episode, starts_at=past(5)),
        details=casework.SessionDetails(
            duration_minutes=45, techniques=[technique], topics=[], notes="Talked about work"
        ),
    )
    GoalFactory(episode=episode, final_status="achieved")
    measures.response_record(
        actor=trainer,
        episode=episode,
        instrument=phq9,
        timepoint="baseline",
        completed_on=date(2026, 10, 2),
        source="trainer",
        total=14,
        safety_answer=0,
    )
    return episode


def test_one_row_per_referral_with_pseudonyms_and_no_identifiers(episode, settings):
    rows, header = _rows(episode.programme)
    assert header[: len(COLUMNS)] == COLUMNS
    assert "phq9_baseline" in header
    (row,) = rows
    key = programme_key(settings.PSEUDONYMISATION_KEY.encode(), episode.programme.pk)
    assert row["episode"] == pseudonym(key, "episode", episode.pk)
    assert row["client"] == pseudonym(key, "client", episode.client_id)
    assert (row["imd_quintile"], row["employment_status"], row["age_band"]) == (
        2,
        "04",
        "65 and over",
    )
    assert (
        row["sessions_attended"],
        row["session_minutes"],
        row["sessions_naming_a_technique"],
    ) == (
        1,
        45,
        1,
    )
    assert (row["goals_set"], row["goals_achieved"], row["phq9_baseline"]) == (1, 1, 14.0)
    text = " ".join(str(value) for value in row.values())
    for identifier in ("9434765919", "Ada", "Lovelace", "S1 2HE", "1960", "Lives alone", "work"):
        assert identifier not in text
    assert row["received_month"] == "2026-10"


def test_pseudonyms_are_stable_and_differ_between_programmes_and_keys(episode, settings):
    first = _rows(episode.programme)[0][0]["episode"]
    assert _rows(episode.programme)[0][0]["episode"] == first
    settings.PSEUDONYMISATION_KEY = "another key"
    assert _rows(episode.programme)[0][0]["episode"] != first


def test_without_a_key_there_is_no_export(episode, settings):
    settings.PSEUDONYMISATION_KEY = ""
    with pytest.raises(ExportUnavailable, match="PSEUDONYMISATION_KEY"):
        list(export_rows(episode.programme, Period()))


def test_the_export_runs_the_same_queries_for_few_and_many(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    collect(world.programme, "phq9", primary=True)

    def queries_with(count):
        for _ in range(count):
            GoalFactory(episode=accepted_episode(trainer, world.programme))
        with CaptureQueriesContext(connection) as captured:
            list(export_rows(world.programme, Period()))
        return len(captured)

    assert queries_with(2) == queries_with(12)


def test_an_evaluator_downloads_it_and_the_download_is_audited(episode, client_as):
    response = client_as(Role.EVALUATOR).get(
        reverse("evaluation:research_export", args=[episode.programme.slug])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="research-{episode.programme.slug}-all.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert AuditEvent.objects.filter(action="evaluation.research_export.downloaded").count() == 1
