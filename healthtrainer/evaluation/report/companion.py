"""Report section: the client companion. How many clients were invited to it and used it,
how often they kept their diary and answered their weekly check-ins on goals, whether they
still used their strategies month by month after discharge; each of these by IMD
quintile, age band and ethnic category; and which answers at follow-up were the client's
own and which the trainer's.

Every count is a cell of the report's ledger, keyed by what it counts, with every sum and
bound a reader could work out from the definitions: each breakdown adds up to its total,
a group's numerator is no larger than its denominator, and the clients keeping a habit are
no more than the weeks they kept it in. Accepted referrals by subgroup are the same cells
as the equity tables'. A programme nobody in the period was invited to shows why there is
nothing, not a table of zeros.
"""

from __future__ import annotations

from typing import Any

from healthtrainer.core import charts
from healthtrainer.evaluation.metrics.companion import (
    ACTIVE_DAYS,
    COMPANION_SUBGROUPS,
    CompanionUse,
    GroupUse,
    MonthAnswers,
)
from healthtrainer.evaluation.metrics.follow_up import SourceAnswers
from healthtrainer.evaluation.metrics.subgroups import SUBGROUPS
from healthtrainer.evaluation.report.content import Row, Section, Table, chart_value
from healthtrainer.evaluation.report.equity import EVERY_GROUP_NOTE, quintile_chart
from healthtrainer.evaluation.report.figures import Disclose
from healthtrainer.evaluation.report.ledger import Cell
from healthtrainer.evaluation.report.tables import GAP_NOTE, columns, table

NO_COMPANION = (
    "No client referred in this period has been invited to the companion yet, so there is "
    "nothing to report on it. A trainer invites a client from the Companion page of their "
    "episode; these tables fill as clients use it."
)
NO_STRATEGY_ANSWERS = (
    "No client has answered a monthly check-in on their strategies yet: the companion asks "
    "from discharge until the follow-up."
)
NO_FOLLOW_UP_ANSWERS = (
    "No follow-up that reached a client referred in this period has answers on each strategy yet."
)
WEEKS_NOTE = (
    "A client's weeks run from the week they were invited (or referred, if later) to the "
    "week of their discharge, the companion's closing or today, whichever came first."
)
# (part, whole): a count that can be no larger than another, for everyone and in every
# group. Clients keeping a habit each kept it at least one week; every client invited
# has at least one week open.
BOUNDS = (
    ("invited", "accepted"),
    ("active", "invited"),
    ("diary_most_weeks", "invited"),
    ("goal_check_in_clients", "invited"),
    ("goal_check_in_clients", "goal_check_in_weeks"),
    ("goal_check_in_weeks", "weeks_open"),
    ("invited", "weeks_open"),
    ("strategy_months_using", "strategy_months"),
)


class _Cells:
    """The cells of the companion's figures: for everyone, and for every group of each
    subgroup, made when a table first shows them."""

    def __init__(
        self, total: CompanionUse, groups: dict[str, list[GroupUse]], disclose: Disclose
    ) -> None:
        self.total = total
        self.groups = groups
        self.disclose = disclose
        self.totals: dict[str, Cell] = {}
        self.by_group: dict[str, dict[str, list[tuple[str, Cell]]]] = {}

    def of(self, name: str) -> Cell:
        if name not in self.totals:
            n = getattr(self.total, name)
            self.totals[name] = (
                self.disclose.same_as("flow.accepted", n, "companion.accepted")
                if name == "accepted"
                else self.disclose.count(f"companion.{name}", n)
            )
        return self.totals[name]

    def in_groups(self, name: str) -> dict[str, list[tuple[str, Cell]]]:
        """Every group of each subgroup, zeros included, adding up to the total; keyed by
        the total's concept, as the equity tables key theirs."""
        if name not in self.by_group:
            total = self.of(name)
            self.by_group[name] = {}
            for subgroup in COMPANION_SUBGROUPS:
                found = {group.label: getattr(group.use, name) for group in self.groups[subgroup]}
                labels = SUBGROUPS[subgroup].groups
                cells = self.disclose.breakdown(
                    total,
                    [(f"{total.key}.{subgroup}.{label}", found.get(label, 0)) for label in labels],
                )
                self.by_group[name][subgroup] = list(zip(labels, cells, strict=True))
        return self.by_group[name]

    def bound(self) -> None:
        """Every bound between the figures shown, for everyone and in each group."""
        ledger = self.disclose.ledger
        for part, whole in BOUNDS:
            if part in self.totals and whole in self.totals:
                ledger.at_most(self.totals[part], self.totals[whole])
            if part in self.by_group and whole in self.by_group:
                for subgroup in COMPANION_SUBGROUPS:
                    for (_, small), (_, large) in zip(
                        self.by_group[part][subgroup], self.by_group[whole][subgroup], strict=True
                    ):
                        ledger.at_most(small, large)
        if "diary_weeks" in self.totals:
            ledger.at_most(self.totals["diary_most_weeks"], self.totals["diary_weeks"])
            ledger.at_most(self.totals["diary_weeks"], self.totals["weeks_open"])


def _ratio_rows(
    cells: _Cells, rows: list[tuple[str, str, str]], disclose: Disclose
) -> list[tuple[Any, ...]]:
    """(label, numerator, denominator) as rows of a figure, its number, out of, and the
    percentage."""
    return [
        (label, cells.of(part), cells.of(whole), disclose.share(cells.of(part), cells.of(whole)))
        for label, part, whole in rows
    ]


def _by_subgroup(
    id: str,
    title: str,
    part: str,
    whole: str,
    heads: tuple[str, str],
    cells: _Cells,
    disclose: Disclose,
    note: str = "",
) -> Table:
    rows: list[tuple[Any, ...]] = []
    parts, wholes = cells.in_groups(part), cells.in_groups(whole)
    for subgroup in COMPANION_SUBGROUPS:
        for (label, n), (_, d) in zip(parts[subgroup], wholes[subgroup], strict=True):
            rows.append((SUBGROUPS[subgroup].title, label, n, d, disclose.share(n, d)))
    n, d = cells.of(part), cells.of(whole)
    rows.append(("Everyone", "", n, d, disclose.share(n, d)))
    return table(
        id,
        title,
        "companion.by_subgroup",
        columns("Subgroup", "Group", *heads, "Percentage", text=2),
        rows,
        draw=quintile_chart(
            f"{title.split(',')[0]}: percentage by IMD quintile",
            "whether the companion reaches the most deprived as well as others",
        ),
        note=f"{EVERY_GROUP_NOTE} {note}".strip(),
    )


def _month_chart(rows: list[Row]) -> Any:
    """A month nobody answered in has no bar: it is not hidden, and a gap would say it
    was."""
    return charts.bar_chart(
        "Still using strategies: percentage by month after discharge",
        "One bar per month from discharge: of the clients who answered that month, the "
        f"percentage still using at least one strategy. {GAP_NOTE} A month nobody answered "
        "in has no bar. The table gives the same figures.",
        [charts.Bar(str(row[0]), chart_value(row[3])) for row in rows[:-1] if row[3] is not None],
    )


def _strategies_by_month(months: list[MonthAnswers], cells: _Cells, disclose: Disclose) -> Table:
    title = "Strategies still used, month by month after discharge"
    heads = columns("Month", "Clients answering", "Still using (yes or partly)", "Percentage")
    if not cells.total.strategy_months:
        return table(
            "companion-strategies-by-month",
            title,
            "companion.strategies_by_month",
            heads,
            [],
            empty=NO_STRATEGY_ANSWERS,
        )
    answered = disclose.breakdown(
        cells.of("strategy_months"),
        [
            (f"companion.strategy_months.month.{month.month}", month.still_using.denominator)
            for month in months
        ],
    )
    using = disclose.breakdown(
        cells.of("strategy_months_using"),
        [
            (f"companion.strategy_months_using.month.{month.month}", month.still_using.numerator)
            for month in months
        ],
    )
    rows: list[tuple[Any, ...]] = []
    for month, d, n in zip(months, answered, using, strict=True):
        disclose.ledger.at_most(n, d)
        rows.append((month.label, d, n, disclose.share(n, d)))
    total_d, total_n = cells.of("strategy_months"), cells.of("strategy_months_using")
    rows.append(
        ("All months (a client once a month)", total_d, total_n, disclose.share(total_n, total_d))
    )
    return table(
        "companion-strategies-by-month",
        title,
        "companion.strategies_by_month",
        heads,
        rows,
        draw=_month_chart,
        note="Months are calendar months: the month of discharge, then each month after it. "
        "A client answering on several strategies in a month counts once that month.",
    )


def _answers_by_source(by_source: list[SourceAnswers], disclose: Disclose) -> Table:
    title = "Strategy answers at follow-up: the client's own or the trainer's"
    answer_labels = [group.label for group in by_source[0].answers]
    heads = columns("Source", *answer_labels, "All answers", "Percentage of all answers")
    all_n = sum(group.count for source in by_source for group in source.answers)
    if not all_n:
        return table(
            "follow-up-answers-by-source",
            title,
            "follow_up.strategy_answers_by_source",
            heads,
            [],
            empty=NO_FOLLOW_UP_ANSWERS,
        )
    key = "follow_up.strategy_answers"
    total = disclose.count(key, all_n)
    grid = [
        [
            disclose.count(f"{key}.{source.label}.{group.label}", group.count)
            for group in source.answers
        ]
        for source in by_source
    ]
    source_totals = [
        disclose.count(f"{key}.{source.label}", sum(cell.exact for cell in row))
        for source, row in zip(by_source, grid, strict=True)
    ]
    answer_totals = [
        disclose.count(f"{key}.{label}", sum(row[index].exact for row in grid))
        for index, label in enumerate(answer_labels)
    ]
    for row, source_total in zip(grid, source_totals, strict=True):
        disclose.ledger.add_up(source_total, row)
    for index, answer_total in enumerate(answer_totals):
        disclose.ledger.add_up(answer_total, [row[index] for row in grid])
    disclose.ledger.add_up(total, source_totals)
    disclose.ledger.add_up(total, answer_totals)
    rows: list[tuple[Any, ...]] = [
        (source.label, *row, source_total, disclose.share(source_total, total))
        for source, row, source_total in zip(by_source, grid, source_totals, strict=True)
    ]
    rows.append(("All sources", *answer_totals, total, disclose.share(total, total)))
    return table(
        "follow-up-answers-by-source",
        title,
        "follow_up.strategy_answers_by_source",
        heads,
        rows,
        note="One answer for each strategy a client took up, at follow-ups that reached them.",
    )


def client_companion(figures: dict[str, Any], disclose: Disclose) -> Section:
    groups: dict[str, list[GroupUse]] = figures["companion.by_subgroup"]
    total = sum((group.use for group in groups["imd_quintile"]), CompanionUse())
    source = _answers_by_source(figures["follow_up.strategy_answers_by_source"], disclose)
    section = Section(
        "client-companion",
        "The client companion",
        "How many clients were invited to their companion and used it: their diary, their "
        "weekly check-ins on goals while seen, and their monthly check-ins on strategies "
        "after discharge; each by IMD quintile, age band and ethnic category, so that "
        "anyone the companion leaves out shows. Then which answers at follow-up were the "
        "client's own and which the trainer's.",
        [],
    )
    if not total.invited:
        section.tables.extend(
            [
                table(
                    "companion-uptake",
                    "Invited to the companion, and using it",
                    "companion.uptake",
                    columns("Figure", "Number", "Out of", "Percentage"),
                    [],
                    empty=NO_COMPANION,
                ),
                source,
            ]
        )
        return section
    cells = _Cells(total, groups, disclose)
    heads = columns("Figure", "Number", "Out of", "Percentage")
    section.tables.extend(
        [
            table(
                "companion-uptake",
                "Invited to the companion, and using it",
                "companion.uptake",
                heads,
                _ratio_rows(
                    cells,
                    [
                        ("Invited, of accepted referrals", "invited", "accepted"),
                        (
                            f"Used it in the last {ACTIVE_DAYS} days, of those invited",
                            "active",
                            "invited",
                        ),
                    ],
                    disclose,
                ),
            ),
            table(
                "companion-diary",
                "Keeping the diary",
                "companion.diary_adherence",
                heads,
                _ratio_rows(
                    cells,
                    [
                        (
                            "Clients with an entry in at least half their weeks, of those invited",
                            "diary_most_weeks",
                            "invited",
                        ),
                        ("Weeks with an entry, of weeks open", "diary_weeks", "weeks_open"),
                    ],
                    disclose,
                ),
                note=WEEKS_NOTE,
            ),
            table(
                "companion-goal-check-ins",
                "Weekly check-ins on goals",
                "companion.goal_check_ins",
                heads,
                _ratio_rows(
                    cells,
                    [
                        (
                            "Clients answering at least one, of those invited",
                            "goal_check_in_clients",
                            "invited",
                        ),
                        (
                            "Weeks with an answer, of weeks open",
                            "goal_check_in_weeks",
                            "weeks_open",
                        ),
                    ],
                    disclose,
                ),
                note=f"{WEEKS_NOTE} Answers in the companion and by text message both count.",
            ),
            _strategies_by_month(figures["companion.strategies_by_month"], cells, disclose),
            _by_subgroup(
                "companion-invited-by-subgroup",
                "Invited to the companion, by subgroup",
                "invited",
                "accepted",
                ("Invited", "Accepted"),
                cells,
                disclose,
            ),
            _by_subgroup(
                "companion-active-by-subgroup",
                f"Used the companion in the last {ACTIVE_DAYS} days, by subgroup",
                "active",
                "invited",
                ("Used it", "Invited"),
                cells,
                disclose,
            ),
            _by_subgroup(
                "companion-diary-by-subgroup",
                "Diary kept in at least half their weeks, by subgroup",
                "diary_most_weeks",
                "invited",
                ("Kept it", "Invited"),
                cells,
                disclose,
            ),
            _by_subgroup(
                "companion-goal-check-ins-by-subgroup",
                "Answered a weekly check-in on goals, by subgroup",
                "goal_check_in_clients",
                "invited",
                ("Answered", "Invited"),
                cells,
                disclose,
            ),
            _by_subgroup(
                "companion-goal-weeks-by-subgroup",
                "Weeks with a check-in on goals answered, by subgroup",
                "goal_check_in_weeks",
                "weeks_open",
                ("Weeks answered", "Weeks open"),
                cells,
                disclose,
            ),
        ]
    )
    if total.strategy_months:
        section.tables.append(
            _by_subgroup(
                "companion-strategies-by-subgroup",
                "Still using strategies after discharge, by subgroup",
                "strategy_months_using",
                "strategy_months",
                ("Months still using", "Months answered"),
                cells,
                disclose,
                note="Each client counts once for each month they answered.",
            )
        )
    cells.bound()
    section.tables.append(source)
    return section
