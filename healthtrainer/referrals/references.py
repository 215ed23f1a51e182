"""Referral references: R-00001, R-00002, … in order of receipt within a programme, numbered
without locking the programme (ADR 35).

On PostgreSQL each programme has a sequence of its own, made the first time the programme
numbers a referral, starting after the highest R- reference it already has. A sequence
hands out each number once without waiting for other transactions, so referrals to one
programme are written side by side; the price is that a number taken by a transaction
that then rolls back is not used again, so references can skip.

On SQLite every transaction begins IMMEDIATE (settings.py), holding the database's one
write lock from its first statement, so the highest reference plus one cannot be taken by
another writer before this one commits: writes there are serialised anyway, and a
counter would add a table for nothing.

Call these inside the transaction that writes the referral.
"""

from __future__ import annotations

from django.db import IntegrityError, ProgrammingError, connection, transaction

from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral

PREFIX = "R-"


def format_reference(number: int) -> str:
    return f"{PREFIX}{number:05d}"


def sequence_name(programme_id: int) -> str:
    # Built from the programme's integer key only, so it is safe to put into DDL.
    return f"referral_reference_{int(programme_id)}"


def next_reference(programme: Programme) -> str:
    """The programme's next referral reference."""
    if connection.vendor != "postgresql":
        return format_reference(_highest_by_index(programme) + 1)
    name = sequence_name(programme.pk)
    with connection.cursor() as cursor:
        # to_regclass answers NULL for a sequence not made yet, and nextval(NULL) is NULL:
        # one round trip in the usual case, and no error to recover from otherwise.
        cursor.execute("SELECT nextval(to_regclass(%s))", [name])
        row = cursor.fetchone()
    number = row[0] if row else None
    if number is None:
        number = _create_sequence(programme)
    return format_reference(int(number))


def references_catch_up(programme: Programme) -> None:
    """Move the programme's sequence past R- references written without it (a workbook
    import keeps the references its file gives), so the next one is not already taken."""
    if connection.vendor != "postgresql":
        return
    name = sequence_name(programme.pk)
    highest = _highest_number(programme)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [name])
        row = cursor.fetchone()
        if row is None or row[0] is None:
            return
        cursor.execute(
            f"SELECT setval(%s, %s) FROM {name} WHERE last_value < %s",  # noqa: S608 - see sequence_name
            [name, highest, highest],
        )


def _highest_number(programme: Programme) -> int:
    """The highest number among the programme's R- references, compared as numbers (as
    text, R-100000 sorts before R-99999). PostgreSQL; read once per sequence made."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT coalesce(max(substr(reference, 3)::bigint), 0)
            FROM {Referral._meta.db_table}
            WHERE programme_id = %s AND reference LIKE 'R-%%'
              AND substr(reference, 3) ~ '^[0-9]{{1,18}}$'
            """,  # noqa: S608 - the table name is the model's own
            [programme.pk],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _highest_by_index(programme: Programme) -> int:
    # ORDER BY … LIMIT 1 rather than MAX(): one entry of the partial index read backwards
    # instead of every R- reference (docs/performance.md).
    last = (
        Referral.objects.filter(programme=programme, reference__startswith=PREFIX)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    return int(last[2:]) if last and last[2:].isdigit() else 0


def _create_sequence(programme: Programme) -> int:
    """Make the programme's sequence, starting after its highest reference, and take its
    first number. Two first referrals at once may both try: the second's CREATE waits for
    the first to commit and then fails, and it takes its number from the first's sequence."""
    name = sequence_name(programme.pk)
    start = _highest_number(programme) + 1
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE SEQUENCE {name} START WITH {int(start)}")
    except (IntegrityError, ProgrammingError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [name])
        row = cursor.fetchone()
    if row is None:
        raise RuntimeError(f"The sequence {name} answered no number.")
    return int(row[0])
