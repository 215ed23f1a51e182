"""The network's figures for every synthetic programme: funnel plots, case-mix, SPC,
completeness and equity, as an analyst's page works them out from its members' published
figures, and the time the hourly task takes to make those."""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.figure import Figure, timed
from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import Role
from healthtrainer.network.figures import figures_of
from healthtrainer.network.models import Aspect, Network, NetworkMembership
from healthtrainer.network.services import network_join
from healthtrainer.network.snapshots import snapshots_refresh
from healthtrainer.programmes.models import Programme

BENCH_NETWORK = "bench-network"


def bench_network(programmes: list[Programme]) -> Network:
    """A network of every programme given, each sharing everything (made once)."""
    network, _ = Network.objects.get_or_create(slug=BENCH_NETWORK, defaults={"name": "Bench"})
    lead = User.objects.filter(email="bench-lead@synthetic.invalid").first()
    lead = lead or User.objects.create_user("bench-lead@synthetic.invalid", None)
    joined = set(
        NetworkMembership.objects.current()
        .filter(network=network)
        .values_list("programme_id", flat=True)
    )
    missing = [programme for programme in programmes if programme.pk not in joined]
    Membership.objects.bulk_create(
        [Membership(user=lead, programme=p, role=Role.PROGRAMME_MANAGER) for p in missing],
        ignore_conflicts=True,
    )
    lead = User.objects.get(pk=lead.pk)
    for programme in missing:
        network_join(actor=lead, network=network, programme=programme, aspects=Aspect.values)
    return network


def network_figures(programmes: list[Programme], repeat: int) -> list[Figure]:
    network = bench_network(programmes)
    # What the hourly task does: each member's published figures made afresh.
    started = time.perf_counter()
    snapshots_refresh(programmes)
    made_in = time.perf_counter() - started
    # The log keeps its last 9,000 queries: full, it would count none.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        figures_of(network)
    return [
        Figure(
            f"Network page figures, {len(programmes)} programmes",
            timed(lambda: figures_of(network), repeat) * 1000,
            "ms",
            target="under 2,000 ms",
        ),
        Figure(
            f"Network published figures made (background task), {len(programmes)} programmes",
            made_in,
            "s",
            target="well within the hour between runs",
        ),
        Figure(
            f"Network page queries, {len(programmes)} programmes",
            len(queries.captured_queries),
            "queries",
            target="the same for any number of programmes",
        ),
    ]
