"""Recording questionnaires: configuration, corrections, the PHQ-9 safety rule, client links."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import Escalation
from healthtrainer.core.models import AuditEvent
from healthtrainer.measures import services
from healthtrainer.measures.models import Instrument, QuestionnaireResponse
from healthtrainer.tests.factories import accepted_episode

PHQ9_ITEMS = [f"item{n}" for n in range(1, 10)]


@pytest.fixture
def trainer(world):
    return world.people[Role.HEALTH_TRAINER]


@pytest.fixture
def episode(world, trainer):
    return accepted_episode(trainer, world.programme)


def answers(*values):
    return dict(zip(PHQ9_ITEMS, values, strict=True))


def record(trainer, episode, instrument, values, **extra):
    return services.response_record(
        actor=trainer,
        episode=episode,
        instrument=instrument,
        timepoint=extra.pop("timepoint", "baseline"),
        completed_on=extra.pop("completed_on", date(2026, 11, 2)),
        source="trainer",
        answers=answers(*values),
        **extra,
    )


@pytest.mark.django_db
def test_instruments_are_loaded_from_their_files_once():
    first = services.instruments_sync()
    assert {instrument.code for instrument in first} >= {"phq9", "gad7", "ons4", "wemwbs"}
    events = AuditEvent.objects.count()
    services.instruments_sync()
    assert AuditEvent.objects.count() == events


def test_a_questionnaire_is_scored_and_audited(trainer, episode, phq9):
    recorded = record(trainer, episode, phq9, [1, 2, 1, 0, 1, 2, 1, 0, 0])
    response = recorded.response
    assert response.total == 8
    assert response.band.lower() == "mild"
    assert response.complete
    assert recorded.escalation is None
    assert AuditEvent.objects.order_by("id").last().action == "measures.response.recorded"


def test_an_instrument_the_programme_does_not_use_is_refused(trainer, episode, phq9):
    gad7 = Instrument.objects.get(code="gad7")
    with pytest.raises(ValidationError, match="not one of this programme's measures"):
        services.response_record(
            actor=trainer,
            episode=episode,
            instrument=gad7,
            timepoint="baseline",
            completed_on=date(2026, 11, 2),
            source="trainer",
            total=5,
        )


def test_a_timepoint_the_programme_does_not_collect_is_refused(trainer, episode, phq9):
    with pytest.raises(ValidationError, match="at that timepoint"):
        record(trainer, episode, phq9, [0] * 9, timepoint="follow_up")


def test_an_out_of_range_answer_changes_nothing(trainer, episode, phq9):
    with pytest.raises(ValidationError):
        record(trainer, episode, phq9, [0, 0, 0, 0, 0, 0, 0, 0, 4])
    assert not QuestionnaireResponse.objects.exists()


def test_a_second_questionnaire_at_a_timepoint_needs_a_reason(trainer, episode, phq9):
    first = record(trainer, episode, phq9, [1] * 9).response
    with pytest.raises(ValidationError, match="say why"):
        record(trainer, episode, phq9, [2] * 9)
    corrected = record(
        trainer, episode, phq9, [2] * 9, correction_reason="Item 3 was misread"
    ).response
    first.refresh_from_db()
    assert not first.is_current
    assert corrected.replaces == first
    assert corrected.total == 18
    assert QuestionnaireResponse.objects.filter(is_current=True).count() == 1


def test_too_many_missing_answers_keep_it_unscored(trainer, episode, phq9):
    response = record(trainer, episode, phq9, [1, 1, 1, 1, 1, 1, None, None, 0]).response
    assert not response.complete
    assert not response.scored
    assert response.total is None


def test_phq9_item_9_above_zero_raises_an_escalation_at_once(trainer, episode, phq9):
    recorded = record(trainer, episode, phq9, [0, 0, 0, 0, 0, 0, 0, 0, 1])
    escalation = recorded.escalation
    assert escalation is not None
    assert escalation.category == "self_harm"
    assert escalation.raised_by is None
    assert escalation.rule == "phq9_item9"
    assert Escalation.objects.filter(episode=episode, resolved_at__isnull=True).count() == 1


def test_phq9_item_9_at_zero_raises_nothing(trainer, episode, phq9):
    record(trainer, episode, phq9, [3, 3, 3, 3, 3, 3, 3, 3, 0])
    assert not Escalation.objects.exists()


def test_a_future_date_is_refused(trainer, episode, phq9):
    with pytest.raises(ValidationError, match="today or in the past"):
        record(trainer, episode, phq9, [0] * 9, completed_on=timezone.localdate() + timedelta(1))


def test_a_client_link_works_once(trainer, episode, phq9):
    _, token = services.client_link_create(
        actor=trainer, episode=episode, instrument=phq9, timepoint="baseline"
    )
    recorded = services.client_link_complete(token=token, answers=answers(*[1] * 9))
    assert recorded.response.source == "client_link"
    assert recorded.response.entered_by is None
    with pytest.raises(services.LinkUnusable, match="already been used"):
        services.client_link_complete(token=token, answers=answers(*[1] * 9))
    assert QuestionnaireResponse.objects.count() == 1


def test_a_client_link_expires(trainer, episode, phq9):
    _, token = services.client_link_create(
        actor=trainer, episode=episode, instrument=phq9, timepoint="baseline"
    )
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        with pytest.raises(services.LinkUnusable, match="expired"):
            services.client_link_for(token)
        with pytest.raises(services.LinkUnusable, match="expired"):
            services.client_link_complete(token=token, answers=answers(*[1] * 9))
    assert not QuestionnaireResponse.objects.exists()


def test_a_tampered_link_is_not_recognised(trainer, episode, phq9):
    _, token = services.client_link_create(
        actor=trainer, episode=episode, instrument=phq9, timepoint="baseline"
    )
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(services.LinkUnusable, match="not recognised"):
        services.client_link_for(tampered)


def test_only_a_hash_of_the_token_is_kept(trainer, episode, phq9):
    link, token = services.client_link_create(
        actor=trainer, episode=episode, instrument=phq9, timepoint="baseline"
    )
    assert token not in link.token_hash
    assert len(token) >= 40


def test_no_link_for_a_timepoint_already_recorded(trainer, episode, phq9):
    record(trainer, episode, phq9, [0] * 9)
    with pytest.raises(ValidationError, match="already been recorded"):
        services.client_link_create(
            actor=trainer, episode=episode, instrument=phq9, timepoint="baseline"
        )


def test_licensed_wording_is_loaded_for_known_items_only(world):
    services.instruments_sync()
    wemwbs = Instrument.objects.get(code="wemwbs")
    admin = world.people["administrator"]
    with pytest.raises(ValidationError, match="has no item"):
        services.item_texts_load(actor=admin, instrument=wemwbs, texts={"item99": "x"})
    services.item_texts_load(actor=admin, instrument=wemwbs, texts={"item1": "Licensed wording"})
    assert services.item_texts(wemwbs)["item1"] == "Licensed wording"
    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "measures.instrument.item_text_loaded"
    assert "Licensed wording" not in str(event.changed_fields)


def test_the_safety_question_must_be_answered(trainer, episode, phq9):
    with pytest.raises(ValidationError, match="asked for safety"):
        record(trainer, episode, phq9, [3, 3, 3, 3, 3, 3, 3, 3, None])
    with pytest.raises(ValidationError, match="asked for safety"):
        services.response_record(
            actor=trainer,
            episode=episode,
            instrument=phq9,
            timepoint="baseline",
            completed_on=date(2026, 11, 2),
            source="trainer",
            total=27,
        )
    assert not QuestionnaireResponse.objects.exists()


def test_a_paper_total_with_a_risky_safety_answer_escalates(trainer, episode, phq9):
    recorded = services.response_record(
        actor=trainer,
        episode=episode,
        instrument=phq9,
        timepoint="baseline",
        completed_on=date(2026, 11, 2),
        source="trainer",
        total=20,
        safety_answer=2,
    )
    assert recorded.escalation is not None


def test_a_correction_does_not_raise_a_second_open_escalation(trainer, episode, phq9):
    record(trainer, episode, phq9, [0, 0, 0, 0, 0, 0, 0, 0, 1])
    record(trainer, episode, phq9, [0, 0, 0, 0, 0, 0, 0, 0, 2], correction_reason="Misread")
    assert Escalation.objects.filter(episode=episode).count() == 1


def test_a_link_cannot_overwrite_a_questionnaire_recorded_since(trainer, episode, phq9):
    _, token = services.client_link_create(
        actor=trainer, episode=episode, instrument=phq9, timepoint="baseline"
    )
    record(trainer, episode, phq9, [1] * 9)
    with pytest.raises(services.LinkUnusable, match="no longer needed"):
        services.client_link_complete(token=token, answers=answers(*[3] * 9))
    assert QuestionnaireResponse.objects.get().total == 9


def test_an_empty_questionnaire_is_refused(trainer, episode, phq9):
    _, token = services.client_link_create(
        actor=trainer, episode=episode, instrument=phq9, timepoint="baseline"
    )
    with pytest.raises(ValidationError, match="at least one question"):
        services.client_link_complete(token=token, answers=answers(*[None] * 9))


def test_no_link_for_a_licensed_instrument_without_its_wording(world, trainer, episode):
    services.instruments_sync()
    swemwbs = Instrument.objects.get(code="swemwbs")
    services.programme_instrument_save(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        instrument=swemwbs,
        at_baseline=True,
        at_exit=True,
        at_follow_up=False,
        is_primary=False,
    )
    with pytest.raises(ValidationError, match="has not been loaded"):
        services.client_link_create(
            actor=trainer, episode=episode, instrument=swemwbs, timepoint="baseline"
        )
