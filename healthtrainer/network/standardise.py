"""Case-mix adjustment by indirect standardisation: each programme's observed count of an
outcome against the count expected if its clients had the network's rate in each of their
groups (IMD quintile, age band, sex and baseline well-being band). The ratio observed ÷
expected is 1 for a programme that does as the network does for clients like its own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class StratumCount:
    """In one programme, one group of clients: how many, and how many had the outcome."""

    unit: str
    stratum: Hashable
    clients: int
    events: int


@dataclass(frozen=True)
class Standardised:
    observed: int
    expected: float

    @property
    def ratio(self) -> float | None:
        return self.observed / self.expected if self.expected else None


def indirectly_standardised(counts: Iterable[StratumCount]) -> dict[str, Standardised]:
    rows = list(counts)
    clients: dict[Hashable, int] = defaultdict(int)
    events: dict[Hashable, int] = defaultdict(int)
    for row in rows:
        clients[row.stratum] += row.clients
        events[row.stratum] += row.events
    rate = {stratum: events[stratum] / n for stratum, n in clients.items() if n}
    observed: dict[str, int] = defaultdict(int)
    expected: dict[str, float] = defaultdict(float)
    for row in rows:
        observed[row.unit] += row.events
        expected[row.unit] += row.clients * rate.get(row.stratum, 0.0)
    return {unit: Standardised(observed[unit], expected[unit]) for unit in observed}
