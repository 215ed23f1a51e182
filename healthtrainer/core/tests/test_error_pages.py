"""The error pages render whatever state the request and the database are in."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from healthtrainer.core import errors


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["healthtrainer.example.org"]
    return settings


@pytest.mark.parametrize("path", ["/", "/sign-in/", "/p/anything/", "/no-such-page/"])
def test_a_request_for_another_host_gets_the_bad_request_page(db, production, path):
    response = Client(raise_request_exception=False, HTTP_HOST="evil.example").get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sorry, there is a problem with the request" in page
    assert "nhsuk-header" in page


# Without the `db` fixture any query raises, as it would with the database down.
@pytest.mark.parametrize(
    ("handler", "status", "heading"),
    [
        (errors.bad_request, 400, "Sorry, there is a problem with the request"),
        (errors.permission_denied, 403, "You do not have permission to see this page"),
        (errors.page_not_found, 404, "Page not found"),
    ],
)
def test_the_refusal_pages_need_no_user_no_session_and_no_database(handler, status, heading):
    response = handler(RequestFactory().get("/somewhere/"), Exception("refused"))
    assert response.status_code == status
    assert heading in response.content.decode()


def test_the_server_error_page_needs_no_database():
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_page_that_cannot_reach_the_database_answers_with_the_server_error_page(production):
    client = Client(raise_request_exception=False, HTTP_HOST="healthtrainer.example.org")
    response = client.post("/sign-in/", {"username": "someone", "password": "a password"})
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_form_refused_by_forgery_protection_gets_a_page_in_words(db):
    response = Client(enforce_csrf_checks=True).post("/sign-in/", {"username": "someone"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Sorry, this form has expired" in page
    assert "nhsuk-header" in page
    assert "CSRF" not in page
