"""A home page starts with what needs doing now, and a sign-in lands where the person
worked last."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.conftest import sign_in
from healthtrainer.tests.factories import (
    EscalationFactory,
    MembershipFactory,
    ProgrammeFactory,
    ReferralFactory,
    accepted_episode,
)


def home(client, programme) -> str:
    return client.get(reverse("accounts:programme_home", args=[programme.slug])).content.decode()


def test_a_managers_home_starts_with_the_referrals_waiting_and_the_oldests_age(world, client_as):
    today = timezone.localdate()
    ReferralFactory(programme=world.programme, received_date=today - timedelta(days=12))
    ReferralFactory(programme=world.programme, received_date=today - timedelta(days=2))
    page = home(client_as(Role.PROGRAMME_MANAGER), world.programme)
    needs, rest = page.split("Everything you can do here")
    assert "2 referrals waiting for triage, the oldest 12 days" in needs
    assert "Triage queue" in rest


def test_a_calm_day_reads_as_calm(world, client_as):
    page = home(client_as(Role.PROGRAMME_MANAGER), world.programme)
    assert "No referrals waiting for triage" in page


def test_a_supervisor_sees_escalations_to_acknowledge_and_a_trainer_their_own_work(
    world, client_as
):
    trainer = world.people[Role.HEALTH_TRAINER]
    episode = accepted_episode(trainer, world.programme)
    EscalationFactory(episode=episode)
    assert "1 escalation to acknowledge" in home(client_as(Role.SUPERVISOR), world.programme)
    as_trainer = home(client_as(Role.HEALTH_TRAINER), world.programme)
    assert "1 client in care with no appointment booked" in as_trainer
    assert "escalation to acknowledge" not in as_trainer
    assert "referrals waiting for triage" not in as_trainer


def test_the_tasks_are_grouped_by_purpose_not_thirty_cards(world, client_as):
    page = home(client_as(Role.PROGRAMME_MANAGER), world.programme)
    for group in ("Clients", "Referrals", "Evaluation", "Programme set-up"):
        assert f'<h3 class="nhsuk-heading-s">{group}</h3>' in page
    assert "nhsuk-card" not in page


def test_a_sign_in_lands_on_the_programme_used_last(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    second = ProgrammeFactory()
    MembershipFactory(user=trainer, programme=second, role=Role.HEALTH_TRAINER)
    first_visit = sign_in(Client(), trainer)
    first_visit.get(reverse("accounts:programme_home", args=[second.slug]))
    later = sign_in(Client(), trainer)
    landing = later.get(reverse("accounts:home"))
    assert landing["Location"] == reverse("accounts:programme_home", args=[second.slug])


def test_a_programme_left_since_is_not_where_a_sign_in_lands(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    second = ProgrammeFactory()
    membership = MembershipFactory(user=trainer, programme=second, role=Role.HEALTH_TRAINER)
    sign_in(Client(), trainer).get(reverse("accounts:programme_home", args=[second.slug]))
    membership.is_active = False
    membership.save()
    landing = sign_in(Client(), trainer).get(reverse("accounts:home"))
    assert landing["Location"] == reverse("accounts:programme_home", args=[world.programme.slug])
