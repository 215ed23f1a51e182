"""The demo's dates tell the truth: each demo programme's activity falls within its start
and end dates, so its Costs page, which starts at those dates, finds the costs the
evaluation report counts; and loading the demo again leaves the dates as they are."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import (
    Appointment,
    Discharge,
    FollowUp,
    Goal,
    SessionRecord,
)
from healthtrainer.conftest import sign_in
from healthtrainer.core.models import AuditEvent
from healthtrainer.core.period import Period
from healthtrainer.demo.programmes import DEMO_SLUG, EARLIER_DATES, demo_dates, load_demo
from healthtrainer.evaluation.metrics import cost_figures
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import ContactAttempt, Referral
from healthtrainer.workforce.models import (
    ConfidenceSurvey,
    CostItem,
    CourseSession,
    IndirectTime,
    SatisfactionResponse,
    SupervisionSession,
    TrainerProfile,
)

COST_IDS = (
    "cost.direct_total",
    "cost.budget_total",
    "cost.indirect_total",
    "cost.by_category",
    "cost.per_referral",
    "cost.per_client_seen",
    "cost.per_client_completing",
    "cost.per_goal_achieved",
)


def load(settings) -> None:
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=StringIO())


def dated_activity(programme: Programme) -> dict[str, list[date]]:
    """Every date the programme's records say something happened (or is booked) on."""

    def days(queryset, field: str) -> list[date]:
        return [day for day in queryset.values_list(field, flat=True) if day is not None]

    def local_days(queryset, field: str) -> list[date]:
        return [timezone.localdate(moment) for moment in queryset.values_list(field, flat=True)]

    return {
        "referrals received": days(Referral.objects.filter(programme=programme), "received_date"),
        "contact attempts": days(
            ContactAttempt.objects.filter(referral__programme=programme), "attempted_on"
        ),
        "appointments": local_days(Appointment.objects.filter(programme=programme), "starts_at"),
        "session records": local_days(
            SessionRecord.objects.filter(appointment__programme=programme),
            "appointment__starts_at",
        ),
        "goals set": days(Goal.objects.filter(episode__programme=programme), "set_on"),
        "discharges": days(Discharge.objects.filter(episode__programme=programme), "discharged_on"),
        "follow-ups made": days(
            FollowUp.objects.filter(episode__programme=programme), "contacted_on"
        ),
        "questionnaires": days(
            QuestionnaireResponse.objects.filter(programme=programme), "completed_on"
        ),
        "costs": days(CostItem.objects.filter(programme=programme), "incurred_on"),
        "time given": days(IndirectTime.objects.filter(programme=programme), "given_on"),
        "supervision": days(SupervisionSession.objects.filter(programme=programme), "held_on"),
        "training": days(CourseSession.objects.filter(course__programme=programme), "held_on"),
        "training surveys": [
            *days(ConfidenceSurvey.objects.filter(programme=programme), "completed_on"),
            *days(SatisfactionResponse.objects.filter(programme=programme), "submitted_on"),
        ],
        "trainers starting": days(TrainerProfile.objects.filter(programme=programme), "start_date"),
    }


def outside(programme: Programme) -> dict[str, list[date]]:
    return {
        kind: sorted(day for day in found if not programme.start_date <= day <= programme.end_date)
        for kind, found in dated_activity(programme).items()
        if any(not programme.start_date <= day <= programme.end_date for day in found)
    }


def test_the_demo_programmes_activity_falls_within_its_dates(db, settings):
    load(settings)
    programme = Programme.objects.get(slug=DEMO_SLUG)
    activity = dated_activity(programme)
    for kind in (
        "referrals received",
        "appointments",
        "session records",
        "costs",
        "time given",
        "supervision",
        "training",
    ):
        assert activity[kind], f"the demo has no {kind}"
    assert outside(programme) == {}, (programme.start_date, programme.end_date)
    today = timezone.localdate()
    assert programme.start_date < today < programme.end_date
    assert programme.end_date - programme.start_date in {timedelta(days=364), timedelta(days=365)}


def test_the_past_programme_keeps_its_dates_which_cover_its_activity(db, settings):
    load(settings)
    pilot = Programme.objects.get(slug="sheffield-pilot-2011")
    assert (pilot.start_date, pilot.end_date) == (date(2011, 1, 1), date(2012, 6, 30))
    assert dated_activity(pilot)["referrals received"]
    assert outside(pilot) == {}


def test_the_programme_that_has_just_started_has_no_activity_to_cover(db, settings):
    load(settings)
    riverside = Programme.objects.get(slug="riverside-programme")
    assert riverside.start_date == date(2025, 1, 6)
    assert riverside.end_date is None
    assert not any(dated_activity(riverside).values())


def test_the_costs_page_shows_the_evaluations_costs_for_the_programmes_dates(db, settings):
    load(settings)
    programme = Programme.objects.get(slug=DEMO_SLUG)
    _, own_dates = cost_figures(programme, Period(programme.start_date, programme.end_date))
    # The evaluation report starts at every date; the Costs page at the programme's.
    _, every_date = cost_figures(programme, Period())
    assert {metric_id: own_dates[metric_id] for metric_id in COST_IDS} == {
        metric_id: every_date[metric_id] for metric_id in COST_IDS
    }
    assert own_dates["cost.direct_total"] > 0
    assert own_dates["cost.indirect_total"] > 0

    client = sign_in(Client(), User.objects.get(email="manager@example.com"))
    page = client.get(reverse("evaluation:costs", args=[programme.slug])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    period = f"from {programme.start_date:%d %B %Y} to {programme.end_date:%d %B %Y}"
    assert f"What the programme cost {period} (the programme's dates)" in text
    assert f"Direct costs £{own_dates['cost.direct_total']:,.2f}" in text
    assert "Budget £48,000.00" in text
    assert f"Time given, valued at role rates £{own_dates['cost.indirect_total']:,.2f}" in text
    for label, cost in own_dates["cost.by_category"].items():
        if label == "Other":
            assert "Other No costs recorded" in text, "the demo records no other costs"
        else:
            assert f"{label} £{cost:,.2f}" in text
    for role in own_dates["cost.indirect_by_role"]:
        value = f"£{role.value:,.2f}" if role.label != "Other" else "No time recorded"
        assert f"{role.label} {role.hours.normalize():f} {value}" in text
    evaluation = reverse("evaluation:report", args=[programme.slug])
    assert (
        f'href="{evaluation}?start={programme.start_date.isoformat()}'
        f'&amp;end={programme.end_date.isoformat()}"'
    ) in page


def test_loading_again_the_same_day_or_later_leaves_the_dates_alone(db, settings):
    load(settings)
    programme = Programme.objects.get(slug=DEMO_SLUG)
    dates = (programme.start_date, programme.end_date)
    events = AuditEvent.objects.count()

    load(settings)
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        load(settings)

    programme.refresh_from_db()
    assert (programme.start_date, programme.end_date) == dates
    assert AuditEvent.objects.count() == events
    assert outside(programme) == {}


def test_a_demo_loaded_with_the_earlier_fixed_dates_is_given_its_dates_once(db):
    created = timezone.now() - timedelta(days=40)
    with time_machine.travel(created, tick=False):
        load_demo()
    programme = Programme.objects.get(slug=DEMO_SLUG)
    programme.start_date, programme.end_date = EARLIER_DATES
    programme.save()

    load_demo()
    load_demo()

    programme.refresh_from_db()
    expected = demo_dates(timezone.localdate(created))
    assert (programme.start_date, programme.end_date) == (
        expected["start_date"],
        expected["end_date"],
    ), "dated from the day its activity was loaded, not from today"
    updates = AuditEvent.objects.filter(action="programmes.programme.updated")
    assert list(updates.values_list("object_id", "changed_fields")) == [
        (str(programme.pk), ["end_date", "start_date"])
    ]


def test_dates_a_demo_user_has_changed_are_kept(db):
    load_demo()
    programme = Programme.objects.get(slug=DEMO_SLUG)
    programme.end_date = programme.start_date + timedelta(days=800)
    programme.save()

    load_demo()

    assert Programme.objects.get(slug=DEMO_SLUG).end_date == programme.end_date


@pytest.mark.parametrize(
    ("loaded_on", "start", "end"),
    [
        (date(2026, 12, 4), date(2026, 1, 8), date(2027, 1, 7)),
        # Loaded 330 days after 29 February: a year on from it is 1 March.
        (date(2025, 1, 24), date(2024, 2, 29), date(2025, 2, 28)),
    ],
)
def test_the_demo_runs_for_a_year_from_330_days_before_it_is_loaded(loaded_on, start, end):
    assert demo_dates(loaded_on) == {"start_date": start, "end_date": end}
