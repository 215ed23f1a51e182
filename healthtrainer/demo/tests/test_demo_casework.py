from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Avg
from django.utils import timezone

from healthtrainer.casework.models import (
    Appointment,
    ClientStrategy,
    CommunityResource,
    Discharge,
    Escalation,
    FollowUp,
    Goal,
    GoalFollowUp,
    GoalReview,
    SessionRecord,
    SessionTopic,
    Signposting,
    StrategyFollowUp,
)
from healthtrainer.casework.vocabulary import Attendance, DischargeReason, GoalStatus, Maintained
from healthtrainer.clients.models import Client, ReminderPreference
from healthtrainer.core.models import AuditEvent
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

LONDON = ZoneInfo("Europe/London")
MODELS = (
    Referral,
    Client,
    Appointment,
    SessionRecord,
    SessionTopic,
    Goal,
    GoalReview,
    ClientStrategy,
    Discharge,
    FollowUp,
    StrategyFollowUp,
    GoalFollowUp,
    Escalation,
    CommunityResource,
    Signposting,
    AuditEvent,
)


def load(settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def demo(db, settings):
    load(settings)
    return Programme.objects.get(slug="sheffield-pilot")


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_the_demo_twice_creates_no_more_casework(demo, settings):
    first = counts()
    load(settings)
    assert counts() == first


def test_the_demo_has_attended_sessions_with_techniques_topics_and_notes(demo):
    sessions = SessionRecord.objects.filter(appointment__programme=demo)
    assert sessions.count() >= 20
    assert not sessions.exclude(appointment__attendance=Attendance.ATTENDED).exists()
    assert not sessions.filter(techniques__isnull=True).exists()
    assert not sessions.filter(topics__isnull=True).exists()
    assert not sessions.filter(notes="").exists()
    assert set(sessions.values_list("topics__topic", flat=True)) >= {
        "money",
        "housing",
        "social_isolation",
    }
    assert sessions.filter(gp_visits_last_3_months__isnull=False).exists()
    attendances = set(
        Appointment.objects.filter(programme=demo).values_list("attendance", flat=True)
    )
    assert {Attendance.DID_NOT_ATTEND, Attendance.CANCELLED_BY_CLIENT} <= attendances


def test_the_gp_visits_question_is_answered_at_first_sessions_only(demo):
    for session in SessionRecord.objects.filter(gp_visits_last_3_months__isnull=False):
        earlier = Appointment.objects.filter(
            episode=session.appointment.episode,
            attendance=Attendance.ATTENDED,
            starts_at__lt=session.appointment.starts_at,
        )
        assert not earlier.exists()


def test_the_demo_goals_are_reviewed_at_later_sessions(demo):
    goals = Goal.objects.for_programme(demo)
    assert goals.exists()
    assert not goals.filter(set_at__isnull=True).exists()
    reviews = GoalReview.objects.filter(goal__programme=demo, session__isnull=False)
    assert reviews.exists()
    for review in reviews:
        assert review.reviewed_on > review.goal.set_on
    assert {GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED, GoalStatus.NOT_ACHIEVED} <= set(
        goals.values_list("final_status", flat=True)
    )


def test_about_half_the_demo_episodes_are_discharged(demo):
    episodes = Referral.objects.filter(programme=demo, status=Status.ACCEPTED).count()
    discharges = Discharge.objects.for_programme(demo)
    assert 0.4 <= discharges.count() / episodes <= 0.7
    reasons = set(discharges.values_list("reason", flat=True))
    assert {DischargeReason.COMPLETED, DischargeReason.DISENGAGED} <= reasons


def test_the_demo_has_follow_ups_recorded_and_still_to_come(demo):
    follow_ups = FollowUp.objects.for_programme(demo)
    reached = follow_ups.filter(reached=True)
    assert reached.exists()
    assert StrategyFollowUp.objects.filter(follow_up__in=reached).exists()
    assert GoalFollowUp.objects.filter(follow_up__in=reached).exists()
    assert follow_ups.filter(reached=False).exists()
    assert follow_ups.filter(contacted_on__isnull=True, due_on__gt=timezone.localdate()).exists()


def test_the_demo_outcomes_look_like_the_pilots(demo):
    finals = list(
        Goal.objects.for_programme(demo)
        .exclude(final_status="")
        .values_list("final_status", flat=True)
    )
    met = sum(status in {GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED} for status in finals)
    assert 0.6 <= met / len(finals) <= 0.9
    answers = list(StrategyFollowUp.objects.values_list("maintained", flat=True))
    assert 0.25 <= answers.count(Maintained.YES) / len(answers) <= 0.6
    at_start = SessionRecord.objects.aggregate(mean=Avg("gp_visits_last_3_months"))["mean"]
    at_follow_up = FollowUp.objects.aggregate(mean=Avg("gp_visits_last_3_months"))["mean"]
    assert at_follow_up < at_start


def test_some_demo_clients_have_appointments_to_come(demo):
    upcoming = Appointment.objects.filter(
        programme=demo, attendance=Attendance.BOOKED, starts_at__gt=timezone.now()
    )
    assert 2 <= upcoming.values("episode").distinct().count() <= 3
    assert not upcoming.filter(episode__discharge__isnull=False).exists()
    assert not Appointment.objects.filter(
        attendance=Attendance.BOOKED, starts_at__lte=timezone.now()
    ).exists()


def test_the_demo_has_escalations_open_acknowledged_and_resolved(demo):
    escalations = Escalation.objects.for_programme(demo)
    assert {escalation.state for escalation in escalations} == {
        "Waiting for acknowledgement",
        "Acknowledged",
        "Resolved",
    }
    resolved = escalations.get(resolved_at__isnull=False)
    assert resolved.resolved_by.email == "supervisor@example.com"
    assert resolved.acknowledged_by.email == "supervisor@example.com"


def test_the_demo_has_a_community_directory_and_signpostings(demo):
    directory = CommunityResource.objects.for_programme(demo)
    assert directory.count() >= 8
    assert not directory.exclude(contact__startswith="0114 496 0").exists(), "drama numbers"
    assert 4 <= Signposting.objects.for_programme(demo).count() <= 6


def test_the_demo_shows_each_reminder_preference(demo):
    preferences = set(Client.objects.for_programme(demo).values_list("reminders_by", flat=True))
    assert {ReminderPreference.EMAIL, ReminderPreference.NONE} <= preferences
    assert not Client.objects.filter(reminders_by=ReminderPreference.EMAIL, email="").exists()


def test_every_demo_appointment_belongs_to_an_accepted_episode_of_the_programme(demo):
    appointments = Appointment.objects.filter(programme=demo)
    assert appointments.exists()
    assert not appointments.exclude(programme=demo).exists()
    assert not appointments.exclude(episode__programme=demo).exists()
    assert not appointments.exclude(episode__status=Status.ACCEPTED).exists()
    assert not appointments.exclude(trainer__email="trainer@example.com").exists()


def test_every_demo_casework_write_is_audited(demo):
    def audited(action):
        return AuditEvent.objects.filter(programme=demo, action=action).count()

    assert (
        audited("casework.appointment.booked") == Appointment.objects.filter(programme=demo).count()
    )
    assert (
        audited("casework.session.recorded")
        == SessionRecord.objects.filter(appointment__programme=demo).count()
    )
    assert audited("casework.goal.set") == Goal.objects.filter(programme=demo).count()
    assert (
        audited("casework.goal.reviewed") == GoalReview.objects.filter(goal__programme=demo).count()
    )
    assert (
        audited("casework.client_strategy.adopted")
        == ClientStrategy.objects.filter(programme=demo).count()
    )
    assert (
        audited("casework.episode.discharged") == Discharge.objects.filter(programme=demo).count()
    )
    assert (
        audited("casework.follow_up.recorded")
        == FollowUp.objects.filter(programme=demo, contacted_on__isnull=False).count()
    )
    assert (
        audited("casework.community_resource.added")
        == CommunityResource.objects.filter(programme=demo).count()
    )
    assert (
        audited("casework.signposting.recorded")
        == Signposting.objects.filter(programme=demo).count()
    )


SHEFFIELD_PILOT = "sheffield-pilot"


# A Sunday morning, late on the last day of a year, and the week the clocks go back.
@pytest.mark.parametrize(
    "moment",
    [datetime(2026, 3, 1, 9), datetime(2025, 12, 31, 23, 30), datetime(2026, 10, 27, 12)],
)
def test_demo_casework_follows_the_order_of_events_whatever_the_day(db, settings, moment):
    with time_machine.travel(moment.replace(tzinfo=LONDON), tick=False):
        load(settings)
        today = timezone.localdate()
        for discharge in Discharge.objects.filter(programme__slug=SHEFFIELD_PILOT):
            attended = discharge.episode.appointments.filter(attendance=Attendance.ATTENDED)
            last = timezone.localdate(attended.last().starts_at)
            assert last < discharge.discharged_on <= today
            assert not discharge.episode.appointments.filter(attendance=Attendance.BOOKED).exists()
        for follow_up in FollowUp.objects.filter(
            programme__slug=SHEFFIELD_PILOT, contacted_on__isnull=False
        ):
            assert follow_up.due_on <= follow_up.contacted_on <= today
        for appointment in Appointment.objects.filter(programme__slug=SHEFFIELD_PILOT):
            assert timezone.localtime(appointment.starts_at).weekday() < 5
            if appointment.attendance != Attendance.BOOKED:
                assert timezone.localdate(appointment.starts_at) < today
        assert FollowUp.objects.filter(programme__slug=SHEFFIELD_PILOT, reached=True).exists()
