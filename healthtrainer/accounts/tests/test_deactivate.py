"""Closing an account across every programme at once."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from healthtrainer.accounts import services
from healthtrainer.accounts.models import Membership
from healthtrainer.accounts.roles import ADMINISTRATOR, Role
from healthtrainer.conftest import sign_in
from healthtrainer.core.models import AuditEvent
from healthtrainer.interop.services import api_client_create
from healthtrainer.tests.factories import MembershipFactory, ProgrammeFactory


def test_deactivating_ends_every_membership_and_session_and_is_audited(world):
    administrator = world.people[ADMINISTRATOR]
    manager = world.people[Role.PROGRAMME_MANAGER]
    MembershipFactory(user=manager, programme=ProgrammeFactory(), role=Role.EVALUATOR)
    signed_in = sign_in(Client(), manager)
    home = reverse("accounts:programme_home", args=[world.programme.slug])
    assert signed_in.get(home).status_code == 200
    ended = services.user_deactivate(actor=administrator, user=manager)
    assert ended == 2
    manager.refresh_from_db()
    assert not manager.is_active
    assert not Membership.objects.filter(user=manager, is_active=True).exists()
    assert signed_in.get(home).status_code == 302
    assert AuditEvent.objects.filter(
        action="accounts.user.deactivated", object_id=str(manager.pk), actor=administrator
    ).exists()
    assert (
        AuditEvent.objects.filter(
            action="accounts.membership.deactivated", actor=administrator
        ).count()
        == 2
    )


def test_no_one_deactivates_their_own_account(world):
    administrator = world.people[ADMINISTRATOR]
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=administrator, user=administrator)


def test_systems_the_person_connected_keep_working_and_are_flagged(world, client_as):
    administrator = world.people[ADMINISTRATOR]
    manager = world.people[Role.PROGRAMME_MANAGER]
    system, _ = api_client_create(
        actor=manager,
        programme=world.programme,
        name="Practice referral feed",
        permissions=["referrals.record_referral"],
    )
    page = client_as(ADMINISTRATOR).get(reverse("accounts:deactivate", args=[manager.pk]))
    assert "Practice referral feed" in page.content.decode()
    client_as(ADMINISTRATOR).post(reverse("accounts:deactivate", args=[manager.pk]))
    system.refresh_from_db()
    assert system.is_active
    listing = client_as(ADMINISTRATOR).get(
        reverse("interop:api_clients", args=[world.programme.slug])
    )
    assert "whose account is closed" in listing.content.decode()
    assert administrator.is_active
