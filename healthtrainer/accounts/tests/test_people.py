import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.models import Invitation, Membership, User
from healthtrainer.accounts.roles import ADMINISTRATOR, Role
from healthtrainer.conftest import sign_in
from healthtrainer.core.models import AuditEvent
from healthtrainer.tests.factories import MembershipFactory, PracticeFactory

NEW_PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def manager_client(world, client_as):
    return client_as(Role.PROGRAMME_MANAGER)


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Post the invitation form; the email goes once the transaction commits."""

    def post(client, programme, **fields):
        data = {"full_name": "Nia New", "email": "nia@example.com", "role": Role.HEALTH_TRAINER}
        data.update(fields)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:invite", args=[programme.slug]), data)

    return post


def link_in_last_email() -> str:
    match = re.search(r"http://testserver(/invitations/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_an_invitation_is_emailed_with_a_single_use_link(invite, world, manager_client):
    response = invite(manager_client, world.programme)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nia@example.com"]
    invitation = Invitation.objects.get()
    expiry = f"The link expires on {invitation.expires_at:%d %B %Y}"
    assert expiry in manager_client.get(response.url).content.decode()
    link = link_in_last_email()
    assert invitation.token_hash not in link, "only a hash of the token is stored"
    assert AuditEvent.objects.filter(action="accounts.invitation.created").count() == 1


def test_accepting_an_invitation_creates_the_account_and_the_role(invite, world, manager_client):
    invite(manager_client, world.programme)
    link = link_in_last_email()
    visitor = Client()
    assert "Create your account" in visitor.get(link).content.decode()

    response = visitor.post(
        link,
        {"full_name": "Nia New", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user = User.objects.get(email="nia@example.com")
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.programme, membership.role) == (world.programme, Role.HEALTH_TRAINER)
    actions = set(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert {"accounts.user.created", "accounts.invitation.accepted"} <= actions
    # The link works once.
    assert Client().get(link).status_code == 404


def test_a_weak_or_mismatched_password_is_refused_with_a_message(invite, world, manager_client):
    invite(manager_client, world.programme)
    link = link_in_last_email()
    weak = Client().post(link, {"full_name": "Nia", "password": "short", "password_again": "short"})
    assert "too short" in weak.content.decode()
    mismatch = Client().post(
        link, {"full_name": "Nia", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD + "x"}
    )
    assert "The passwords do not match" in mismatch.content.decode()
    assert not User.objects.filter(email="nia@example.com").exists()


def test_an_invitation_link_expires(invite, world, manager_client, settings):
    invite(manager_client, world.programme)
    link = link_in_last_email()
    later = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, minutes=1)
    with time_machine.travel(later):
        assert Client().get(link).status_code == 404


def test_a_withdrawn_invitation_cannot_be_used(invite, world, manager_client):
    invite(manager_client, world.programme)
    link = link_in_last_email()
    invitation = Invitation.objects.get()
    manager_client.post(
        reverse("accounts:invitation_revoke", args=[world.programme.slug, invitation.pk])
    )
    assert Client().get(link).status_code == 404


def test_an_existing_person_accepts_by_signing_in(invite, world, manager_client):
    outsider = MembershipFactory(programme=world.other_programme).user
    invite(manager_client, world.programme, email=outsider.email, role=Role.EVALUATOR)
    link = link_in_last_email()
    assert "Sign in to accept" in Client().get(link).content.decode()

    client = sign_in(Client(), outsider)
    assert client.post(link).status_code == 302
    assert outsider.memberships.get(programme=world.programme).role == Role.EVALUATOR


def test_someone_signed_in_as_another_person_cannot_accept(
    invite, world, manager_client, client_as
):
    invite(manager_client, world.programme)
    link = link_in_last_email()
    other = client_as(Role.EVALUATOR)
    assert "signed in as someone else" in other.get(link).content.decode()
    other.post(link)
    assert not User.objects.filter(email="nia@example.com").exists()


def test_a_referrer_must_belong_to_a_gp_practice(invite, world, manager_client):
    response = invite(manager_client, world.programme, role=Role.REFERRER, organisation="")
    assert "A referrer must belong to a GP practice" in response.content.decode()
    assert not Invitation.objects.exists()

    practice = PracticeFactory(programme=world.programme)
    invite(manager_client, world.programme, role=Role.REFERRER, organisation=practice.pk)
    assert Invitation.objects.get().organisation == practice


def test_an_organisation_of_another_programme_cannot_be_chosen(invite, world, manager_client):
    theirs = PracticeFactory(programme=world.other_programme)
    response = invite(manager_client, world.programme, role=Role.REFERRER, organisation=theirs.pk)
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_inviting_someone_who_already_has_access_is_refused(invite, world, manager_client):
    evaluator = world.people[Role.EVALUATOR]
    response = invite(manager_client, world.programme, email=evaluator.email)
    assert "already has access" in response.content.decode()


def test_a_mover_gets_the_new_roles_permissions(world, manager_client, client_as):
    trainer = world.people[Role.HEALTH_TRAINER]
    membership = trainer.memberships.get()
    people_url = reverse("accounts:people", args=[world.programme.slug])
    assert client_as(Role.HEALTH_TRAINER).get(people_url).status_code == 403

    manager_client.post(
        reverse("accounts:membership", args=[world.programme.slug, membership.pk]),
        {"role": Role.PROGRAMME_MANAGER, "organisation": ""},
    )

    assert client_as(Role.HEALTH_TRAINER).get(people_url).status_code == 200
    event = AuditEvent.objects.get(action="accounts.membership.role_changed")
    assert event.changed_fields == ["organisation", "role"]


def test_a_leaver_loses_access_and_can_be_restored(world, manager_client, client_as):
    membership = world.people[Role.SUPERVISOR].memberships.get()
    home = reverse("accounts:programme_home", args=[world.programme.slug])
    access_url = reverse(
        "accounts:membership_set_active", args=[world.programme.slug, membership.pk]
    )

    manager_client.post(access_url, {"active": "false"})
    assert client_as(Role.SUPERVISOR).get(home).status_code == 404

    manager_client.post(access_url, {"active": "true"})
    assert client_as(Role.SUPERVISOR).get(home).status_code == 200
    actions = list(
        AuditEvent.objects.filter(
            object_id=str(membership.pk), action__startswith="accounts.membership."
        ).values_list("action", flat=True)
    )
    assert actions == ["accounts.membership.reactivated", "accounts.membership.deactivated"]


def test_a_manager_cannot_remove_their_own_access(world, manager_client):
    membership = world.people[Role.PROGRAMME_MANAGER].memberships.get()
    response = manager_client.post(
        reverse("accounts:membership_set_active", args=[world.programme.slug, membership.pk]),
        {"active": "false"},
        follow=True,
    )
    assert "You cannot remove your own access" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


def test_the_access_review_flags_accounts_unused_for_ninety_days(world, manager_client):
    trainer = world.people[Role.HEALTH_TRAINER]
    trainer.last_login = timezone.now() - timedelta(days=91)
    trainer.save()
    evaluator = world.people[Role.EVALUATOR]
    evaluator.last_login = timezone.now() - timedelta(days=2)
    evaluator.save()

    page = manager_client.get(reverse("accounts:access_review", args=[world.programme.slug]))

    rows = {
        name: "Unused 90+ days" in row
        for row in page.content.decode().split('<tr class="nhsuk-table__row">')[1:]
        for name in (trainer.full_name, evaluator.full_name)
        if name in row
    }
    assert rows == {trainer.full_name: True, evaluator.full_name: False}


def test_the_audit_trail_can_be_filtered_by_person_and_action(invite, world, manager_client):
    manager = world.people[Role.PROGRAMME_MANAGER]
    invite(manager_client, world.programme)
    invite(manager_client, world.programme, email="other@example.com")
    url = reverse("accounts:audit", args=[world.programme.slug])

    own = AuditEvent.objects.filter(programme=world.programme).count()
    assert f"{own} events" in manager_client.get(url).content.decode()
    by_action = manager_client.get(
        url, {"action": "accounts.invitation.created", "person": manager.pk}
    )
    assert "2 events" in by_action.content.decode()
    assert "Invitation created" in by_action.content.decode()
    assert "accounts.invitation.created</code>" not in by_action.content.decode()
    nobody = manager_client.get(url, {"action": "accounts.invitation.revoked"})
    assert "Select a valid choice" in nobody.content.decode()
    bad_date = manager_client.get(url, {"date_from": "yesterday"})
    assert "Enter the start date as YYYY-MM-DD" in bad_date.content.decode()


def test_administrators_see_the_action_codes_beside_the_words(
    invite, world, manager_client, client_as
):
    invite(manager_client, world.programme)
    administrator = client_as(ADMINISTRATOR)
    page = administrator.get(reverse("accounts:site_audit")).content.decode()
    assert "Invitation created" in page
    assert "accounts.invitation.created</code>" in page


def test_the_audit_trail_of_one_programme_shows_none_of_another(
    invite, world, manager_client, client_as
):
    invite(client_as("outsider"), world.other_programme, email="x@example.com")
    page = manager_client.get(reverse("accounts:audit", args=[world.programme.slug]))
    own = AuditEvent.objects.filter(programme=world.programme).count()
    assert f"{own} events" in page.content.decode()
    assert "Invitation created" not in page.content.decode()
