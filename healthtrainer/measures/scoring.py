"""Scoring questionnaires: pure functions over an instrument definition and plain values.

The rules (range, bands, missing items, conversion, meaningful change) come from the
definition files; nothing here knows a particular instrument by name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from healthtrainer.measures.definitions import Band, Instrument, Item

IMPROVEMENT = "improvement"
NO_CHANGE = "no_change"
DETERIORATION = "deterioration"

# Differences of scores given to two decimals (SWEMWBS) pick up binary noise, such as
# 2.9999999999999996 for a change of 3; rounding first compares what was meant.
_PLACES = 9


class InvalidAnswer(ValueError):
    """An answer or total that the instrument cannot take. The message is for the person
    entering it, and names the question."""


@dataclass(frozen=True)
class Score:
    # The reported score: the sum (prorated where allowed), SWEMWBS's metric score, or a
    # per-item instrument's headline item. None when the form cannot be scored.
    total: float | None
    # The whole-number total before any conversion.
    raw_total: int | None
    # Every item answered.
    complete: bool
    # A score could be given under the missing-item rule.
    scored: bool
    band: str | None
    item_scores: dict[str, int | None]
    item_bands: dict[str, str | None]
    missing: int
    safety_flag: bool
    # At or past the instrument's caseness threshold; None where it has none, or no score.
    case: bool | None = None


def score_answers(instrument: Instrument, answers: Mapping[str, int | None]) -> Score:
    """Score one completed form. Items left out of `answers`, or given as None, are missing."""
    known = set(instrument.item_ids)
    unknown = sorted(key for key in answers if key not in known)
    if unknown:
        raise InvalidAnswer(f"{instrument.name} has no question called {unknown[0]!r}.")
    item_scores: dict[str, int | None] = {}
    for position, item in enumerate(instrument.items, start=1):
        value = answers.get(item.id)
        if value is not None:
            _check_answer(instrument, position, item, value)
        item_scores[item.id] = value
    answered = [value for value in item_scores.values() if value is not None]
    missing = len(instrument.items) - len(answered)
    safety_flag = _safety_flag(instrument, item_scores)
    item_bands: dict[str, str | None] = {}
    for item_id, bands in instrument.item_bands.items():
        item_value = item_scores[item_id]
        item_bands[item_id] = None if item_value is None else _band_in(bands, item_value)

    if instrument.scoring == "per_item":
        headline = instrument.headline_item
        value = item_scores[headline] if headline is not None else None
        scored = value is not None if headline is not None else bool(answered)
        return _score(
            instrument,
            total=None if value is None else float(value),
            raw_total=value,
            complete=missing == 0,
            scored=scored,
            item_scores=item_scores,
            item_bands=item_bands,
            missing=missing,
            safety_flag=safety_flag,
        )

    if missing > instrument.missing.max_missing:
        return Score(
            total=None,
            raw_total=None,
            complete=False,
            scored=False,
            band=None,
            item_scores=item_scores,
            item_bands=item_bands,
            missing=missing,
            safety_flag=safety_flag,
        )
    raw_total = sum(answered) if missing == 0 else _prorated(answered, len(instrument.items))
    total = (
        instrument.conversion[raw_total]
        if instrument.scoring == "swemwbs_metric"
        else float(raw_total)
    )
    return _score(
        instrument,
        total=total,
        raw_total=raw_total,
        complete=missing == 0,
        scored=True,
        item_scores=item_scores,
        item_bands=item_bands,
        missing=missing,
        safety_flag=safety_flag,
    )


def score_total(instrument: Instrument, total: float) -> Score:
    """Score a total entered without its items, such as one copied from a paper form.

    For SWEMWBS the total is the metric score (7.00 to 35.00); for a per-item instrument
    it is the headline item. Without the items the safety item cannot be seen, so
    `safety_flag` is False: asking it is the caller's job.
    """
    if instrument.scoring == "per_item" and instrument.headline_item is None:
        raise InvalidAnswer(f"{instrument.name} has no total: enter the answer to each question.")
    if isinstance(total, bool) or not isinstance(total, int | float) or not math.isfinite(total):
        raise InvalidAnswer(f"The {instrument.name} total must be a number.")
    if not instrument.minimum <= total <= instrument.maximum:
        raise InvalidAnswer(
            f"The {instrument.name} total runs from {_number(instrument.minimum)} to "
            f"{_number(instrument.maximum)}: {_number(total)} is outside that."
        )
    if instrument.whole_number_scores and total != int(total):
        raise InvalidAnswer(f"The {instrument.name} total is a whole number.")
    if instrument.whole_number_scores:
        raw_total: int | None = int(total)
    else:
        # A metric score read off the conversion table still identifies its raw total.
        raw_total = next(
            (raw for raw, metric in instrument.conversion.items() if round(metric - total, 2) == 0),
            None,
        )
        if instrument.conversion and raw_total is None:
            raise InvalidAnswer(
                f"{_number(total)} is not a {instrument.name} score: read the metric score off "
                "the conversion table, like 19.98."
            )
    return _score(
        instrument,
        total=float(total),
        raw_total=raw_total,
        complete=True,
        scored=True,
        item_scores={},
        item_bands={},
        missing=0,
        safety_flag=False,
    )


def band_for(instrument: Instrument, value: float) -> str | None:
    """The band a score falls in, or None for an instrument without bands.

    A value between two whole-number bands (a mean, say) belongs to the lower one, as a
    band starts at its threshold: 9.5 on PHQ-9 is still below 10.
    """
    _check_range(instrument, value)
    return _band_in(instrument.bands, value)


def change_category(instrument: Instrument, before: float, after: float) -> str:
    """ "improvement", "no_change" or "deterioration" between two scores.

    A change counts when it meets the instrument's threshold: points, a percentage of the
    first score, or both as its rule says, and a change of band where that is required.
    The same threshold applies in both directions.
    """
    threshold = instrument.meaningful_change
    if threshold is None:
        raise ValueError(f"{instrument.name} has no threshold for a meaningful change.")
    _check_range(instrument, before)
    _check_range(instrument, after)
    size = round(abs(after - before), _PLACES)
    if size == 0:
        return NO_CHANGE
    met = []
    if threshold.points is not None:
        met.append(size >= threshold.points)
    if threshold.percent is not None:
        # A percentage of a first score of 0 is undefined: such a change does not count by
        # this criterion, or PHQ-9 0 → 1 would be a meaningful deterioration.
        met.append(before != 0 and round(size * 100 / abs(before), _PLACES) >= threshold.percent)
    meaningful = any(met) if threshold.rule == "either" else all(met)
    if threshold.needs_band_change:
        meaningful = meaningful and band_for(instrument, before) != band_for(instrument, after)
    if not meaningful:
        return NO_CHANGE
    better = (after > before) == (_direction(instrument) == "higher_is_better")
    return IMPROVEMENT if better else DETERIORATION


# Helpers ---------------------------------------------------------------------------------


def _score(
    instrument: Instrument,
    *,
    total: float | None,
    raw_total: int | None,
    complete: bool,
    scored: bool,
    item_scores: dict[str, int | None],
    item_bands: dict[str, str | None],
    missing: int,
    safety_flag: bool,
) -> Score:
    return Score(
        total=total,
        raw_total=raw_total,
        complete=complete,
        scored=scored,
        band=None if total is None else _band_in(instrument.bands, total),
        item_scores=item_scores,
        item_bands=item_bands,
        missing=missing,
        safety_flag=safety_flag,
        case=_case(instrument, total),
    )


def _check_answer(instrument: Instrument, position: int, item: Item, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in item.values:
        allowed = sorted(item.values)
        contiguous = allowed == list(range(allowed[0], allowed[-1] + 1))
        choices = (
            f"a whole number from {allowed[0]} to {allowed[-1]}"
            if contiguous
            else "one of " + ", ".join(str(choice) for choice in allowed)
        )
        raise InvalidAnswer(
            f"The answer to question {position} of {instrument.name} must be {choices}, "
            f"not {value!r}."
        )


def _safety_flag(instrument: Instrument, item_scores: Mapping[str, int | None]) -> bool:
    if instrument.safety_item is None or instrument.safety_threshold is None:
        return False
    value = item_scores.get(instrument.safety_item)
    return value is not None and value > instrument.safety_threshold


def _prorated(answered: Sequence[int], item_count: int) -> int:
    """The mean of the answered items times the item count, rounded half up.

    Fractions keep the arithmetic exact, so a total of exactly x.5 rounds up rather than
    to even (Python's round) or by accident of binary floating point.
    """
    exact = Fraction(sum(answered) * item_count, len(answered))
    return math.floor(exact + Fraction(1, 2))


def _band_in(bands: Sequence[Band], value: float) -> str | None:
    label = None
    for band in bands:
        if value >= band.low:
            label = band.label
    return label


def _case(instrument: Instrument, total: float | None) -> bool | None:
    if instrument.caseness is None or total is None:
        return None
    if _direction(instrument) == "higher_is_worse":
        return total >= instrument.caseness
    return total <= instrument.caseness


def _direction(instrument: Instrument) -> str:
    """The direction of the reported score: the headline item's, where it has its own."""
    if instrument.headline_item is not None:
        return instrument.item(instrument.headline_item).direction or instrument.direction
    return instrument.direction


def _check_range(instrument: Instrument, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{value!r} is not a {instrument.name} score.")
    if not instrument.minimum <= value <= instrument.maximum:
        raise ValueError(
            f"{_number(value)} is outside the {instrument.name} range "
            f"({_number(instrument.minimum)} to {_number(instrument.maximum)})."
        )


def _number(value: float) -> str:
    """A score as a person would write it: 27, not 27.0; 14.08 as it is."""
    return f"{value:g}"
