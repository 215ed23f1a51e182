"""An escalation raised by a questionnaire's safety rule names the rule in words."""

from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.tests.factories import EscalationFactory, accepted_episode


def test_the_escalation_page_says_which_answer_raised_it_in_words(world, client_as):
    episode = accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)
    escalation = EscalationFactory(
        episode=episode, category="self_harm", rule="phq9_item9", raised_by=None
    )
    page = client_as(Role.SUPERVISOR).get(
        reverse("casework:escalation", args=[world.programme.slug, escalation.pk])
    )
    text = page.content.decode()
    assert "phq9_item9" not in text
    assert "Patient Health Questionnaire (PHQ-9): question 9, asked for safety" in text
