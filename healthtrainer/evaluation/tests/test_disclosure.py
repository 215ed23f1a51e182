"""Disclosure control at its edges (domain.md: 0 stays 0; 1 to 7 is "*"; else nearest 5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthtrainer.evaluation.disclosure import (
    SUPPRESSED,
    Disclosure,
    published_count,
    shown_count,
    shown_percentage,
)


@pytest.mark.parametrize(
    ("count", "published"),
    [
        (0, 0),
        (1, SUPPRESSED),
        (7, SUPPRESSED),
        (8, 10),  # 8 / 5 = 1.6 → 2 → 10
        (12, 10),  # 2.4 → 2
        (13, 15),  # 2.6 → 3
        (17, 15),
        (18, 20),
        (143, 145),  # 28.6 → 29
        (142, 140),
    ],
)
def test_counts_at_the_edges(count, published):
    assert published_count(count) == published


def test_the_boundary_between_multiples_of_5():
    # Whole counts never fall exactly half-way between multiples of 5, so 22 and 23 sit
    # either side of 22.5: 22 → 20 and 23 → 25.
    assert published_count(22) == 20
    assert published_count(23) == 25


def test_exact_mode_shows_counts_as_they_are():
    assert shown_count(3, Disclosure.EXACT) == 3
    assert shown_count(3, Disclosure.PUBLISHED) == SUPPRESSED


def test_a_percentage_is_computed_from_the_rounded_counts():
    # Exact: 70 / 143 = 48.95…% → 49.0. Published: 70 / 145 = 48.27…% → 48.3.
    assert shown_percentage(70, 143, Disclosure.EXACT) == Decimal("49.0")
    assert shown_percentage(70, 143, Disclosure.PUBLISHED) == Decimal("48.3")


def test_a_percentage_is_suppressed_with_its_counts():
    assert shown_percentage(5, 40, Disclosure.PUBLISHED) == SUPPRESSED
    assert shown_percentage(10, 6, Disclosure.PUBLISHED) == SUPPRESSED
    assert shown_percentage(5, 40, Disclosure.EXACT) == Decimal("12.5")


def test_nothing_to_divide_by_is_no_data_not_an_error():
    assert shown_percentage(0, 0, Disclosure.EXACT) is None
    assert shown_percentage(0, 0, Disclosure.PUBLISHED) is None


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        published_count(-1)


@given(st.integers(min_value=8, max_value=10**7))
def test_a_published_count_is_a_multiple_of_5_within_2_of_the_truth(count):
    published = published_count(count)
    assert published % 5 == 0
    assert abs(published - count) <= 2
