"""Networks to test with: programmes holding goals with final statuses, in a network
whose analyst is signed in; or synthetic programmes sharing everything, their published
figures made. Used by the network's tests and the API's."""

from __future__ import annotations

from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.conftest import ADMINISTRATOR, sign_in
from healthtrainer.demo.synthetic import generate
from healthtrainer.network.models import Aspect, Network, NetworkMembership
from healthtrainer.network.services import analyst_add, network_join
from healthtrainer.network.snapshots import snapshots_refresh
from healthtrainer.programmes.models import Programme
from healthtrainer.tests.factories import (
    GoalFactory,
    MembershipFactory,
    ProgrammeFactory,
    UserFactory,
    accepted_episode,
)


def programme_with_goals(name, achieved, not_achieved):
    programme = ProgrammeFactory(name=name, slug=name.lower().replace(" ", "-"))
    manager = MembershipFactory(programme=programme, role=Role.PROGRAMME_MANAGER).user
    trainer = MembershipFactory(programme=programme, role=Role.HEALTH_TRAINER).user
    episode = accepted_episode(trainer, programme)
    for status, count in (("achieved", achieved), ("not_achieved", not_achieved)):
        for _ in range(count):
            GoalFactory(episode=episode, final_status=status, created_by=manager)
    return programme, manager


def goals_network():
    """Yorkshire: Leeds well above the rest (36 of 40 goals), six towns around half, and
    Whitby too small to show (3 of 5), each sharing every aspect."""
    network = Network.objects.create(name="Yorkshire", slug="yorkshire")
    around_half = [(f"Town {i}", a, 40 - a) for i, a in enumerate([18, 20, 22, 19, 21, 20])]
    for name, achieved, not_achieved in [("Leeds", 36, 4), *around_half, ("Whitby", 3, 2)]:
        programme, manager = programme_with_goals(name, achieved, not_achieved)
        network_join(
            actor=manager,
            network=network,
            programme=programme,
            aspects=["outcomes", "completeness", "equity", "referral"],
        )
    return network


def signed_in_analyst(network, world, client):
    person = UserFactory()
    analyst_add(actor=world.people[ADMINISTRATOR], network=network, user=person)
    return sign_in(client, person)


def synthetic_network(clients: int, seed: int) -> Network:
    """Three synthetic programmes sharing every aspect, their published figures made."""
    generate(programmes=3, clients=clients, seed=seed)
    network = Network.objects.create(name="Region", slug="region")
    someone = UserFactory()
    for programme in Programme.objects.filter(slug__startswith="synthetic-"):
        NetworkMembership.objects.create(
            network=network,
            programme=programme,
            aspects=list(Aspect.values),
            consented_by=someone,
            consented_at=timezone.now(),
        )
    snapshots_refresh()
    return network
