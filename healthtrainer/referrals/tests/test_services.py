from datetime import date

import pytest

from healthtrainer.accounts.roles import Role
from healthtrainer.clients.models import Client
from healthtrainer.core.models import AuditEvent
from healthtrainer.referrals import services
from healthtrainer.referrals.models import ContactOutcome, Referral
from healthtrainer.referrals.services import ReferralDetails
from healthtrainer.referrals.triage import IllegalTransition, Status
from healthtrainer.tests.factories import ClientFactory, ReferralFactory


def details(**changes):
    fields = {
        "given_name": "Ada",
        "family_name": "Lovelace",
        "date_of_birth": date(1960, 3, 27),
        "sex": "female",
        "pain_duration_months": 24,
        "consent_given": True,
        "nhs_number": "9434765919",
        "postcode": "S1 2HE",
    }
    fields.update(changes)
    return ReferralDetails(**fields)


@pytest.fixture
def manager(world):
    return world.people[Role.PROGRAMME_MANAGER]


@pytest.fixture
def trainer(world):
    return world.people[Role.HEALTH_TRAINER]


def receive(world, **changes):
    return services.referral_receive(
        actor=world.people[Role.REFERRER],
        programme=world.programme,
        source="gp",
        practice=world.people[Role.REFERRER].memberships.get().organisation,
        received_date=date(2026, 10, 1),
        details=details(**changes),
    )


def test_a_referral_is_received_with_a_reference_and_audited(world):
    first, second = receive(world), receive(world, nhs_number="")
    assert (first.reference, second.reference) == ("R-00001", "R-00002")
    assert first.status == Status.RECEIVED
    event = AuditEvent.objects.get(action="referrals.referral.received", object_id=str(first.pk))
    assert "nhs_number" in event.changed_fields
    # No audit row holds the patient's details, only the names of the fields.
    for row in AuditEvent.objects.values_list():
        stored = " ".join(str(value) for value in row)
        assert "9434765919" not in stored
        assert "Lovelace" not in stored


def test_an_ineligible_referral_is_kept_as_not_eligible_with_its_reason(world):
    referral = receive(world, pain_duration_months=6)
    assert referral.status == Status.NOT_ELIGIBLE
    assert "Pain for 6 months" in referral.status_reason
    assert Referral.objects.filter(programme=world.programme).count() == 1


def test_an_unknown_postcode_never_blocks_a_referral(world):
    referral = receive(world, postcode="ZZ9 9ZZ")
    assert referral.status == Status.RECEIVED
    assert referral.imd_decile is None


def test_the_first_successful_contact_sets_days_to_first_contact(world, manager):
    referral = receive(world)
    services.referral_record_contact(
        actor=manager,
        referral=referral,
        attempted_on=date(2026, 10, 3),
        method="phone",
        outcome=ContactOutcome.NO_ANSWER,
    )
    services.referral_record_contact(
        actor=manager,
        referral=referral,
        attempted_on=date(2026, 10, 8),
        method="phone",
        outcome=ContactOutcome.CONTACTED,
    )
    referral.refresh_from_db()
    assert referral.status == Status.CONTACT_ATTEMPTED
    assert referral.contact_attempts.count() == 2
    assert referral.days_to_first_contact == 7


def test_accepting_creates_a_client_and_assigns_the_trainer(world, manager, trainer):
    referral = receive(world)
    services.referral_accept(
        actor=manager, referral=referral, trainer=trainer, existing_client=None
    )
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert referral.assigned_trainer == trainer
    assert referral.client.nhs_number == "9434765919"
    actions = set(
        AuditEvent.objects.filter(programme=world.programme).values_list("action", flat=True)
    )
    assert {"clients.client.created", "referrals.referral.accepted"} <= actions


def test_a_second_referral_of_the_same_person_links_to_the_same_client(world, manager, trainer):
    first = receive(world)
    services.referral_accept(actor=manager, referral=first, trainer=trainer, existing_client=None)
    client = Client.objects.get()
    second = receive(world, given_name="ADA ")
    assert list(
        Client.objects.matching(
            nhs_number=second.nhs_number,
            given_name=second.given_name,
            family_name=second.family_name,
            date_of_birth=second.date_of_birth,
            postcode=second.postcode,
        )
    ) == [client]
    services.referral_accept(
        actor=manager, referral=second, trainer=trainer, existing_client=client
    )
    assert Client.objects.count() == 1
    assert client.referrals.count() == 2
    assert AuditEvent.objects.filter(action="clients.client.matched").count() == 1


def test_without_nhs_numbers_name_birth_date_and_postcode_find_the_match(world):
    client = ClientFactory(
        programme=world.programme,
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=date(1960, 3, 27),
        postcode="S1 2HE",
    )
    ClientFactory(programme=world.programme, given_name="Ada", family_name="Lovelace")
    ClientFactory(
        programme=world.other_programme,
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=date(1960, 3, 27),
        postcode="S1 2HE",
    )
    found = Client.objects.for_programme(world.programme).matching(
        nhs_number="",
        given_name="ada",
        family_name="LOVELACE",
        date_of_birth=date(1960, 3, 27),
        postcode="S1 2HE",
    )
    assert list(found) == [client]


def test_a_different_nhs_number_is_not_a_match_even_with_the_same_details(world):
    ClientFactory(
        programme=world.programme,
        nhs_number="9434765919",
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=date(1960, 3, 27),
        postcode="S1 2HE",
    )
    found = Client.objects.matching(
        nhs_number="4010232137",
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=date(1960, 3, 27),
        postcode="S1 2HE",
    )
    assert not found.exists()


def test_only_a_health_trainer_of_the_programme_can_be_assigned(world, manager):
    referral = receive(world)
    with pytest.raises(services.TrainerNotInProgramme):
        services.referral_accept(
            actor=manager,
            referral=referral,
            trainer=world.people[Role.SUPERVISOR],
            existing_client=None,
        )
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED


def test_a_closed_referral_cannot_be_reopened_or_accepted(world, manager, trainer):
    referral = ReferralFactory(practice__programme=world.programme)
    services.referral_close(
        actor=manager, referral=referral, status=Status.DECLINED, reason="Did not want it"
    )
    with pytest.raises(IllegalTransition):
        services.referral_accept(
            actor=manager, referral=referral, trainer=trainer, existing_client=None
        )
    with pytest.raises(IllegalTransition):
        services.referral_record_contact(
            actor=manager,
            referral=referral,
            attempted_on=date(2026, 10, 2),
            method="phone",
            outcome=ContactOutcome.CONTACTED,
        )
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (Status.DECLINED, "Did not want it")
