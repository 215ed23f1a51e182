"""Scoring against the published rules: ranges, missing items, conversion, bands, change."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthtrainer.measures.definitions import MeaningfulChange, load_definitions
from healthtrainer.measures.scoring import (
    InvalidAnswer,
    band_for,
    change_category,
    score_answers,
    score_total,
)

DEFINITIONS = load_definitions()
SUMMED = ["phq9", "gad7", "wemwbs", "pseq"]

# SWEMWBS raw total 7 to 35 and its metric score, copied from the domain notes.
SWEMWBS_METRIC = {
    7: 7.00,
    8: 9.51,
    9: 11.25,
    10: 12.40,
    11: 13.33,
    12: 14.08,
    13: 14.75,
    14: 15.32,
    15: 15.84,
    16: 16.36,
    17: 16.88,
    18: 17.43,
    19: 17.98,
    20: 18.59,
    21: 19.25,
    22: 19.98,
    23: 20.73,
    24: 21.54,
    25: 22.35,
    26: 23.21,
    27: 24.11,
    28: 25.03,
    29: 26.02,
    30: 27.03,
    31: 28.13,
    32: 29.31,
    33: 30.70,
    34: 32.55,
    35: 35.00,
}


def answers(code: str, *values: int | None) -> dict[str, int | None]:
    instrument = DEFINITIONS[code]
    assert len(values) == len(instrument.items)
    return dict(zip(instrument.item_ids, values, strict=True))


def every(code: str, value: int | None) -> dict[str, int | None]:
    return dict.fromkeys(DEFINITIONS[code].item_ids, value)


# Range limits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "low", "high", "low_band", "high_band"),
    [
        ("phq9", 0, 27, "minimal", "severe"),
        ("gad7", 0, 21, "minimal", "severe"),
        ("wemwbs", 14, 70, None, None),
        ("pseq", 0, 60, "severe", "minimal"),
    ],
)
def test_a_summed_instrument_scores_its_range_limits(code, low, high, low_band, high_band):
    instrument = DEFINITIONS[code]
    lowest = score_answers(instrument, every(code, instrument.items[0].minimum))
    highest = score_answers(instrument, every(code, instrument.items[0].maximum))
    assert (lowest.total, lowest.raw_total, lowest.band) == (low, low, low_band)
    assert (highest.total, highest.raw_total, highest.band) == (high, high, high_band)
    for score in (lowest, highest):
        assert score.complete
        assert score.scored
        assert score.missing == 0


def test_swemwbs_scores_its_range_limits_on_the_metric_scale():
    lowest = score_answers(DEFINITIONS["swemwbs"], every("swemwbs", 1))
    highest = score_answers(DEFINITIONS["swemwbs"], every("swemwbs", 5))
    assert (lowest.raw_total, lowest.total) == (7, 7.00)
    assert (highest.raw_total, highest.total) == (35, 35.00)


def test_ons4_reports_each_question_against_its_thresholds_without_a_total():
    ons4 = DEFINITIONS["ons4"]
    lowest = score_answers(ons4, every("ons4", 0))
    highest = score_answers(ons4, every("ons4", 10))
    assert lowest.total is None
    assert lowest.scored
    assert lowest.item_scores == every("ons4", 0)
    assert lowest.item_bands == {
        "life_satisfaction": "low",
        "worthwhile": "low",
        "happiness": "low",
        "anxiety": "very low",
    }
    assert highest.item_bands == {
        "life_satisfaction": "very high",
        "worthwhile": "very high",
        "happiness": "very high",
        "anxiety": "high",
    }


@pytest.mark.parametrize(
    ("value", "wellbeing_band", "anxiety_band"),
    [
        (0, "low", "very low"),
        (1, "low", "very low"),
        (2, "low", "low"),
        (3, "low", "low"),
        (4, "low", "medium"),
        (5, "medium", "medium"),
        (6, "medium", "high"),
        (7, "high", "high"),
        (8, "high", "high"),
        (9, "very high", "high"),
        (10, "very high", "high"),
    ],
)
def test_every_ons4_answer_falls_in_the_ons_threshold_band(value, wellbeing_band, anxiety_band):
    score = score_answers(DEFINITIONS["ons4"], every("ons4", value))
    assert score.item_bands["life_satisfaction"] == wellbeing_band
    assert score.item_bands["worthwhile"] == wellbeing_band
    assert score.item_bands["happiness"] == wellbeing_band
    assert score.item_bands["anxiety"] == anxiety_band


def test_the_pain_nrs_headline_is_average_pain_with_interference_beside_it():
    nrs = DEFINITIONS["pain_nrs"]
    assert score_answers(nrs, answers("pain_nrs", 0, 10)).total == 0
    score = score_answers(nrs, answers("pain_nrs", 10, 0))
    assert (score.total, score.raw_total) == (10, 10)
    assert score.item_scores == {"average_pain": 10, "interference": 0}


# Missing items --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "given", "total"),
    [
        # Eight PHQ-9 answers summing to 13: 13 / 8 x 9 = 14.625, rounded to 15.
        ("phq9", (2, 2, 2, 2, 2, 2, 1, None, 0), 15),
        # Eight summing to 12: 12 / 8 x 9 = 13.5, rounded half up to 14 (not to even).
        ("phq9", (None, 2, 2, 2, 2, 1, 1, 1, 1), 14),
        # Six GAD-7 answers summing to 9: 9 / 6 x 7 = 10.5, rounded half up to 11.
        ("gad7", (3, 3, 1, 1, 1, None, 0), 11),
        # Eleven WEMWBS answers of 3: 33 / 11 x 14 = 42.
        ("wemwbs", (3, 3, 3, None, 3, 3, 3, None, 3, 3, 3, None, 3, 3), 42),
        # Six PSEQ answers summing to 20: 20 / 6 x 10 = 33.33, rounded to 33.
        ("pseq", (6, 6, 4, 2, 1, 1, None, None, None, None), 33),
    ],
)
def test_missing_items_within_the_rule_are_prorated(code, given, total):
    score = score_answers(DEFINITIONS[code], answers(code, *given))
    assert score.scored
    assert not score.complete
    assert score.missing == given.count(None)
    assert (score.total, score.raw_total) == (total, total)


@pytest.mark.parametrize(
    ("code", "given"),
    [
        ("phq9", (2, 2, 2, 2, 2, 2, 1, None, None)),
        ("gad7", (3, 3, 1, 1, 1, None, None)),
        ("wemwbs", (3, None, 3, None, 3, 3, 3, None, 3, 3, 3, None, 3, 3)),
        ("swemwbs", (3, 3, 3, 3, 3, 3, None)),
        ("pseq", (6, 6, 4, 2, 1, None, None, None, None, None)),
    ],
)
def test_one_missing_item_past_the_rule_leaves_the_form_unscored(code, given):
    score = score_answers(DEFINITIONS[code], answers(code, *given))
    assert not score.scored
    assert not score.complete
    assert (score.total, score.raw_total, score.band) == (None, None, None)
    assert score.missing == given.count(None)
    assert score.item_scores == answers(code, *given)


def test_a_missing_answer_can_also_be_left_out_of_the_answers():
    score = score_answers(DEFINITIONS["phq9"], {f"item{n}": 1 for n in range(1, 9)})
    assert (score.missing, score.item_scores["item9"], score.total) == (1, None, 9)


def test_a_missing_ons4_question_is_just_missing():
    score = score_answers(DEFINITIONS["ons4"], {"happiness": 8})
    assert score.scored
    assert not score.complete
    assert score.missing == 3
    assert score.item_bands == {
        "life_satisfaction": None,
        "worthwhile": None,
        "happiness": "high",
        "anxiety": None,
    }


def test_an_ons4_form_with_no_answers_is_not_scored():
    assert not score_answers(DEFINITIONS["ons4"], {}).scored


def test_the_pain_nrs_is_unscored_without_its_headline_but_not_without_interference():
    nrs = DEFINITIONS["pain_nrs"]
    no_headline = score_answers(nrs, {"interference": 4})
    assert (no_headline.scored, no_headline.total) == (False, None)
    assert no_headline.item_scores == {"average_pain": None, "interference": 4}
    no_interference = score_answers(nrs, {"average_pain": 6})
    assert (no_interference.scored, no_interference.complete) == (True, False)
    assert no_interference.total == 6


@pytest.mark.parametrize("code", sorted(DEFINITIONS))
@given(data=st.data())
def test_any_valid_set_of_answers_scores_inside_the_range(code, data):
    instrument = DEFINITIONS[code]
    given_answers = data.draw(
        st.fixed_dictionaries(
            {
                item.id: st.one_of(st.none(), st.sampled_from(sorted(item.values)))
                for item in instrument.items
            }
        )
    )
    score = score_answers(instrument, given_answers)
    missing = sum(value is None for value in given_answers.values())
    assert score.missing == missing
    assert score.complete == (missing == 0)
    assert score.item_scores == given_answers
    if instrument.scoring != "per_item":
        assert score.scored == (missing <= instrument.missing.max_missing)
    if score.total is not None:
        assert instrument.minimum <= score.total <= instrument.maximum
        assert (score.band is not None) == bool(instrument.bands)
        if instrument.scoring == "sum":
            assert score.total == score.raw_total
    for item_id, value in given_answers.items():
        if item_id in instrument.item_bands:
            assert (score.item_bands[item_id] is None) == (value is None)


# SWEMWBS conversion ---------------------------------------------------------------------


def _swemwbs_answers_for(raw: int) -> dict[str, int | None]:
    """Seven answers from 1 to 5 that add up to `raw`."""
    values, left = [], raw
    for remaining in range(7, 0, -1):
        value = min(5, left - (remaining - 1))
        values.append(value)
        left -= value
    assert sum(values) == raw
    assert all(1 <= value <= 5 for value in values)
    return answers("swemwbs", *values)


@pytest.mark.parametrize(("raw", "metric"), sorted(SWEMWBS_METRIC.items()))
def test_every_swemwbs_raw_total_converts_to_its_metric_score(raw, metric):
    score = score_answers(DEFINITIONS["swemwbs"], _swemwbs_answers_for(raw))
    assert (score.raw_total, score.total) == (raw, metric)


def test_the_swemwbs_conversion_table_is_the_one_in_the_domain_notes():
    assert DEFINITIONS["swemwbs"].conversion == SWEMWBS_METRIC


@pytest.mark.parametrize(("raw", "metric"), sorted(SWEMWBS_METRIC.items()))
def test_a_swemwbs_metric_score_entered_by_hand_keeps_its_raw_total(raw, metric):
    score = score_total(DEFINITIONS["swemwbs"], metric)
    assert (score.total, score.raw_total) == (metric, raw)


def test_a_swemwbs_metric_score_off_the_table_is_refused():
    # 20.5 lies between 19.98 (raw 22) and 20.73 (raw 23): no raw total gives it.
    with pytest.raises(InvalidAnswer, match="conversion table"):
        score_total(DEFINITIONS["swemwbs"], 20.5)


# Safety ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "flagged"), [(0, False), (1, True), (2, True), (3, True)])
def test_any_answer_above_not_at_all_to_phq9_item9_sets_the_safety_flag(answer, flagged):
    score = score_answers(DEFINITIONS["phq9"], answers("phq9", 0, 0, 0, 0, 0, 0, 0, 0, answer))
    assert score.safety_flag is flagged


def test_the_safety_flag_is_set_even_when_the_form_cannot_be_scored():
    score = score_answers(DEFINITIONS["phq9"], {"item9": 1})
    assert not score.scored
    assert score.safety_flag


def test_instruments_without_a_safety_item_never_flag():
    assert not score_answers(DEFINITIONS["gad7"], every("gad7", 3)).safety_flag


# Refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "item_id", "value", "question"),
    [
        ("phq9", "item3", 4, "question 3"),
        ("phq9", "item9", -1, "question 9"),
        ("ons4", "anxiety", 11, "question 4"),
        ("wemwbs", "item2", 0, "question 2"),
        ("swemwbs", "item7", 6, "question 7"),
        ("pseq", "item10", 7, "question 10"),
        ("pain_nrs", "interference", 11, "question 2"),
        ("gad7", "item1", True, "question 1"),
        ("gad7", "item1", "2", "question 1"),
        ("gad7", "item1", 1.5, "question 1"),
    ],
)
def test_an_answer_outside_the_options_is_refused_naming_the_question(
    code, item_id, value, question
):
    instrument = DEFINITIONS[code]
    with pytest.raises(InvalidAnswer) as refused:
        score_answers(instrument, {item_id: value})
    assert question in str(refused.value)
    assert instrument.name in str(refused.value)


def test_an_answer_to_a_question_the_instrument_lacks_is_refused():
    with pytest.raises(InvalidAnswer, match="no question called 'item10'"):
        score_answers(DEFINITIONS["phq9"], {"item10": 1})


@pytest.mark.parametrize(
    ("code", "total"),
    [
        ("phq9", 28),
        ("phq9", -1),
        ("phq9", 13.5),
        ("gad7", 22),
        ("wemwbs", 13),
        ("swemwbs", 6.99),
        ("swemwbs", 35.01),
        ("pseq", 61),
        ("pain_nrs", 10.5),
        ("phq9", math.nan),
        ("phq9", math.inf),
        ("phq9", True),
    ],
)
def test_a_total_outside_the_range_or_not_a_whole_number_is_refused(code, total):
    with pytest.raises(InvalidAnswer):
        score_total(DEFINITIONS[code], total)


def test_ons4_has_no_total_to_enter():
    with pytest.raises(InvalidAnswer, match="enter the answer to each question"):
        score_total(DEFINITIONS["ons4"], 5)


@pytest.mark.parametrize(
    ("code", "total", "band", "case"),
    [
        ("phq9", 0, "minimal", None),
        ("phq9", 27, "severe", None),
        ("gad7", 9, "mild", False),
        ("gad7", 10, "moderate", True),
        ("gad7", 21, "severe", True),
        ("pseq", 20, "moderate", None),
        ("wemwbs", 14, None, None),
        ("swemwbs", 7, None, None),
        ("swemwbs", 35, None, None),
        ("pain_nrs", 7, None, None),
    ],
)
def test_a_total_entered_by_hand_is_scored_with_its_band(code, total, band, case):
    score = score_total(DEFINITIONS[code], total)
    assert (score.total, score.band, score.case) == (total, band, case)
    assert score.scored
    assert score.item_scores == {}
    assert not score.safety_flag


def test_gad7_caseness_is_reported_with_scored_answers():
    assert score_answers(DEFINITIONS["gad7"], answers("gad7", 2, 2, 2, 2, 2, 0, 0)).case
    assert not score_answers(DEFINITIONS["gad7"], answers("gad7", 2, 2, 2, 2, 1, 0, 0)).case


# Bands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "band"),
    [
        ("phq9", 4, "minimal"),
        ("phq9", 5, "mild"),
        ("phq9", 9, "mild"),
        ("phq9", 9.5, "mild"),
        ("phq9", 10, "moderate"),
        ("phq9", 14, "moderate"),
        ("phq9", 15, "moderately severe"),
        ("phq9", 19, "moderately severe"),
        ("phq9", 20, "severe"),
        ("gad7", 4, "minimal"),
        ("gad7", 5, "mild"),
        ("gad7", 10, "moderate"),
        ("gad7", 14, "moderate"),
        ("gad7", 15, "severe"),
        ("pseq", 0, "severe"),
        ("pseq", 19, "severe"),
        ("pseq", 20, "moderate"),
        ("pseq", 30, "moderate"),
        ("pseq", 31, "mild"),
        ("pseq", 40, "mild"),
        ("pseq", 41, "minimal"),
        ("pseq", 60, "minimal"),
        ("wemwbs", 50, None),
    ],
)
def test_band_boundaries_follow_the_published_cut_points(code, value, band):
    assert band_for(DEFINITIONS[code], value) == band


@pytest.mark.parametrize("value", [-1, 28, math.nan])
def test_band_for_refuses_a_value_outside_the_range(value):
    with pytest.raises(ValueError, match="PHQ-9"):
        band_for(DEFINITIONS["phq9"], value)


# Meaningful change ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "before", "after", "category"),
    [
        # PHQ-9 and GAD-7: 20% of the first score, either way.
        ("phq9", 15, 9, "improvement"),  # 6 points, 40%
        ("phq9", 10, 8, "no_change"),  # 20% but only 2 points
        ("phq9", 27, 21, "improvement"),  # 6 / 27 = 22.2% and 6 points
        ("phq9", 27, 22, "no_change"),  # 18.5%, 5 points
        ("phq9", 10, 16, "deterioration"),  # 60% worse, 6 points
        ("phq9", 12, 12, "no_change"),
        ("phq9", 1, 2, "no_change"),  # 100% but 1 point: the low-baseline case
        ("phq9", 0, 6, "no_change"),  # a percentage of 0 is undefined
        ("gad7", 21, 16, "improvement"),  # 23.8%, 5 points
        ("gad7", 21, 17, "no_change"),  # 19.0%
        ("gad7", 5, 6, "no_change"),  # 20% but 1 point
        ("gad7", 10, 14, "deterioration"),  # 40%, 4 points
        # Pain NRS: 2 points or 30%, either suffices.
        ("pain_nrs", 8, 6, "improvement"),  # 2 points, 25%
        ("pain_nrs", 3, 2, "improvement"),  # 1 point, 33%
        ("pain_nrs", 10, 9, "no_change"),  # 1 point, 10%
        ("pain_nrs", 5, 4, "no_change"),  # 1 point, 20%
        ("pain_nrs", 6, 8, "deterioration"),  # 2 points
        ("pain_nrs", 0, 1, "no_change"),  # from 0 only the 2-point rule can apply
        ("pain_nrs", 0, 2, "deterioration"),  # 2 points from 0
        # WEMWBS: 3 points.
        ("wemwbs", 40, 43, "improvement"),
        ("wemwbs", 40, 42, "no_change"),
        ("wemwbs", 40, 37, "deterioration"),
        # SWEMWBS: 3 metric points; 10.03 - 7.03 is 2.999999999999999 in floating point.
        ("swemwbs", 7.03, 10.03, "improvement"),
        ("swemwbs", 10.03, 7.03, "deterioration"),
        ("swemwbs", 7.03, 10.02, "no_change"),
        ("swemwbs", 17.43, 20.73, "improvement"),
        ("swemwbs", 17.43, 19.98, "no_change"),
        ("swemwbs", 22.35, 19.25, "deterioration"),
        # PSEQ: 7 points and a change of band.
        ("pseq", 25, 32, "improvement"),  # moderate to mild
        ("pseq", 14, 21, "improvement"),  # severe to moderate
        ("pseq", 21, 28, "no_change"),  # 7 points, still moderate
        ("pseq", 19, 20, "no_change"),  # a new band by 1 point
        ("pseq", 40, 33, "no_change"),  # 7 points down, still mild
        ("pseq", 41, 34, "deterioration"),  # minimal to mild
    ],
)
def test_change_is_judged_by_the_instruments_threshold(code, before, after, category):
    assert change_category(DEFINITIONS[code], before, after) == category


def test_change_cannot_be_judged_on_ons4_which_has_no_threshold():
    with pytest.raises(ValueError, match="no threshold"):
        change_category(DEFINITIONS["ons4"], 5, 9)


def test_change_refuses_scores_outside_the_range():
    with pytest.raises(ValueError, match="outside"):
        change_category(DEFINITIONS["wemwbs"], 13, 40)


def test_a_both_rule_needs_points_and_percent():
    nrs = DEFINITIONS["pain_nrs"]
    strict = replace(nrs, meaningful_change=MeaningfulChange(2, 30, False, "both"))
    assert change_category(strict, 8, 6) == "no_change"  # 2 points but 25%
    assert change_category(strict, 6, 4) == "improvement"  # 2 points and 33%


@given(
    before=st.integers(min_value=14, max_value=70),
    after=st.integers(min_value=14, max_value=70),
)
def test_a_points_threshold_is_symmetric(before, after):
    wemwbs = DEFINITIONS["wemwbs"]
    forward = change_category(wemwbs, before, after)
    backward = change_category(wemwbs, after, before)
    swapped = {"improvement": "deterioration", "deterioration": "improvement"}
    assert backward == swapped.get(forward, forward)
    assert (forward == "no_change") == (abs(after - before) < 3)
