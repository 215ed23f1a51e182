"""The cells of client outcomes that the report's tables and headlines share.

Each concept is one cell wherever it appears: the headline's "goals achieved or partly" is
the same numerator and denominator as the goals table's and the equity table's. Every
breakdown lists every group, empty or not, and adds up to its total (the ledger records
each sum), so the report can be protected as a whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from healthtrainer.casework.vocabulary import GoalStatus, Maintained
from healthtrainer.evaluation.metrics.flow import FLOW_STAGES, Flow
from healthtrainer.evaluation.metrics.subgroups import SUBGROUPS, Subgroup
from healthtrainer.evaluation.report.figures import Disclose
from healthtrainer.evaluation.report.ledger import Cell

# Who left between one stage and the next: (key, label, stage before, stage after).
FLOW_EXITS = [
    ("flow.not_accepted", "Not accepted", "referred", "accepted"),
    ("flow.no_session", "No session attended", "accepted", "first_session"),
    ("flow.one_session", "One session only", "first_session", "engaged"),
]
# The groups with a judgement: the denominators of the goal and follow-up percentages.
GOALS_JUDGED = tuple(
    str(status.label)
    for status in (GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED, GoalStatus.NOT_ACHIEVED)
)
ANSWERS_JUDGED = tuple(str(answer.label) for answer in Maintained)


@dataclass(frozen=True)
class Outcomes:
    """The cells the section and the headlines share."""

    flow: dict[str, Cell]
    profile: dict[str, tuple[list[Cell], Cell]]
    goals: list[tuple[str, Cell]]
    all_goals: Cell
    goals_judged: Cell
    goals_achieved_or_partly: Cell
    answers: list[tuple[str, Cell]]
    answered: Cell
    reached: Cell
    wellbeing_n: Cell
    gp_visits_n: Cell


def by_label(groups: Iterable[Any]) -> Counter[str]:
    """A metric's group counts by label; groups of one label (blank and unknown codes,
    both "Not recorded") added together."""
    totals: Counter[str] = Counter()
    for group in groups:
        totals[group.label] += group.count
    return totals


def _flow_cells(flow: Flow, referred: Cell, disclose: Disclose) -> dict[str, Cell]:
    cells = {"referred": referred}
    for stage in list(FLOW_STAGES)[1:]:
        cells[stage] = disclose.count(f"flow.{stage}", getattr(flow, stage))
    for key, _, before, after in FLOW_EXITS:
        cells[key] = disclose.count(key, cells[before].exact - cells[after].exact)
        disclose.ledger.add_up(cells[before], [cells[after], cells[key]])
    return cells


def _recorded_cells(
    key: str, total: Cell, subgroup: Subgroup, counts: Counter[str], disclose: Disclose
) -> tuple[list[Cell], Cell]:
    """A breakdown of `total` by every group of a subgroup, and the cell of those whose
    group was recorded: the denominator of every percentage of the breakdown."""
    cells = disclose.breakdown(
        total, [(f"{key}.{label}", counts.get(label, 0)) for label in subgroup.groups]
    )
    known = [
        cell
        for label, cell in zip(subgroup.groups, cells, strict=True)
        if label not in subgroup.unrecorded
    ]
    if len(known) == len(cells):
        return cells, total
    recorded = disclose.count(f"{key}.recorded", sum(cell.exact for cell in known))
    disclose.ledger.add_up(recorded, known)
    unknown = [cell for cell in cells if cell not in known]
    disclose.ledger.add_up(total, [recorded, *unknown])
    return cells, recorded


def _named_cells(
    key: str, total: Cell, groups: Iterable[Any], judged: tuple[str, ...], disclose: Disclose
) -> tuple[list[tuple[str, Cell]], Cell]:
    """The groups of a total (goals by final status, follow-ups by answer), and the cell
    of those with a judgement, the denominator of their percentages."""
    counts = by_label(groups)
    cells = disclose.breakdown(total, [(f"{key}.{label}", n) for label, n in counts.items()])
    named = list(zip(counts, cells, strict=True))
    judged_cells = [cell for label, cell in named if label in judged]
    answered = disclose.count(f"{key}.judged", sum(cell.exact for cell in judged_cells))
    disclose.ledger.add_up(answered, judged_cells)
    return named, answered


def outcome_cells(
    figures: dict[str, Any], flow: Flow, referred: Cell, disclose: Disclose
) -> Outcomes:
    flow_cells = _flow_cells(flow, referred, disclose)
    profile = {
        subgroup.id: _recorded_cells(
            f"referred.{subgroup.id}",
            referred,
            subgroup,
            by_label(figures["referral.profile"][subgroup.id]),
            disclose,
        )
        for subgroup in SUBGROUPS.values()
    }
    local = figures["referral.by_local_imd_quintile"]
    if local:
        profile["local_imd_quintile"] = _recorded_cells(
            "referred.local_imd_quintile",
            referred,
            SUBGROUPS["imd_quintile"],
            by_label(local),
            disclose,
        )
    goal_groups = figures["goals.by_final_status"]
    all_goals = disclose.count("goals.all", sum(group.count for group in goal_groups))
    goals, goals_judged = _named_cells("goals", all_goals, goal_groups, GOALS_JUDGED, disclose)
    achieved = [cell for label, cell in goals if label in GOALS_JUDGED[:2]]
    achieved_or_partly = disclose.count(
        "goals.achieved_or_partly", sum(cell.exact for cell in achieved)
    )
    disclose.ledger.add_up(achieved_or_partly, achieved)
    answer_groups = figures["follow_up.by_answer"]
    reached = disclose.same_as(
        "flow.followed_up", sum(group.count for group in answer_groups), "follow_up.all"
    )
    answers, answered = _named_cells("follow_up", reached, answer_groups, ANSWERS_JUDGED, disclose)
    wellbeing_n = disclose.count("wellbeing.n", figures["wellbeing.summary"].overall.n)
    gp_visits_n = disclose.count(
        "gp_visits.n", figures["follow_up.gp_visits_before_after"].n_paired
    )
    return Outcomes(
        flow=flow_cells,
        profile=profile,
        goals=goals,
        all_goals=all_goals,
        goals_judged=goals_judged,
        goals_achieved_or_partly=achieved_or_partly,
        answers=answers,
        answered=answered,
        reached=reached,
        wellbeing_n=wellbeing_n,
        gp_visits_n=gp_visits_n,
    )
