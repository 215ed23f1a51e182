from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from healthtrainer.accounts.roles import Role
from healthtrainer.conftest import sign_in
from healthtrainer.core.models import AuditEvent
from healthtrainer.tests.factories import PASSWORD, MembershipFactory, TOTPDeviceFactory

SIGN_IN = reverse("accounts:sign_in")
WRONG_DETAILS = "Enter a correct email address and password."


@pytest.fixture
def member(programme):
    return MembershipFactory(programme=programme, role=Role.HEALTH_TRAINER).user


def post_sign_in(client, email, password):
    return client.post(SIGN_IN, {"username": email, "password": password})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_an_unknown_email_and_a_wrong_password_get_the_same_message(client, member):
    unknown = post_sign_in(client, "nobody@example.com", PASSWORD)
    wrong = post_sign_in(Client(), member.email, "not-the-password")
    assert unknown.status_code == wrong.status_code == 200
    assert WRONG_DETAILS in unknown.content.decode()
    assert WRONG_DETAILS in wrong.content.decode()


def test_the_account_locks_after_five_failed_attempts(client, member):
    for _ in range(4):
        assert post_sign_in(client, member.email, "not-the-password").status_code == 200
    locked = post_sign_in(client, member.email, "not-the-password")
    assert locked.status_code == 429
    assert "Your account is locked" in locked.content.decode()
    # Even the right password is refused while the lock holds, from any browser.
    again = post_sign_in(Client(), member.email, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in again.client.session


def test_failed_and_locked_out_sign_ins_are_audited_against_the_account(client, member):
    for _ in range(5):
        post_sign_in(client, member.email, "not-the-password")
    events = AuditEvent.objects.filter(object_id=str(member.pk), object_type="accounts.user")
    actions = list(events.values_list("action", flat=True))
    assert actions.count("accounts.user.sign_in_failed") == 5
    assert actions.count("accounts.user.locked_out") == 1
    assert not events.exclude(actor=None).exists()


def test_four_failures_then_the_right_password_signs_in(client, member, settings):
    settings.REQUIRE_MFA = False
    for _ in range(4):
        post_sign_in(client, member.email, "not-the-password")
    response = post_sign_in(client, member.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_signing_in_is_audited(client, member, settings):
    settings.REQUIRE_MFA = False
    post_sign_in(client, member.email, PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.user.signed_in", actor=member).count() == 1


def test_with_two_factor_on_a_password_alone_reaches_only_the_setup_page(client, member, programme):
    response = post_sign_in(client, member.email, PASSWORD)
    assert response.status_code == 302
    home = client.get(reverse("accounts:programme_home", args=[programme.slug]))
    assert home.status_code == 302
    assert home.url == reverse("accounts:two_factor_setup")
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200


def test_setting_up_two_factor_with_a_correct_code_opens_the_service(client, member, programme):
    post_sign_in(client, member.email, PASSWORD)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=member, confirmed=False)

    response = client.post(reverse("accounts:two_factor_setup"), {"token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    home = client.get(reverse("accounts:programme_home", args=[programme.slug]))
    assert home.status_code == 200
    assert AuditEvent.objects.filter(action="accounts.user.two_factor_added").count() == 1


def test_a_wrong_code_is_refused_and_quick_retries_are_slowed_down(client, member):
    post_sign_in(client, member.email, PASSWORD)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=member, confirmed=False)

    wrong = client.post(reverse("accounts:two_factor_setup"), {"token": "000000"})
    assert "The security code is not right" in wrong.content.decode()
    retry = client.post(reverse("accounts:two_factor_setup"), {"token": current_code(device)})
    assert "Too many wrong security codes" in retry.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_the_lock_applies_whatever_the_case_of_the_email(client, member):
    for attempt in range(5):
        email = member.email.upper() if attempt % 2 else member.email
        response = post_sign_in(client, email, "not-the-password")
    assert response.status_code == 429


def test_a_person_with_two_factor_must_enter_a_code_after_their_password(client, member, programme):
    device = TOTPDeviceFactory(user=member)
    post_sign_in(client, member.email, PASSWORD)
    home_url = reverse("accounts:programme_home", args=[programme.slug])
    assert client.get(home_url).url == reverse("accounts:two_factor_verify")

    client.post(reverse("accounts:two_factor_verify"), {"token": current_code(device)})
    assert client.get(home_url).status_code == 200


def test_with_two_factor_off_a_password_is_enough(client, member, programme, settings):
    settings.REQUIRE_MFA = False
    post_sign_in(client, member.email, PASSWORD)
    home = client.get(reverse("accounts:programme_home", args=[programme.slug]))
    assert home.status_code == 200


def test_the_sign_in_page_says_when_two_factor_is_off_for_the_demo(client, settings):
    settings.REQUIRE_MFA = False
    settings.DEMO_MODE = True
    page = client.get(SIGN_IN).content.decode()
    assert "Two-factor sign-in is turned off for the demo" in page


def test_a_session_ends_after_thirty_idle_minutes(member, programme):
    home_url = reverse("accounts:programme_home", args=[programme.slug])
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = sign_in(Client(), member)
        assert client.get(home_url).status_code == 200
        clock.move_to(start + timedelta(minutes=29))
        assert client.get(home_url).status_code == 200
        # Each request pushed the expiry forward; now stay idle for 31 minutes.
        clock.move_to(start + timedelta(minutes=29 + 31))
        response = client.get(home_url)
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


def test_signing_out_needs_a_post_and_ends_the_session(member, programme):
    client = sign_in(Client(), member)
    assert client.get(reverse("accounts:sign_out")).status_code == 200
    assert "_auth_user_id" in client.session
    client.post(reverse("accounts:sign_out"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.user.signed_out", actor=member).exists()


def test_every_form_needs_a_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGN_IN, {"username": member.email, "password": PASSWORD})
    assert response.status_code == 403


def test_sign_in_does_not_redirect_to_another_site(client, member, settings):
    settings.REQUIRE_MFA = False
    response = client.post(
        SIGN_IN + "?next=https://evil.example.com/",
        {"username": member.email, "password": PASSWORD, "next": "https://evil.example.com/"},
    )
    assert response.status_code == 302
    assert "evil.example.com" not in response.url


def test_a_manager_resets_a_lost_authenticator(world, client_as):
    trainer = world.people[Role.HEALTH_TRAINER]
    TOTPDeviceFactory(user=trainer)
    membership = trainer.memberships.get()

    client_as(Role.PROGRAMME_MANAGER).post(
        reverse("accounts:two_factor_reset", args=[world.programme.slug, membership.pk])
    )

    assert not TOTPDevice.objects.filter(user=trainer).exists()
    event = AuditEvent.objects.get(action="accounts.user.two_factor_reset")
    assert (event.object_id, event.programme) == (str(trainer.pk), world.programme)
    client = Client()
    post_sign_in(client, trainer.email, PASSWORD)
    home = client.get(reverse("accounts:programme_home", args=[world.programme.slug]))
    assert home.url == reverse("accounts:two_factor_setup")


@pytest.mark.parametrize("email", ["a" * 5000 + "@example.com", "some\x00one@example.com"])
def test_an_address_no_account_could_have_is_refused_like_any_other(client, member, email):
    response = post_sign_in(client, email, PASSWORD)
    assert response.status_code in (200, 400)
    assert AuditEvent.objects.filter(action="accounts.user.sign_in_failed").count() <= 1
