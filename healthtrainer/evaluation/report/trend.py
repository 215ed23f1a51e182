"""The first screen of the evaluation page: a few headline figures for each of the four
aspects, each against the same figure for the period of equal length just before.

Pure: it reads two reports already built under disclosure control and compares figures as
shown, so a trend can never reveal more than the two published figures it is drawn from,
and a hidden figure ("*") is never compared at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from healthtrainer.core.period import Period
from healthtrainer.evaluation.report.content import Headline, Report, display

NO_PREVIOUS_FIGURE = "No previous figure"
WHOLE_PROGRAMME = "Covers the whole programme, so it is not compared by period"


@dataclass(frozen=True)
class TileSpec:
    """One tile: the headline it shows and how its base reads in words.

    `base` is a phrase with `{}` for the headline's denominator, or, for a headline without
    one (a count, a mean, a total), for the figure of `base_metric`: 145 engaged is read
    "of 145 referred". `by_period` is False for figures that cover the whole programme
    whatever the period (supervision fidelity), which no earlier period could change.
    """

    metric_id: str
    base: str = ""
    base_metric: str | None = None
    by_period: bool = True


# Chosen from the headlines `build_report` makes (`build._headlines`), by section id.
AT_A_GLANCE: dict[str, tuple[TileSpec, ...]] = {
    "gp-referral": (
        TileSpec("referral.count", "against {} projected for the programme", "referral.projected"),
        TileSpec("referral.pct_most_deprived_quintile", "of {} referrals with a known area"),
        TileSpec("referral.median_days_to_first_contact", "days, among referrals contacted"),
    ),
    "cb-use": (
        TileSpec("sessions.pct_naming_a_technique", "of {} session records"),
        TileSpec("fidelity.at_threshold", "of {} ratings in supervision", by_period=False),
    ),
    "client-outcomes": (
        TileSpec("flow.engaged", "of {} referred", "flow.referred"),
        TileSpec("flow.completed", "of {} referred", "flow.referred"),
        TileSpec(
            "wellbeing.mean_change",
            "across {} clients scored before and after",
            "wellbeing.n_paired",
        ),
        TileSpec("goals.pct_achieved_or_partly", "of {} goals with a final status"),
        TileSpec(
            "follow_up.pct_maintaining_strategies",
            "of {} follow-ups that reached the client and were answered",
        ),
    ),
    "resources": (
        TileSpec("cost.direct_total", "against a budget of {}", "cost.budget_total"),
        TileSpec("cost.per_client_seen", "for each of {} clients seen"),
        TileSpec("cost.per_client_completing", "for each of {} clients completing"),
    ),
}


@dataclass(frozen=True)
class Tile:
    headline: Headline
    # The base in words ("of 145 referred"); empty when there is none to give.
    base: str
    trend: str


@dataclass(frozen=True)
class Aspect:
    # The section the aspect's tables are in, for a link down to them.
    section_id: str
    title: str
    tiles: list[Tile]


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def previous_period(period: Period, today: date) -> Period | None:
    """The period of equal length that ends the day before `period` starts.

    Whole calendar months are matched by months, as people count them: July to December
    is compared with January to June, not with the 184 days from 29 December. Any other
    period is matched day for day. An open end runs to `today`, as the live page does.
    None without a start (all referrals have nothing before them), when the period has
    not begun by `today`, or when the earlier period would fall before the calendar.
    """
    if period.start is None or period.start == date.min:
        return None
    end = period.end or today
    if end < period.start:
        return None
    earlier_end = period.start - timedelta(days=1)
    if period.start.day == 1 and end < date.max and (end + timedelta(days=1)).day == 1:
        months = _month_number(end) - _month_number(period.start) + 1
        first = _month_number(period.start) - months
        if first < 12:
            return None
        return Period(date(first // 12, first % 12 + 1, 1), earlier_end)
    try:
        return Period(earlier_end - (end - period.start), earlier_end)
    except OverflowError:
        return None


def _number(value: object) -> int | Decimal | None:
    """A figure that may be compared: a number as shown, never "*", text or no data."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        # As `display` shows it: a float statistic is given to two places.
        return Decimal(f"{value:.2f}")
    return None


def trend(current: Headline, previous: Headline | None) -> str:
    """How `current` moved from `previous`, in words: "Up 5 from the previous period (140)".

    Figures that read the same as shown are "no change", so rounding noise is never a
    trend. A percentage moves by percentage points, not by a percentage of itself.
    """
    if previous is None:
        return NO_PREVIOUS_FIGURE
    now, before = _number(current.value), _number(previous.value)
    if now is None or before is None:
        return NO_PREVIOUS_FIGURE
    if current.text == previous.text:
        return f"No change from the previous period ({previous.text})"
    change = now - before
    amount = display(abs(change))
    if current.unit == "%":
        amount = f"{amount} percentage point{'' if abs(change) == 1 else 's'}"
    elif current.unit == "£":
        amount = f"£{amount}"
    direction = "Up" if change > 0 else "Down"
    return f"{direction} {amount} from the previous period ({previous.text})"


def _base(spec: TileSpec, headline: Headline, report: Report) -> str:
    if not spec.base or headline.value is None:
        return ""
    if "{}" not in spec.base:
        return spec.base
    if spec.base_metric is not None:
        base = report.metrics.get(spec.base_metric)
        if base is None or base.value is None:
            return ""
        return spec.base.format(base.text)
    if headline.denominator is None:
        return ""
    return spec.base.format(display(headline.denominator))


def at_a_glance(report: Report, previous: Report | None) -> list[Aspect]:
    """The tiles of each aspect, in the report's order of sections.

    `previous` is the same report for `previous_period`, in the same disclosure mode, or
    None when there is no such period. A headline the report lacks is left out, so the
    page still shows when a metric is renamed.
    """
    aspects = []
    for section in report.sections:
        tiles = []
        for spec in AT_A_GLANCE.get(section.id, ()):
            headline = report.metrics.get(spec.metric_id)
            if headline is None:
                continue
            if not spec.by_period:
                movement = WHOLE_PROGRAMME
            else:
                earlier = previous.metrics.get(spec.metric_id) if previous else None
                movement = trend(headline, earlier)
            tiles.append(Tile(headline, _base(spec, headline, report), movement))
        if tiles:
            aspects.append(Aspect(section.id, section.title, tiles))
    return aspects
