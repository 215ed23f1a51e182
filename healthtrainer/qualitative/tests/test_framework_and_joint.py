"""The framework matrix and the joint display of themes beside figures."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import FollowUp, Goal
from healthtrainer.measures import services as measures
from healthtrainer.qualitative import services
from healthtrainer.qualitative.joint import describe_goals, joint_display
from healthtrainer.qualitative.models import FrameworkCell
from healthtrainer.tests.factories import GoalFactory, accepted_episode, collect
from healthtrainer.workforce.models import FidelityItem
from healthtrainer.workforce.services.setup import programme_workforce_seed
from healthtrainer.workforce.services.supervision import fidelity_rate, supervision_record


def _participant(world, label, **links):
    return services.participant_save(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        details=services.ParticipantDetails(
            label=label,
            role=links.pop("role", "client"),
            consent_given=True,
            consent_recorded_on=timezone.localdate(),
            **links,
        ),
    )


def _coded(world, participant, text, theme_name):
    manager = world.people[Role.PROGRAMME_MANAGER]
    document = services.document_create(
        actor=manager,
        participant=participant,
        kind="case_study" if participant.role == "client" else "interview",
        title=f"About {participant.label}",
        text=text,
        source_name="pasted",
        replacements=[],
    )
    theme = services.theme_save(
        actor=manager, programme=world.programme, name=theme_name, description="", aspect=""
    )
    code = services.code_save(
        actor=manager,
        programme=world.programme,
        details=services.CodeDetails(name=f"{theme_name} code", theme=theme),
    )
    (coding,) = services.coding_add(
        actor=manager, document=document, codes=[code], start=0, end=len(text), version=1
    )
    return theme, coding


def test_a_cell_summarises_a_participant_on_a_theme_with_their_own_quotes(world, client_as):
    manager = world.people[Role.PROGRAMME_MANAGER]
    ann = _participant(world, "Client A")
    gp = _participant(world, "GP 1", role="gp")
    theme, quote = _coded(world, ann, "I pace myself now.", "Self-management")
    _, other_quote = _coded(world, gp, "Referral was easy.", "Referral")
    with pytest.raises(ValidationError, match="must come from this participant"):
        services.framework_cell_save(
            actor=manager, participant=ann, theme=theme, summary="Paces", quotes=[other_quote]
        )
    client = client_as(Role.EVALUATOR)
    url = reverse("qualitative:framework_cell", args=[world.programme.slug, ann.pk, theme.pk])
    response = client.post(url, {"summary": "Paces her days now", "quotes": [quote.pk]})
    assert response.status_code == 302
    cell = FrameworkCell.objects.get()
    assert list(cell.quotes.all()) == [quote]
    matrix = client.get(reverse("qualitative:framework", args=[world.programme.slug]))
    text = matrix.content.decode()
    assert "Paces her days now" in text
    assert "I pace myself now." in text
    only_gps = client.get(
        reverse("qualitative:framework", args=[world.programme.slug]), {"role": "gp"}
    ).content.decode()
    assert "Paces her days now" not in only_gps
    assert "GP 1" in only_gps


def test_themes_sit_beside_each_clients_and_trainers_figures(world, client_as):
    trainer = world.people[Role.HEALTH_TRAINER]
    manager = world.people[Role.PROGRAMME_MANAGER]
    episode = accepted_episode(trainer, world.programme)
    GoalFactory(episode=episode, final_status="achieved")
    GoalFactory(episode=episode, final_status="not_achieved")
    FollowUp.objects.create(
        programme=world.programme,
        episode=episode,
        due_on=date(2026, 11, 1),
        reached=True,
        maintaining_strategies="yes",
    )
    phq9 = collect(world.programme, "phq9", primary=True)
    for timepoint, total in (("baseline", 15), ("exit", 9)):
        measures.response_record(
            actor=trainer,
            episode=episode,
            instrument=phq9,
            timepoint=timepoint,
            completed_on=date(2026, 11, 2),
            source="trainer",
            total=total,
            safety_answer=0,
        )
    _coded(world, _participant(world, "Client A", client=episode.client), "Better now.", "Hope")
    programme_workforce_seed(actor=manager, programme=world.programme)
    session = supervision_record(
        actor=world.people[Role.SUPERVISOR],
        programme=world.programme,
        trainers=[trainer],
        held_on=date(2026, 11, 3),
        duration_minutes=45,
        format="one_to_one",
    )
    items = list(FidelityItem.objects.filter(programme=world.programme)[:2])
    fidelity_rate(
        actor=world.people[Role.SUPERVISOR],
        session=session,
        trainer=trainer,
        ratings={items[0].pk: 3, items[1].pk: 5},
    )
    _coded(
        world, _participant(world, "Trainer 1", role="trainer", trainer=trainer), "Hard.", "Doubt"
    )

    display = joint_display(world.programme)
    (client_row,) = display.clients
    assert client_row.themes == ["Hope"]
    assert describe_goals(client_row.goals) == "1 achieved, 1 not achieved"
    assert client_row.wellbeing_change == pytest.approx(-6.0)
    assert client_row.maintaining == ["yes"]
    (trainer_row,) = display.trainers
    assert trainer_row.themes == ["Doubt"]
    assert trainer_row.fidelity == pytest.approx(4.0)
    assert trainer_row.confidence_change is None
    page = client_as(Role.EVALUATOR).get(reverse("qualitative:joint", args=[world.programme.slug]))
    assert "Hope" in page.content.decode()
    assert Goal.objects.count() == 2
