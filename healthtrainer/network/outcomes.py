"""The network's headline outcomes, each a share per programme read in one grouped query
from the evaluation's own definitions, and drawn as a funnel plot from published counts
only: each programme's counts as the published-figures rules show them (1 to 7 hidden,
others to the nearest 5), so nothing on a network page is finer than a programme's own
published report, and the network's figure is the sum of what is shown, never of exact
counts a reader could subtract from."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import published_count
from healthtrainer.evaluation.metrics.flow import flow_by_programme
from healthtrainer.evaluation.metrics.follow_up import follow_up_maintaining_by_programme
from healthtrainer.evaluation.metrics.goals import goals_achieved_or_partly_by_programme
from healthtrainer.evaluation.metrics.ratio import Ratio
from healthtrainer.evaluation.metrics.registry import REGISTRY
from healthtrainer.network.funnel import Band, Funnel, Unit, proportion_funnel
from healthtrainer.programmes.models import Programme

ByProgramme = Callable[[Iterable[Programme], Period], dict[int, Ratio]]


def _engaged(programmes: Iterable[Programme], period: Period) -> dict[int, Ratio]:
    return {
        pk: Ratio(flow.engaged, flow.accepted)
        for pk, flow in flow_by_programme(programmes, period).items()
    }


def _completed(programmes: Iterable[Programme], period: Period) -> dict[int, Ratio]:
    return {
        pk: Ratio(flow.completed, flow.accepted)
        for pk, flow in flow_by_programme(programmes, period).items()
    }


@dataclass(frozen=True)
class Outcome:
    id: str
    title: str
    definition: str
    by_programme: ByProgramme
    # The records the figure rests on, in words, and the completeness columns
    # (completeness.COLUMNS) that measure them, shown beside each programme's figure.
    rests_on_words: str
    rests_on: tuple[str, ...] = ()


OUTCOMES = (
    Outcome(
        "goals",
        "Goals achieved or partly achieved",
        REGISTRY["goals.pct_achieved_or_partly"].definition,
        goals_achieved_or_partly_by_programme,
        "It rests on every goal being given its final status at discharge.",
        ("goal_statuses",),
    ),
    Outcome(
        "strategies",
        "Maintaining self-management strategies at follow-up",
        REGISTRY["follow_up.pct_maintaining_strategies"].definition,
        follow_up_maintaining_by_programme,
        "It rests on follow-ups that reached the client.",
        ("follow_up_reached",),
    ),
    Outcome(
        "engaged",
        "Engaged: two or more sessions attended",
        "Referrals received in the period and accepted that attended two or more sessions, "
        "out of those accepted.",
        _engaged,
        "It rests on attendance being recorded at every session, which the completeness "
        "figures do not measure: a session not recorded counts as not attended.",
    ),
    Outcome(
        "completed",
        "Completed the programme",
        "Referrals received in the period discharged as having completed the programme, out "
        "of those accepted.",
        _completed,
        "It rests on every discharge being recorded with its reason, which the completeness "
        "figures do not measure: a discharge not recorded counts as not completed.",
    ),
)
OUTCOME_BY_ID = {outcome.id: outcome for outcome in OUTCOMES}


@dataclass(frozen=True)
class ShownProgramme:
    programme: Programme
    numerator: int
    denominator: int
    band: Band

    @property
    def share(self) -> float:
        return self.numerator / self.denominator


@dataclass(frozen=True)
class NetworkFunnel:
    outcome: Outcome
    funnel: Funnel | None
    shown: list[ShownProgramme]
    # Programmes whose published counts are hidden (1 to 7) or have nothing to divide.
    too_few: list[Programme]

    @property
    def beyond(self) -> list[ShownProgramme]:
        return [item for item in self.shown if item.band != Band.WITHIN]


def network_funnel(outcome: Outcome, programmes: list[Programme], period: Period) -> NetworkFunnel:
    ratios = outcome.by_programme(programmes, period)
    shown: list[tuple[Programme, int, int]] = []
    too_few: list[Programme] = []
    for programme in programmes:
        ratio = ratios.get(programme.pk, Ratio(0, 0))
        top, bottom = published_count(ratio.numerator), published_count(ratio.denominator)
        if isinstance(top, str) or isinstance(bottom, str) or bottom == 0:
            too_few.append(programme)
        else:
            shown.append((programme, top, bottom))
    if not shown:
        return NetworkFunnel(outcome, None, [], too_few)
    funnel = proportion_funnel(
        [Unit(str(programme.pk), top / bottom, bottom) for programme, top, bottom in shown]
    )
    return NetworkFunnel(
        outcome,
        funnel,
        [
            ShownProgramme(programme, top, bottom, funnel.bands[str(programme.pk)])
            for programme, top, bottom in shown
        ],
        too_few,
    )
