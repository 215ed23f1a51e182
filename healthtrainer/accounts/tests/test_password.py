"""Forgotten and changed passwords: Django's token, the notifier, limits, sessions, audit."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.passwords import RESETS_PER_ADDRESS
from healthtrainer.accounts.roles import Role
from healthtrainer.conftest import sign_in
from healthtrainer.core.models import AuditEvent
from healthtrainer.notifications.models import OutboxMessage

NEW_PASSWORD = "a-long-new-passphrase-for-pain"


@pytest.fixture
def trainer(world):
    person = world.people[Role.HEALTH_TRAINER]
    person.set_password("the-old-passphrase-for-pain")
    person.save()
    return person


def ask_for_link(client: Client, email: str):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def sent_link() -> str:
    message = OutboxMessage.objects.filter(template="password_reset").latest("pk")
    return message.personalisation["link"]


def test_the_link_goes_through_the_notifier_and_sets_a_new_password_once(trainer):
    answer = ask_for_link(Client(), trainer.email.upper())
    assert answer.status_code == 302
    assert answer["Location"] == reverse("accounts:password_reset_done")
    link = sent_link()
    path = re.sub(r"^https?://[^/]+", "", link)
    client = Client()
    form_page = client.get(path, follow=True)
    assert "Set a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    trainer.refresh_from_db()
    assert trainer.check_password(NEW_PASSWORD)
    again = Client().get(path, follow=True)
    assert "This link cannot be used" in again.content.decode()
    actions = set(
        AuditEvent.objects.filter(object_id=str(trainer.pk)).values_list("action", flat=True)
    )
    assert {"accounts.user.password_reset_requested", "accounts.user.password_reset"} <= actions


def test_an_unknown_or_closed_address_gets_the_same_answer_and_nothing_is_sent(trainer):
    known = ask_for_link(Client(), trainer.email)
    unknown = ask_for_link(Client(), "nobody-here@example.com")
    trainer.is_active = False
    trainer.save()
    closed = ask_for_link(Client(), trainer.email)
    assert known.status_code == unknown.status_code == closed.status_code == 302
    assert known["Location"] == unknown["Location"] == closed["Location"]
    assert OutboxMessage.objects.filter(template="password_reset").count() == 1


def test_the_link_expires_after_an_hour(trainer, settings):
    ask_for_link(Client(), trainer.email)
    path = re.sub(r"^https?://[^/]+", "", sent_link())
    with time_machine.travel(
        timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    ):
        page = Client().get(path, follow=True)
    assert "This link cannot be used" in page.content.decode()


def test_requests_for_one_address_are_limited_known_or_not(trainer):
    for email in (trainer.email, "nobody-here@example.com"):
        for _ in range(RESETS_PER_ADDRESS):
            assert ask_for_link(Client(), email).status_code == 302
        refused = ask_for_link(Client(), email)
        assert refused.status_code == 200
        assert "Too many reset links" in refused.content.decode()
    assert OutboxMessage.objects.filter(template="password_reset").count() == RESETS_PER_ADDRESS


def test_a_reset_ends_every_session_of_the_account(trainer):
    elsewhere = sign_in(Client(), trainer)
    home = reverse("accounts:programme_home", args=[trainer.memberships.get().programme.slug])
    assert elsewhere.get(home).status_code == 200
    ask_for_link(Client(), trainer.email)
    client = Client()
    form_page = client.get(re.sub(r"^https?://[^/]+", "", sent_link()), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert elsewhere.get(home).status_code == 302


def test_changing_a_password_keeps_this_session_and_ends_the_others(trainer):
    here = sign_in(Client(), trainer)
    elsewhere = sign_in(Client(), trainer)
    home = reverse("accounts:programme_home", args=[trainer.memberships.get().programme.slug])
    wrong = here.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    changed = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": "the-old-passphrase-for-pain",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert here.get(home).status_code == 200
    assert elsewhere.get(home).status_code == 302
    assert AuditEvent.objects.filter(
        action="accounts.user.password_changed", object_id=str(trainer.pk)
    ).exists()


def test_the_sign_in_page_offers_a_reset():
    page = Client().get(reverse("accounts:sign_in")).content.decode()
    assert reverse("accounts:password_reset") in page
