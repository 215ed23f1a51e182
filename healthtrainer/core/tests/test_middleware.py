"""A NUL character in a page's query or form is refused once, before any view reads it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from healthtrainer.accounts.roles import Role


@pytest.mark.parametrize(
    ("method", "data"),
    [
        ("get", {"category": "sport\x00"}),
        ("get", {"categ\x00ory": "sport"}),
        ("post", {"title": "a\x00b"}),
    ],
)
def test_a_nul_character_is_a_bad_request(client_as, world, method, data):
    address = reverse("casework:directory", args=[world.programme.slug])
    response = getattr(client_as(Role.HEALTH_TRAINER), method)(address, data)
    assert response.status_code == 400
    assert "Sorry, there is a problem with the request" in response.content.decode()


def test_a_page_without_nul_characters_is_answered_as_usual(client_as, world):
    address = reverse("casework:directory", args=[world.programme.slug])
    assert client_as(Role.HEALTH_TRAINER).get(address, {"category": "sport"}).status_code == 200
