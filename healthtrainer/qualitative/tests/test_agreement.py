"""Agreement between coders on hand-checked examples.

Each 2x2 table is written out as both / first only / second only / neither, in characters.
Kappa is (n * agreed - E) / (n * n - E), with E = a * b + (n - a) * (n - b), a and b the
characters each coder gave the code and n the characters compared: (po - pe) / (1 - pe)
with both sides multiplied by n * n.
"""

from __future__ import annotations

import pytest

from healthtrainer.qualitative.agreement import (
    NO_TEXT,
    NONE_APPLIED,
    NOT_APPLIED,
    NOTHING_LEFT,
    NOTHING_LEFT_POOLED,
    agreement,
    side_by_side,
)


def _table(row):
    return (row.both, row.only_first, row.only_second, row.neither)


# 200 characters of one document. Pain: the second coder's span is the first's moved on by
# 10, so they overlap on 90 of their 100. Work: both code [110, 200). Mood: a code in the
# codebook that neither applied.
SHIFTED_FIRST = {"pain": [(1, 0, 100)], "work": [(1, 110, 200)]}
SHIFTED_SECOND = {"pain": [(1, 10, 110)], "work": [(1, 110, 200)]}


def test_a_code_compared_alone_has_the_figures_it_has_beside_others():
    # Coded by either coder with any code: [0, 200), 200 characters, whatever is reported.
    # Pain: both [10, 100) = 90, first only [0, 10) = 10, second only [100, 110) = 10,
    # neither [110, 200) = 90.
    #   Agreement (90 + 90) / 200 = 90%. Positive 2*90 / (180 + 10 + 10) = 180/200 = 90%.
    #   a = b = 100, n = 200: E = 100*100 + 100*100 = 20,000;
    #   kappa (200*180 - 20,000) / (40,000 - 20,000) = 16,000 / 20,000 = 0.8.
    # (Over pain's own text only, the table would be 90 / 10 / 10 / 0 over 110 and kappa
    # (110*90 - 10,100) / (12,100 - 10,100) = -200 / 2,000 = -0.1.)
    alone = agreement(SHIFTED_FIRST, SHIFTED_SECOND, report=["pain"])
    beside = agreement(SHIFTED_FIRST, SHIFTED_SECOND, report=["mood", "pain", "work"])
    (pain,) = alone.codes
    assert alone.units == beside.units == 200
    assert _table(pain) == (90, 10, 10, 90)
    assert beside.codes[1] == pain
    assert pain.percent.value == pytest.approx(90.0)
    assert pain.positive_percent.value == pytest.approx(90.0)
    assert pain.kappa.value == pytest.approx(0.8)


def test_shifted_spans_beside_a_code_both_agree_on():
    # Work: both [110, 200) = 90, neither [0, 110) = 110: agreement 100%, positive
    # 180/180 = 100%; a = b = 90, E = 90*90 + 110*110 = 8,100 + 12,100 = 20,200;
    # kappa (200*200 - 20,200) / (40,000 - 20,200) = 1.
    # Pooled over pain and work (De Vries: mean po and mean pe over the codes):
    #   pain n*agreed - E = 36,000 - 20,000 = 16,000, n*n - E = 20,000;
    #   work 40,000 - 20,200 = 19,800, 40,000 - 20,200 = 19,800;
    #   pooled kappa (16,000 + 19,800) / (20,000 + 19,800) = 35,800 / 39,800 = 0.8995.
    #   Pooled positive over the summed tables 180 / 10 / 10 / 200:
    #   2*180 / (360 + 10 + 10) = 360/380 = 94.74%.
    result = agreement(SHIFTED_FIRST, SHIFTED_SECOND, report=["pain", "work"])
    pain, work = result.codes
    assert _table(pain) == (90, 10, 10, 90)
    assert _table(work) == (90, 0, 0, 110)
    assert work.percent.value == pytest.approx(100.0)
    assert work.positive_percent.value == pytest.approx(100.0)
    assert work.kappa.value == pytest.approx(1.0)
    assert result.pooled_kappa.value == pytest.approx(35_800 / 39_800)
    assert result.pooled_positive_percent.value == pytest.approx(100 * 360 / 380)


def test_a_code_nobody_applied_leaves_the_pooled_kappa_as_it_was():
    # Mood: 0 / 0 / 0 / 200. a = b = 0, E = 0 + 200*200 = 40,000 = n*n: chance agreement
    # is total, so mood adds 200*200 - 40,000 = 0 to both sides of the pooled kappa.
    result = agreement(SHIFTED_FIRST, SHIFTED_SECOND, report=["pain", "work", "mood"])
    mood = result.codes[2]
    assert _table(mood) == (0, 0, 0, 200)
    assert mood.percent.value == pytest.approx(100.0)
    assert mood.positive_percent == mood.kappa
    assert mood.kappa.value is None
    assert mood.kappa.reason == NOT_APPLIED
    assert result.pooled_kappa.value == pytest.approx(35_800 / 39_800)


def test_a_one_code_codebook_has_no_kappa_and_positive_agreement_carries_it():
    # The same shifted pain spans with no other code: everything compared is pain from one
    # coder or both, [0, 110). Table 90 / 10 / 10 / 0 over 110.
    #   Agreement 90/110 = 81.82%. Positive 180 / (180 + 10 + 10) = 90%.
    #   No "neither": kappa is undefined, and so is the pooled kappa over the one code.
    result = agreement({"pain": [(1, 0, 100)]}, {"pain": [(1, 10, 110)]}, report=["pain"])
    (pain,) = result.codes
    assert _table(pain) == (90, 10, 10, 0)
    assert pain.percent.value == pytest.approx(100 * 90 / 110)
    assert pain.positive_percent.value == pytest.approx(90.0)
    assert pain.kappa.value is None
    assert pain.kappa.reason == NOTHING_LEFT
    assert result.pooled_kappa.value is None
    assert result.pooled_kappa.reason == NOTHING_LEFT_POOLED
    assert result.pooled_positive_percent.value == pytest.approx(90.0)


def test_identical_codings_agree_perfectly():
    # Both coders: sleep [0, 40), mood [40, 100) in document 1 and mood [0, 20) in
    # document 2. 120 characters compared.
    #   Sleep 40 / 0 / 0 / 80: a = b = 40, E = 1,600 + 6,400 = 8,000;
    #   kappa (120*120 - 8,000) / (14,400 - 8,000) = 6,400 / 6,400 = 1.
    #   Mood 80 / 0 / 0 / 40: E = 6,400 + 1,600 = 8,000; kappa 1 likewise.
    #   Pooled (6,400 + 6,400) / (6,400 + 6,400) = 1; positive 100% throughout.
    codings = {"sleep": [(1, 0, 40)], "mood": [(1, 40, 100), (2, 0, 20)]}
    result = agreement(codings, codings, report=["sleep", "mood"])
    sleep, mood = result.codes
    assert result.units == 120
    assert (_table(sleep), _table(mood)) == ((40, 0, 0, 80), (80, 0, 0, 40))
    assert sleep.kappa.value == pytest.approx(1.0)
    assert mood.kappa.value == pytest.approx(1.0)
    assert sleep.positive_percent.value == pytest.approx(100.0)
    assert result.pooled_kappa.value == pytest.approx(1.0)
    assert result.pooled_positive_percent.value == pytest.approx(100.0)


def test_a_moderate_kappa_and_its_pool_by_hand():
    # 10 characters coded by either coder. Sleep: first [0, 6), second [0, 4) and [8, 10).
    # Mood: both [6, 8).
    #   Sleep 4 / 2 / 2 / 2: agreement 6/10 = 60%; positive 8 / (8 + 2 + 2) = 66.67%;
    #   a = b = 6, E = 36 + 16 = 52; kappa (10*6 - 52) / (100 - 52) = 8/48 = 0.1667.
    #   Mood 2 / 0 / 0 / 8: a = b = 2, E = 4 + 64 = 68; kappa (100 - 68) / (100 - 68) = 1.
    #   Pooled kappa (8 + 32) / (48 + 32) = 40/80 = 0.5. Pooled positive over 6 / 2 / 2 / 10:
    #   12 / (12 + 2 + 2) = 75%.
    first = {"sleep": [(1, 0, 6)], "mood": [(1, 6, 8)]}
    second = {"sleep": [(1, 0, 4), (1, 8, 10)], "mood": [(1, 6, 8)]}
    result = agreement(first, second, report=["sleep", "mood"])
    sleep, mood = result.codes
    assert _table(sleep) == (4, 2, 2, 2)
    assert sleep.percent.value == pytest.approx(60.0)
    assert sleep.positive_percent.value == pytest.approx(200 / 3)
    assert sleep.kappa.value == pytest.approx(8 / 48)
    assert mood.kappa.value == pytest.approx(1.0)
    assert result.pooled_kappa.value == pytest.approx(0.5)
    assert result.pooled_positive_percent.value == pytest.approx(75.0)


def test_text_that_neither_coder_coded_is_left_out():
    # The sleep and mood codings above, and a code in the first coder's list with no spans:
    # it adds no text, so 10 characters are compared, as before, and sleep reported alone
    # keeps its kappa of 8/48.
    first = {"sleep": [(1, 0, 6)], "mood": [(1, 6, 8)], "other": []}
    second = {"sleep": [(1, 0, 4), (1, 8, 10)], "mood": [(1, 6, 8)]}
    result = agreement(first, second, report=["sleep"])
    assert result.units == 10
    assert result.codes[0].kappa.value == pytest.approx(8 / 48)


def test_spans_in_different_documents_do_not_overlap():
    # Pain [0, 5) in document 1 by the first coder, in document 2 by the second: 10
    # characters, 0 / 5 / 5 / 0. Positive 0 / (0 + 5 + 5) = 0%.
    result = agreement({"pain": [(1, 0, 5)]}, {"pain": [(2, 0, 5)]}, report=["pain"])
    (pain,) = result.codes
    assert (result.units, _table(pain)) == (10, (0, 5, 5, 0))
    assert pain.positive_percent.value == pytest.approx(0.0)


def test_nothing_coded_has_no_figures():
    result = agreement({}, {}, report=["pain"])
    (pain,) = result.codes
    assert result.units == 0
    for figure in (
        pain.percent,
        pain.positive_percent,
        pain.kappa,
        result.pooled_kappa,
        result.pooled_positive_percent,
    ):
        assert (figure.value, figure.reason) == (None, NO_TEXT)


def test_only_codes_nobody_applied_have_no_pooled_figures():
    result = agreement({"pain": [(1, 0, 5)]}, {"pain": [(1, 0, 5)]}, report=["mood"])
    assert result.pooled_kappa.reason == NONE_APPLIED
    assert result.pooled_positive_percent.reason == NONE_APPLIED


def test_a_code_everywhere_by_both_has_no_kappa():
    # Pain 5 / 0 / 0 / 0: agreement and positive agreement 100%, no "neither".
    result = agreement({"pain": [(1, 0, 5)]}, {"pain": [(1, 0, 5)]}, report=["pain"])
    (pain,) = result.codes
    assert pain.percent.value == pytest.approx(100.0)
    assert pain.positive_percent.value == pytest.approx(100.0)
    assert pain.kappa.reason == NOTHING_LEFT


def test_side_by_side_cuts_the_text_where_codes_change():
    segments = side_by_side(12, [("pain", 0, 6)], [("pain", 3, 6), ("work", 6, 12)])
    assert [(s.start, s.end, sorted(s.first), sorted(s.second), s.differs) for s in segments] == [
        (0, 3, ["pain"], [], True),
        (3, 6, ["pain"], ["pain"], False),
        (6, 12, [], ["work"], True),
    ]
