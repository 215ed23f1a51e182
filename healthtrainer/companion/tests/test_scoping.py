"""A client's device is not a member of staff: staff permissions and the API give it
nothing, and it reaches only its own client's record."""

from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.tests.factories import accepted_episode


def test_the_api_gives_a_client_device_nothing(signed_in, world):
    for address in ("/api/v1/evaluation", "/api/v1/metrics/referral.count"):
        assert signed_in.get(address).status_code == 401, address
    assert signed_in.post("/api/v1/exports", {}).status_code == 401


def test_staff_pages_send_a_client_device_to_sign_in(signed_in, world, episode):
    for address in (
        reverse("casework:episode", args=[world.programme.slug, episode.pk]),
        reverse("companion:episode", args=[world.programme.slug, episode.pk]),
        reverse("companion:episode_summary", args=[world.programme.slug, episode.pk]),
    ):
        response = signed_in.get(address)
        assert response.status_code == 302, address
        assert "/my/" not in response.url


def test_the_client_s_own_pages_show_nothing_of_another_client(signed_in, world, episode):
    other = accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)
    other_name = other.client.family_name
    for name in ("companion:home", "companion:diary", "companion:your_data"):
        page = signed_in.get(reverse(name)).content.decode()
        assert other_name not in page, name
