import pytest
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.companion.models import SignInBy
from healthtrainer.companion.services import companion_invite
from healthtrainer.notifications.models import OutboxMessage
from healthtrainer.notifications.notifier import OutboxNotifier
from healthtrainer.tests.factories import accepted_episode

PHONE = "07700 900123"


@pytest.fixture
def episode(world):
    return accepted_episode(
        world.people[Role.HEALTH_TRAINER], world.programme, phone=PHONE, email="ada@example.com"
    )


@pytest.fixture
def invited(world, episode):
    return companion_invite(
        actor=world.people[Role.HEALTH_TRAINER],
        episode=episode,
        sign_in_by=SignInBy.SMS,
        notifier=OutboxNotifier(),
        sign_in_url="https://healthtrainer.example/my/sign-in/",
    )


def last_code() -> str:
    return (
        OutboxMessage.objects.filter(template="companion_sign_in_code")
        .latest("pk")
        .personalisation["code"]
    )


def asked_for_code(client, contact=PHONE) -> None:
    """Ask for a code in the browser, which then shows the code page."""
    page = client.post(reverse("companion:sign_in"), {"contact": contact})
    assert page.url == reverse("companion:code")


@pytest.fixture
def signed_in(client, invited):
    """A browser signed in to the invited client's companion."""
    asked_for_code(client)
    client.post(reverse("companion:code"), {"code": last_code()})
    return client
