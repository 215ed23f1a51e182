"""The synthetic 2011 pilot: generated, imported as a workbook, and evaluated by the same
command a user runs, it reproduces the source's published figures."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command

from healthtrainer.demo.pilot_2011 import (
    PUBLISHED,
    SLUG,
    count_for,
    load_pilot_2011,
    pilot_workbook,
)
from healthtrainer.demo.programmes import load_demo

pytestmark = pytest.mark.django_db


def whole(value):
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def report_metrics(tmp_path):
    output = tmp_path / "report.json"
    call_command(
        "evaluation_report",
        "--programme",
        SLUG,
        "--format",
        "json",
        "--disclosure",
        "exact",
        "--output",
        str(output),
    )
    return json.loads(output.read_text())["metrics"]


@pytest.mark.parametrize("seed", [2011, 7])
def test_the_report_reproduces_the_published_figures(tmp_path, seed):
    load_demo()
    load_pilot_2011(seed=seed)
    metrics = report_metrics(tmp_path)
    assert metrics["referral.count"]["value"] == 143
    assert metrics["referral.projected"]["value"] == 90
    assert {
        metric_id: whole(metrics[metric_id]["value"])
        for metric_id in (
            "referral.pct_most_deprived_quintile",
            "referral.pct_long_term_sick_or_disabled",
            "referral.pct_employed",
            "goals.pct_achieved_or_partly",
            "follow_up.pct_maintaining_strategies",
        )
    } == {
        "referral.pct_most_deprived_quintile": 70,
        "referral.pct_long_term_sick_or_disabled": 40,
        "referral.pct_employed": 20,
        "goals.pct_achieved_or_partly": 75,
        "follow_up.pct_maintaining_strategies": 43,
    }
    assert metrics["wellbeing.n_paired"]["value"] > 0


def test_the_workbook_is_drawn_afresh_for_each_seed_and_the_same_for_one():
    assert pilot_workbook(2011) == pilot_workbook(2011)
    assert pilot_workbook(2011)["referrals"] != pilot_workbook(7)["referrals"]


def test_loading_again_changes_nothing():
    load_demo()
    load_pilot_2011()
    again = load_pilot_2011()
    assert (again.created, again.updated, again.unchanged) == (0, 0, PUBLISHED.referrals)
    assert all(
        " 0 created, 0 updated" in line or "0 corrected" in line for line in again.sheet_summaries
    )


@pytest.mark.parametrize(
    ("percentage", "denominator", "count"), [(70, 143, 100), (43, 60, 26), (0, 5, 0)]
)
def test_count_for_gives_the_count_that_rounds_to_the_percentage(percentage, denominator, count):
    assert count_for(percentage, denominator) == count
