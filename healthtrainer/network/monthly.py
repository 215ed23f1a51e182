"""The network month by month, as statistical process control charts: referrals received
each month (an XmR chart) and the share of accepted referrals that completed the
programme, by month of referral (a p-chart), for the network and, for referrals, each
programme's special causes in words.

Counts are published counts, as everywhere on network pages: a programme's months are its
own published counts (1 to 7 hidden, others to the nearest 5), a hidden month left out of
its chart rather than guessed, and the network's month is the sum of its programmes'
published counts, a hidden one counted as none."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
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
class Charts:
    """Referrals each month (XmR) and the share of each month's accepted referrals that
    completed (p-chart)."""

    referrals: list[Point]
    completed: list[Point]


@dataclass(frozen=True)
class ProgrammeSignals:
    programme: Programme
    signals: list[tuple[Signal, str]]  # the rule, and from which month


@dataclass(frozen=True)
class Monthly:
    months: list[date]
    referrals: list[Point]
    completed: list[Point]
    programme_charts: dict[int, Charts]
    programme_signals: list[ProgrammeSignals]


def _month_label(month: date) -> str:
    return f"{month:%b %Y}"


# Each programme's counts by month: {"YYYY-MM-DD": [referred, accepted, completed]}.
Rows = dict[int, dict[str, list[int]]]


def monthly_rows(programmes: list[Programme]) -> Rows:
    """Each programme's exact counts by month of referral: one grouped query."""
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
    found: Rows = {}
    for row in rows:
        found.setdefault(row["programme_id"], {})[row["month"].isoformat()] = [
            row["referred"],
            row["accepted"],
            row["completed"],
        ]
    return found


def monthly(
    programmes: list[Programme], changes: Iterable[date] = (), rows: Rows | None = None
) -> Monthly:
    """The charts, the network's with its limits worked out afresh from each month in
    `changes`, from `rows` as kept with the published figures (or read now)."""
    rows = monthly_rows(programmes) if rows is None else rows
    each: dict[int, dict[date, tuple[int, int, int]]] = defaultdict(dict)
    network: dict[date, tuple[int, int, int]] = defaultdict(lambda: (0, 0, 0))
    for programme in programmes:
        for month_text, (referred_n, accepted_n, completed_n) in (
            rows.get(programme.pk) or {}
        ).items():
            month = date.fromisoformat(month_text)
            each[programme.pk][month] = (referred_n, accepted_n, completed_n)
            # The network's month is the sum of what each programme's month shows (a
            # hidden count as none): a total of exact counts, rounded, could be set against
            # the programmes' shown counts to narrow a hidden one.
            shown = [_number(published_count(n)) for n in (referred_n, accepted_n, completed_n)]
            network[month] = tuple(  # type: ignore[assignment]
                total + part for total, part in zip(network[month], shown, strict=True)
            )
    months = _every_month(sorted(network))
    whole = _charts(network, months, frozenset(changes))
    programme_charts = {
        programme.pk: _charts(each.get(programme.pk, {}), months) for programme in programmes
    }
    return Monthly(
        months=months,
        referrals=whole.referrals,
        completed=whole.completed,
        programme_charts=programme_charts,
        programme_signals=[
            signals
            for programme in programmes
            if (signals := _signals_of(programme, programme_charts[programme.pk])).signals
        ],
    )


def _charts(
    counts: Mapping[date, tuple[int, int, int]],
    months: list[date],
    changes: frozenset[date] = frozenset(),
) -> Charts:
    """The two charts from published counts: a hidden month (1 to 7) is left out of the
    referrals chart, and counts as nothing in the p-chart."""
    labels: list[str] = []
    referred: list[float] = []
    starts: list[int] = []
    for month in months:
        shown = published_count(counts.get(month, (0, 0, 0))[0])
        if not isinstance(shown, str):
            if month in changes:
                starts.append(len(labels))
            labels.append(_month_label(month))
            referred.append(float(shown))
    accepted = [_number(published_count(counts.get(m, (0, 0, 0))[1])) for m in months]
    completed = [_number(published_count(counts.get(m, (0, 0, 0))[2])) for m in months]
    return Charts(
        referrals=xmr(labels, referred, changes=starts),
        completed=p_chart(
            [_month_label(month) for month in months],
            [c if a else 0 for c, a in zip(completed, accepted, strict=True)],
            accepted,
            changes=[index for index, month in enumerate(months) if month in changes],
        ),
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


def _signals_of(programme: Programme, charts: Charts) -> ProgrammeSignals:
    found: list[tuple[Signal, str]] = []
    for signal in Signal:
        first = next((point for point in charts.referrals if signal in point.signals), None)
        if first is not None:
            found.append((signal, first.label))
    return ProgrammeSignals(programme, found)
