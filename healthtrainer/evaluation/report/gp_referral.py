"""Report section 1: GP referral."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from healthtrainer.core import charts
from healthtrainer.evaluation.report.content import Disclose, Section, Shown, chart_value
from healthtrainer.evaluation.report.tables import columns, table


def _per_thousand(shown: Shown, list_size: int | None) -> Shown:
    if not list_size:
        return None
    if not isinstance(shown, int):
        return shown
    return (Decimal(shown * 1000) / Decimal(list_size)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def gp_referral(figures: dict[str, Any], disclose: Disclose) -> Section:
    count = figures["referral.count"]
    projected = figures["referral.projected"]
    months = [
        (
            month.month.strftime("%B %Y"),
            disclose.count(month.referrals),
            disclose.count(month.cumulative),
        )
        for month in figures["referral.by_month"]
    ]
    practices = [
        (
            f"{practice.practice} ({practice.ods_code})",
            "Yes" if practice.is_gp_champion else "No",
            disclose.count(practice.referrals),
            practice.registered_list_size,
            _per_thousand(disclose.count(practice.referrals), practice.registered_list_size),
        )
        for practice in figures["referral.by_practice"]
    ]
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
                    ("Referrals received", disclose.count(count)),
                    ("Referrals projected", projected),
                    (
                        "Received as a percentage of projected",
                        disclose.of(count, projected) if projected else None,
                    ),
                    (
                        "Median days to first contact",
                        figures["referral.median_days_to_first_contact"],
                    ),
                ],
            ),
            table(
                "referrals-by-month",
                "Referrals by month",
                "referral.by_month",
                columns("Month", "Referrals", "Running total"),
                months,
                chart=charts.cumulative_chart(
                    "Referrals received, running total",
                    "A line of the running total of referrals by month, against the projected "
                    "number. The table gives the same figures.",
                    [month.month.strftime("%b %Y") for month in figures["referral.by_month"]],
                    [int(chart_value(row[2])) for row in months],
                    projected,
                )
                if months
                else None,
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
                practices,
                chart=charts.bar_chart(
                    "Referrals per 1,000 registered patients, by practice",
                    "One bar per GP practice; GP champion practices are in yellow. The table "
                    "gives the same figures.",
                    [charts.Bar(row[0], chart_value(row[4]), row[1] == "Yes") for row in practices],
                )
                if practices
                else None,
            ),
            table(
                "referrals-by-source",
                "Referrals by source",
                "referral.by_source",
                columns("Source", "Referrals"),
                [(label, disclose.count(n)) for label, n in figures["referral.by_source"].items()],
            ),
            table(
                "referral-eligibility",
                "Eligible and not eligible referrals",
                "referral.eligibility",
                columns("Criteria", "Referrals"),
                [
                    (label, disclose.count(n))
                    for label, n in figures["referral.eligibility"].items()
                ],
            ),
        ],
    )
