"""What an import of a programme workbook did, or would do, row by row."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from healthtrainer.imports.workbook import Problem
from healthtrainer.programmes.models import Programme

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
# Rows whose change is kept to be listed; beyond them only the counts are kept, so that a
# million-row import's report stays small.
LISTED = 1000


@dataclass(frozen=True)
class RowChange:
    row: int
    reference: str
    action: str
    fields: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What an import did, or would do (`written` False), or why it could not."""

    # The first LISTED changes, in row order; `counts` and `changed_fields` cover them all.
    changes: list[RowChange] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    changed_fields: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    practices_created: list[str] = field(default_factory=list)
    clients_created: int = 0
    clients_linked: int = 0
    written: bool = False
    programme: Programme | None = None
    programme_created: bool = False
    programme_changed: list[str] = field(default_factory=list)
    # One line per episode sheet: what was, or would be, imported from it.
    sheet_summaries: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def record(self, change: RowChange) -> None:
        self.counts[change.action] += 1
        self.changed_fields.update(change.fields)
        if len(self.changes) < LISTED:
            self.changes.append(change)

    @property
    def changes_shown(self) -> int:
        return len(self.changes)

    @property
    def changes_not_listed(self) -> int:
        return self.total - len(self.changes)

    def _count(self, action: str) -> int:
        return self.counts[action]

    @property
    def created(self) -> int:
        return self._count(CREATED)

    @property
    def updated(self) -> int:
        return self._count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def summary(self) -> str:
        verb = "Imported" if self.written else "Would import"
        return (
            f"{verb} {self.total:,} referrals: {self.created:,} created, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged."
        )
