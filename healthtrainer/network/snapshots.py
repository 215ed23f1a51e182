"""Each programme's published figures, as the network reads them.

A programme's published report hides a count of 1 to 7, rounds the rest to 5, and hides
more counts besides wherever one could be worked out from others by subtraction. A network
page that rounded the same counts afresh would show some of those second hidings as
numbers, and a reader holding both could narrow what the report hid. So the network takes
each count as the programme's own published report shows it, "*" included: it is made by
the report, kept here, and brought up to date by a background task (on joining a network,
and every hour).

Beside those counts the task keeps, for each of the network's other figures, the exact
counts that figure is made from (`INPUTS`: each a grouped query for one programme), so a
network page reads one row per programme and never the programmes' own records: it takes
as long for a million people as for a thousand. Each figure publishes what it shows from
them as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from healthtrainer.core.period import Period
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.report import build_report
from healthtrainer.network.casemix import casemix_rows
from healthtrainer.network.completeness import completeness_rows
from healthtrainer.network.completeness_by_group import group_rows
from healthtrainer.network.equity import equity_rows
from healthtrainer.network.models import NetworkMembership, PublishedFigures
from healthtrainer.network.monthly import monthly_rows
from healthtrainer.network.outcomes import OUTCOME_CELLS
from healthtrainer.network.wellbeing import wellbeing_rows
from healthtrainer.programmes.models import Programme

# The report's number of clients with well-being scores before and after, the
# denominator of the well-being funnels.
WELLBEING_PAIRS = "wellbeing.n"
KEPT = sorted({WELLBEING_PAIRS, *(key for pair in OUTCOME_CELLS.values() for key in pair)})
# Each figure's inputs, by name: read for a list of programmes, kept for each.
INPUTS: dict[str, Callable[[list[Programme]], dict[int, Any]]] = {
    "completeness": completeness_rows,
    "completeness_by_group": group_rows,
    "equity": equity_rows,
    "monthly": monthly_rows,
    "casemix": casemix_rows,
    "wellbeing": wellbeing_rows,
}


def published_counts_make(programme: Programme) -> PublishedFigures:
    """The counts the network uses, as the programme's published report shows them now."""
    report = build_report(programme, Period(), Disclosure.PUBLISHED)
    # build_report always fills the ledger; a report without one shows nothing here.
    cells = report.ledger.cells if report.ledger else {}
    counts = {key: cells[key].shown for key in KEPT if key in cells}
    inputs = {name: read([programme]).get(programme.pk) for name, read in INPUTS.items()}
    if inputs["wellbeing"] is not None:
        # The well-being funnels show the number of pairs as the report does.
        inputs["wellbeing"]["n_shown"] = counts.get(WELLBEING_PAIRS)
    figures, _ = PublishedFigures.objects.update_or_create(
        programme=programme,
        defaults={"counts": counts, "inputs": inputs, "made_at": timezone.now()},
    )
    return figures


def inputs_of(published: dict[int, PublishedFigures], name: str) -> dict[int, Any]:
    """One figure's inputs for each programme, as kept."""
    return {pk: figures.inputs.get(name) for pk, figures in published.items()}


def snapshots_refresh(programmes: Iterable[Programme] | None = None) -> int:
    """Bring the published figures of every programme in a network (or of those given) up
    to date, one programme at a time so that each is consistent with itself."""
    if programmes is None:
        programmes = Programme.objects.filter(
            pk__in=NetworkMembership.objects.current().values("programme")
        )
    made = 0
    for programme in programmes:
        with transaction.atomic():
            published_counts_make(programme)
        made += 1
    return made


def published_counts(programmes: Iterable[Programme]) -> dict[int, PublishedFigures]:
    """The programmes' published figures, in one query; a programme whose figures have
    not been made yet is missing."""
    return {
        figures.programme_id: figures
        for figures in PublishedFigures.objects.filter(programme__in=list(programmes))
    }
