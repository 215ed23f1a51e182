"""The client's plan, and the one way in: a client reaches their own record and nothing
else, staff sign-in gives no way in, and each read is audited as the client's."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import ClientStrategy, GoalReview, Strategy
from healthtrainer.companion.models import CompanionDevice, SignInBy
from healthtrainer.companion.services import companion_invite, device_sign_out
from healthtrainer.companion.tests.conftest import asked_for_code, last_code
from healthtrainer.conftest import sign_in
from healthtrainer.core.models import AuditEvent
from healthtrainer.notifications.notifier import OutboxNotifier
from healthtrainer.tests.factories import (
    AppointmentFactory,
    GoalFactory,
    MembershipFactory,
    accepted_episode,
)


@pytest.fixture
def plan(world, episode):
    trainer = world.people[Role.HEALTH_TRAINER]
    goal = GoalFactory(episode=episode, description="Walk to the shop and back", when="mornings")
    GoalReview.objects.create(
        goal=goal, reviewed_on=date(2026, 11, 2), status="partly_achieved", reviewed_by=trainer
    )
    GoalFactory(episode=episode, description="Sleep through three nights a week")
    strategy = Strategy.objects.filter(programme=world.programme).first()
    ClientStrategy.objects.create(
        programme=world.programme,
        episode=episode,
        strategy=strategy,
        adopted_on=date(2026, 11, 2),
        recorded_by=trainer,
    )
    AppointmentFactory(episode=episode, starts_at=timezone.now() - timedelta(days=3))
    AppointmentFactory(
        episode=episode, starts_at=timezone.now() + timedelta(days=6), venue="Library; room 2"
    )
    return strategy


def test_the_plan_shows_the_client_their_goals_appointment_strategies_and_trainer(
    signed_in, plan, world
):
    page = signed_in.get(reverse("companion:home")).content.decode()
    assert "Walk to the shop and back" in page
    assert "partly achieved" in page
    assert "Not reviewed yet" in page
    assert plan.name in page
    assert world.people[Role.HEALTH_TRAINER].full_name in page
    assert "Library; room 2" in page
    assert "116 123" in page
    event = AuditEvent.objects.get(action="companion.plan.viewed")
    assert (event.actor, event.client_actor_id) == (
        None,
        CompanionDevice.objects.get().access.client_id,
    )


def test_the_next_appointment_comes_as_a_calendar_file(signed_in, plan):
    response = signed_in.get(reverse("companion:appointment_calendar"))
    text = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "LOCATION:Library\\; room 2\r\n" in text
    assert "SUMMARY:Health trainer appointment" in text


def test_with_no_appointment_the_calendar_file_is_not_found(signed_in):
    assert signed_in.get(reverse("companion:appointment_calendar")).status_code == 404


def test_a_client_reaches_no_other_client_s_anything(signed_in, world, client):
    other = accepted_episode(
        world.people[Role.HEALTH_TRAINER], world.programme, phone="07700 900456"
    )
    GoalFactory(episode=other, description="Another client's goal")
    companion_invite(
        actor=world.people[Role.HEALTH_TRAINER],
        episode=other,
        sign_in_by=SignInBy.SMS,
        notifier=OutboxNotifier(),
        sign_in_url="https://x/",
    )
    assert "Another client's goal" not in signed_in.get(reverse("companion:home")).content.decode()
    # The other client's device cannot be signed out from this one.
    elsewhere = Client()
    asked_for_code(elsewhere, "07700 900456")
    elsewhere.post(reverse("companion:code"), {"code": last_code()})
    theirs = CompanionDevice.objects.get(access__client=other.client)
    response = signed_in.post(reverse("companion:devices"), {"device": theirs.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_signed_in


def test_a_signed_in_member_of_staff_is_not_a_client(client_as):
    trainer = client_as(Role.HEALTH_TRAINER)
    assert trainer.get(reverse("companion:home")).url == reverse("companion:sign_in")


def test_a_client_device_opens_no_staff_page(signed_in, world, episode):
    page = signed_in.get(reverse("casework:episode", args=[world.programme.slug, episode.pk]))
    assert page.status_code == 302
    assert "/sign-in" in page.url


def test_the_client_signs_out_another_of_their_devices(signed_in, invited):
    second = Client()
    asked_for_code(second)
    second.post(reverse("companion:code"), {"code": last_code()})
    _, other = CompanionDevice.objects.order_by("pk")
    page = signed_in.get(reverse("companion:devices")).content.decode()
    assert page.count('name="device"') == 2
    signed_in.post(reverse("companion:devices"), {"device": other.pk})
    other.refresh_from_db()
    assert not other.is_signed_in
    assert second.get(reverse("companion:home")).status_code == 302
    assert signed_in.get(reverse("companion:home")).status_code == 200


def test_the_trainer_invites_sees_devices_signs_one_out_and_closes(
    signed_in, client_as, world, episode
):
    trainer = client_as(Role.HEALTH_TRAINER)
    url = reverse("companion:episode", args=[world.programme.slug, episode.pk])
    page = trainer.get(url).content.decode()
    assert "Devices signed in" in page
    device = CompanionDevice.objects.get()
    end = reverse("companion:episode_end", args=[world.programme.slug, episode.pk])
    trainer.post(end, {"device": device.pk})
    device.refresh_from_db()
    assert not device.is_signed_in
    assert signed_in.get(reverse("companion:home")).status_code == 302
    trainer.post(end)
    assert not device.access.__class__.objects.get().is_open


def test_an_invitation_needs_the_contact_on_the_record(client_as, world):
    episode = accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme, email="")
    trainer = client_as(Role.HEALTH_TRAINER)
    url = reverse("companion:episode", args=[world.programme.slug, episode.pk])
    page = trainer.post(url, {"sign_in_by": "email"}).content.decode()
    assert "has no email address" in page


def test_another_trainer_s_client_is_out_of_reach(world, client, episode):
    other = MembershipFactory(programme=world.programme, role=Role.HEALTH_TRAINER).user
    url = reverse("companion:episode", args=[world.programme.slug, episode.pk])
    assert sign_in(client, other).get(url).status_code == 404


def test_staff_signing_a_device_out_is_audited_as_staff(signed_in, world):
    device = CompanionDevice.objects.get()
    device_sign_out(device=device, actor=world.people[Role.HEALTH_TRAINER])
    event = AuditEvent.objects.get(action="companion.device.signed_out")
    assert (event.actor, event.client_actor_id) == (world.people[Role.HEALTH_TRAINER], None)


@pytest.mark.parametrize(
    "name", ["home", "diary", "diary_new", "pacing", "setback_plan", "devices", "sign_out"]
)
def test_every_client_page_names_who_to_call_in_a_crisis(signed_in, name):
    page = signed_in.get(reverse(f"companion:{name}")).content.decode()
    assert "116 123" in page
    assert "Nobody reads what you write here as you write it" in page
