"""Pacing: the baseline and the weekly rise (checked over many inputs), boom and bust found
in the diary's days, and the client's pacing page."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from healthtrainer.companion.models import DiaryEntry, PacingPlan
from healthtrainer.companion.pacing import (
    PacedDay,
    baseline_minutes,
    boom_and_bust,
    pacing_plan_start,
    target_minutes,
)


@given(bad_day=st.integers(1, 1440), percent=st.integers(10, 100))
def test_the_baseline_is_at_most_the_bad_day_and_at_least_a_minute(bad_day, percent):
    baseline = baseline_minutes(bad_day, percent)
    assert 1 <= baseline <= bad_day
    assert baseline == max(1, bad_day * percent // 100)


@given(
    baseline=st.integers(1, 600),
    increase=st.integers(1, 50),
    weeks=st.integers(0, 52),
)
def test_the_target_never_falls_and_rises_by_at_most_the_weekly_share(baseline, increase, weeks):
    this_week = target_minutes(baseline, increase, weeks)
    next_week = target_minutes(baseline, increase, weeks + 1)
    assert this_week >= baseline
    assert next_week >= this_week
    # Both are rounded down, so the rise is bounded by the share of the minute above.
    assert next_week <= (this_week + 1) * (1 + increase / 100)


def test_ten_minutes_at_80_percent_rising_10_percent_a_week():
    assert baseline_minutes(10, 80) == 8
    assert [target_minutes(8, 10, weeks) for weeks in range(5)] == [8, 8, 9, 10, 11]
    assert target_minutes(20, 10, 1) == 22


def _days(rows, target=10):
    start = date(2026, 11, 1)
    return [
        PacedDay(start + timedelta(days=offset), minutes, target, pain)
        for offset, minutes, pain in rows
    ]


@pytest.mark.parametrize(
    ("rows", "found"),
    [
        # Two days well over the plan, then pain 2 points higher the next day.
        ([(0, 20, 4), (1, 18, 4), (2, 5, 7)], True),
        # The same, then the activity falls below half the plan two days later.
        ([(0, 20, 4), (1, 16, 4), (3, 4, None)], True),
        # One day over is not a boom.
        ([(0, 20, 4), (1, 10, 4), (2, 5, 7)], False),
        # Days well over, then a steady day: no bust.
        ([(0, 20, 4), (1, 18, 4), (2, 10, 5)], False),
        # A flare three days on is too late to call it the same pattern.
        ([(0, 20, 4), (1, 18, 4), (4, 2, 8)], False),
        # Over on days that are not next to each other.
        ([(0, 20, 4), (2, 18, 4), (3, 2, 8)], False),
        # Steady days at the plan.
        ([(offset, 10, 5) for offset in range(10)], False),
    ],
)
def test_boom_and_bust_is_found_only_when_it_happens(rows, found):
    assert boom_and_bust(_days(rows)) is found


def test_a_plan_takes_the_programme_s_settings(episode, world):
    programme = world.programme
    programme.pacing_baseline_percent, programme.pacing_weekly_increase_percent = 50, 20
    programme.save()
    episode.refresh_from_db()
    plan = pacing_plan_start(
        client=episode.client, episode=episode, activity="Walking", bad_day_minutes=12
    )
    assert (plan.baseline_percent, plan.weekly_increase_percent) == (50, 20)
    with pytest.raises(ValidationError, match="already pace"):
        pacing_plan_start(
            client=episode.client, episode=episode, activity="walking", bad_day_minutes=5
        )


def test_the_pacing_page_shows_the_plan_the_diary_and_a_gentle_word(signed_in, episode):
    signed_in.post(reverse("companion:pacing"), {"activity": "Walking", "bad_day_minutes": "10"})
    plan = PacingPlan.objects.get()
    assert plan.bad_day_minutes == 10
    today = timezone.now()
    for days_ago, minutes, pain in [(3, 25, 4), (2, 30, 4), (1, 3, 8)]:
        DiaryEntry.objects.create(
            programme=plan.programme,
            episode=episode,
            key=uuid.uuid4(),
            recorded_for=today - timedelta(days=days_ago),
            activity="walking",
            activity_minutes=minutes,
            pain=pain,
        )
    page = signed_in.get(reverse("companion:pacing")).content.decode()
    assert "about <strong>8 minutes</strong>" in page
    assert "That is very common" in page
    for word in ("streak", "fail", "should have"):
        assert word not in page.lower()
