"""The disclosure attack of the published report, run again with the network's figures
added: a reader who has a programme's published report and the network's page learns no
more about any hidden count of 1 to 7 than the report alone tells them.

The network shows, for each programme, the counts behind each outcome's funnel (goals,
strategies, engaged, completed) and the number of clients behind its well-being funnel.
Each is a count the programme's report also shows, under the same concept: where the
report hides it (a small count, or one hidden so that it cannot be worked out by
subtraction), a number on the network page would undo the hiding.
The attacker takes every number the network shows in place of the report's "*" and
narrows each hidden count as far as the report's sums and bounds allow.
"""

from __future__ import annotations

import pytest

from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import SUPPRESSED, Disclosure
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.tests.test_disclosure_attack import attack, published_counts
from healthtrainer.network.figures import figures_of
from healthtrainer.network.outcomes import OUTCOME_CELLS
from healthtrainer.network.snapshots import WELLBEING_PAIRS
from healthtrainer.network.tests.builders import synthetic_network
from healthtrainer.programmes.models import Programme

pytestmark = pytest.mark.django_db


def _combined(report, network_counts: dict[str, object]) -> dict[str, object]:
    """What the reader knows: the report's counts, and the network's wherever the report
    has none or a "*"."""
    counts = published_counts(report)
    for key, value in network_counts.items():
        if counts.get(key) in (None, SUPPRESSED) and value != SUPPRESSED:
            counts[key] = value
    return counts


def _network_counts(figures, programme: Programme) -> dict[str, object]:
    shown: dict[str, object] = {}
    for item in figures.funnels:
        numerator_key, denominator_key = OUTCOME_CELLS[item.outcome.id]
        for row in item.shown:
            if row.programme == programme:
                shown[numerator_key] = row.numerator
                shown[denominator_key] = row.denominator
    for funnel in figures.wellbeing.funnels:
        for row in funnel.shown:
            if row.programme == programme:
                shown[WELLBEING_PAIRS] = row.pairs
    return shown


@pytest.mark.parametrize(("clients", "seed"), [(24, 1), (45, 2), (90, 3), (150, 4)])
def test_the_network_narrows_no_hidden_count_of_a_programme_s_report(clients, seed):
    network = synthetic_network(clients, seed)
    figures = figures_of(network)
    for programme in figures.programmes:
        report = build_report(programme, Period(), Disclosure.PUBLISHED)
        counts = _combined(report, _network_counts(figures, programme))
        ranges = attack(report.ledger, counts)
        narrowed = {key: span for key, span in ranges.items() if span[0] > 1 or span[1] < 7}
        assert narrowed == {}, programme.slug


def test_every_count_the_network_shows_is_the_report_s_own():
    network = synthetic_network(90, 3)
    figures = figures_of(network)
    for programme in figures.programmes:
        report = build_report(programme, Period(), Disclosure.PUBLISHED)
        shown = published_counts(report)
        for key, value in _network_counts(figures, programme).items():
            assert shown[key] == value, (programme.slug, key)
