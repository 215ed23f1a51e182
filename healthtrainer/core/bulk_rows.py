"""Rows written in bulk: the synthetic dataset's writer, and the workbook import's.

Ids are handed out before the rows are written, so a batch's children can point at their
parents without reading anything back. On PostgreSQL the rows go in by COPY, the fastest
way in; elsewhere (SQLite) through `bulk_create`. Columns a row leaves out get the model
field's default, as `Model()` would give them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb

Row = dict[str, Any]


def _default_for(field: models.Field[Any, Any]) -> Callable[[], Any]:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now
    return field.get_default


class RowWriter:
    def __init__(self) -> None:
        self.postgresql = connection.vendor == "postgresql"
        self._next_id: dict[type[models.Model], int] = {}

    def ids(self, model: type[models.Model], count: int) -> list[int]:
        """`count` fresh primary keys for `model`, never handed out again."""
        if not count:
            return []
        table = model._meta.db_table
        if self.postgresql:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
        # Read afresh each time: rows may have been added another way since. Without a
        # sequence, ids handed out but not yet written are remembered too.
        highest = model._base_manager.aggregate(highest=models.Max("pk"))["highest"] or 0
        first = max(highest + 1, self._next_id.get(model, 0))
        self._next_id[model] = first + count
        return list(range(first, first + count))

    def insert(self, model: type[models.Model], rows: list[Row]) -> int:
        """Give each row a fresh id, in place, and write them."""
        for row, pk in zip(rows, self.ids(model, len(rows)), strict=True):
            row["id"] = pk
        return self.write(model, rows)

    def insert_instances(self, model: type[models.Model], objects: list[Any]) -> None:
        """Write unsaved instances of `model`, giving each its primary key, as a
        `bulk_create` would but by COPY on PostgreSQL. Fields set on save (created_at) are
        set here."""
        for instance, pk in zip(objects, self.ids(model, len(objects)), strict=True):
            instance.pk = pk
        if not self.postgresql:
            model._base_manager.bulk_create(objects, batch_size=500)
            return
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        self.write(
            model,
            (
                {
                    "id": instance.pk,
                    **{field.attname: field.pre_save(instance, True) for field in fields},
                }
                for instance in objects
            ),
        )
        for instance in objects:
            instance._state.adding = False

    def write(self, model: type[models.Model], rows: Iterable[Row]) -> int:
        """Insert `rows` (each a dict of attname to value, `id` included)."""
        rows = list(rows)
        if not rows:
            return 0
        if self.postgresql:
            self._copy(model, rows)
        else:
            model._base_manager.bulk_create([model(**row) for row in rows], batch_size=500)
        return len(rows)

    def _copy(self, model: type[models.Model], rows: list[Row]) -> None:
        fields = model._meta.concrete_fields
        columns = [field.attname for field in fields]
        # One default per column for the whole batch: a batch is written in one moment.
        defaults = {field.attname: _default_for(field)() for field in fields}
        json_columns = [field.attname for field in fields if isinstance(field, models.JSONField)]

        def values(row: Row) -> tuple[Any, ...]:
            filled = {**defaults, **row}
            for column in json_columns:
                filled[column] = Jsonb(filled[column])
            return tuple(filled[column] for column in columns)

        quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
        table = connection.ops.quote_name(model._meta.db_table)
        # Errors as Django's (IntegrityError, …), as from any other query.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
