"""What the programme costs, worked out from plain numbers: nothing here touches the database.

`healthtrainer.evaluation.metrics.cost.cost_inputs` fetches one programme's figures for a
period in a fixed number of queries; `summarise` turns them into the direct costs by
category, the time given at role rates, the budget and the unit costs. The Costs page,
the indirect time page and the evaluation metrics all read the same summary, so a figure
shown in two places cannot differ.

Money is Decimal throughout. Each line (one person in one category, one role's hours on
one activity) is rounded to the penny once, and every total is the sum of its rounded
lines, so a table always adds up.

A figure with nothing recorded behind it is not £0.00: categories, totals and time given
say whether anything was recorded (`recorded`), so a page can say "No costs recorded"
and keep £0.00 for a cost recorded as nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from healthtrainer.workforce.vocabulary import Activity, ContributorRole, CostCategory

PENNY = Decimal("0.01")
ZERO = Decimal("0")

TRAINER_TIME = "trainer_time"
SUPERVISION = "supervision"
TRAINING = CostCategory.TRAINING.value
VENUES = CostCategory.VENUES.value
MATERIALS = CostCategory.MATERIALS.value
OTHER = CostCategory.OTHER.value

CATEGORY_LABELS: dict[str, str] = {
    TRAINER_TIME: "Health trainer time",
    SUPERVISION: "Supervision",
    TRAINING: "Training",
    VENUES: "Venues",
    MATERIALS: "Materials",
    OTHER: "Other",
}

CATEGORY_RULES: dict[str, str] = {
    TRAINER_TIME: (
        "For each health trainer: the minutes of their attended client sessions (the "
        "duration on each session record), divided by 60, increased by the programme's "
        "allowance for administration and travel, times their hourly cost."
    ),
    SUPERVISION: (
        "For each supervision session: its hours times the supervisor's hourly cost (from "
        "their trainer profile, or the chronic pain team's role rate when they have no "
        "hourly cost of their own), plus its hours times the hourly cost of each health "
        "trainer supervised."
    ),
    TRAINING: (
        "The cost of each course whose first session falls in the period, plus the hours "
        "of course sessions each trainer attended times their hourly cost, plus cost "
        "items recorded as training."
    ),
    VENUES: "Cost items recorded as venues.",
    MATERIALS: "Cost items recorded as materials.",
    OTHER: "Cost items recorded as other.",
}


def money(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def hours_from_minutes(minutes: int) -> Decimal:
    return money(Decimal(minutes) / 60)


@dataclass(frozen=True)
class CostInputs:
    """One programme's figures for one period, as the database gave them.

    People are keyed by their user id; `names` names everyone who appears.
    """

    allowance_percent: int
    # Hourly cost by person, from trainer profiles that record one.
    hourly_costs: Mapping[int, Decimal]
    names: Mapping[int, str]
    # Minutes of attended client sessions, by trainer.
    session_minutes: Mapping[int, int]
    # Minutes of supervision given, by supervisor, and received, by trainer.
    supervising_minutes: Mapping[int, int]
    supervised_minutes: Mapping[int, int]
    # Hours of course sessions attended, by person.
    training_hours: Mapping[int, Decimal]
    course_costs: Decimal
    # Cost items by CostCategory value: only the categories with items in the period.
    cost_items: Mapping[str, Decimal]
    budget: Decimal
    # Indirect time: hours by (ContributorRole value, Activity value).
    indirect_hours: Mapping[tuple[str, str], Decimal]
    # Hourly rate by ContributorRole value.
    role_rates: Mapping[str, Decimal]
    referrals: int
    clients_seen: int
    clients_completing: int
    goals_achieved: int
    # Whether any budget line overlaps the period: with none, the budget is not £0.00 and
    # the costs are no overspend.
    budget_recorded: bool = True


@dataclass(frozen=True)
class CostLine:
    """One part of a category: a person's hours at their rate, or a sum of cost items.

    `cost` is None when there is no rate to value the hours at: the line is listed as not
    costed and left out of every total, never counted as zero without saying so.
    """

    description: str
    cost: Decimal | None
    hours: Decimal | None = None
    rate: Decimal | None = None


@dataclass(frozen=True)
class CategoryCost:
    key: str
    label: str
    rule: str
    lines: tuple[CostLine, ...]

    @property
    def cost(self) -> Decimal:
        return sum((line.cost for line in self.lines if line.cost is not None), ZERO)

    @property
    def not_costed(self) -> tuple[CostLine, ...]:
        return tuple(line for line in self.lines if line.cost is None)

    @property
    def recorded(self) -> bool:
        """Whether anything in the period falls in this category: every record gives a
        line, costed or not."""
        return bool(self.lines)

    @property
    def costed(self) -> bool:
        """Whether any of its lines has a cost; when none has, its cost is unknown, not
        nothing."""
        return any(line.cost is not None for line in self.lines)


@dataclass(frozen=True)
class TimeValue:
    """Hours given, and their value at role rates. Hours of a role without a rate are
    counted in `hours` and `unvalued_hours` but add nothing to `value`. `recorded` says
    whether any time was recorded, so that none is not shown as a value of £0.00."""

    label: str
    hours: Decimal
    value: Decimal
    unvalued_hours: Decimal
    recorded: bool


@dataclass(frozen=True)
class UnitCost:
    label: str
    count: int
    cost: Decimal | None


@dataclass(frozen=True)
class CostSummary:
    allowance_percent: int
    categories: tuple[CategoryCost, ...]
    budget_total: Decimal
    indirect_by_role: tuple[TimeValue, ...]
    indirect_by_activity: tuple[TimeValue, ...]
    unit_costs: Mapping[str, UnitCost]
    budget_recorded: bool = True

    @property
    def direct_total(self) -> Decimal:
        return sum((category.cost for category in self.categories), ZERO)

    @property
    def direct_recorded(self) -> bool:
        return any(category.recorded for category in self.categories)

    @property
    def direct_costed(self) -> bool:
        return any(category.costed for category in self.categories)

    @property
    def by_category(self) -> dict[str, Decimal]:
        return {category.label: category.cost for category in self.categories}

    @property
    def remaining(self) -> Decimal:
        return self.budget_total - self.direct_total

    @property
    def not_costed(self) -> tuple[tuple[str, CostLine], ...]:
        return tuple(
            (category.label, line) for category in self.categories for line in category.not_costed
        )

    @property
    def indirect_total(self) -> Decimal:
        return sum((role.value for role in self.indirect_by_role), ZERO)

    @property
    def indirect_unvalued_hours(self) -> Decimal:
        return sum((role.unvalued_hours for role in self.indirect_by_role), ZERO)

    @property
    def indirect_recorded(self) -> bool:
        return any(role.recorded for role in self.indirect_by_role)

    @property
    def economic_total(self) -> Decimal:
        return self.direct_total + self.indirect_total


def _costed(
    description: str, hours: Decimal, rate: Decimal | None, cost: Decimal | None
) -> CostLine:
    return CostLine(description, money(cost) if cost is not None else None, hours, rate)


def _name(inputs: CostInputs, person_id: int) -> str:
    return inputs.names.get(person_id) or "Unnamed person"


def _by_name(inputs: CostInputs, people: Iterable[int]) -> list[int]:
    return sorted(people, key=lambda person_id: (_name(inputs, person_id), person_id))


def trainer_time(inputs: CostInputs) -> tuple[CostLine, ...]:
    """Minutes / 60 x (1 + allowance / 100) x hourly cost, for each trainer."""
    lines = []
    for trainer in _by_name(inputs, inputs.session_minutes):
        minutes = inputs.session_minutes[trainer]
        rate = inputs.hourly_costs.get(trainer)
        # Multiplied out before the one division, so the only rounding is to the penny.
        cost = (
            Decimal(minutes) * (100 + inputs.allowance_percent) * rate / 6000
            if rate is not None
            else None
        )
        lines.append(_costed(_name(inputs, trainer), hours_from_minutes(minutes), rate, cost))
    return tuple(lines)


def supervision(inputs: CostInputs) -> tuple[CostLine, ...]:
    """The supervisor's hours at their own cost (or the pain team's rate), and each
    supervised trainer's hours at theirs."""
    pain_team_rate = inputs.role_rates.get(ContributorRole.PAIN_TEAM.value)
    lines = []
    for supervisor in _by_name(inputs, inputs.supervising_minutes):
        minutes = inputs.supervising_minutes[supervisor]
        own = inputs.hourly_costs.get(supervisor)
        rate = own if own is not None else pain_team_rate
        basis = "own hourly cost" if own is not None else "pain team rate"
        lines.append(
            _costed(
                f"{_name(inputs, supervisor)}, supervising ({basis})",
                hours_from_minutes(minutes),
                rate,
                Decimal(minutes) * rate / 60 if rate is not None else None,
            )
        )
    for trainer in _by_name(inputs, inputs.supervised_minutes):
        minutes = inputs.supervised_minutes[trainer]
        rate = inputs.hourly_costs.get(trainer)
        lines.append(
            _costed(
                f"{_name(inputs, trainer)}, supervised",
                hours_from_minutes(minutes),
                rate,
                Decimal(minutes) * rate / 60 if rate is not None else None,
            )
        )
    return tuple(lines)


def training(inputs: CostInputs) -> tuple[CostLine, ...]:
    """Course costs, each attendee's hours at their hourly cost, and training cost items."""
    lines = []
    if inputs.course_costs:
        lines.append(CostLine("Course costs", money(inputs.course_costs)))
    # A category is in `cost_items` only when items were recorded in it, so items
    # recorded as costing nothing still give a line, of £0.00.
    if TRAINING in inputs.cost_items:
        lines.append(CostLine("Cost items: training", money(inputs.cost_items[TRAINING])))
    for person in _by_name(inputs, inputs.training_hours):
        hours = inputs.training_hours[person]
        rate = inputs.hourly_costs.get(person)
        lines.append(
            _costed(
                f"{_name(inputs, person)}, attending",
                money(hours),
                rate,
                hours * rate if rate is not None else None,
            )
        )
    return tuple(lines)


def indirect(inputs: CostInputs) -> tuple[tuple[TimeValue, ...], tuple[TimeValue, ...]]:
    """Time given, valued at role rates: totals by role and by activity.

    Each (role, activity) cell is rounded once, and both breakdowns add up the same cells,
    so their totals agree to the penny.
    """
    cells: dict[tuple[str, str], tuple[Decimal, Decimal | None]] = {}
    for (role, activity), hours in inputs.indirect_hours.items():
        rate = inputs.role_rates.get(role)
        cells[role, activity] = (hours, money(hours * rate) if rate is not None else None)

    def total(label: str, selected: list[tuple[Decimal, Decimal | None]]) -> TimeValue:
        return TimeValue(
            label,
            sum((hours for hours, _ in selected), ZERO),
            sum((value for _, value in selected if value is not None), ZERO),
            sum((hours for hours, value in selected if value is None), ZERO),
            recorded=bool(selected),
        )

    by_role = tuple(
        total(str(label), [cell for (role, _), cell in cells.items() if role == value])
        for value, label in ContributorRole.choices
    )
    by_activity = tuple(
        total(str(label), [cell for (_, activity), cell in cells.items() if activity == value])
        for value, label in Activity.choices
    )
    return by_role, by_activity


def unit_cost(total: Decimal, count: int) -> Decimal | None:
    return money(total / count) if count else None


def summarise(inputs: CostInputs) -> CostSummary:
    items = [
        (
            key,
            CostLine(f"Cost items: {CATEGORY_LABELS[key].lower()}", money(inputs.cost_items[key])),
        )
        for key in (VENUES, MATERIALS, OTHER)
        if key in inputs.cost_items
    ]
    lines: dict[str, tuple[CostLine, ...]] = {
        TRAINER_TIME: trainer_time(inputs),
        SUPERVISION: supervision(inputs),
        TRAINING: training(inputs),
        **{key: (line,) for key, line in items},
    }
    categories = tuple(
        CategoryCost(key, label, CATEGORY_RULES[key], lines.get(key, ()))
        for key, label in CATEGORY_LABELS.items()
    )
    direct = sum((category.cost for category in categories), ZERO)
    by_role, by_activity = indirect(inputs)
    counts = {
        "per_referral": ("Per referral received", inputs.referrals),
        "per_client_seen": ("Per client seen", inputs.clients_seen),
        "per_client_completing": ("Per client completing", inputs.clients_completing),
        "per_goal_achieved": ("Per goal achieved or partly achieved", inputs.goals_achieved),
    }
    return CostSummary(
        allowance_percent=inputs.allowance_percent,
        categories=categories,
        budget_total=money(inputs.budget),
        indirect_by_role=by_role,
        indirect_by_activity=by_activity,
        unit_costs={
            key: UnitCost(label, count, unit_cost(direct, count))
            for key, (label, count) in counts.items()
        },
        budget_recorded=inputs.budget_recorded,
    )
