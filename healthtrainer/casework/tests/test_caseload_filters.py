"""The caseload narrowed by client, health trainer and what needs doing: as a plain page,
and as results alone for htmx to swap in place."""

import pytest
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import AppointmentFactory, EscalationFactory, MembershipFactory

from .test_caseload import accepted_for


@pytest.fixture
def other_trainer(world):
    return MembershipFactory(programme=world.programme, role=Role.HEALTH_TRAINER).user


@pytest.fixture
def clients(world, other_trainer):
    mine = world.people[Role.HEALTH_TRAINER]
    booked = accepted_for(world, mine, "Booked")
    AppointmentFactory(episode=Referral.objects.get(client=booked))
    escalated = accepted_for(world, mine, "Escalated")
    EscalationFactory(episode=Referral.objects.get(client=escalated))
    accepted_for(world, other_trainer, "Theirs")
    return other_trainer


def shown(client, world, headers=None, **params):
    url = reverse("casework:caseload", args=[world.programme.slug])
    page = client.get(url, params, **(headers or {}))
    assert page.status_code == 200
    return page.content.decode()


def test_a_manager_narrows_the_caseloads_by_trainer_and_name(world, client_as, clients):
    manager = client_as(Role.PROGRAMME_MANAGER)
    page = shown(manager, world, trainer=clients.pk)
    assert "Theirs" in page
    assert "Booked" not in page
    page = shown(manager, world, q="book")
    assert "Booked" in page
    assert "Escalated" not in page
    assert "Theirs" not in page
    assert "1 client match the filters" in page


def test_needs_shows_clients_with_no_appointment_or_an_open_escalation(world, client_as, clients):
    manager = client_as(Role.PROGRAMME_MANAGER)
    page = shown(manager, world, needs="no_appointment")
    assert "Escalated" in page
    assert "Theirs" in page
    assert "Booked" not in page
    page = shown(manager, world, needs="escalation")
    assert "Escalated" in page
    assert "Booked" not in page
    assert "Theirs" not in page


def test_a_trainer_is_not_offered_another_trainer_and_cannot_widen_their_caseload(
    world, client_as, clients
):
    page = shown(client_as(Role.HEALTH_TRAINER), world, trainer=clients.pk)
    assert 'name="trainer"' not in page
    assert "Theirs" not in page
    assert "Booked" in page


def test_htmx_gets_the_results_alone(world, client_as, clients):
    page = shown(client_as(Role.SUPERVISOR), world, headers={"HTTP_HX_REQUEST": "true"}, q="zzz")
    assert "<html" not in page
    assert "No client in care matches the filters." in page
