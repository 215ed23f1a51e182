"""The network's headline outcomes, each a share per programme, drawn as a funnel plot from
each programme's published figures only (`snapshots.py`): every count as the programme's
own published report shows it, so nothing on a network page is finer than that report,
and the network's figure is the sum of what is shown, never of exact counts a reader
could subtract from."""

from __future__ import annotations

from dataclasses import dataclass

from healthtrainer.casework.vocabulary import Maintained
from healthtrainer.evaluation.disclosure import SUPPRESSED
from healthtrainer.evaluation.metrics.registry import REGISTRY
from healthtrainer.network.funnel import Band, Funnel, Unit, proportion_funnel
from healthtrainer.network.models import PublishedFigures
from healthtrainer.programmes.models import Programme

# Each outcome's numerator and denominator, as the report's ledger names the counts.
OUTCOME_CELLS = {
    "goals": ("goals.achieved_or_partly", "goals.judged"),
    "strategies": (f"follow_up.{Maintained.YES.label}", "follow_up.judged"),
    "engaged": ("flow.engaged", "flow.accepted"),
    "completed": ("flow.completed", "flow.accepted"),
}


@dataclass(frozen=True)
class Outcome:
    id: str
    title: str
    definition: str
    # The records the figure rests on, in words, and the completeness columns
    # (completeness.COLUMNS) that measure them, shown beside each programme's figure.
    rests_on_words: str
    rests_on: tuple[str, ...] = ()


OUTCOMES = (
    Outcome(
        "goals",
        "Goals achieved or partly achieved",
        REGISTRY["goals.pct_achieved_or_partly"].definition,
        "It rests on every goal being given its final status at discharge.",
        ("goal_statuses",),
    ),
    Outcome(
        "strategies",
        "Maintaining self-management strategies at follow-up",
        REGISTRY["follow_up.pct_maintaining_strategies"].definition,
        "It rests on follow-ups that reached the client.",
        ("follow_up_reached",),
    ),
    Outcome(
        "engaged",
        "Engaged: two or more sessions attended",
        "Referrals received in the period and accepted that attended two or more sessions, "
        "out of those accepted.",
        "It rests on attendance being recorded at every session, which the completeness "
        "figures do not measure: a session not recorded counts as not attended.",
    ),
    Outcome(
        "completed",
        "Completed the programme",
        "Referrals received in the period discharged as having completed the programme, out "
        "of those accepted.",
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


def network_funnel(
    outcome: Outcome, programmes: list[Programme], published: dict[int, PublishedFigures]
) -> NetworkFunnel:
    numerator, denominator = OUTCOME_CELLS[outcome.id]
    shown: list[tuple[Programme, int, int]] = []
    too_few: list[Programme] = []
    for programme in programmes:
        counts = published[programme.pk].counts if programme.pk in published else {}
        top, bottom = counts.get(numerator, SUPPRESSED), counts.get(denominator, SUPPRESSED)
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
