import pytest

from healthtrainer.tests.factories import collect


@pytest.fixture
def phq9(world):
    """PHQ-9 collected by the programme at baseline and exit, as its headline measure."""
    return collect(world.programme, "phq9", primary=True)
