"""What the training service tests share: the day they run on, and the answers they give."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import CbTechnique
from healthtrainer.tests.factories import MembershipFactory, events_after_setup
from healthtrainer.workforce.models import SatisfactionItem
from healthtrainer.workforce.services import training as services
from healthtrainer.workforce.vocabulary import SurveyStage

TODAY = date(2026, 11, 16)
BEFORE, AFTER, LATER = (
    SurveyStage.BEFORE_TRAINING,
    SurveyStage.AFTER_TRAINING,
    SurveyStage.LATER,
)


def attended(course, manager, *trainers, held_on=date(2026, 11, 2)):
    return services.course_session_add(
        actor=manager, course=course, held_on=held_on, hours=Decimal("3.5"), attendees=trainers
    )


def actions() -> list[str]:
    return list(events_after_setup().order_by("id").values_list("action", flat=True))


def items(programme):
    return list(SatisfactionItem.objects.filter(programme=programme, is_active=True))


def techniques(programme):
    return list(CbTechnique.objects.filter(programme=programme, is_active=True))


def ratings(programme, value=4, **overrides):
    return {item.pk: value for item in items(programme)} | overrides


def confidences(programme, value=5, **overrides):
    return {technique.pk: value for technique in techniques(programme)} | overrides


def new_trainer(programme):
    return MembershipFactory(programme=programme, role=Role.HEALTH_TRAINER).user
