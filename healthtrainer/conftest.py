"""Personas shared by every test: one person per role, an outsider and an anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

import pytest
from django.db import connection
from django.db.models.signals import post_migrate
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

AUDIT_TRIGGERS = [
    import_module("healthtrainer.core.migrations.0002_audit_event_append_only_triggers"),
    import_module("healthtrainer.core.migrations.0003_audit_event_refuses_replace_and_truncate"),
]

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


def _transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )


@pytest.fixture(autouse=True)
def audit_triggers_lifted_for_the_flush(request):
    """Let a transactional test's database be flushed afterwards, audit trail included.

    The audit table refuses deletes (SQLite flushes with DELETE) and TRUNCATE (PostgreSQL's
    flush), so its triggers are lifted just before the flush, and put back by the
    post_migrate signal the flush sends when it is done.
    """
    if not _transactional(request):
        yield
        return
    yield

    def put_back(**kwargs: object) -> None:
        post_migrate.disconnect(put_back)
        with connection.schema_editor() as editor:
            for triggers in AUDIT_TRIGGERS:
                triggers.create_triggers(None, editor)

    with connection.schema_editor() as editor:
        for triggers in AUDIT_TRIGGERS:
            triggers.drop_triggers(None, editor)
    post_migrate.connect(put_back, weak=False)
