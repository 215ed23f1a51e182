"""Joining a network is the programme manager's consent, for the aspects chosen; a
withdrawal takes the programme out of the network's figures at once."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from healthtrainer.accounts.roles import Role
from healthtrainer.conftest import ADMINISTRATOR, OUTSIDER
from healthtrainer.core.models import AuditEvent
from healthtrainer.network.models import Aspect, Network, NetworkAnalyst
from healthtrainer.network.services import (
    analyst_add,
    change_declare,
    network_join,
    network_withdraw,
    networks_analysed_by,
    programmes_sharing,
)
from healthtrainer.tests.factories import UserFactory


@pytest.fixture
def network(db):
    return Network.objects.create(name="Yorkshire", slug="yorkshire")


def test_the_manager_consents_for_the_aspects_chosen(world, network):
    manager = world.people[Role.PROGRAMME_MANAGER]
    membership = network_join(
        actor=manager,
        network=network,
        programme=world.programme,
        aspects=[Aspect.OUTCOMES, Aspect.REFERRAL],
    )
    assert membership.aspects == ["outcomes", "referral"]
    assert membership.consented_by == manager
    assert programmes_sharing(network, Aspect.OUTCOMES) == [world.programme]
    assert programmes_sharing(network, Aspect.EQUITY) == []
    event = AuditEvent.objects.get(action="network.membership.consented")
    assert event.changed_fields == ["outcomes", "referral"]


def test_nobody_else_consents_for_a_programme(world, network):
    for person in (
        world.people[Role.HEALTH_TRAINER],
        world.people[Role.EVALUATOR],
        world.people[OUTSIDER],
    ):
        with pytest.raises(PermissionDenied):
            network_join(
                actor=person, network=network, programme=world.programme, aspects=["outcomes"]
            )


def test_consent_names_real_aspects_and_is_given_once(world, network):
    manager = world.people[Role.PROGRAMME_MANAGER]
    for aspects in ([], ["everything"]):
        with pytest.raises(ValidationError):
            network_join(actor=manager, network=network, programme=world.programme, aspects=aspects)
    network_join(actor=manager, network=network, programme=world.programme, aspects=["equity"])
    with pytest.raises(ValidationError, match="already in"):
        network_join(actor=manager, network=network, programme=world.programme, aspects=["equity"])


def test_a_withdrawal_takes_the_programme_out_at_once_and_it_may_join_again(world, network):
    manager = world.people[Role.PROGRAMME_MANAGER]
    membership = network_join(
        actor=manager, network=network, programme=world.programme, aspects=["outcomes"]
    )
    network_withdraw(actor=manager, membership=membership)
    assert programmes_sharing(network, Aspect.OUTCOMES) == []
    membership.refresh_from_db()
    assert (membership.withdrawn_by, membership.withdrawn_at is not None) == (manager, True)
    network_join(actor=manager, network=network, programme=world.programme, aspects=["outcomes"])
    assert programmes_sharing(network, Aspect.OUTCOMES) == [world.programme]


def test_administrators_name_analysts(world, network):
    analyst = UserFactory()
    with pytest.raises(PermissionDenied):
        analyst_add(actor=world.people[Role.PROGRAMME_MANAGER], network=network, user=analyst)
    analyst_add(actor=world.people[ADMINISTRATOR], network=network, user=analyst)
    assert networks_analysed_by(analyst) == [network]
    assert NetworkAnalyst.objects.get().added_by == world.people[ADMINISTRATOR]
    analyst.is_active = False
    analyst.save()
    assert networks_analysed_by(analyst) == []


def test_an_administrator_makes_a_network_and_names_its_analyst(world):
    person = UserFactory(email="analyst@example.nhs.uk")
    out = StringIO()
    call_command(
        "network_create",
        "North East",
        "--analyst",
        "analyst@example.nhs.uk",
        "--by",
        world.people[ADMINISTRATOR].email,
        stdout=out,
    )
    assert "Made the network North East." in out.getvalue()
    assert networks_analysed_by(person) == [Network.objects.get(slug="north-east")]
    with pytest.raises(CommandError, match="administrator"):
        call_command(
            "network_create",
            "North East",
            "--analyst",
            "analyst@example.nhs.uk",
            "--by",
            world.people[Role.PROGRAMME_MANAGER].email,
            stdout=StringIO(),
        )


def test_only_the_network_s_analysts_declare_a_change(world, network):
    with pytest.raises(PermissionDenied):
        change_declare(
            actor=world.people[Role.PROGRAMME_MANAGER],
            network=network,
            month=date(2026, 7, 1),
            what="A new pathway",
        )
    analyst = UserFactory()
    analyst_add(actor=world.people[ADMINISTRATOR], network=network, user=analyst)
    change_declare(actor=analyst, network=network, month=date(2026, 7, 14), what="A new pathway")
    with pytest.raises(ValidationError, match="already declared"):
        change_declare(actor=analyst, network=network, month=date(2026, 7, 1), what="Again")
    assert network.changes.get().month == date(2026, 7, 1)
