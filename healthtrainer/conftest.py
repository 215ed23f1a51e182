"""Personas shared by every test: one person per role, an outsider and an anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from healthtrainer.accounts.models import User
from healthtrainer.accounts.roles import ADMINISTRATOR, Role
from healthtrainer.programmes.models import Programme
from healthtrainer.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PracticeFactory,
    ProgrammeFactory,
    TOTPDeviceFactory,
    UserFactory,
)

OUTSIDER = "outsider"
ANONYMOUS = "anonymous"
PERSONAS = [*Role.values, ADMINISTRATOR, OUTSIDER, ANONYMOUS]


def sign_in(client: Client, user: User) -> Client:
    """Sign in fully, second factor included, as a real person would after both steps."""
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass
class World:
    programme: Programme
    other_programme: Programme
    people: dict[str, User | None]


@pytest.fixture
def programme(db) -> Programme:
    return ProgrammeFactory(slug="home-programme", name="Home programme")


@pytest.fixture
def other_programme(db) -> Programme:
    return ProgrammeFactory(slug="other-programme", name="Other programme")


@pytest.fixture
def world(programme, other_programme) -> World:
    practice = PracticeFactory(programme=programme)
    community = OrganisationFactory(programme=programme)
    people: dict[str, User | None] = {}
    for role in Role:
        organisation = practice if role == Role.REFERRER else community
        membership = MembershipFactory(programme=programme, role=role, organisation=organisation)
        people[role] = membership.user
    people[ADMINISTRATOR] = UserFactory(is_site_administrator=True)
    people[OUTSIDER] = MembershipFactory(
        programme=other_programme, role=Role.PROGRAMME_MANAGER
    ).user
    people[ANONYMOUS] = None
    return World(programme, other_programme, people)


@pytest.fixture
def client_as(world):
    """A client signed in as the named persona (or anonymous)."""

    def make(persona: str) -> Client:
        client = Client()
        user = world.people[persona]
        return sign_in(client, user) if user is not None else client

    return make
