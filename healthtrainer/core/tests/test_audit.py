import pytest
from django.db import DatabaseError, connection, transaction

from healthtrainer.accounts import services
from healthtrainer.accounts.roles import Role
from healthtrainer.core.audit import audit_record
from healthtrainer.core.models import AuditEvent, AuditEventIsAppendOnly
from healthtrainer.tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def event(programme):
    return audit_record(
        actor=UserFactory(),
        action="programmes.programme.updated",
        programme=programme,
        changed_fields=["a"],
    )


def test_an_audit_event_cannot_be_changed_through_the_model(event):
    event.action = "programmes.programme.created"
    with pytest.raises(AuditEventIsAppendOnly):
        event.save()


def test_an_audit_event_cannot_be_deleted_through_the_model(event):
    with pytest.raises(AuditEventIsAppendOnly):
        event.delete()


def test_audit_events_cannot_be_updated_or_deleted_in_bulk(event):
    with pytest.raises(AuditEventIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="programmes.programme.created")
    with pytest.raises(AuditEventIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk, action="programmes.programme.updated").exists()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET action = 'programmes.programme.created'",
        "DELETE FROM core_auditevent",
    ],
)
def test_the_database_refuses_raw_changes_to_the_audit_table(event, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk, action="programmes.programme.updated").exists()


def test_an_action_must_be_a_dotted_name(programme):
    with pytest.raises(ValueError, match="dotted"):
        audit_record(actor=None, action="changed", programme=programme)


def test_an_event_keeps_each_changed_field_name_once_in_order(programme):
    event = audit_record(
        actor=None,
        action="programmes.programme.updated",
        programme=programme,
        changed_fields=["nhs_number", "date_of_birth", "nhs_number"],
    )
    event.refresh_from_db()
    assert event.changed_fields == ["date_of_birth", "nhs_number"]


def test_a_write_through_a_service_creates_exactly_one_audit_event(world):
    manager = world.people[Role.PROGRAMME_MANAGER]
    membership = MembershipFactory(programme=world.programme, role=Role.EVALUATOR)
    before = AuditEvent.objects.count()

    services.membership_change_role(
        actor=manager, membership=membership, role=Role.SUPERVISOR, organisation=None
    )

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert event.action == "accounts.membership.role_changed"
    assert event.actor == manager
    assert event.programme == world.programme
    assert event.object_type == "accounts.membership"
    assert event.object_id == str(membership.pk)
    assert event.changed_fields == ["role"]


def test_a_service_call_that_changes_nothing_writes_no_audit_event(world):
    membership = world.people[Role.EVALUATOR].memberships.get()
    before = AuditEvent.objects.count()
    services.membership_change_role(
        actor=world.people[Role.PROGRAMME_MANAGER],
        membership=membership,
        role=membership.role,
        organisation=membership.organisation,
    )
    assert AuditEvent.objects.count() == before
