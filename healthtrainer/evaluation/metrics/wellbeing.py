"""Well-being before and after, on the programme's headline instrument: overall and by
subgroup. Counted by the date the episode's referral was received."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef

from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics.registry import PeriodRule, metric
from healthtrainer.evaluation.metrics.subgroups import KEY_FIELDS, SUBGROUPS, GroupChange, sort_key
from healthtrainer.measures.models import ProgrammeInstrument, QuestionnaireResponse, Timepoint
from healthtrainer.measures.outcomes import Pair, paired_scores
from healthtrainer.measures.statistics import PairedSummary, paired_summary
from healthtrainer.programmes.models import Programme


@dataclass(frozen=True)
class WellbeingChange:
    instrument: str | None
    n_paired: int
    mean_change: float | None


def headline_pairs(programme: Programme, period: Period) -> tuple[Any, list[Pair]]:
    """The programme's headline well-being instrument (None if it has none) and the
    episodes referred in the period with a scored baseline and exit on it."""
    headline = (
        ProgrammeInstrument.objects.for_programme(programme)
        .filter(is_primary=True)
        .select_related("instrument")
        .first()
    )
    if headline is None:
        return None, []
    return headline.instrument, paired_scores(
        programme, headline.instrument, responses_filter=period.referral_filter("episode__")
    )


def _wellbeing(programme: Programme, period: Period) -> WellbeingChange:
    instrument, pairs = headline_pairs(programme, period)
    summary = paired_summary([pair.before for pair in pairs], [pair.after for pair in pairs])
    return WellbeingChange(instrument.code if instrument else None, summary.n, summary.mean_change)


@metric(
    "wellbeing.n_paired",
    "Clients with well-being before and after",
    "Episodes referred in the period with a scored baseline and a scored exit questionnaire "
    "of the programme's headline well-being instrument.",
    period=PeriodRule.REFERRAL_DATE,
)
def wellbeing_n_paired(programme: Programme, period: Period) -> int:
    return _wellbeing(programme, period).n_paired


@metric(
    "wellbeing.mean_change",
    "Mean change in well-being",
    "The mean of exit minus baseline on the headline instrument, over the paired episodes; "
    "None with no pairs.",
    period=PeriodRule.REFERRAL_DATE,
)
def wellbeing_mean_change(programme: Programme, period: Period) -> float | None:
    return _wellbeing(programme, period).mean_change


@dataclass(frozen=True)
class HeadlineChanges:
    """One programme's headline instrument and the change, exit minus baseline, of each
    episode paired on it: the pairs `wellbeing.mean_change` averages."""

    instrument: str
    instrument_title: str
    changes: list[float] = field(default_factory=list)
    # For each change, in the same order: its episode and its baseline score.
    episodes: list[int] = field(default_factory=list)
    baselines: list[float] = field(default_factory=list)


def headline_changes_by_programme(
    programmes: Iterable[Programme], period: Period
) -> dict[int, HeadlineChanges]:
    """The same pairs for each of several programmes, each on its own headline instrument,
    in two queries whatever the number of programmes; a programme without a headline
    instrument is left out."""
    chosen = list(programmes)
    headline = {
        row.programme_id: row.instrument
        for row in ProgrammeInstrument.objects.filter(programme__in=chosen, is_primary=True)
        .select_related("instrument")
        .order_by()
    }
    on_headline = Exists(
        ProgrammeInstrument.objects.filter(
            programme=OuterRef("programme"), instrument=OuterRef("instrument"), is_primary=True
        )
    )
    rows = (
        QuestionnaireResponse.objects.filter(
            programme__in=chosen,
            timepoint__in=[Timepoint.BASELINE, Timepoint.EXIT],
            is_current=True,
            scored=True,
            total__isnull=False,
        )
        .filter(on_headline)
        .filter(period.referral_filter("episode__"))
        .order_by()
        .values_list("programme_id", "episode_id", "timepoint", "total")
    )
    scores: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for programme_id, episode_id, timepoint, total in rows:
        if total is not None:
            scores[(programme_id, episode_id)][timepoint] = float(total)
    found = {
        pk: HeadlineChanges(instrument.code, instrument.name) for pk, instrument in headline.items()
    }
    for (programme_id, episode_id), pair in sorted(scores.items()):
        if Timepoint.BASELINE in pair and Timepoint.EXIT in pair and programme_id in found:
            paired = found[programme_id]
            paired.changes.append(pair[Timepoint.EXIT] - pair[Timepoint.BASELINE])
            paired.episodes.append(episode_id)
            paired.baselines.append(pair[Timepoint.BASELINE])
    return found


@dataclass(frozen=True)
class WellbeingSummary:
    instrument: str | None
    instrument_title: str
    overall: PairedSummary
    by_subgroup: dict[str, list[GroupChange]]


@metric(
    "wellbeing.summary",
    "Well-being before and after",
    "On the programme's headline well-being instrument, for episodes referred in the period "
    "with a scored baseline and a scored exit questionnaire: the mean before and after, the "
    "mean change with its 95% confidence interval, the paired t-test and Wilcoxon signed-rank "
    "p values and the effect size (Cohen's dz); overall and in each subgroup.",
    period=PeriodRule.REFERRAL_DATE,
)
def wellbeing_summary(programme: Programme, period: Period) -> WellbeingSummary:
    instrument, pairs = headline_pairs(programme, period)
    if instrument is None:
        return WellbeingSummary(None, "", paired_summary([], []), {})
    by_subgroup: dict[str, list[GroupChange]] = {}
    for subgroup in SUBGROUPS.values():
        groups: dict[Any, list[Any]] = defaultdict(list)
        for pair in pairs:
            fields = {name: getattr(pair, name) for name in (*KEY_FIELDS, "received_date")}
            groups[subgroup.key_of(fields)].append(pair)
        by_subgroup[subgroup.id] = [
            GroupChange(
                subgroup.label(key),
                paired_summary([p.before for p in groups[key]], [p.after for p in groups[key]]),
            )
            for key in sorted(groups, key=sort_key)
        ]
    return WellbeingSummary(
        instrument.code,
        instrument.name,
        paired_summary([pair.before for pair in pairs], [pair.after for pair in pairs]),
        by_subgroup,
    )
