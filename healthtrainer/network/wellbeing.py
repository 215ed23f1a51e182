"""The mean change in well-being as a funnel plot: each programme's mean change from
baseline to exit, over the episodes paired on its headline instrument (the evaluation's
`wellbeing.mean_change`), against its number of pairs, with 95% and 99.8% limits around
the network's mean. Scores on different instruments cannot be set side by side, so there
is one funnel for each headline instrument the network's programmes use.

Disclosure: the number of pairs is published as any count is (1 to 7 hidden, others to
the nearest 5); a mean over a hidden number is not shown, and a shown mean is rounded to
one decimal place. The network's mean is the mean of the shown means, weighted by the
shown numbers. The spread (standard deviation) is pooled from the exact changes of the
programmes shown; only the limits it draws are seen, never a programme's own spread."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import published_count
from healthtrainer.evaluation.metrics.registry import REGISTRY
from healthtrainer.evaluation.metrics.wellbeing import headline_changes_by_programme
from healthtrainer.network.funnel import Band, Funnel, Unit, mean_funnel, pooled_sd
from healthtrainer.programmes.models import Programme

# The evaluation's definitions, without what the per-programme metric gives with no pairs
# (a funnel leaves such a programme out).
DEFINITION = (
    REGISTRY["wellbeing.mean_change"].definition.split(";")[0]
    + ". Paired episodes: "
    + REGISTRY["wellbeing.n_paired"].definition[0].lower()
    + REGISTRY["wellbeing.n_paired"].definition[1:]
)
# The completeness columns (completeness.COLUMNS) a mean change rests on.
RESTS_ON = ("baseline", "exit")
RESTS_ON_WORDS = "It rests on a baseline and an exit questionnaire for each client."


@dataclass(frozen=True)
class ShownMean:
    programme: Programme
    # The number of pairs as published, and the mean change to one decimal place.
    pairs: int
    mean: float
    band: Band


@dataclass(frozen=True)
class WellbeingFunnel:
    instrument: str
    instrument_title: str
    funnel: Funnel | None
    shown: list[ShownMean]
    # Programmes on this instrument whose number of pairs is hidden (1 to 7) or none.
    too_few: list[Programme]

    @property
    def id(self) -> str:
        return f"wellbeing-{self.instrument}"

    @property
    def title(self) -> str:
        return f"Mean change in well-being: {self.instrument_title}"

    @property
    def beyond(self) -> list[ShownMean]:
        return [item for item in self.shown if item.band != Band.WITHIN]


@dataclass(frozen=True)
class Wellbeing:
    funnels: list[WellbeingFunnel]
    # Programmes sharing their outcomes that have no headline well-being instrument.
    without_instrument: list[Programme]


# Each programme's pairs on its headline instrument, summed up: {"instrument", "title",
# "n", "mean", "sd"}; a programme without a headline instrument is missing.
Rows = dict[int, dict[str, Any]]


def wellbeing_rows(programmes: list[Programme]) -> Rows:
    """Each programme's number of pairs, mean change and its spread, exact: the changes
    themselves are not kept."""
    found: Rows = {}
    for pk, changes in headline_changes_by_programme(programmes, Period()).items():
        values = changes.changes
        found[pk] = {
            "instrument": changes.instrument,
            "title": changes.instrument_title,
            "n": len(values),
            "mean": float(np.mean(values)) if values else 0.0,
            "sd": float(np.std(values, ddof=1)) if len(values) > 1 else 0.0,
        }
    return found


def wellbeing_funnels(programmes: list[Programme], rows: Rows | None = None) -> Wellbeing:
    """One funnel for each headline instrument, from `rows` as kept with the published
    figures (or read now)."""
    rows = wellbeing_rows(programmes) if rows is None else rows
    by_instrument: dict[tuple[str, str], list[tuple[Programme, Pairs]]] = defaultdict(list)
    for programme in programmes:
        row = rows.get(programme.pk)
        if row is not None:
            pairs = Pairs(row["n"], row["mean"], row["sd"])
            by_instrument[(row["instrument"], row["title"])].append((programme, pairs))
    # The instrument most programmes use first.
    ordered = sorted(by_instrument.items(), key=lambda item: (-len(item[1]), item[0][1]))
    return Wellbeing(
        [_funnel(code, title, members) for (code, title), members in ordered],
        [programme for programme in programmes if rows.get(programme.pk) is None],
    )


@dataclass(frozen=True)
class Pairs:
    n: int
    mean: float
    sd: float


def shown_mean(value: float) -> float:
    """A mean as shown: to one decimal place, halves away from zero."""
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _funnel(code: str, title: str, members: list[tuple[Programme, Pairs]]) -> WellbeingFunnel:
    shown: list[tuple[Programme, int, float, Pairs]] = []
    too_few: list[Programme] = []
    for programme, pairs in members:
        n_shown = published_count(pairs.n)
        if isinstance(n_shown, str) or n_shown == 0:
            too_few.append(programme)
        else:
            shown.append((programme, n_shown, shown_mean(pairs.mean), pairs))
    if not shown:
        return WellbeingFunnel(code, title, None, [], too_few)
    sd = pooled_sd([(pairs.n, pairs.sd) for *_, pairs in shown])
    funnel = mean_funnel(
        [Unit(str(programme.pk), mean, n_shown) for programme, n_shown, mean, _ in shown], sd
    )
    return WellbeingFunnel(
        code,
        title,
        funnel,
        [
            ShownMean(programme, n_shown, mean, funnel.bands[str(programme.pk)])
            for programme, n_shown, mean, _ in shown
        ],
        too_few,
    )
