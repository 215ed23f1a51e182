"""Fixtures the workforce tests share."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from healthtrainer.accounts.roles import Role
from healthtrainer.workforce.services import training as services
from healthtrainer.workforce.services.training import CourseDetails
from healthtrainer.workforce.tests.training_helpers import TODAY


@pytest.fixture
def fixed_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def trainer(world):
    return world.people[Role.HEALTH_TRAINER]


@pytest.fixture
def manager(world):
    return world.people[Role.PROGRAMME_MANAGER]


@pytest.fixture
def course(world, manager):
    return services.course_create(
        actor=manager,
        programme=world.programme,
        details=CourseDetails(title="CB skills for health trainers", cost=Decimal("450")),
    )
