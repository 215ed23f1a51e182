"""The network month by month, as statistical process control charts: referrals received
each month (an XmR chart) and the share of accepted referrals that completed the
programme, by month of referral (a p-chart), for the network and, for referrals, each
programme's special causes in words.

Counts are published counts, as everywhere on network pages: the network's month is its
exact total rounded to 5 (1 to 7 hidden), and a programme's months are its own published
counts, a hidden month left out of its chart rather than guessed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from healthtrainer.casework.vocabulary import DischargeReason
from healthtrainer.evaluation.disclosure import published_count
from healthtrainer.network.spc import Point, Signal, p_chart, xmr
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


@dataclass(frozen=True)
class ProgrammeSignals:
    programme: Programme
    signals: list[tuple[Signal, str]]  # the rule, and from which month


@dataclass(frozen=True)
class Monthly:
    months: list[date]
    referrals: list[Point]
    completed: list[Point]
    programme_signals: list[ProgrammeSignals]


def _month_label(month: date) -> str:
    return f"{month:%b %Y}"


def monthly(programmes: list[Programme]) -> Monthly:
    rows = (
        Referral.objects.filter(programme__in=programmes)
        .annotate(month=TruncMonth("received_date"))
        .order_by()
        .values("programme_id", "month")
        .annotate(
            referred=Count("pk"),
            accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
            completed=Count(
                "pk",
                filter=Q(status=Status.ACCEPTED, discharge__reason=DischargeReason.COMPLETED),
            ),
        )
    )
    by_programme: dict[int, dict[date, int]] = defaultdict(dict)
    network: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        month = row["month"]
        by_programme[row["programme_id"]][month] = row["referred"]
        totals = network[month]
        totals[0] += row["referred"]
        totals[1] += row["accepted"]
        totals[2] += row["completed"]
    months = _every_month(sorted(network))
    labels = [_month_label(month) for month in months]
    referred = [published_count(network[m][0]) if m in network else 0 for m in months]
    kept = [
        (label, value)
        for label, value in zip(labels, referred, strict=True)
        if not isinstance(value, str)
    ]
    accepted = [_number(published_count(network[m][1])) for m in months]
    completed = [_number(published_count(network[m][2])) for m in months]
    return Monthly(
        months=months,
        referrals=xmr([label for label, _ in kept], [float(v) for _, v in kept]),
        completed=p_chart(
            labels,
            [c if a else 0 for c, a in zip(completed, accepted, strict=True)],
            accepted,
        ),
        programme_signals=[
            signals
            for programme in programmes
            if (
                signals := _signals_of(programme, by_programme.get(programme.pk, {}), months)
            ).signals
        ],
    )


def _number(value: int | str) -> int:
    """A hidden count (1 to 7) is left out of a chart: counted as nothing."""
    return 0 if isinstance(value, str) else value


def _every_month(months: list[date]) -> list[date]:
    if not months:
        return []
    every, month = [], months[0]
    while month <= months[-1]:
        every.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return every


def _signals_of(
    programme: Programme, counts: dict[date, int], months: list[date]
) -> ProgrammeSignals:
    series = [
        (month, shown)
        for month in months
        if not isinstance(shown := published_count(counts.get(month, 0)), str)
    ]
    points = xmr([_month_label(m) for m, _ in series], [float(v) for _, v in series])
    found: list[tuple[Signal, str]] = []
    for signal in Signal:
        first = next((point for point in points if signal in point.signals), None)
        if first is not None:
            found.append((signal, first.label))
    return ProgrammeSignals(programme, found)
