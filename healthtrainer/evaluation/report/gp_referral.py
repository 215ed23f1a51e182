"""Report section 1: GP referral."""

from __future__ import annotations

from datetime import date
from typing import Any

from healthtrainer.core import charts
from healthtrainer.core.period import EARLIEST, LATEST, Period
from healthtrainer.evaluation.report.content import Row, Section, chart_value
from healthtrainer.evaluation.report.figures import Disclose, Rate, RunningTotal, Statistic
from healthtrainer.evaluation.report.ledger import Cell
from healthtrainer.evaluation.report.tables import GAP_NOTE, columns, table


def months_of(period: Period, dates: Any, counted: list[date]) -> list[date]:
    """Every month of the period: from its start (or the earlier of the programme's start
    and the first month counted) to its end (or the later of the programme's end and the
    last month counted), so that a month with no referrals is listed with 0."""
    starts = [day for day in (dates.start_date, *counted) if day is not None]
    ends = [day for day in (dates.end_date, *counted) if day is not None]
    first = period.start or (min(starts) if starts else None)
    last = period.end or (max(ends) if ends else None)
    if first is None or last is None:
        return []
    first, last = max(first, EARLIEST), min(last, LATEST)
    month, end = first.replace(day=1), last.replace(day=1)
    months = []
    while month <= end:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _month_rows(
    figures: dict[str, Any], referred: Cell, disclose: Disclose, months: list[date]
) -> list[tuple[Any, ...]]:
    counts = {month.month.replace(day=1): month.referrals for month in figures["referral.by_month"]}
    cells = disclose.breakdown(
        referred, [(f"referred.month.{month:%Y-%m}", counts.get(month, 0)) for month in months]
    )
    return [
        (month.strftime("%B %Y"), cell, RunningTotal(tuple(cells[: index + 1])))
        for index, (month, cell) in enumerate(zip(months, cells, strict=True))
    ]


def _practice_rows(
    figures: dict[str, Any], referred: Cell, disclose: Disclose
) -> list[tuple[Any, ...]]:
    practices = figures["referral.by_practice"]
    without = referred.exact - sum(practice.referrals for practice in practices)
    cells = disclose.breakdown(
        referred,
        [
            *[(f"referred.practice.{p.ods_code}", p.referrals) for p in practices],
            ("referred.practice.none", without),
        ],
    )
    rows: list[tuple[Any, ...]] = [
        (
            f"{practice.practice} ({practice.ods_code})",
            "Yes" if practice.is_gp_champion else "No",
            cell,
            practice.registered_list_size,
            disclose.per_thousand(cell, practice.registered_list_size),
        )
        for practice, cell in zip(practices, cells, strict=False)
    ]
    rows.append(("No practice recorded (self-referrals and others)", "", cells[-1], None, None))
    return rows


def _running_total_chart(months: list[date], projected: int | None) -> Any:
    def draw(rows: list[Row]) -> Any:
        return charts.cumulative_chart(
            "Referrals received, running total",
            "A line of the running total of referrals by month, against the projected "
            f"number. {GAP_NOTE} The table gives the same figures.",
            [month.strftime("%b %Y") for month in months],
            [chart_value(row[2]) for row in rows],
            projected,
        )

    return draw


def _practice_chart(rows: list[Row]) -> Any:
    bars = [charts.Bar(str(row[0]), chart_value(row[4]), row[1] == "Yes") for row in rows[:-1]]
    return charts.bar_chart(
        "Referrals per 1,000 registered patients, by practice",
        "One bar per GP practice; GP champion practices are in yellow. "
        f"{GAP_NOTE} The table gives the same figures.",
        bars,
    )


def gp_referral(
    figures: dict[str, Any], disclose: Disclose, period: Period, programme: Any
) -> Section:
    referred = disclose.count("referred", figures["referral.count"])
    projected = figures["referral.projected"]
    counted = [month.month.replace(day=1) for month in figures["referral.by_month"]]
    months = months_of(period, programme, counted)
    month_rows = _month_rows(figures, referred, disclose, months)
    practice_rows = _practice_rows(figures, referred, disclose)
    sources = disclose.breakdown(
        referred,
        [(f"referred.source.{label}", n) for label, n in figures["referral.by_source"].items()],
    )
    eligibility = disclose.breakdown(
        referred,
        [(f"referred.{label.lower()}", n) for label, n in figures["referral.eligibility"].items()],
    )
    return Section(
        "gp-referral",
        "GP referral",
        "How many people were referred, from where, and how quickly the programme reached them.",
        [
            table(
                "referrals-against-projected",
                "Referrals against projected",
                "referral.count",
                columns("Figure", "Value"),
                [
                    ("Referrals received", referred),
                    ("Referrals projected", projected),
                    (
                        "Received as a percentage of projected",
                        Rate(referred, 100, projected, places=1) if projected else None,
                    ),
                    (
                        "Median days to first contact",
                        Statistic(figures["referral.median_days_to_first_contact"], referred, 1),
                    ),
                ],
            ),
            table(
                "referrals-by-month",
                "Referrals by month",
                "referral.by_month",
                columns("Month", "Referrals", "Running total"),
                month_rows,
                draw=_running_total_chart(months, projected) if months else None,
                note="Every month of the period is listed. The running total adds up the "
                "monthly figures as shown, and is hidden from the first hidden month on.",
            ),
            table(
                "referrals-by-practice",
                "Referrals by GP practice, per 1,000 registered patients",
                "referral.by_practice",
                columns(
                    "Practice",
                    "GP champion",
                    "Referrals",
                    "Registered patients",
                    "Per 1,000",
                    text=2,
                ),
                practice_rows,
                draw=_practice_chart if len(practice_rows) > 1 else None,
                note="Rates per 1,000 are worked out from the referrals as shown.",
            ),
            table(
                "referrals-by-source",
                "Referrals by source",
                "referral.by_source",
                columns("Source", "Referrals"),
                [
                    (label, cell)
                    for label, cell in zip(figures["referral.by_source"], sources, strict=True)
                ],
            ),
            table(
                "referral-eligibility",
                "Eligible and not eligible referrals",
                "referral.eligibility",
                columns("Criteria", "Referrals"),
                [
                    (label, cell)
                    for label, cell in zip(
                        figures["referral.eligibility"], eligibility, strict=True
                    )
                ],
            ),
        ],
    )
