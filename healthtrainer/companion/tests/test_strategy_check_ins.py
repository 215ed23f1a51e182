"""After discharge and until the follow-up, the client says monthly whether they still use
each strategy; at the follow-up the trainer sees the latest answer, and an answer kept as
the client gave it is recorded as the client's own."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework import services as casework
from healthtrainer.casework.models import (
    AnswerSource,
    CheckInVia,
    Discharge,
    FollowUp,
    StrategyCheckIn,
    StrategyFollowUp,
)
from healthtrainer.core.models import AuditEvent
from healthtrainer.tests.factories import ClientStrategyFactory, accepted_episode


def _discharge(episode, *, days_ago=10):
    discharged_on = timezone.localdate() - timedelta(days=days_ago)
    Discharge.objects.create(
        programme=episode.programme,
        episode=episode,
        discharged_on=discharged_on,
        reason="completed",
        discharged_by=episode.assigned_trainer,
    )
    return FollowUp.objects.create(
        programme=episode.programme, episode=episode, due_on=discharged_on + timedelta(days=90)
    )


@pytest.fixture
def taken_up(episode):
    return ClientStrategyFactory(episode=episode)


def _answer(client, taken_up, maintained):
    return client.post(
        reverse("companion:strategy_check_in", args=[taken_up.pk]), {"maintained": maintained}
    )


def test_not_asked_while_the_client_is_still_seen(signed_in, taken_up):
    page = signed_in.get(reverse("companion:home")).content.decode()
    assert "Are you still using" not in page
    _answer(signed_in, taken_up, "yes")
    assert not StrategyCheckIn.objects.exists()


def test_after_discharge_the_client_answers_monthly_and_changes_it(signed_in, taken_up):
    _discharge(taken_up.episode)
    page = signed_in.get(reverse("companion:home")).content.decode()
    assert f"Are you still using {taken_up.strategy.name.lower()}?" in page
    _answer(signed_in, taken_up, "partly")
    _answer(signed_in, taken_up, "yes")
    check_in = StrategyCheckIn.objects.get()
    assert (check_in.maintained, check_in.via) == ("yes", CheckInVia.COMPANION)
    assert check_in.month_starting == timezone.localdate().replace(day=1)
    assert "You said: yes" in signed_in.get(reverse("companion:home")).content.decode()
    event = AuditEvent.objects.filter(action="casework.strategy_check_in.recorded").first()
    assert (event.actor, event.client_actor_id) == (None, taken_up.episode.client_id)


def test_each_month_is_a_new_answer(taken_up):
    _discharge(taken_up.episode, days_ago=60)
    first = timezone.make_aware(datetime(2026, 10, 31, 20))
    for now, answer in ((first, "no"), (first + timedelta(days=1), "partly")):
        casework.strategy_check_in(
            client_strategy=taken_up, maintained=answer, via=CheckInVia.SMS, now=now
        )
    assert list(StrategyCheckIn.objects.values_list("month_starting", "maintained")) == [
        (first.date().replace(month=11, day=1), "partly"),
        (first.date().replace(day=1), "no"),
    ]


def test_a_made_up_answer_another_client_s_strategy_or_after_the_follow_up_is_refused(
    signed_in, taken_up, world
):
    follow_up = _discharge(taken_up.episode)
    _answer(signed_in, taken_up, "always")
    assert not StrategyCheckIn.objects.exists()
    other = ClientStrategyFactory(
        episode=accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)
    )
    _discharge(other.episode)
    assert _answer(signed_in, other, "yes").status_code == 404
    follow_up.reached = True
    follow_up.save()
    with pytest.raises(ValidationError, match="until your follow-up"):
        casework.strategy_check_in(client_strategy=taken_up, maintained="yes", via="companion")


def test_the_follow_up_shows_the_client_s_answer_and_keeps_where_each_came_from(
    signed_in, taken_up, client_as, world
):
    episode = taken_up.episode
    _discharge(episode, days_ago=100)
    second = ClientStrategyFactory(
        episode=episode,
        strategy=type(taken_up.strategy).objects.filter(programme=world.programme)[1],
    )
    _answer(signed_in, taken_up, "partly")
    _answer(signed_in, second, "no")
    trainer = client_as(Role.HEALTH_TRAINER)
    url = reverse("casework:follow_up", args=[world.programme.slug, episode.pk])
    page = trainer.get(url).content.decode()
    assert "The client answered “Partly” in their companion" in page
    response = trainer.post(
        url,
        {
            "contacted_on[day]": timezone.localdate().day,
            "contacted_on[month]": timezone.localdate().month,
            "contacted_on[year]": timezone.localdate().year,
            "reached": "yes",
            "gp_visits_last_3_months": "1",
            f"strategy_{taken_up.pk}": "partly",
            # The client says otherwise when asked: the trainer's answer, not the client's.
            f"strategy_{second.pk}": "yes",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sources = dict(StrategyFollowUp.objects.values_list("client_strategy_id", "source"))
    assert sources == {taken_up.pk: AnswerSource.CLIENT, second.pk: AnswerSource.TRAINER}
