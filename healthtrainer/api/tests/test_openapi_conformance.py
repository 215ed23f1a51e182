"""schemathesis, run against /api/openapi.json: for generated calls, no 5xx and no answer
that breaks the schema.

Two of its checks judge how strict an API is rather than whether it keeps its word: a
request can fit the schema and still be refused with a clear 400 (an end date before the
start date), and a path parameter that is free text is accepted as written. Those two
are left out."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import checks

from healthtrainer.accounts.roles import Permission
from healthtrainer.interop.services import GRANTABLE, api_client_create
from healthtrainer.programmes.models import Programme

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def token(db):
    programme = Programme.objects.create(slug="conformance", name="Conformance")
    assert Permission.VIEW_EVALUATION in GRANTABLE
    return api_client_create(
        actor=None, programme=programme, name="Conformance", permissions=list(GRANTABLE)
    )[1]


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[checks.positive_data_acceptance, checks.negative_data_rejection],
    )
