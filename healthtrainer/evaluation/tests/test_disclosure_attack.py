"""An attack on the published report: from everything it shows, in every format, and the
sums a reader knows hold between its tables, how far can each hidden count be narrowed?

The attacker here is written apart from the report's own protection: it reads the
published values from the JSON and CSV a reader downloads, checks that every derived
figure (percentage, rate, unit cost, running total, statistic) is worked out from counts
as shown, and then, with an integer program of its own, finds the smallest and largest
value each hidden count of 1 to 7 could take. What it assumes (docs/evaluation.md):

- a shown count n of 10 or more lies in n - 2 to n + 2 and is at least 8; a 0 is 0;
- a * that the primary rule hid is known to be 1 to 7 (the attacker is told which ones:
  more than a reader can see); any other * could be any number from 0 up;
- every sum and every "no larger than" the report's structure implies (the ledger's
  relations, each checked here to hold on the exact figures).

A hidden count passes when it could be anything from 1 to 7.
"""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from scipy.optimize import Bounds, LinearConstraint, milp

from healthtrainer.core.period import Period
from healthtrainer.demo.synthetic import generate
from healthtrainer.evaluation.disclosure import SUPPRESSED, Disclosure
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.formats import as_csv, as_json
from healthtrainer.evaluation.report.ledger import Ledger, State
from healthtrainer.programmes.models import Programme

pytestmark = pytest.mark.django_db
# Larger than any count here: an upper bound that keeps every program bounded.
UNKNOWN = 10**6


def published_counts(report) -> dict[str, object]:
    """Every count the published JSON shows, by the concept it counts; the same concept
    must read the same wherever it is shown."""
    tables = as_json(report)["tables"]
    counts: dict[str, object] = {}
    for table in report.tables:
        for row, sources in zip(tables[table.id]["rows"], table.sources, strict=False):
            for value, source in zip(row, sources, strict=True):
                if source and source.startswith("count:"):
                    key = source.removeprefix("count:")
                    assert counts.setdefault(key, value) == value, key
    # A percentage whose numerator is not in a table still gives the numerator away,
    # with its denominator: the attacker is given it as shown.
    for table in report.tables:
        for sources in table.sources:
            for source in sources:
                if source and source.startswith("share:"):
                    for key in source.removeprefix("share:").split("/"):
                        counts.setdefault(key, report.ledger.cells[key].shown)
    return counts


def check_derived_figures(report, counts) -> None:
    """Percentages, rates, unit costs and running totals are functions of counts as
    shown: they add nothing for the attacker."""
    tables = as_json(report)["tables"]
    direct = tables["budget-against-cost"]["rows"][1][1]
    for table in report.tables:
        for row, sources in zip(tables[table.id]["rows"], table.sources, strict=False):
            for value, source in zip(row, sources, strict=True):
                if not source or source.startswith("count:") or value is None:
                    continue
                kind, _, keys = source.partition(":")
                if kind == "share":
                    top, bottom = (counts[key] for key in keys.split("/"))
                    if SUPPRESSED in (top, bottom):
                        assert value == SUPPRESSED
                    elif bottom:
                        expected = Decimal(top) * 100 / Decimal(bottom)
                        assert Decimal(str(value)) == expected.quantize(
                            Decimal("0.1"), rounding=ROUND_HALF_UP
                        )
                elif kind == "sum":
                    parts = [counts[key] for key in keys.split(",")]
                    assert value == (SUPPRESSED if SUPPRESSED in parts else sum(parts))
                elif kind == "per" and isinstance(direct, int | float):
                    count = counts[keys]
                    if count == SUPPRESSED:
                        assert value == SUPPRESSED
                    else:
                        expected = (Decimal(str(direct)) / count).quantize(
                            Decimal(1), rounding=ROUND_HALF_UP
                        )
                        assert Decimal(str(value)) == expected
                elif kind in ("rate", "statistic") and counts[keys] == SUPPRESSED:
                    assert value == SUPPRESSED


def check_csv_agrees(report) -> None:
    """The CSV shows every value the JSON shows."""
    rows = list(csv.DictReader(io.StringIO(as_csv(report))))
    shown = {row["value"] for row in rows}
    for table in as_json(report)["tables"].values():
        for row in table["rows"]:
            for value in row[1:]:
                if isinstance(value, int) and not isinstance(value, bool):
                    assert str(value) in shown


def attack(ledger: Ledger, counts: dict[str, object]) -> dict[str, tuple[float, float]]:
    """The range of every hidden count of 1 to 7, from what is shown."""
    keys = sorted(ledger.cells)
    index = {key: i for i, key in enumerate(keys)}
    low, high = [], []
    for key in keys:
        value = counts.get(key)
        cell = ledger.cells[key]
        if value is None:
            # Not shown anywhere: only the relations tell about it.
            low.append(0), high.append(UNKNOWN)
        elif value == SUPPRESSED:
            primary = cell.state == State.PRIMARY
            low.append(1 if primary else 0), high.append(7 if primary else UNKNOWN)
        elif value == 0:
            low.append(0), high.append(0)
        else:
            low.append(max(value - 2, 8)), high.append(value + 2)
    rows, lower, upper = [], [], []
    for relation in ledger.sums:
        assert (
            sum(ledger.cells[key].exact for key in relation.parts)
            == ledger.cells[relation.total].exact
        )
        row = np.zeros(len(keys))
        for key in relation.parts:
            row[index[key]] += 1
        row[index[relation.total]] -= 1
        rows.append(row), lower.append(0), upper.append(0)
    for bound in ledger.bounds:
        assert ledger.cells[bound.part].exact <= ledger.cells[bound.whole].exact
        row = np.zeros(len(keys))
        row[index[bound.part]], row[index[bound.whole]] = 1, -1
        rows.append(row), lower.append(-UNKNOWN), upper.append(0)
    constraints = [LinearConstraint(np.array(rows), lower, upper)] if rows else []

    def extreme(key: str, sign: float) -> float:
        objective = np.zeros(len(keys))
        objective[index[key]] = sign
        result = milp(
            objective,
            integrality=np.ones(len(keys)),
            bounds=Bounds(low, high),
            constraints=constraints,
        )
        assert result.status == 0, result.message
        return result.fun

    return {
        key: (extreme(key, 1.0), -extreme(key, -1.0))
        for key in keys
        if counts.get(key) == SUPPRESSED and 0 < ledger.cells[key].exact < 8
    }


def narrowed(report) -> dict[str, tuple[float, float]]:
    counts = published_counts(report)
    check_derived_figures(report, counts)
    check_csv_agrees(report)
    ranges = attack(report.ledger, counts)
    return {key: span for key, span in ranges.items() if span[0] > 1 or span[1] < 7}


def published(slug: str):
    return build_report(Programme.objects.get(slug=slug), Period(), Disclosure.PUBLISHED)


@pytest.fixture
def demo_programmes(settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=StringIO())
    return ["sheffield-pilot", "sheffield-pilot-2011"]


def test_no_hidden_count_of_the_demo_programmes_can_be_narrowed(demo_programmes):
    for slug in demo_programmes:
        assert narrowed(published(slug)) == {}, slug


@pytest.mark.parametrize("referrals", [0, 1, 5, 7, 12, 30, 200])
def test_no_hidden_count_of_a_small_programme_can_be_narrowed(referrals):
    generate(programmes=1, clients=referrals, seed=referrals)
    slug = Programme.objects.get(slug__startswith="synthetic-").slug
    assert narrowed(published(slug)) == {}


def test_without_secondary_suppression_the_attack_narrows_hidden_counts(
    demo_programmes, monkeypatch
):
    """The attack can fail: with only the primary rule, it narrows hidden counts."""
    monkeypatch.setattr(Ledger, "protect", lambda self: None)
    assert narrowed(published("sheffield-pilot"))
