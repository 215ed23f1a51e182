"""Raw SQL cannot rewrite or erase the audit trail on either database, whatever form of
statement it takes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from healthtrainer.core.audit import audit_record
from healthtrainer.core.models import AuditEvent


@pytest.fixture
def event(programme):
    return audit_record(actor=None, action="programmes.programme.updated", programme=programme)


def _refused(statement: str, *params: object) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _columns_of(event: AuditEvent) -> tuple[str, list[object]]:
    """Every column of the event, so that a replacing insert is a complete row."""
    fields = list(AuditEvent._meta.concrete_fields)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = [
        field.get_db_prep_value(field.value_from_object(event), connection) for field in fields
    ]
    return names, values


def _insert(verb: str, event: AuditEvent, tail: str = "") -> None:
    names, values = _columns_of(event)
    values[[f.name for f in AuditEvent._meta.concrete_fields].index("action")] = (
        "programmes.programme.created"
    )
    marks = ", ".join(["%s"] * len(values))
    _refused(f"{verb} INTO core_auditevent ({names}) VALUES ({marks}) {tail}", *values)


def _unchanged(event: AuditEvent) -> None:
    assert AuditEvent.objects.filter(pk=event.pk, action="programmes.programme.updated").exists()


def test_an_insert_that_would_replace_an_event_is_refused(event):
    if connection.vendor == "sqlite":
        for verb in ("INSERT OR REPLACE", "REPLACE", "INSERT OR IGNORE"):
            _insert(verb, event)
    _insert("INSERT", event, "ON CONFLICT (id) DO UPDATE SET action = excluded.action")
    _unchanged(event)


def test_an_update_that_resolves_a_conflict_by_replacing_is_refused(event, programme):
    other = audit_record(actor=None, action="programmes.organisation.created", programme=programme)
    if connection.vendor == "sqlite":
        _refused("UPDATE OR REPLACE core_auditevent SET id = %s WHERE id = %s", event.pk, other.pk)
    _unchanged(event)


def test_the_audit_table_cannot_be_emptied(event):
    if connection.vendor == "postgresql":
        # The test's own insert leaves deferred foreign-key checks pending, and PostgreSQL
        # refuses to truncate a table with pending checks whatever its triggers say.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _refused("TRUNCATE core_auditevent")
        _refused("TRUNCATE core_auditevent CASCADE")
    _refused("DELETE FROM core_auditevent WHERE id = %s", event.pk)
    _unchanged(event)


def test_new_events_are_still_written_one_at_a_time_and_in_bulk(programme):
    before = AuditEvent.objects.count()
    audit_record(actor=None, action="programmes.programme.updated", programme=programme)
    AuditEvent.objects.bulk_create(
        [AuditEvent(action="programmes.programme.updated", programme=programme) for _ in range(3)]
    )
    assert AuditEvent.objects.count() == before + 4
