"""Signing in to the companion with a one-time code: its limits, the same answer for a
number the service does not know, and devices that stay signed in until signed out."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.companion.access import COOKIE
from healthtrainer.companion.models import CompanionDevice, SignInBy, SignInCode
from healthtrainer.companion.services import (
    LOCKED,
    WRONG_CODE,
    SignInRefused,
    code_check,
    code_send,
    companion_invite,
    normalised_contact,
)
from healthtrainer.companion.tests.conftest import PHONE, asked_for_code, last_code
from healthtrainer.core.models import AuditEvent
from healthtrainer.notifications.models import OutboxMessage
from healthtrainer.notifications.notifier import OutboxNotifier
from healthtrainer.tests.factories import accepted_episode

NOTIFIER = OutboxNotifier()


def _codes_sent():
    return OutboxMessage.objects.filter(template="companion_sign_in_code").count()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("+44 (0)7700-900123", "07700900123"),
        ("0044 7700 900123", "07700900123"),
        (" Ada@Example.COM ", "ada@example.com"),
    ],
)
def test_a_number_or_address_is_found_however_it_is_typed(typed, stored):
    assert normalised_contact(typed) == stored


def test_the_invitation_goes_to_the_client_and_is_audited(invited):
    message = OutboxMessage.objects.get(template="companion_invitation")
    assert message.to == "07700900123"
    assert message.personalisation["link"].endswith("/my/sign-in/")
    assert AuditEvent.objects.filter(action="companion.access.invited").count() == 1


def test_a_code_signs_in_once_and_only_once(invited):
    code_send(contact=PHONE, notifier=NOTIFIER)
    code = last_code()
    assert len(code) == 6
    assert code.isdigit()
    device, token = code_check(contact="+44 7700 900123", code=code, device_label="Phone")
    assert device.access == invited
    assert token
    with pytest.raises(SignInRefused, match="not right"):
        code_check(contact=PHONE, code=code, device_label="Phone")


def test_a_code_expires_after_15_minutes(invited):
    start = timezone.now()
    code_send(contact=PHONE, notifier=NOTIFIER, now=start)
    with pytest.raises(SignInRefused):
        code_check(
            contact=PHONE,
            code=last_code(),
            device_label="Phone",
            now=start + timedelta(minutes=15, seconds=1),
        )
    code_send(contact=PHONE, notifier=NOTIFIER, now=start)
    code_check(
        contact=PHONE, code=last_code(), device_label="Phone", now=start + timedelta(minutes=14)
    )


def test_at_most_10_codes_an_hour(invited):
    start = timezone.now()
    for minute in range(12):
        code_send(contact=PHONE, notifier=NOTIFIER, now=start + timedelta(minutes=minute))
    assert _codes_sent() == 10
    code_send(contact=PHONE, notifier=NOTIFIER, now=start + timedelta(minutes=61))
    assert _codes_sent() == 11


def test_five_wrong_codes_stop_sign_in_for_an_hour_even_with_the_right_code(invited):
    start = timezone.now()
    code_send(contact=PHONE, notifier=NOTIFIER, now=start)
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(SignInRefused, match="not right"):
            code_check(contact=PHONE, code=wrong, device_label="Phone", now=start)
    with pytest.raises(SignInRefused) as fifth:
        code_check(contact=PHONE, code=wrong, device_label="Phone", now=start)
    assert str(fifth.value) == LOCKED
    with pytest.raises(SignInRefused, match="Too many"):
        code_check(contact=PHONE, code=right, device_label="Phone", now=start)
    code_send(contact=PHONE, notifier=NOTIFIER, now=start + timedelta(minutes=1))
    assert SignInCode.objects.count() == 1  # no code is sent while locked
    later = start + timedelta(hours=1, minutes=1)
    code_send(contact=PHONE, notifier=NOTIFIER, now=later)
    code_check(contact=PHONE, code=last_code(), device_label="Phone", now=later)


def test_an_unknown_number_is_told_the_same_and_sent_nothing(client, invited):
    known = client.post(reverse("companion:sign_in"), {"contact": PHONE}, follow=True)
    unknown = client.post(reverse("companion:sign_in"), {"contact": "07700 900999"}, follow=True)
    words = "we have sent a security code to it"
    assert words in known.content.decode()
    assert words in unknown.content.decode()
    assert _codes_sent() == 1
    with pytest.raises(SignInRefused) as refused:
        code_check(contact="07700 900999", code="123456", device_label="Phone")
    assert str(refused.value) == WRONG_CODE


def test_a_code_for_another_client_does_not_sign_in(invited, world):
    other = accepted_episode(
        world.people[Role.HEALTH_TRAINER], world.programme, phone="07700 900456"
    )
    companion_invite(
        actor=world.people[Role.HEALTH_TRAINER],
        episode=other,
        sign_in_by=SignInBy.SMS,
        notifier=NOTIFIER,
        sign_in_url="https://x/",
    )
    code_send(contact="07700 900456", notifier=NOTIFIER)
    with pytest.raises(SignInRefused):
        code_check(contact=PHONE, code=last_code(), device_label="Phone")


def test_the_browser_signs_in_keeps_a_device_and_signs_out(signed_in, invited):
    device = CompanionDevice.objects.get()
    assert COOKIE in signed_in.cookies
    home = signed_in.get(reverse("companion:home"))
    assert home.status_code == 200
    assert home["Cache-Control"] == "no-store"
    assert "Your plan" in home.content.decode()
    signed_in.post(reverse("companion:sign_out"))
    device.refresh_from_db()
    assert device.signed_out_at is not None
    assert signed_in.get(reverse("companion:home")).url == reverse("companion:sign_in")


def test_a_device_unused_for_six_months_is_signed_out(signed_in):
    with time_machine.travel(timezone.now() + timedelta(days=181)):
        assert signed_in.get(reverse("companion:home")).status_code == 302


def test_a_wrong_code_in_the_browser_says_so_and_keeps_the_page(client, invited):
    asked_for_code(client)
    wrong = "000000" if last_code() != "000000" else "111111"
    again = client.post(reverse("companion:code"), {"code": wrong})
    assert again.status_code == 200
    assert "The code is not right" in again.content.decode()
    assert not CompanionDevice.objects.exists()


def test_only_a_local_demo_shows_the_code_on_the_page(client, invited, settings):
    asked_for_code(client)
    page = client.get(reverse("companion:code")).content.decode()
    assert "would be <strong>" not in page
    settings.DEBUG = True
    page = client.get(reverse("companion:code")).content.decode()
    assert f"would be <strong>{last_code()}</strong>" in page


def test_the_number_is_never_in_an_address(client, invited):
    page = client.post(reverse("companion:sign_in"), {"contact": PHONE})
    assert "07700" not in page.url
    assert "900123" not in page.url


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 Mobile Safari/604.1",
            "Safari on an iPhone",
        ),
        ("curl/8.0", "A browser on a device"),
    ],
)
def test_a_device_is_named_so_the_client_can_tell_them_apart(invited, agent, label):
    browser = Client(HTTP_USER_AGENT=agent)
    asked_for_code(browser)
    browser.post(reverse("companion:code"), {"code": last_code()})
    assert CompanionDevice.objects.get().label == label
