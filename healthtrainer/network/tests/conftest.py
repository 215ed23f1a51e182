import pytest

from healthtrainer.network.tests.builders import goals_network, signed_in_analyst


@pytest.fixture
def network(world):
    return goals_network()


@pytest.fixture
def analyst(network, world, client):
    return signed_in_analyst(network, world, client)
