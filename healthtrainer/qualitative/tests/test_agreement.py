"""Agreement between coders on hand-checked examples."""

from __future__ import annotations

import pytest

from healthtrainer.qualitative.agreement import agreement, side_by_side


def test_partial_overlap_and_full_agreement_by_hand():
    # 20 characters. Coder 1 codes pain [0, 10), coder 2 pain [5, 15); both code work [15, 20).
    # Coded units: [0, 20). Pain: both 5, only first 5, only second 5, neither 5:
    # agreement 10 of 20 = 50%; chance 0.5 * 0.5 + 0.5 * 0.5 = 0.5; kappa 0.
    # Work: both 5, neither 15: 100%; chance 0.25 * 0.25 + 0.75 * 0.75 = 0.625; kappa 1.
    first = {"pain": [(1, 0, 10)], "work": [(1, 15, 20)]}
    second = {"pain": [(1, 5, 15)], "work": [(1, 15, 20)]}
    pain, work = agreement(first, second, ["pain", "work"])
    assert (pain.units, pain.both, pain.only_first, pain.only_second, pain.neither) == (
        20,
        5,
        5,
        5,
        5,
    )
    assert pain.percent == pytest.approx(50.0)
    assert pain.kappa == pytest.approx(0.0)
    assert work.percent == pytest.approx(100.0)
    assert work.kappa == pytest.approx(1.0)


def test_text_that_neither_coder_coded_is_left_out():
    first = {"pain": [(1, 0, 10)], "work": [(1, 15, 20)]}
    second = {"pain": [(1, 5, 15)], "work": [(1, 15, 20)]}
    # The same codings in a document with 1,000 more uncoded characters, and another
    # document nobody coded: nothing changes.
    longer = agreement(
        {"pain": [(1, 0, 10)], "work": [(1, 15, 20)], "other": []},
        second,
        ["pain", "work"],
    )
    assert [(item.percent, item.kappa) for item in longer] == [
        (item.percent, item.kappa) for item in agreement(first, second, ["pain", "work"])
    ]


def test_a_moderate_kappa_by_hand():
    # 10 units coded by either coder with "sleep" or "mood". Sleep: coder 1 units 0-5
    # (6 units), coder 2 units 0-3 and 8-9 (6 units). Both 4, only first 2, only second 2,
    # neither 2. Observed 6 / 10 = 0.6; chance 0.6 * 0.6 + 0.4 * 0.4 = 0.52;
    # kappa (0.6 - 0.52) / 0.48 = 0.1667.
    first = {"sleep": [(1, 0, 6)], "mood": [(1, 6, 8)]}
    second = {"sleep": [(1, 0, 4), (1, 8, 10)], "mood": [(1, 6, 8)]}
    sleep, _ = agreement(first, second, ["sleep", "mood"])
    assert sleep.units == 10
    assert sleep.percent == pytest.approx(60.0)
    assert sleep.kappa == pytest.approx(0.08 / 0.48)


def test_nothing_coded_or_a_code_everywhere_has_no_kappa():
    (empty,) = agreement({}, {}, ["pain"])
    assert empty.percent is None
    assert empty.kappa is None
    (everywhere,) = agreement({"pain": [(1, 0, 5)]}, {"pain": [(1, 0, 5)]}, ["pain"])
    assert everywhere.percent == pytest.approx(100.0)
    assert everywhere.kappa is None


def test_spans_in_different_documents_do_not_overlap():
    (pain,) = agreement({"pain": [(1, 0, 5)]}, {"pain": [(2, 0, 5)]}, ["pain"])
    assert (pain.units, pain.both) == (10, 0)


def test_side_by_side_cuts_the_text_where_codes_change():
    segments = side_by_side(12, [("pain", 0, 6)], [("pain", 3, 6), ("work", 6, 12)])
    assert [(s.start, s.end, sorted(s.first), sorted(s.second), s.differs) for s in segments] == [
        (0, 3, ["pain"], [], True),
        (3, 6, ["pain"], ["pain"], False),
        (6, 12, [], ["work"], True),
    ]
