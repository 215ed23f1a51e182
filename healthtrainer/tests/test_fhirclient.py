"""An independent FHIR client (the `fhirclient` package, SMART on FHIR's Python client)
reads a Patient and their Goals from a live server."""

from __future__ import annotations

from datetime import date

import pytest
from fhirclient import server as fhir_server
from fhirclient.models.goal import Goal
from fhirclient.models.patient import Patient

from healthtrainer.accounts.roles import Permission, Role
from healthtrainer.interop.services import api_client_create
from healthtrainer.tests.factories import GoalFactory, accepted_episode


@pytest.mark.django_db(transaction=True)
def test_fhirclient_reads_a_patient_and_their_goals(live_server, world):
    episode = accepted_episode(
        world.people[Role.HEALTH_TRAINER], world.programme, nhs_number="9434765919"
    )
    GoalFactory(episode=episode, final_status="achieved", status="achieved")
    GoalFactory(episode=episode, set_on=date(2026, 10, 20))
    _, token = api_client_create(
        actor=None,
        programme=world.programme,
        name="GP system",
        permissions=[Permission.VIEW_CLIENT_RECORD],
    )
    server = fhir_server.FHIRServer(None, base_uri=f"{live_server.url}/fhir/R4/")
    server.session.headers["Authorization"] = f"Bearer {token}"

    patient = Patient.read(str(episode.client_id), server)
    assert patient.name[0].family == episode.client.family_name
    assert patient.identifier[0].system == "https://fhir.nhs.uk/Id/nhs-number"
    assert patient.identifier[0].value == "9434765919"

    # Following the Bundle's next links page by page, as the client does.
    search = Goal.where(struct={"subject": f"Patient/{episode.client_id}", "_count": "1"})
    goals = list(search.perform_resources_iter(server))
    assert [goal.lifecycleStatus for goal in goals] == ["completed", "active"]
    assert goals[0].achievementStatus.coding[0].code == "achieved"
