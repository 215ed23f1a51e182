"""Query budgets: every list and dashboard page makes as many queries for a programme of
many rows as for one of few. A page whose count grows with its rows (a query per row)
fails here, long before it is slow in service.

The programme is filled by the synthetic-data builder, then grown by more people, more
escalations, resources, courses, interviews and clients using their companion, and every
page is counted before and after. Pages about one client are counted for the client with
the fewest sessions and the one with the most. A new programme page must be listed here or
in NOT_LISTS.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthtrainer.accounts.roles import ADMINISTRATOR, Role
from healthtrainer.casework.models import Appointment
from healthtrainer.clients.models import Client
from healthtrainer.conftest import sign_in
from healthtrainer.core.bulk_rows import RowWriter
from healthtrainer.demo.synthetic import Counts, ProgrammeBuilder
from healthtrainer.evaluation.tests.companion_data import many_companion_clients
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import (
    CommunityResourceFactory,
    EscalationFactory,
    ReferralFactory,
    coded_interview,
)
from healthtrainer.tests.test_permission_matrix import MATRIX
from healthtrainer.workforce.services.training import CourseDetails, course_create

MANAGER, TRAINER, SUPERVISOR = Role.PROGRAMME_MANAGER, Role.HEALTH_TRAINER, Role.SUPERVISOR
EVALUATOR, REFERRER = Role.EVALUATOR, Role.REFERRER

# url name → who reads it. Each takes the programme's slug (the practice page also its id).
PROGRAMME_PAGES = {
    "accounts:programme_home": MANAGER,
    "accounts:people": MANAGER,
    "accounts:access_review": MANAGER,
    "accounts:audit": MANAGER,
    "referrals:triage": MANAGER,
    "casework:caseload": TRAINER,
    "casework:escalations": SUPERVISOR,
    "casework:directory": TRAINER,
    "casework:lists": MANAGER,
    "workforce:lists": MANAGER,
    "measures:due": TRAINER,
    "measures:outcomes": MANAGER,
    "measures:programme_instruments": MANAGER,
    "workforce:supervision_list": SUPERVISOR,
    "workforce:fidelity": SUPERVISOR,
    "workforce:trainers": MANAGER,
    "workforce:training_courses": MANAGER,
    "workforce:training_confidence": MANAGER,
    "evaluation:time_given": MANAGER,
    "workforce:role_rates": MANAGER,
    "workforce:budget_lines": MANAGER,
    "workforce:cost_items": MANAGER,
    "evaluation:costs": MANAGER,
    "evaluation:referral_dashboard": MANAGER,
    "evaluation:report": MANAGER,
    "qualitative:documents": EVALUATOR,
    "qualitative:participants": EVALUATOR,
    "qualitative:codebook": EVALUATOR,
    "qualitative:agreement": EVALUATOR,
    "qualitative:framework": EVALUATOR,
    "qualitative:joint": MANAGER,
    "interop:api_clients": ADMINISTRATOR,
    "programmes:organisations": MANAGER,
    "network:programme_networks": MANAGER,
}
CLIENT_PAGES = {
    "clients:detail": TRAINER,
    "casework:timeline": TRAINER,
}
EPISODE_PAGES = {
    "casework:episode": TRAINER,
    "measures:episode": TRAINER,
}
# Programme pages that are forms or show one setting, not rows.
NOT_LISTS = {
    "accounts:invite",
    "referrals:practice_home",
    "referrals:own_practice_referrals",
    "referrals:record",
    "imports:upload",
    "imports:confirm",
    "casework:resource_new",
    "workforce:supervision_new",
    "workforce:settings",
    "workforce:training_course_new",
    "workforce:training_confidence_new",
    "workforce:indirect_time_new",
    "workforce:budget_line_new",
    "workforce:cost_item_new",
    "evaluation:research_export",
    "qualitative:document_new",
    "programmes:settings",
    "programmes:organisation_create",
}


def test_every_programme_page_is_either_budgeted_or_named_as_not_a_list():
    programme_pages = {name for name, (kind, _) in MATRIX.items() if kind == "programme"}
    assert programme_pages == set(PROGRAMME_PAGES) | NOT_LISTS


class GrowingProgramme:
    """The world's programme filled by the synthetic builder, with the personas' trainer
    and practice among its own, so their pages fill as it grows."""

    def __init__(self, world) -> None:
        self.world = world
        self.writer = RowWriter()
        self.builder = ProgrammeBuilder(random.Random(5), world.programme, number=900)
        self.builder.ensure_trainers(0)
        self.builder.trainers.append(world.people[TRAINER])
        self.builder.practices.append(world.people[REFERRER].memberships.get().organisation)
        self.builder.supervision_and_costs(self.writer)
        self.people = 0
        self.companions = 0

    def grow(self, people: int, extras: int) -> None:
        self.builder.batch(self.writer, self.people, people, Counts())
        self.people += people
        world, trainer = self.world, self.world.people[TRAINER]
        episodes = Referral.objects.filter(assigned_trainer=trainer)[:extras]
        for episode in episodes:
            EscalationFactory(episode=episode, raised_by=trainer)
            CommunityResourceFactory(programme=world.programme)
        # Clients using their companion: diary, check-ins, strategies after discharge.
        many_companion_clients(
            world.programme, trainer, extras * 4, offset=self.companions, decile=extras % 10 + 1
        )
        self.companions += extras * 4
        manager = world.people[MANAGER]
        practice = world.people[REFERRER].memberships.get().organisation
        for number in range(extras):
            ReferralFactory(practice=practice)  # waiting for triage
            course_create(
                actor=manager, programme=world.programme, details=CourseDetails(title=f"C{number}")
            )
            coded_interview(
                world.programme,
                analyst=manager,
                coders=[manager, world.people[EVALUATOR]],
                label=f"{self.people}-{number}",
            )


def _queries(world, persona: str, url: str) -> int:
    person = world.people[persona]
    # Steady state: the one write that remembers a person's programme is already made.
    type(person).objects.filter(pk=person.pk).update(last_programme=world.programme)
    client = sign_in(HttpClient(), person)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _programme_counts(world) -> dict[str, int]:
    slug = world.programme.slug
    return {
        name: _queries(world, persona, reverse(name, args=[slug]))
        for name, persona in PROGRAMME_PAGES.items()
    }


@pytest.fixture
def growing(world):
    return GrowingProgramme(world)


@pytest.mark.django_db
def test_programme_pages_make_as_many_queries_for_many_rows_as_for_few(world, growing):
    growing.grow(people=12, extras=1)
    few = _programme_counts(world)
    growing.grow(people=300, extras=6)
    many = _programme_counts(world)
    assert Referral.objects.filter(assigned_trainer=world.people[TRAINER]).count() > 50
    grew = {name: (few[name], many[name]) for name in few if many[name] != few[name]}
    assert grew == {}, "queries (few rows, many rows) of pages whose count grew"


@pytest.mark.django_db
def test_practice_page_makes_as_many_queries_for_many_referrals_as_for_few(world, growing):
    practice = world.people[REFERRER].memberships.get().organisation
    url = reverse("referrals:practice_referrals", args=[world.programme.slug, practice.pk])
    growing.grow(people=12, extras=0)
    few = _queries(world, REFERRER, url)
    growing.grow(people=300, extras=0)
    assert practice.referrals.count() > 15
    assert _queries(world, REFERRER, url) == few


@pytest.mark.django_db
def test_site_audit_makes_as_many_queries_for_many_events_as_for_few(world, growing):
    growing.grow(people=5, extras=1)
    few = _queries(world, ADMINISTRATOR, reverse("accounts:site_audit"))
    growing.grow(people=5, extras=8)
    assert _queries(world, ADMINISTRATOR, reverse("accounts:site_audit")) == few


@pytest.mark.django_db
def test_client_pages_make_as_many_queries_for_many_sessions_as_for_few(world, growing):
    growing.grow(people=200, extras=0)
    slug = world.programme.slug
    trainer = world.people[TRAINER]
    held = {}
    for appointment in Appointment.objects.filter(episode__assigned_trainer=trainer).values(
        "episode_id", "episode__client_id"
    ):
        key = (appointment["episode_id"], appointment["episode__client_id"])
        held[key] = held.get(key, 0) + 1
    (fewest_episode, fewest_client), (most_episode, most_client) = (
        min(held, key=held.get),
        max(held, key=held.get),
    )
    assert held[(most_episode, most_client)] >= 3 * held[(fewest_episode, fewest_client)]
    assert Client.objects.filter(pk__in=[fewest_client, most_client]).count() == 2
    for pages, few_id, many_id in (
        (CLIENT_PAGES, fewest_client, most_client),
        (EPISODE_PAGES, fewest_episode, most_episode),
    ):
        for name, persona in pages.items():
            few = _queries(world, persona, reverse(name, args=[slug, few_id]))
            many = _queries(world, persona, reverse(name, args=[slug, many_id]))
            assert many == few, name
