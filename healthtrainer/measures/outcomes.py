"""Change in a programme's scores, from baseline to exit or follow-up: the paired figures
the evaluation reports, overall and by subgroup.

One query fetches every current scored questionnaire of the instrument at the two
timepoints, with the episode's subgroup fields; pairing and statistics happen in Python
on plain numbers (statistics.py), so the query count does not grow with the data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from healthtrainer.clients.codes import AGE_BANDS, EmploymentStatus, Sex
from healthtrainer.measures.definitions import Instrument as Definition
from healthtrainer.measures.models import Instrument, QuestionnaireResponse, Timepoint
from healthtrainer.measures.scoring import change_category
from healthtrainer.measures.statistics import PairedSummary, paired_summary, share
from healthtrainer.referrals.eligibility import age_on


@dataclass(frozen=True)
class Pair:
    before: float
    after: float
    imd_decile: int | None
    employment_status: str
    sex: str
    date_of_birth: date
    received_date: date
    ethnic_category: str

    @property
    def imd_quintile(self) -> str:
        return f"Q{(self.imd_decile + 1) // 2}" if self.imd_decile else "Not known"

    @property
    def age_band(self) -> str:
        age = age_on(self.date_of_birth, self.received_date)
        return next((label for low, high, label in AGE_BANDS if low <= age <= high), "Under 18")


SUBGROUPS: dict[str, tuple[str, Callable[[Pair], str]]] = {
    "imd_quintile": ("IMD quintile (national; Q1 most deprived)", lambda pair: pair.imd_quintile),
    "employment_status": (
        "Employment status",
        lambda pair: (
            str(EmploymentStatus(pair.employment_status).label)
            if pair.employment_status
            else "Not recorded"
        ),
    ),
    "sex": ("Sex", lambda pair: str(Sex(pair.sex).label) if pair.sex else "Not recorded"),
    "age_band": ("Age band at referral", lambda pair: pair.age_band),
}


@dataclass(frozen=True)
class Change:
    label: str
    summary: PairedSummary
    improved: float | None
    deteriorated: float | None


def paired_scores(
    programme: Any,
    instrument: Instrument,
    *,
    end: str = Timepoint.EXIT,
    item: str = "",
    responses_filter: Q | None = None,
) -> list[Pair]:
    """Episodes with a scored baseline and a scored `end` questionnaire of the instrument:
    their totals, or, for an instrument reported item by item (ONS4), one item's answers."""
    responses = QuestionnaireResponse.objects.filter(
        programme=programme,
        instrument=instrument,
        timepoint__in=[Timepoint.BASELINE, end],
        is_current=True,
        scored=True,
    )
    if responses_filter is not None:
        responses = responses.filter(responses_filter)
    if not item:
        responses = responses.filter(total__isnull=False)
    rows = responses.values_list(
        "episode_id",
        "timepoint",
        "answers" if item else "total",
        "episode__imd_decile",
        "episode__employment_status",
        "episode__sex",
        "episode__date_of_birth",
        "episode__received_date",
        "episode__ethnic_category",
    )
    by_episode: dict[int, dict[str, Any]] = defaultdict(dict)
    for episode_id, timepoint, value, *fields in rows:
        score = value.get(item) if item else value
        if score is None:
            continue
        by_episode[episode_id][timepoint] = float(score)
        by_episode[episode_id]["fields"] = fields
    return [
        Pair(scores[Timepoint.BASELINE], scores[end], *scores["fields"])
        for scores in by_episode.values()
        if Timepoint.BASELINE in scores and end in scores
    ]


def summarise(label: str, definition: Definition, pairs: list[Pair]) -> Change:
    """Paired statistics, and the shares meaningfully better and worse where the instrument
    has a threshold for that."""
    if definition.meaningful_change is None:
        return Change(
            label,
            paired_summary([pair.before for pair in pairs], [pair.after for pair in pairs]),
            None,
            None,
        )
    categories = [change_category(definition, pair.before, pair.after) for pair in pairs]
    return Change(
        label,
        paired_summary([pair.before for pair in pairs], [pair.after for pair in pairs]),
        share([category == "improvement" for category in categories]),
        share([category == "deterioration" for category in categories]),
    )


def change_by_subgroup(definition: Definition, pairs: list[Pair], subgroup: str) -> list[Change]:
    _, key = SUBGROUPS[subgroup]
    groups: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[key(pair)].append(pair)
    return [summarise(label, definition, groups[label]) for label in sorted(groups)]
