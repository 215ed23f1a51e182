"""Every count a report shows, the sums that tie them together, and secondary suppression.

A reader of a published report knows more than each cell: they know that the groups of a
breakdown add up to its total, that a numerator is no larger than its denominator, and the
rule that turned each count into what is shown. From all of that together they could
narrow a hidden count down, so hiding cells one at a time is not enough.

The ledger holds one cell per concept (the same key wherever the figure appears, so a
figure has one value in every table), and the relations between cells. `protect` then
works out, with an integer program, the smallest and largest value each hidden count
could take given everything shown, and hides further cells ("secondary suppression")
until no count of 1 to 7 can be narrowed below the whole band of 1 to 7.

What the reader is assumed to know (docs/evaluation.md): a count shown as a number n ≥ 10
lies within n ± 2 and is at least 8; a 0 is exactly 0; a count hidden by the primary rule
lies in 1 to 7; a count hidden to protect another could be any number from 0 up; and every
relation in the ledger. Derived figures (percentages, rates, unit costs) are worked out
from the counts as shown, so they tell the reader nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]

from healthtrainer.evaluation.disclosure import (
    ROUND_TO,
    SMALLEST_SHOWN,
    SUPPRESSED,
    Disclosure,
    published_count,
)

# What a hidden count could be, for a reader who knows nothing else about it.
BAND = (1, SMALLEST_SHOWN - 1)
# Larger than any count a programme has: the upper bound of a count the reader knows
# nothing about, which keeps every integer program bounded.
UNKNOWN = 10**6
ROUNDING_SLACK = ROUND_TO // 2


class State(StrEnum):
    EXACT = "exact"
    ZERO = "zero"
    ROUNDED = "rounded"
    # Hidden because it is 1 to 7.
    PRIMARY = "primary"
    # Hidden to protect another cell, or because its group's total is hidden.
    WITHHELD = "withheld"


@dataclass(eq=False)
class Cell:
    key: str
    exact: int
    state: State

    @property
    def hidden(self) -> bool:
        return self.state in (State.PRIMARY, State.WITHHELD)

    @property
    def source(self) -> str:
        return f"count:{self.key}"

    @property
    def shown(self) -> int | str:
        if self.hidden:
            return SUPPRESSED
        if self.state == State.ROUNDED:
            return published_count(self.exact)
        return self.exact

    def known_range(self) -> tuple[float, float]:
        """What a reader knows of this cell from how it is shown, before any relation."""
        if self.state in (State.EXACT, State.ZERO):
            return (self.exact, self.exact)
        if self.state == State.PRIMARY:
            return BAND
        if self.state == State.WITHHELD:
            return (0, UNKNOWN)
        rounded = int(published_count(self.exact))
        return (max(rounded - ROUNDING_SLACK, SMALLEST_SHOWN), rounded + ROUNDING_SLACK)


@dataclass(frozen=True)
class Sum:
    """The parts add up to the total."""

    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class AtMost:
    """The part is no larger than the whole (a numerator and its denominator)."""

    part: str
    whole: str


@dataclass
class Ledger:
    mode: Disclosure
    cells: dict[str, Cell] = field(default_factory=dict)
    sums: list[Sum] = field(default_factory=list)
    bounds: list[AtMost] = field(default_factory=list)

    def count(self, key: str, n: int) -> Cell:
        """The cell for a concept; asking again for the same key gives the same cell, and
        it must be the same number wherever it is used."""
        if n < 0:
            raise ValueError(f"A count cannot be negative ({key}).")
        if key in self.cells:
            cell = self.cells[key]
            if cell.exact != n:
                raise ValueError(f"{key} is counted as both {cell.exact} and {n}.")
            return cell
        cell = Cell(key, n, self._state_of(n))
        self.cells[key] = cell
        return cell

    def _state_of(self, n: int) -> State:
        if self.mode == Disclosure.EXACT:
            return State.EXACT
        if n == 0:
            return State.ZERO
        return State.PRIMARY if n < SMALLEST_SHOWN else State.ROUNDED

    def add_up(self, total: Cell, parts: Sequence[Cell]) -> None:
        if sum(part.exact for part in parts) != total.exact:
            raise ValueError(f"The parts of {total.key} do not add up to it.")
        self.sums.append(Sum(total.key, tuple(part.key for part in parts)))

    def at_most(self, part: Cell, whole: Cell) -> None:
        if part.exact > whole.exact:
            raise ValueError(f"{part.key} is larger than {whole.key}.")
        self.bounds.append(AtMost(part.key, whole.key))

    def protect(self) -> None:
        """Hide cells until no count of 1 to 7 can be narrowed, from everything shown,
        below the whole band of 1 to 7 (published mode only)."""
        if self.mode == Disclosure.EXACT:
            return
        self._hide_breakdowns_of_hidden_totals()
        unchecked = [
            cell for cell in self.cells.values() if cell.hidden and 0 < cell.exact < SMALLEST_SHOWN
        ]
        while unchecked:
            exposed = System(self).exposed(unchecked)
            if not exposed:
                return
            withheld_before = self._withheld()
            for cell in exposed:
                self._hide_a_complement(cell)
            self._hide_breakdowns_of_hidden_totals()
            if self._withheld() == withheld_before:
                raise RuntimeError("Secondary suppression found nothing more to hide.")
            unchecked = exposed

    def _withheld(self) -> int:
        return sum(cell.state == State.WITHHELD for cell in self.cells.values())

    def _related(self, key: str) -> set[str]:
        related: set[str] = set()
        for relation in self.sums:
            if key in (relation.total, *relation.parts):
                related.update((relation.total, *relation.parts))
        for bound in self.bounds:
            if key in (bound.part, bound.whole):
                related.update((bound.part, bound.whole))
        return related

    def _hide_breakdowns_of_hidden_totals(self) -> None:
        """A breakdown of a hidden total of 1 to 7 tells which groups are empty, and each
        hidden group is at least 1: together they narrow every group. Such breakdowns are
        hidden whole, zeros included, and a numerator is hidden with its denominator."""
        changed = True
        while changed:
            changed = False
            for relation in self.sums:
                total = self.cells[relation.total]
                if total.hidden and total.exact < SMALLEST_SHOWN:
                    for key in relation.parts:
                        changed |= self._withhold_key(key)
                parts = [self.cells[key] for key in relation.parts]
                if (
                    parts
                    and 0 < total.exact < SMALLEST_SHOWN
                    and all(part.state == State.WITHHELD for part in parts)
                ):
                    # A sum of withheld groups, such as "achieved or partly".
                    changed |= self._withhold_key(total.key)
            for bound in self.bounds:
                if self.cells[bound.whole].hidden:
                    changed |= self._withhold_key(bound.part)

    def _withhold_key(self, key: str) -> bool:
        """Hide a cell as withheld. A count of 1 to 7 withheld looks like any other hidden
        cell, so the reader can no longer tell it from a hidden zero or a large count."""
        cell = self.cells[key]
        if cell.state == State.WITHHELD:
            return False
        cell.state = State.WITHHELD
        return True

    def _hide_a_complement(self, cell: Cell) -> None:
        """Hide the smallest cell still shown among those nearest to `cell` (sharing a
        relation with it, else with those, and so on), so that the hidden cells around it
        can absorb each other. Non-zero cells are hidden before zeros."""
        seen = {cell.key}
        frontier = {cell.key}
        while frontier:
            nearest = set().union(*(self._related(key) for key in frontier)) - seen
            shown = [self.cells[key] for key in nearest if not self.cells[key].hidden]
            if shown:
                chosen = min(shown, key=lambda c: (c.exact == 0, c.exact, c.key))
                self._withhold_key(chosen.key)
                return
            # Everything near is hidden already: those hidden by the primary rule still
            # tell the reader they are at least 1, so they are withheld instead.
            primary = [key for key in nearest if self.cells[key].state == State.PRIMARY]
            if primary:
                for key in primary:
                    self._withhold_key(key)
                return
            seen |= nearest
            frontier = nearest


class System:
    """What a reader knows, as the constraints of an integer program over every cell."""

    def __init__(self, ledger: Ledger) -> None:
        self.keys = list(ledger.cells)
        self.index = {key: i for i, key in enumerate(self.keys)}
        ranges = [ledger.cells[key].known_range() for key in self.keys]
        self.bounds = Bounds([low for low, _ in ranges], [high for _, high in ranges])
        self.constraints = constraints(self.index, ledger.sums, ledger.bounds)

    def exposed(self, cells: Sequence[Cell]) -> list[Cell]:
        """The cells, each of 1 to 7, whose range a reader could narrow below 1 to 7.

        A few programs settle most cells at once: one solution in which many hidden cells
        reach 7 together shows that each can reach 7. Only the cells no such solution
        settles are solved for one by one."""
        keys = [cell.key for cell in cells]
        high = self._settle(keys, lambda value: value >= BAND[1] - 0.5, maximise=True)
        low = self._settle(keys, lambda value: value <= BAND[0] + 0.5, maximise=False)
        return [
            cell
            for cell in cells
            if (cell.key in high and -self._extreme(cell.key, -1.0) < BAND[1])
            or (cell.key in low and self._extreme(cell.key, 1.0) > BAND[0])
        ]

    def _settle(
        self, keys: list[str], reached: Callable[[float], bool], *, maximise: bool
    ) -> set[str]:
        """The keys that no joint solution has shown to reach the end of the band."""
        pending = set(keys)
        while pending:
            objective = np.zeros(len(self.keys))
            upper = np.array(self.bounds.ub, dtype=float)
            for key in pending:
                objective[self.index[key]] = -1.0 if maximise else 1.0
                upper[self.index[key]] = min(upper[self.index[key]], BAND[1])
            result = milp(
                objective,
                integrality=np.ones(len(self.keys)),
                bounds=Bounds(self.bounds.lb, upper),
                constraints=self.constraints,
            )
            if not result.success:
                return pending
            settled = {key for key in pending if reached(result.x[self.index[key]])}
            if not settled:
                return pending
            pending -= settled
        return pending

    def _extreme(self, key: str, sign: float) -> float:
        objective = np.zeros(len(self.keys))
        objective[self.index[key]] = sign
        result = milp(
            objective,
            integrality=np.ones(len(self.keys)),
            bounds=self.bounds,
            constraints=self.constraints,
        )
        if not result.success:
            raise ValueError(f"The figures shown are inconsistent: {result.message}")
        return float(result.fun)


def constraints(
    index: dict[str, int], sums: Iterable[Sum], bounds: Iterable[AtMost]
) -> list[LinearConstraint]:
    """Each sum as parts - total = 0, each bound as part - whole <= 0."""
    rows: list[np.ndarray] = []
    upper: list[float] = []
    lower: list[float] = []
    for relation in sums:
        row = np.zeros(len(index))
        for key in relation.parts:
            row[index[key]] += 1
        row[index[relation.total]] -= 1
        rows.append(row)
        lower.append(0)
        upper.append(0)
    for bound in bounds:
        row = np.zeros(len(index))
        row[index[bound.part]] += 1
        row[index[bound.whole]] -= 1
        rows.append(row)
        lower.append(-np.inf)
        upper.append(0)
    if not rows:
        return []
    return [LinearConstraint(np.array(rows), lower, upper)]
