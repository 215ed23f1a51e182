import pytest
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.referrals.triage import Status
from healthtrainer.tests.factories import ClientFactory, MembershipFactory, ReferralFactory


@pytest.fixture
def other_trainer(world):
    return MembershipFactory(programme=world.programme, role=Role.HEALTH_TRAINER).user


def accepted_for(world, trainer, name):
    client = ClientFactory(programme=world.programme, family_name=name)
    ReferralFactory(
        practice=world.people[Role.REFERRER].memberships.get().organisation,
        client=client,
        status=Status.ACCEPTED,
        assigned_trainer=trainer,
    )
    return client


def test_a_trainer_sees_only_their_own_clients(world, client_as, other_trainer):
    accepted_for(world, world.people[Role.HEALTH_TRAINER], "Mine")
    accepted_for(world, other_trainer, "Theirs")
    page = client_as(Role.HEALTH_TRAINER).get(
        reverse("casework:caseload", args=[world.programme.slug])
    )
    text = page.content.decode()
    assert "Mine" in text
    assert "Theirs" not in text
    assert "Your caseload" in text


def test_another_trainers_client_is_not_found_by_url(world, client_as, other_trainer):
    theirs = accepted_for(world, other_trainer, "Theirs")
    url = reverse("clients:detail", args=[world.programme.slug, theirs.pk])
    assert client_as(Role.HEALTH_TRAINER).get(url).status_code == 404
    assert client_as(Role.SUPERVISOR).get(url).status_code == 200


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.PROGRAMME_MANAGER])
def test_supervisors_and_managers_see_every_caseload(world, client_as, other_trainer, role):
    accepted_for(world, world.people[Role.HEALTH_TRAINER], "Mine")
    accepted_for(world, other_trainer, "Theirs")
    text = (
        client_as(role)
        .get(reverse("casework:caseload", args=[world.programme.slug]))
        .content.decode()
    )
    assert "Mine" in text
    assert "Theirs" in text
    assert other_trainer.full_name in text


def test_referrals_not_yet_accepted_are_not_on_a_caseload(world, client_as):
    ReferralFactory(
        practice=world.people[Role.REFERRER].memberships.get().organisation,
        family_name="Waiting",
        status=Status.RECEIVED,
    )
    text = (
        client_as(Role.PROGRAMME_MANAGER)
        .get(reverse("casework:caseload", args=[world.programme.slug]))
        .content.decode()
    )
    assert "Waiting" not in text
    assert "No referrals have been accepted yet" in text
