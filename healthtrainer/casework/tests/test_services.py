"""Every casework transition, the mistakes it refuses, and the audit event it writes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework import services
from healthtrainer.casework.models import (
    Appointment,
    CbTechnique,
    ClientStrategy,
    FollowUp,
    Goal,
    Strategy,
)
from healthtrainer.casework.vocabulary import Attendance, GoalStatus
from healthtrainer.core.models import AuditEvent
from healthtrainer.core.versioning import EditConflict
from healthtrainer.tests.factories import (
    AppointmentFactory,
    GoalFactory,
    accepted_episode,
    past,
)

# These follow-ups are recorded before their due date, which needs a reason.
EARLY = "The client asked to be called before a long stay away"


@pytest.fixture
def trainer(world):
    return world.people[Role.HEALTH_TRAINER]


@pytest.fixture
def episode(world, trainer):
    return accepted_episode(trainer, world.programme)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def details(programme, **overrides):
    values = {
        "duration_minutes": 45,
        "techniques": list(CbTechnique.objects.filter(programme=programme)[:2]),
        "topics": ["pain", "money"],
        "notes": "Talked about pacing the housework.",
        "next_steps": "Try the 10-minute rule.",
        "gp_visits_last_3_months": 4,
    }
    return services.SessionDetails(**(values | overrides))


def test_booking_an_appointment_is_audited(episode, trainer):
    starts = timezone.now() + timedelta(days=3)
    appointment = services.appointment_book(
        actor=trainer, episode=episode, starts_at=starts, mode="telephone"
    )
    assert appointment.attendance == Attendance.BOOKED
    assert appointment.trainer == trainer
    assert actions()[-1] == "casework.appointment.booked"


def test_passing_the_sessions_offered_is_detected(world, episode, trainer):
    world.programme.sessions_offered = 2
    world.programme.save()
    for days in (1, 2):
        services.appointment_book(
            actor=trainer,
            episode=episode,
            starts_at=timezone.now() + timedelta(days=days),
            mode="video",
        )
    assert not services.is_beyond_offer(episode)
    services.appointment_book(
        actor=trainer, episode=episode, starts_at=timezone.now() + timedelta(days=3), mode="video"
    )
    assert services.is_beyond_offer(episode)


def test_rebooking_changes_only_a_booked_appointment(episode, trainer):
    appointment = AppointmentFactory(episode=episode)
    later = appointment.starts_at + timedelta(days=7)
    services.appointment_rebook(
        actor=trainer, appointment=appointment, starts_at=later, mode="video", venue=""
    )
    appointment.refresh_from_db()
    assert appointment.starts_at == later
    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "casework.appointment.rebooked"
    assert set(event.changed_fields) == {"starts_at", "mode"}
    services.appointment_record_attendance(
        actor=trainer, appointment=appointment, attendance=Attendance.CANCELLED_BY_CLIENT
    )
    with pytest.raises(ValidationError, match="already marked"):
        services.appointment_rebook(
            actor=trainer, appointment=appointment, starts_at=later, mode="video"
        )


def test_attendance_cannot_be_recorded_for_an_appointment_still_to_come(episode, trainer):
    appointment = AppointmentFactory(episode=episode)
    with pytest.raises(ValidationError, match="has not happened yet"):
        services.appointment_record_attendance(
            actor=trainer, appointment=appointment, attendance=Attendance.DID_NOT_ATTEND
        )
    services.appointment_record_attendance(
        actor=trainer, appointment=appointment, attendance=Attendance.CANCELLED_BY_TRAINER
    )
    assert actions()[-1] == "casework.appointment.cancelled"


def test_a_missed_appointment_is_recorded(episode, trainer):
    appointment = AppointmentFactory(episode=episode, starts_at=past())
    services.appointment_record_attendance(
        actor=trainer, appointment=appointment, attendance=Attendance.DID_NOT_ATTEND
    )
    appointment.refresh_from_db()
    assert appointment.attendance == Attendance.DID_NOT_ATTEND
    assert actions()[-1] == "casework.appointment.attendance_recorded"


def test_recording_a_session_marks_it_attended_and_stores_what_the_evaluation_needs(
    world, episode, trainer
):
    appointment = AppointmentFactory(episode=episode, starts_at=past())
    strategy = Strategy.objects.filter(programme=world.programme).first()
    record = services.session_record_save(
        actor=trainer,
        appointment=appointment,
        details=details(world.programme),
        strategies=[strategy],
    )
    appointment.refresh_from_db()
    assert appointment.attendance == Attendance.ATTENDED
    assert record.techniques.count() == 2
    assert sorted(record.topics.values_list("topic", flat=True)) == ["money", "pain"]
    assert record.gp_visits_last_3_months == 4
    assert ClientStrategy.objects.filter(episode=episode, strategy=strategy).exists()
    assert {
        "casework.appointment.attendance_recorded",
        "casework.session.recorded",
        "casework.client_strategy.adopted",
    } <= set(actions())


def test_a_session_cannot_be_recorded_before_it_happens(world, episode, trainer):
    appointment = AppointmentFactory(episode=episode)
    with pytest.raises(ValidationError, match="not happened yet"):
        services.session_record_save(
            actor=trainer, appointment=appointment, details=details(world.programme)
        )


def test_a_session_cannot_be_recorded_after_discharge(world, episode, trainer):
    services.session_record_save(
        actor=trainer,
        appointment=AppointmentFactory(episode=episode, starts_at=past(3)),
        details=details(world.programme),
    )
    services.episode_discharge(
        actor=trainer,
        episode=episode,
        discharged_on=timezone.localdate() - timedelta(days=2),
        reason="disengaged",
        final_statuses={},
    )
    # An appointment left over from before, recorded after discharge:
    appointment = AppointmentFactory(episode=episode, starts_at=past(1))
    with pytest.raises(ValidationError, match="discharged"):
        services.session_record_save(
            actor=trainer, appointment=appointment, details=details(world.programme)
        )
    with pytest.raises(ValidationError, match="discharged"):
        services.appointment_book(
            actor=trainer, episode=episode, starts_at=timezone.now(), mode="video"
        )


def test_the_gp_visits_question_belongs_to_the_first_session(world, episode, trainer):
    first = AppointmentFactory(episode=episode, starts_at=past(10))
    second = AppointmentFactory(episode=episode, starts_at=past(3))
    assert services.is_first_session(first)
    services.session_record_save(actor=trainer, appointment=first, details=details(world.programme))
    assert not services.is_first_session(second)


def test_a_review_of_another_clients_goal_is_refused(world, episode, trainer):
    other = GoalFactory(episode=accepted_episode(trainer, world.programme))
    appointment = AppointmentFactory(episode=episode, starts_at=past())
    with pytest.raises(ValidationError, match="not one of this client's goals"):
        services.session_record_save(
            actor=trainer,
            appointment=appointment,
            details=details(world.programme),
            reviews=[services.GoalReviewEntry(goal_id=other.pk, status=GoalStatus.ACHIEVED)],
        )
    assert not other.reviews.exists()
    assert not hasattr(Appointment.objects.get(pk=appointment.pk), "session_record")


def test_reviews_keep_their_history_and_the_latest_is_the_status(world, episode, trainer):
    goal = services.goal_set(
        actor=trainer,
        episode=episode,
        details=services.GoalDetails("Walk to the park", "activity", 6, "daily"),
        set_on=date(2026, 10, 1),
    )
    services.goal_review(
        actor=trainer, goal=goal, status=GoalStatus.PARTLY_ACHIEVED, reviewed_on=date(2026, 10, 8)
    )
    services.goal_review(
        actor=trainer, goal=goal, status=GoalStatus.ACHIEVED, reviewed_on=date(2026, 10, 15)
    )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED
    assert list(goal.reviews.values_list("status", flat=True)) == [
        "partly_achieved",
        "achieved",
    ]
    with pytest.raises(ValidationError, match="before it was set"):
        services.goal_review(
            actor=trainer, goal=goal, status="achieved", reviewed_on=date(2026, 9, 1)
        )


def test_two_people_saving_a_goal_at_once_lose_nothing(episode, trainer, world):
    goal = GoalFactory(episode=episode)
    supervisor = world.people[Role.SUPERVISOR]
    opened_at = goal.version
    services.goal_update(
        actor=supervisor,
        goal=goal,
        details=services.GoalDetails("Walk to the shop", "activity", 5),
        expected_version=opened_at,
    )
    with pytest.raises(EditConflict) as conflict:
        services.goal_update(
            actor=trainer,
            goal=goal,
            details=services.GoalDetails("Swim once a week", "activity", 8),
            expected_version=opened_at,
        )
    assert conflict.value.current.description == "Walk to the shop"
    goal.refresh_from_db()
    assert goal.description == "Walk to the shop"
    assert goal.version == opened_at + 1


def test_two_people_correcting_a_session_at_once_lose_nothing(world, episode, trainer):
    appointment = AppointmentFactory(episode=episode, starts_at=past())
    record = services.session_record_save(
        actor=trainer, appointment=appointment, details=details(world.programme)
    )
    services.session_record_save(
        actor=trainer,
        appointment=appointment,
        details=details(world.programme, duration_minutes=50),
        expected_version=record.version,
    )
    with pytest.raises(EditConflict):
        services.session_record_save(
            actor=world.people[Role.SUPERVISOR],
            appointment=appointment,
            details=details(world.programme, duration_minutes=20),
            expected_version=record.version,
        )
    record.refresh_from_db()
    assert record.duration_minutes == 50


def test_discharge_fixes_final_statuses_cancels_bookings_and_schedules_the_follow_up(
    world, episode, trainer
):
    goal = GoalFactory(episode=episode)
    with time_machine.travel(date(2026, 12, 1)):
        booked = AppointmentFactory(episode=episode)
        with pytest.raises(ValidationError, match="final status for every goal"):
            services.episode_discharge(
                actor=trainer,
                episode=episode,
                discharged_on=date(2026, 11, 30),
                reason="completed",
                final_statuses={},
            )
        services.episode_discharge(
            actor=trainer,
            episode=episode,
            discharged_on=date(2026, 11, 30),
            reason="completed",
            final_statuses={goal.pk: GoalStatus.PARTLY_ACHIEVED},
        )
    goal.refresh_from_db()
    booked.refresh_from_db()
    assert goal.final_status == goal.status == GoalStatus.PARTLY_ACHIEVED
    assert booked.attendance == Attendance.CANCELLED_BY_TRAINER
    # Three months after 30 November is the last day of February.
    assert FollowUp.objects.get(episode=episode).due_on == date(2027, 2, 28)
    assert {"casework.episode.discharged", "casework.follow_up.scheduled"} <= set(actions())
    with pytest.raises(ValidationError, match="discharged"):
        services.goal_review(
            actor=trainer, goal=goal, status="achieved", reviewed_on=date(2026, 12, 1)
        )


def test_the_follow_up_interval_is_the_programmes(world, episode, trainer):
    world.programme.follow_up_interval_months = 6
    world.programme.save()
    services.episode_discharge(
        actor=trainer,
        episode=episode,
        discharged_on=date(2026, 10, 15),
        reason="completed",
        final_statuses={},
    )
    assert FollowUp.objects.get(episode=episode).due_on == date(2027, 4, 15)


def _discharged_with_a_goal_and_a_strategy(world, episode, trainer):
    goal = GoalFactory(episode=episode)
    strategy = Strategy.objects.filter(programme=world.programme).first()
    taken_up = services.client_strategy_adopt(
        actor=trainer, episode=episode, strategy=strategy, adopted_on=date(2026, 10, 10)
    )
    services.episode_discharge(
        actor=trainer,
        episode=episode,
        discharged_on=date(2026, 10, 20),
        reason="completed",
        final_statuses={goal.pk: GoalStatus.ACHIEVED},
    )
    return goal, taken_up, FollowUp.objects.get(episode=episode)


def test_a_follow_up_records_strategies_maintained_goals_sustained_and_gp_visits(
    world, episode, trainer
):
    goal, taken_up, follow_up = _discharged_with_a_goal_and_a_strategy(world, episode, trainer)
    services.follow_up_record(
        actor=trainer,
        follow_up=follow_up,
        answers=services.FollowUpAnswers(
            early_reason=EARLY,
            contacted_on=date(2026, 11, 20),
            reached=True,
            gp_visits_last_3_months=1,
            strategies_maintained={taken_up.pk: "partly"},
            goals_sustained={goal.pk: "yes"},
        ),
    )
    follow_up.refresh_from_db()
    assert follow_up.gp_visits_last_3_months == 1
    assert follow_up.strategies.get().maintained == "partly"
    assert follow_up.goals.get().sustained == "yes"
    assert actions()[-1] == "casework.follow_up.recorded"
    with pytest.raises(ValidationError, match="already been recorded"):
        services.follow_up_record(
            actor=trainer,
            follow_up=follow_up,
            answers=services.FollowUpAnswers(
                early_reason=EARLY, contacted_on=date(2026, 11, 21), reached=False
            ),
        )


def test_a_follow_up_must_answer_for_every_strategy_and_goal(world, episode, trainer):
    _, _, follow_up = _discharged_with_a_goal_and_a_strategy(world, episode, trainer)
    with pytest.raises(ValidationError, match="every strategy"):
        services.follow_up_record(
            actor=trainer,
            follow_up=follow_up,
            answers=services.FollowUpAnswers(
                early_reason=EARLY, contacted_on=date(2026, 11, 20), reached=True
            ),
        )


def test_a_follow_up_cannot_come_before_the_discharge(world, episode, trainer):
    _, _, follow_up = _discharged_with_a_goal_and_a_strategy(world, episode, trainer)
    with pytest.raises(ValidationError, match="on or after the discharge date"):
        services.follow_up_record(
            actor=trainer,
            follow_up=follow_up,
            answers=services.FollowUpAnswers(
                early_reason=EARLY, contacted_on=date(2026, 10, 1), reached=False
            ),
        )


def test_a_follow_up_before_discharge_is_refused(episode, trainer, world):
    follow_up = FollowUp.objects.create(
        programme=world.programme, episode=episode, due_on=date(2027, 1, 1)
    )
    with pytest.raises(ValidationError, match="before the client is discharged"):
        services.follow_up_record(
            actor=trainer,
            follow_up=follow_up,
            answers=services.FollowUpAnswers(
                early_reason=EARLY, contacted_on=date(2026, 11, 1), reached=False
            ),
        )


def test_an_escalation_is_acknowledged_then_resolved_and_each_step_audited(episode, trainer, world):
    escalation = services.escalation_raise(
        actor=trainer, episode=episode, category="safeguarding", details="Worried about home."
    )
    supervisor = world.people[Role.SUPERVISOR]
    with pytest.raises(ValidationError, match="Acknowledge"):
        services.escalation_resolve(actor=supervisor, escalation=escalation, resolution="Done")
    services.escalation_acknowledge(actor=supervisor, escalation=escalation)
    with pytest.raises(ValidationError, match="already been acknowledged"):
        services.escalation_acknowledge(actor=supervisor, escalation=escalation)
    services.escalation_resolve(
        actor=supervisor, escalation=escalation, resolution="Referred to safeguarding lead."
    )
    escalation.refresh_from_db()
    assert escalation.state == "Resolved"
    assert actions()[-3:] == [
        "casework.escalation.raised",
        "casework.escalation.acknowledged",
        "casework.escalation.resolved",
    ]


def test_a_rule_raises_an_escalation_with_no_person_and_names_itself(episode):
    escalation = services.escalation_raise(
        actor=None, episode=episode, category="self_harm", details="PHQ-9 item 9 = 2", rule="phq9"
    )
    assert escalation.raised_by is None
    assert escalation.rule == "phq9"
    with pytest.raises(ValueError, match="must name the rule"):
        services.escalation_raise(actor=None, episode=episode, category="other", details="x")


def test_signposting_needs_a_service(episode, trainer):
    with pytest.raises(ValidationError, match="Choose a service"):
        services.signposting_record(
            actor=trainer, episode=episode, kind="signposted", signposted_on=date(2026, 11, 1)
        )
    item = services.signposting_record(
        actor=trainer,
        episode=episode,
        kind="referred_on",
        signposted_on=date(2026, 11, 1),
        other_service="Talking therapies",
    )
    assert item.service_name == "Talking therapies"


def test_a_programme_gets_the_standard_lists_once(world):
    before = CbTechnique.objects.filter(programme=world.programme).count()
    assert before == 11
    services.programme_lists_seed(actor=None, programme=world.programme)
    assert CbTechnique.objects.filter(programme=world.programme).count() == before


def test_a_list_entry_cannot_be_added_twice(world):
    manager = world.people[Role.PROGRAMME_MANAGER]
    with pytest.raises(ValidationError, match="already on the list"):
        services.programme_list_item_add(
            actor=manager, programme=world.programme, model=CbTechnique, name="goal setting"
        )


def test_goals_of_a_discharged_episode_are_fixed(world, episode, trainer):
    goal = GoalFactory(episode=episode)
    services.episode_discharge(
        actor=trainer,
        episode=episode,
        discharged_on=timezone.localdate(),
        reason="moved_away",
        final_statuses={goal.pk: GoalStatus.NO_LONGER_RELEVANT},
    )
    with pytest.raises(ValidationError, match="discharged"):
        services.goal_update(
            actor=trainer,
            goal=Goal.objects.get(pk=goal.pk),
            details=services.GoalDetails("Changed", "other", 1),
            expected_version=goal.version,
        )


@pytest.mark.parametrize(
    ("answers", "overall"),
    [
        (["yes", "yes"], "yes"),
        (["no", "no"], "no"),
        (["yes", "no"], "partly"),
        (["partly"], "partly"),
        ([], ""),
    ],
)
def test_the_client_level_answer_on_strategies(answers, overall):
    assert services.overall_maintained(answers) == overall


def test_the_follow_up_keeps_the_client_level_answer(world, episode, trainer):
    goal, taken_up, follow_up = _discharged_with_a_goal_and_a_strategy(world, episode, trainer)
    services.follow_up_record(
        actor=trainer,
        follow_up=follow_up,
        answers=services.FollowUpAnswers(
            early_reason=EARLY,
            contacted_on=date(2026, 11, 20),
            reached=True,
            gp_visits_last_3_months=0,
            strategies_maintained={taken_up.pk: "no"},
            goals_sustained={goal.pk: "no"},
        ),
    )
    follow_up.refresh_from_db()
    assert follow_up.maintaining_strategies == "no"


def test_a_goal_never_reviewed_can_be_discharged_as_not_reviewed(world, episode, trainer):
    never = GoalFactory(episode=episode)
    reviewed = GoalFactory(episode=episode)
    services.goal_review(
        actor=trainer, goal=reviewed, status="achieved", reviewed_on=date(2026, 10, 20)
    )
    with pytest.raises(ValidationError, match="have been reviewed"):
        services.episode_discharge(
            actor=trainer,
            episode=episode,
            discharged_on=date(2026, 11, 1),
            reason="disengaged",
            final_statuses={never.pk: "not_reviewed", reviewed.pk: "not_reviewed"},
        )
    services.episode_discharge(
        actor=trainer,
        episode=episode,
        discharged_on=date(2026, 11, 1),
        reason="disengaged",
        final_statuses={never.pk: "not_reviewed", reviewed.pk: "achieved"},
    )
    never.refresh_from_db()
    assert never.final_status == "not_reviewed"
    assert not never.reviews.exists()


def test_a_new_list_entry_gets_a_code_for_workbooks(world):
    item = services.programme_list_item_add(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        model=Strategy,
        name="Hydrotherapy pool",
    )
    assert item.code == "hydrotherapy_pool"


def test_an_appointment_is_marked_only_once(episode, trainer):
    appointment = AppointmentFactory(episode=episode, starts_at=past(2))
    services.appointment_record_attendance(
        actor=trainer, appointment=appointment, attendance=Attendance.CANCELLED_BY_CLIENT
    )
    with pytest.raises(ValidationError, match="already marked"):
        services.appointment_record_attendance(
            actor=trainer, appointment=appointment, attendance=Attendance.DID_NOT_ATTEND
        )


def test_discharge_waits_for_past_appointments_to_be_marked(episode, trainer):
    AppointmentFactory(episode=episode, starts_at=past(3))
    with pytest.raises(ValidationError, match="Record what happened"):
        services.episode_discharge(
            actor=trainer,
            episode=episode,
            discharged_on=timezone.localdate(),
            reason="completed",
            final_statuses={},
        )


def test_the_discharge_date_cannot_come_before_the_last_session(world, episode, trainer):
    services.session_record_save(
        actor=trainer,
        appointment=AppointmentFactory(episode=episode, starts_at=past(2)),
        details=details(world.programme),
    )
    with pytest.raises(ValidationError, match="on or after the last session"):
        services.episode_discharge(
            actor=trainer,
            episode=episode,
            discharged_on=timezone.localdate() - timedelta(days=5),
            reason="completed",
            final_statuses={},
        )


def test_a_follow_up_that_did_not_reach_the_client_can_be_tried_again(world, episode, trainer):
    goal, taken_up, follow_up = _discharged_with_a_goal_and_a_strategy(world, episode, trainer)
    services.follow_up_record(
        actor=trainer,
        follow_up=follow_up,
        answers=services.FollowUpAnswers(
            early_reason=EARLY, contacted_on=date(2026, 11, 18), reached=False
        ),
    )
    services.follow_up_record(
        actor=trainer,
        follow_up=follow_up,
        answers=services.FollowUpAnswers(
            early_reason=EARLY,
            contacted_on=date(2026, 11, 20),
            reached=True,
            gp_visits_last_3_months=2,
            strategies_maintained={taken_up.pk: "yes"},
            goals_sustained={goal.pk: "yes"},
        ),
    )
    follow_up.refresh_from_db()
    assert follow_up.reached is True
    assert follow_up.contacted_on == date(2026, 11, 20)


def test_signposting_after_discharge_is_refused(episode, trainer):
    services.episode_discharge(
        actor=trainer,
        episode=episode,
        discharged_on=timezone.localdate(),
        reason="completed",
        final_statuses={},
    )
    with pytest.raises(ValidationError, match="discharged"):
        services.signposting_record(
            actor=trainer,
            episode=episode,
            kind="signposted",
            signposted_on=timezone.localdate(),
            other_service="Talking therapies",
        )


def test_each_final_status_is_audited(episode, trainer):
    goal = GoalFactory(episode=episode)
    services.episode_discharge(
        actor=trainer,
        episode=episode,
        discharged_on=timezone.localdate(),
        reason="completed",
        final_statuses={goal.pk: "not_reviewed"},
    )
    assert AuditEvent.objects.filter(
        action="casework.goal.finalised", object_id=str(goal.pk)
    ).exists()
