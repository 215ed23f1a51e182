"""The accept page of a referral that can no longer be accepted says what happened to it,
and the service refuses a second acceptance whatever page asks."""

import pytest
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.referrals import services
from healthtrainer.referrals.triage import IllegalTransition, Status
from healthtrainer.tests.factories import ReferralFactory, accepted_episode


def test_an_accepted_referrals_accept_page_gives_its_state_and_a_link_not_the_form(
    world, client_as
):
    trainer = world.people[Role.HEALTH_TRAINER]
    episode = accepted_episode(trainer, world.programme)
    manager = client_as(Role.PROGRAMME_MANAGER)
    url = reverse("referrals:accept", args=[world.programme.slug, episode.pk])
    page = manager.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "This referral is already accepted" in text
    assert 'name="client"' not in text
    assert 'name="trainer"' not in text
    assert reverse("referrals:detail", args=[world.programme.slug, episode.pk]) in text
    posted = manager.post(url, {"trainer": trainer.pk, "client": str(episode.client_id)})
    assert posted.status_code == 409
    assert "This referral is already accepted" in posted.content.decode()


def test_a_closed_referrals_accept_page_says_it_is_closed(world, client_as):
    referral = ReferralFactory(programme=world.programme, status=Status.WITHDRAWN)
    page = client_as(Role.PROGRAMME_MANAGER).get(
        reverse("referrals:accept", args=[world.programme.slug, referral.pk])
    )
    assert "This referral is closed: withdrawn" in page.content.decode()


def test_the_service_refuses_to_accept_an_accepted_referral_again(world):
    trainer = world.people[Role.HEALTH_TRAINER]
    episode = accepted_episode(trainer, world.programme)
    with pytest.raises(IllegalTransition):
        services.referral_accept(
            actor=world.people[Role.PROGRAMME_MANAGER],
            referral=episode,
            trainer=trainer,
            existing_client=episode.client,
        )
