"""FHIR referrals to one programme written side by side: a repeat of a request still being
written waits for it and answers with its referral, references stay unique and increase,
and a referral's audit event commits or rolls back with it.

The threads each use their own database connection against a committed test database (a
transactional test), as a server's workers would.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from healthtrainer.accounts.roles import Permission
from healthtrainer.core.models import AuditEvent
from healthtrainer.interop.fhir import inbound
from healthtrainer.interop.models import ApiClient, ReferralIdentifier
from healthtrainer.interop.services import api_client_create
from healthtrainer.interop.tests.test_fhir import FHIR, _api, _token, service_request
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import PracticeFactory

RECEIVED = "referrals.referral.received"
# Two requests are held inside open transactions at once only on PostgreSQL: SQLite takes
# its one write lock when a transaction begins, so the second would wait before doing
# anything, and there would be no race to test.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two writers at once; SQLite serialises every write transaction",
)


def _in_thread(run: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Start `run` in a thread of its own, on a connection of its own; its answer (or the
    exception it raised) lands in the dictionary returned."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["answer"] = run()
        except Exception as error:  # handed to the test to assert on
            result["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    return thread, result


def _sender(world) -> ApiClient:
    PracticeFactory(programme=world.programme, ods_code="Y90001")
    client, _ = api_client_create(
        actor=None,
        programme=world.programme,
        name="GP system",
        permissions=[Permission.RECORD_REFERRAL],
    )
    return client


def _race_a_repeat(client: ApiClient) -> tuple[dict[str, Any], dict[str, Any], bool]:
    """Send a referral and hold its transaction open; send the same one again meanwhile.
    The two answers, and whether the repeat was still waiting when the first committed."""
    written, release = threading.Event(), threading.Event()

    def first() -> tuple[Referral, bool]:
        with transaction.atomic():
            answer = inbound.receive(client, service_request("REF-RACE"))
            written.set()
            release.wait(10)
        return answer

    first_thread, first_result = _in_thread(first)
    assert written.wait(10), first_result
    repeat_thread, repeat_result = _in_thread(
        lambda: inbound.receive(client, service_request("REF-RACE"))
    )
    repeat_thread.join(0.5)
    waited = repeat_thread.is_alive()
    release.set()
    first_thread.join(10)
    repeat_thread.join(10)
    return first_result, repeat_result, waited


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_repeat_sent_while_the_first_is_written_waits_and_answers_with_its_referral(world):
    first, repeat, waited = _race_a_repeat(_sender(world))

    referral, created = first["answer"]
    again, created_again = repeat["answer"]
    assert waited
    assert (created, created_again) == (True, False)
    assert again.pk == referral.pk
    assert Referral.objects.count() == ReferralIdentifier.objects.count() == 1
    assert AuditEvent.objects.filter(action=RECEIVED).count() == 1
    # The repeat waited on the identifier before taking a number: none was thrown away.
    assert referral.reference == "R-00001"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_without_the_identifier_lock_the_unique_constraint_still_makes_one_referral(
    world, monkeypatch
):
    # The repeat now gets as far as writing its own referral, and stops at the
    # identifier's unique constraint until the first commits.
    monkeypatch.setattr(inbound, "_hold_identifier", lambda *args: None)

    first, repeat, waited = _race_a_repeat(_sender(world))

    referral, created = first["answer"]
    again, created_again = repeat["answer"]
    assert waited
    assert (created, created_again) == (True, False)
    assert again.pk == referral.pk
    # The repeat's own referral and its audit event were rolled back together.
    assert Referral.objects.count() == 1
    assert AuditEvent.objects.filter(action=RECEIVED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_references_of_senders_at_once_are_unique_and_increase_for_each_sender(world):
    PracticeFactory(programme=world.programme, ods_code="Y90001")
    token = _token(world.programme)
    senders, each = 4, 5
    start = threading.Barrier(senders)
    made: dict[int, list[int]] = {}

    def send(sender: int) -> None:
        client = _api(token)
        start.wait()
        made[sender] = []
        for number in range(each):
            response = client.post(
                "/fhir/R4/ServiceRequest",
                json.dumps(service_request(f"S{sender}-{number}")),
                content_type=FHIR,
                HTTP_PREFER="return=minimal",
            )
            assert response.status_code == 201, response.content
            made[sender].append(int(response["Location"].rsplit("/", 1)[1]))

    threads = [_in_thread(lambda sender=sender: send(sender)) for sender in range(senders)]
    for thread, result in threads:
        thread.join(60)
        assert "error" not in result, result

    references = dict(Referral.objects.values_list("pk", "reference"))
    assert all(re.fullmatch(r"R-\d{5}", reference) for reference in references.values())
    numbers = sorted(int(reference[2:]) for reference in references.values())
    # Unique, and with nothing rolled back, none skipped.
    assert numbers == list(range(1, senders * each + 1))
    for pks in made.values():
        mine = [int(references[pk][2:]) for pk in pks]
        assert mine == sorted(mine)


@pytest.mark.django_db
def test_the_audit_event_is_written_with_the_referral(world):
    PracticeFactory(programme=world.programme, ods_code="Y90001")
    response = _api(_token(world.programme)).post(
        "/fhir/R4/ServiceRequest", json.dumps(service_request()), content_type=FHIR
    )

    assert response.status_code == 201
    referral = Referral.objects.get()
    assert AuditEvent.objects.filter(action=RECEIVED, object_id=str(referral.pk)).count() == 1


@pytest.mark.django_db
def test_a_referral_rolled_back_leaves_no_audit_event(world, monkeypatch):
    PracticeFactory(programme=world.programme, ods_code="Y90001")

    def fail(**fields: Any) -> None:
        raise RuntimeError("the identifier could not be written")

    monkeypatch.setattr(ReferralIdentifier.objects, "create", fail)
    client = _api(_token(world.programme))
    client.raise_request_exception = False
    response = client.post(
        "/fhir/R4/ServiceRequest", json.dumps(service_request()), content_type=FHIR
    )

    assert response.status_code == 500
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action=RECEIVED).exists()
