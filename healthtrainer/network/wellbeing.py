"""The mean change in well-being as a funnel plot: each programme's mean change from
baseline to exit, over the episodes paired on its headline instrument (the evaluation's
`wellbeing.mean_change`), against its number of pairs, with 95% and 99.8% limits around
the network's mean. Scores on different instruments cannot be set side by side, so there
is one funnel for each headline instrument the network's programmes use.

Disclosure: the number of pairs is shown as the programme's published report shows it (1 to
7 hidden, others to the nearest 5, and hidden where the report hides it); a mean over a
hidden number is not shown, and a shown mean is rounded to
one decimal place. The network's mean is the mean of the shown means, weighted by the
shown numbers. The spread (standard deviation) is pooled from the exact changes of the
programmes shown; only the limits it draws are seen, never a programme's own spread."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import published_count
from healthtrainer.evaluation.metrics.registry import REGISTRY
from healthtrainer.evaluation.metrics.wellbeing import headline_changes_by_programme
from healthtrainer.network.casemix import episode_groups, wellbeing_band
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
    # Each programme's mean change less the change expected for its case-mix, not the
    # mean change itself.
    adjusted: bool = False

    @property
    def id(self) -> str:
        return f"wellbeing-{self.instrument}" + ("-adjusted" if self.adjusted else "")

    @property
    def title(self) -> str:
        if self.adjusted:
            return (
                f"Mean change in well-being, adjusted for case-mix: {self.instrument_title} "
                "(observed minus expected)"
            )
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
# "n", "mean", "sd", "strata"}, the strata [[group key..., band], pairs, sum of changes];
# a programme without a headline instrument is missing.
Rows = dict[int, dict[str, Any]]


def wellbeing_rows(programmes: list[Programme]) -> Rows:
    """Each programme's number of pairs, mean change and its spread, and the number and sum
    of changes in each case-mix group, exact: the changes themselves are not kept."""
    found: Rows = {}
    paired = headline_changes_by_programme(programmes, Period())
    groups = episode_groups(programmes)
    for pk, changes in paired.items():
        values = changes.changes
        strata: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0])
        for episode, baseline, change in zip(
            changes.episodes, changes.baselines, values, strict=True
        ):
            key = (*groups.get(episode, ()), wellbeing_band(changes.instrument, baseline))
            strata[key][0] += 1
            strata[key][1] += change
        found[pk] = {
            "instrument": changes.instrument,
            "title": changes.instrument_title,
            "n": len(values),
            "mean": float(np.mean(values)) if values else 0.0,
            "sd": float(np.std(values, ddof=1)) if len(values) > 1 else 0.0,
            "strata": [[list(key), int(n), total] for key, (n, total) in strata.items()],
        }
    return found


def wellbeing_funnels(programmes: list[Programme], rows: Rows | None = None) -> Wellbeing:
    """For each headline instrument, the funnel of mean changes and the same adjusted for
    case-mix, from `rows` as kept with the published figures (or read now)."""
    rows = wellbeing_rows(programmes) if rows is None else rows
    by_instrument: dict[tuple[str, str], list[tuple[Programme, Pairs]]] = defaultdict(list)
    for programme in programmes:
        row = rows.get(programme.pk)
        if row is not None:
            n_shown = row.get("n_shown", published_count(row["n"]))
            pairs = Pairs(row["n"], row["mean"], row["sd"], row.get("strata") or [], n_shown)
            by_instrument[(row["instrument"], row["title"])].append((programme, pairs))
    # The instrument most programmes use first.
    ordered = sorted(by_instrument.items(), key=lambda item: (-len(item[1]), item[0][1]))
    return Wellbeing(
        [
            funnel
            for (code, title), members in ordered
            for funnel in (_funnel(code, title, members), _adjusted(code, title, members))
        ],
        [programme for programme in programmes if rows.get(programme.pk) is None],
    )


@dataclass(frozen=True)
class Pairs:
    n: int
    mean: float
    sd: float
    strata: list[list[Any]]
    # The number of pairs as the programme's published report shows it: "*" where hidden.
    n_shown: int | str


def shown_mean(value: float) -> float:
    """A mean as shown: to one decimal place, halves away from zero."""
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _funnel(
    code: str,
    title: str,
    members: list[tuple[Programme, Pairs]],
    value: Callable[[Programme, Pairs], float] | None = None,
) -> WellbeingFunnel:
    """The funnel of each programme's mean change, or of `value` (the adjusted difference)
    where given."""
    shown: list[tuple[Programme, int, float, Pairs]] = []
    too_few: list[Programme] = []
    for programme, pairs in members:
        n_shown = pairs.n_shown
        if isinstance(n_shown, str) or n_shown == 0:
            too_few.append(programme)
        else:
            exact = value(programme, pairs) if value else pairs.mean
            shown.append((programme, n_shown, shown_mean(exact), pairs))
    adjusted = value is not None
    if not shown:
        return WellbeingFunnel(code, title, None, [], too_few, adjusted)
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
        adjusted,
    )


def _adjusted(code: str, title: str, members: list[tuple[Programme, Pairs]]) -> WellbeingFunnel:
    """Each programme's mean change less the mean its clients would have had at the
    network's mean change for clients like them (by the case-mix groups): 0 is as its
    case-mix predicts. The network's means come from every programme on the instrument,
    shown or not; only each programme's difference is shown."""
    count: dict[tuple[Any, ...], int] = defaultdict(int)
    total: dict[tuple[Any, ...], float] = defaultdict(float)
    for _, pairs in members:
        for key, n, summed in pairs.strata:
            count[tuple(key)] += n
            total[tuple(key)] += summed

    def observed_less_expected(programme: Programme, pairs: Pairs) -> float:
        expected = sum(n * total[tuple(key)] / count[tuple(key)] for key, n, _ in pairs.strata)
        return float(pairs.mean - expected / pairs.n)

    return _funnel(code, title, members, observed_less_expected)
