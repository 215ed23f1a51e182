"""Supervision, fidelity and trainer profiles: services, scoping, summaries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import CbTechnique
from healthtrainer.casework.services import SessionDetails, session_record_save
from healthtrainer.core.models import AuditEvent
from healthtrainer.tests.factories import (
    AppointmentFactory,
    MembershipFactory,
    accepted_episode,
    past,
)
from healthtrainer.workforce.fidelity import programme_fidelity, rated_work
from healthtrainer.workforce.models import FidelityItem, SupervisionSession, TrainerProfile
from healthtrainer.workforce.services import supervision as services
from healthtrainer.workforce.services.setup import settings_for

SLUG = "home-programme"


@pytest.fixture
def trainer(world):
    return world.people[Role.HEALTH_TRAINER]


@pytest.fixture
def supervisor(world):
    return world.people[Role.SUPERVISOR]


def record(world, supervisor, trainers, **extra):
    return services.supervision_record(
        actor=supervisor,
        programme=world.programme,
        trainers=trainers,
        held_on=extra.pop("held_on", date(2026, 11, 10)),
        duration_minutes=60,
        format="one_to_one",
        **extra,
    )


def rate(session, supervisor, trainer, values):
    return services.fidelity_rate(
        actor=supervisor,
        session=session,
        trainer=trainer,
        ratings={item.pk: value for item, value in zip(items_of(session), values, strict=True)},
    )


def items_of(session):
    return list(FidelityItem.objects.filter(programme=session.programme).order_by("position"))


def test_a_supervision_session_is_recorded_with_its_cases_and_audited(world, supervisor, trainer):
    case = accepted_episode(trainer, world.programme)
    session = record(world, supervisor, [trainer], cases=[case], concerns="Pacing drift")
    assert list(session.trainers.all()) == [trainer]
    assert list(session.cases.all()) == [case]
    assert AuditEvent.objects.order_by("id").last().action == "workforce.supervision.recorded"


def test_a_trainer_outside_the_programme_is_refused(world, supervisor):
    outsider = MembershipFactory(programme=world.other_programme, role=Role.HEALTH_TRAINER).user
    with pytest.raises(ValidationError, match="not a health trainer in this programme"):
        record(world, supervisor, [outsider])
    with pytest.raises(ValidationError, match="not a health trainer in this programme"):
        record(world, supervisor, [supervisor])
    assert not SupervisionSession.objects.exists()


def test_a_case_of_another_programme_is_refused(world, supervisor, trainer):
    other_trainer = MembershipFactory(
        programme=world.other_programme, role=Role.HEALTH_TRAINER
    ).user
    foreign = accepted_episode(other_trainer, world.other_programme)
    with pytest.raises(ValidationError, match="not a client in this programme's care"):
        record(world, supervisor, [trainer], cases=[foreign])


def test_ratings_must_lie_on_the_programmes_scale(world, supervisor, trainer):
    session = record(world, supervisor, [trainer])
    with pytest.raises(ValidationError, match="Rate from 0 to 6"):
        rate(session, supervisor, trainer, [3, 3, 3, 3, 7])
    assert not session.ratings.exists()
    rate(session, supervisor, trainer, [4, 5, 3, 4, 4])
    assert session.ratings.count() == 5


def test_rating_someone_not_supervised_is_refused(world, supervisor, trainer):
    other = MembershipFactory(programme=world.programme, role=Role.HEALTH_TRAINER).user
    session = record(world, supervisor, [trainer])
    with pytest.raises(ValidationError, match="was not supervised"):
        rate(session, supervisor, other, [4, 4, 4, 4, 4])


def test_rating_again_replaces_the_earlier_ratings(world, supervisor, trainer):
    session = record(world, supervisor, [trainer])
    rate(session, supervisor, trainer, [1, 1, 1, 1, 1])
    rate(session, supervisor, trainer, [5, 5, 5, 5, 5])
    assert {rating.value for rating in session.ratings.all()} == {5}


def test_an_action_is_added_and_completed_once(world, supervisor, trainer):
    session = record(world, supervisor, [trainer])
    action = services.supervision_action_add(
        actor=supervisor,
        session=session,
        description="Use the pacing diary with two clients",
        owner=trainer,
        due_on=date(2026, 11, 24),
    )
    with pytest.raises(ValidationError, match="between the session and today"):
        services.supervision_action_complete(
            actor=supervisor, action=action, completed_on=date(2026, 11, 1)
        )
    services.supervision_action_complete(
        actor=supervisor, action=action, completed_on=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="already complete"):
        services.supervision_action_complete(
            actor=supervisor, action=action, completed_on=timezone.localdate()
        )


def test_fidelity_as_intended_is_the_share_at_or_above_the_threshold(world, supervisor, trainer):
    other = MembershipFactory(programme=world.programme, role=Role.HEALTH_TRAINER).user
    first = record(world, supervisor, [trainer, other])
    # Means: trainer (4+4+4+4+4)/5 = 4.0, at the default threshold of 4;
    # other (3+4+3+4+3)/5 = 3.4, below it.
    rate(first, supervisor, trainer, [4, 4, 4, 4, 4])
    rate(first, supervisor, other, [3, 4, 3, 4, 3])
    second = record(world, supervisor, [trainer], held_on=date(2026, 11, 20))
    # (5+5+4+4+4)/5 = 4.4, above it.
    rate(second, supervisor, trainer, [5, 5, 4, 4, 4])
    # Three session records, two naming a technique: two thirds.
    technique = CbTechnique.objects.filter(programme=world.programme).first()
    episode = accepted_episode(trainer, world.programme)
    for days, techniques in ((5, [technique]), (4, [technique]), (3, [])):
        session_record_save(
            actor=trainer,
            appointment=AppointmentFactory(episode=episode, starts_at=past(days)),
            details=SessionDetails(duration_minutes=40, techniques=techniques, topics=[]),
        )
    work = rated_work(SupervisionSession.objects.filter(programme=world.programme))
    summary = programme_fidelity(world.programme, work, Decimal("4"))
    assert (summary.at_threshold, summary.rated_work) == (2, 3)
    assert (summary.naming_a_technique, summary.session_records) == (2, 3)
    assert sorted(round(item.mean, 1) for item in work) == [3.4, 4.0, 4.4]


def test_a_trainer_sees_only_their_own_supervision(world, client_as, supervisor, trainer):
    other = MembershipFactory(programme=world.programme, role=Role.HEALTH_TRAINER).user
    theirs = record(world, supervisor, [other], concerns="Someone else's concern")
    mine = record(world, supervisor, [trainer])
    browser = client_as(Role.HEALTH_TRAINER)
    listing = browser.get(reverse("workforce:supervision_list", args=[SLUG])).content.decode()
    assert reverse("workforce:supervision", args=[SLUG, mine.pk]) in listing
    assert reverse("workforce:supervision", args=[SLUG, theirs.pk]) not in listing
    assert browser.get(reverse("workforce:supervision", args=[SLUG, theirs.pk])).status_code == 404


def test_the_fidelity_page_runs_the_same_queries_for_few_and_many(
    world, client_as, supervisor, trainer
):
    browser = client_as(Role.SUPERVISOR)

    def queries_with(count):
        for index in range(count):
            session = record(
                world, supervisor, [trainer], held_on=date(2026, 10, 1) + timedelta(index)
            )
            rate(session, supervisor, trainer, [index % 7] * 5)
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(reverse("workforce:fidelity", args=[SLUG])).status_code == 200
        return len(captured)

    assert queries_with(2) == queries_with(12)


def test_a_profile_is_saved_and_checked(world, trainer):
    membership = trainer.memberships.get(programme=world.programme)
    manager = world.people[Role.PROGRAMME_MANAGER]
    profile = services.trainer_profile_save(
        actor=manager,
        membership=membership,
        fields={"fte": Decimal("0.6"), "hourly_cost": Decimal("18.50"), "qualifications": "NVQ 3"},
    )
    assert TrainerProfile.objects.get(pk=profile.pk).hourly_cost == Decimal("18.50")
    with pytest.raises(ValidationError):
        services.trainer_profile_save(
            actor=manager, membership=membership, fields={"hourly_cost": Decimal("-1")}
        )
    assert TrainerProfile.objects.get(pk=profile.pk).hourly_cost == Decimal("18.50")


def test_the_scale_cannot_shrink_below_ratings_already_given(world, supervisor, trainer):
    session = record(world, supervisor, [trainer])
    rate(session, supervisor, trainer, [6, 6, 6, 6, 6])
    scale = settings_for(world.programme)
    scale.fidelity_scale_max = 4
    with pytest.raises(ValidationError, match="outside this scale"):
        services.workforce_settings_update(
            actor=world.people[Role.PROGRAMME_MANAGER],
            workforce_settings=scale,
            changed_fields=["fidelity_scale_max"],
        )


def test_in_a_group_a_trainer_sees_only_their_own_ratings_actions_and_clients(
    world, client_as, supervisor, trainer
):
    other = MembershipFactory(programme=world.programme, role=Role.HEALTH_TRAINER).user
    their_client = accepted_episode(other, world.programme, family_name="Notmine")
    session = record(world, supervisor, [trainer, other], cases=[their_client])
    rate(session, supervisor, trainer, [4, 4, 4, 4, 4])
    rate(session, supervisor, other, [1, 1, 1, 1, 1])
    services.supervision_action_add(
        actor=supervisor, session=session, description="Their private action", owner=other
    )
    services.supervision_action_add(
        actor=supervisor, session=session, description="My action", owner=trainer
    )
    browser = client_as(Role.HEALTH_TRAINER)
    text = browser.get(reverse("workforce:supervision", args=[SLUG, session.pk])).content.decode()
    assert "My action" in text
    assert "Their private action" not in text
    assert "Notmine" not in text
    fidelity_page = browser.get(reverse("workforce:fidelity", args=[SLUG])).content.decode()
    assert "mean 4.0" in fidelity_page
    assert "mean 1.0" not in fidelity_page


def test_supervision_input_is_checked_by_the_service(world, supervisor, trainer):
    with pytest.raises(ValidationError):
        services.supervision_record(
            actor=supervisor,
            programme=world.programme,
            trainers=[trainer],
            held_on=date(2026, 11, 1),
            duration_minutes=5000,
            format="nonsense",
        )
    assert not SupervisionSession.objects.exists()


def test_the_threshold_must_lie_on_the_scale(world):
    scale = settings_for(world.programme)
    scale.fidelity_threshold = Decimal("9")
    with pytest.raises(ValidationError, match="threshold must lie on the rating scale"):
        services.workforce_settings_update(
            actor=world.people[Role.PROGRAMME_MANAGER],
            workforce_settings=scale,
            changed_fields=["fidelity_threshold"],
        )
