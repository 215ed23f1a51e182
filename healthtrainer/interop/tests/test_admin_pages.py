"""Administrators connect systems to a programme and revoke them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthtrainer.accounts.roles import ADMINISTRATOR, Permission
from healthtrainer.interop.models import ApiClient
from healthtrainer.interop.services import api_client_create, authenticate


def test_an_administrator_creates_a_token_shown_once_and_revokes_it(world, client_as):
    admin = client_as(ADMINISTRATOR)
    url = reverse("interop:api_clients", args=[world.programme.slug])
    page = admin.post(
        url,
        {
            "name": "Practice system",
            "permissions": [Permission.RECORD_REFERRAL],
            "expires_days": 30,
        },
    ).content.decode()
    token = re.search(r"(htk_[A-Za-z0-9_-]+)", page).group(1)
    client = ApiClient.objects.get()
    assert authenticate(token) == client
    assert client.expires_at is not None
    assert token not in admin.get(url).content.decode()
    admin.post(reverse("interop:api_client_revoke", args=[world.programme.slug, client.pk]))
    assert authenticate(token) is None


def test_a_system_must_be_allowed_something(world, client_as):
    page = client_as(ADMINISTRATOR).post(
        reverse("interop:api_clients", args=[world.programme.slug]), {"name": "Nothing"}
    )
    assert "Choose at least one thing the system may do" in page.content.decode()
    assert not ApiClient.objects.exists()


def test_last_use_is_kept_to_the_minute_without_a_write_on_every_call(world):
    _, token = api_client_create(
        actor=None,
        programme=world.programme,
        name="GP system",
        permissions=["referrals.record_referral"],
    )
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        authenticate(token)
    first = ApiClient.objects.get().last_used_at
    with (
        time_machine.travel(datetime(2026, 3, 2, 9, 0, 40, tzinfo=UTC), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        authenticate(token)
    assert ApiClient.objects.get().last_used_at == first
    assert not any(query["sql"].startswith("UPDATE") for query in queries.captured_queries)
    with time_machine.travel(datetime(2026, 3, 2, 9, 1, 10, tzinfo=UTC), tick=False):
        authenticate(token)
    assert ApiClient.objects.get().last_used_at > first
