import pytest
from django.urls import reverse

from healthtrainer.accounts.roles import ADMINISTRATOR, Role
from healthtrainer.core.models import AuditEvent
from healthtrainer.programmes.forms import ProgrammeSettingsForm
from healthtrainer.programmes.models import Organisation, OrganisationKind, Programme


@pytest.fixture
def manager_client(world, client_as):
    return client_as(Role.PROGRAMME_MANAGER)


def settings_data(programme, **changes):
    form = ProgrammeSettingsForm(instance=programme)
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return data


def test_changing_settings_is_audited_with_the_names_of_the_fields(world, manager_client):
    url = reverse("programmes:settings", args=[world.programme.slug])
    response = manager_client.post(
        url, settings_data(world.programme, sessions_offered=8, projected_referrals=120)
    )
    assert response.status_code == 302
    world.programme.refresh_from_db()
    assert (world.programme.sessions_offered, world.programme.projected_referrals) == (8, 120)
    event = AuditEvent.objects.get(action="programmes.programme.updated")
    assert event.changed_fields == ["projected_referrals", "sessions_offered"]


def test_bad_settings_get_a_clear_message_and_keep_what_was_typed(world, manager_client):
    url = reverse("programmes:settings", args=[world.programme.slug])
    response = manager_client.post(
        url,
        settings_data(
            world.programme,
            start_date="2011-04-01",
            end_date="2011-03-01",
            local_authority_code="Sheffield",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The end date must be on or after the start date" in page
    assert "Enter a local authority code like E08000019" in page
    assert 'value="Sheffield"' in page
    assert not AuditEvent.objects.filter(action="programmes.programme.updated").exists()


def test_a_gp_practice_needs_an_ods_code(world, manager_client):
    url = reverse("programmes:organisation_create", args=[world.programme.slug])
    response = manager_client.post(
        url, {"kind": OrganisationKind.GP_PRACTICE, "name": "New Surgery", "ods_code": ""}
    )
    assert "A GP practice needs its ODS code" in response.content.decode()

    manager_client.post(
        url,
        {
            "kind": OrganisationKind.GP_PRACTICE,
            "name": "New Surgery",
            "ods_code": "Y12345",
            "registered_list_size": "7000",
            "is_gp_champion": "on",
        },
    )
    practice = Organisation.objects.get(name="New Surgery")
    assert (practice.programme, practice.is_gp_champion) == (world.programme, True)
    assert AuditEvent.objects.filter(
        action="programmes.organisation.created", object_id=str(practice.pk)
    ).exists()


def test_an_ods_code_is_unique_within_a_programme(world, manager_client):
    url = reverse("programmes:organisation_create", args=[world.programme.slug])
    data = {"kind": OrganisationKind.GP_PRACTICE, "name": "A", "ods_code": "Y55555"}
    manager_client.post(url, data)
    response = manager_client.post(url, {**data, "name": "B"})
    assert response.status_code == 200
    assert "already in the programme" in response.content.decode()
    assert Organisation.objects.filter(ods_code="Y55555").count() == 1


def test_an_administrator_sets_up_a_programme_with_the_default_rules(world, client_as):
    response = client_as(ADMINISTRATOR).post(
        reverse("programmes:create"),
        {
            "name": "New programme",
            "slug": "new-programme",
            "minimum_pain_duration_months": 12,
            "minimum_age": 18,
            "sessions_offered": 6,
            "follow_up_interval_months": 3,
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(slug="new-programme")
    assert programme.minimum_pain_duration_months == 12
    assert AuditEvent.objects.filter(
        action="programmes.programme.created", programme=programme
    ).exists()
