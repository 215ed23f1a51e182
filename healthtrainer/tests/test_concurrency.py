"""Many people, or one impatient sender, at the same moment: each gets an answer, never a
server error, on SQLite as on PostgreSQL.

The requests run in threads, each on its own database connection, against a test database
that is committed to (a transactional test), as a server's workers would.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.interop.tests.test_fhir import FHIR, _api, _token, service_request
from healthtrainer.measures import services
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import PracticeFactory, accepted_episode, collect


def _all_at_once(count: int, send: Callable[[], int]) -> list[int]:
    """Run `send` in `count` threads released together; the statuses they answered."""
    statuses: list[int] = []
    start = threading.Barrier(count)

    def run() -> None:
        try:
            start.wait()
            statuses.append(send())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_referrals_at_once_make_one_referral_and_no_error(world):
    PracticeFactory(programme=world.programme, ods_code="Y90001")
    token = _token(world.programme)
    body = json.dumps(service_request("REF-RACE"))

    def send() -> int:
        client = _api(token)
        client.raise_request_exception = False
        return client.post("/fhir/R4/ServiceRequest", body, content_type=FHIR).status_code

    statuses = _all_at_once(20, send)
    assert sorted(statuses) == [200] * 19 + [201]
    assert Referral.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_questionnaire_link_sent_ten_times_at_once_is_recorded_once(world):
    episode = accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)
    phq9 = collect(world.programme, "phq9", primary=True)
    _, token = services.client_link_create(
        actor=world.people[Role.HEALTH_TRAINER],
        episode=episode,
        instrument=phq9,
        timepoint="baseline",
    )
    answers = {f"item_item{n}": "1" for n in range(1, 10)}

    def send() -> int:
        client = Client(raise_request_exception=False)
        return client.post(
            reverse("measures:client_questionnaire", args=[token]), answers
        ).status_code

    statuses = _all_at_once(10, send)
    assert sorted(statuses) == [200] + [410] * 9
    assert QuestionnaireResponse.objects.count() == 1
