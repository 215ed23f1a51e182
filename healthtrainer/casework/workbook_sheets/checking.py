"""Checking the casework sheets of a programme workbook: sessions, goals, discharges and
follow-ups (docs/import-format.md). Each row is checked on its own; the import then checks
that it names an accepted referral of the workbook."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from healthtrainer.casework.vocabulary import (
    Attendance,
    DischargeReason,
    GoalDomain,
    GoalStatus,
    Maintained,
    Mode,
)
from healthtrainer.core import cells
from healthtrainer.core.row_checks import Problem, RowChecker

ATTENDANCES = (Attendance.ATTENDED, Attendance.DID_NOT_ATTEND, Attendance.CANCELLED)
FINAL_STATUSES = (
    GoalStatus.ACHIEVED,
    GoalStatus.PARTLY_ACHIEVED,
    GoalStatus.NOT_ACHIEVED,
    GoalStatus.NOT_REVIEWED,
)


@dataclass(frozen=True)
class SessionRow:
    row: int
    referral_id: str
    date: date
    attendance: str
    mode: str = ""
    duration_minutes: int | None = None
    cb_techniques: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoalRow:
    row: int
    referral_id: str
    goal_id: str
    set_date: date
    description: str
    domain: str = ""
    final_status: str = ""


@dataclass(frozen=True)
class DischargeRow:
    row: int
    referral_id: str
    date: date
    reason: str


@dataclass(frozen=True)
class FollowUpRow:
    row: int
    referral_id: str
    date: date
    contacted: bool
    maintaining_strategies: str = ""
    gp_visits: int | None = None


SHEETS: dict[str, dict[str, bool]] = {
    "sessions": {
        "referral_id": True,
        "date": True,
        "attendance": True,
        "mode": False,
        "duration_minutes": False,
        "cb_techniques": False,
    },
    "goals": {
        "referral_id": True,
        "goal_id": True,
        "set_date": True,
        "domain": False,
        "description": True,
        "final_status": False,
    },
    "discharges": {"referral_id": True, "date": True, "reason": True},
    "follow_ups": {
        "referral_id": True,
        "date": True,
        "contacted": True,
        "maintaining_strategies": False,
        "gp_visits_last_3_months": False,
    },
}
# Plain words for each column, for the messages.
LABELS = {
    "referral_id": "referral ID",
    "date": "date",
    "attendance": "attendance",
    "mode": "mode",
    "duration_minutes": "duration in minutes",
    "cb_techniques": "CB techniques",
    "goal_id": "goal ID",
    "set_date": "date the goal was set",
    "domain": "domain",
    "description": "description",
    "final_status": "final status",
    "reason": "reason",
    "contacted": "whether the client was contacted",
    "maintaining_strategies": "whether strategies are maintained",
    "gp_visits_last_3_months": "GP visits in the last 3 months",
}


class _Checker(RowChecker):
    def text(self, column: str, max_length: int, *, required: bool) -> str:
        value = self.get(
            column, lambda v: cells.text(v, LABELS[column], max_length), required=required
        )
        return value or ""

    def past_date(self, column: str, today: date) -> date | None:
        def parse(value: Any) -> date:
            parsed = cells.iso_date(value, LABELS[column])
            if parsed > today:
                raise cells.CellError(f"The {LABELS[column]} must be today or in the past")
            return parsed

        result: date | None = self.get(column, parse, required=True)
        return result

    def one_of(self, column: str, choices: Iterable[str], *, required: bool) -> str:
        allowed = tuple(str(choice) for choice in choices)
        value = self.get(
            column, lambda v: cells.choice(v, LABELS[column], allowed), required=required
        )
        return value or ""

    def count(self, column: str, maximum: int) -> int | None:
        result: int | None = self.get(
            column,
            lambda v: cells.whole_number(v, LABELS[column], minimum=0, maximum=maximum),
            required=False,
        )
        return result


Rows = Iterator[tuple[int, dict[str, Any]]]


def check_sessions(rows: Rows, problems: list[Problem], today: date) -> list[SessionRow]:
    found: list[SessionRow] = []
    for number, values in rows:
        check = _Checker("sessions", number, values, problems, LABELS)
        referral_id = check.text("referral_id", 40, required=True)
        held_on = check.past_date("date", today)
        attendance = check.one_of("attendance", ATTENDANCES, required=True)
        mode = check.one_of("mode", Mode.values, required=False)
        duration = check.count("duration_minutes", 480)
        techniques = check.text("cb_techniques", 1000, required=False)
        codes = tuple(code.strip().lower() for code in techniques.split(";") if code.strip())
        if attendance != Attendance.ATTENDED and (duration or codes):
            check.problem(
                "attendance",
                "Only an attended session has a duration or CB techniques: "
                "mark it attended or clear them",
            )
        if check.ok and held_on is not None:
            found.append(
                SessionRow(number, referral_id, held_on, attendance, mode, duration, codes)
            )
    return found


def check_goals(rows: Rows, problems: list[Problem], today: date) -> list[GoalRow]:
    found: list[GoalRow] = []
    first_row_of: dict[str, int] = {}
    for number, values in rows:
        check = _Checker("goals", number, values, problems, LABELS)
        referral_id = check.text("referral_id", 40, required=True)
        goal_id = check.text("goal_id", 40, required=True)
        set_on = check.past_date("set_date", today)
        domain = check.one_of("domain", GoalDomain.values, required=False)
        description = check.text("description", 300, required=True)
        final = check.one_of("final_status", FINAL_STATUSES, required=False)
        if goal_id and first_row_of.setdefault(goal_id, number) != number:
            check.problem(
                "goal_id",
                f"The goal ID {goal_id} is also on row {first_row_of[goal_id]}: "
                "each goal needs its own ID",
            )
        if check.ok and set_on is not None:
            found.append(GoalRow(number, referral_id, goal_id, set_on, description, domain, final))
    return found


def check_discharges(rows: Rows, problems: list[Problem], today: date) -> list[DischargeRow]:
    found: list[DischargeRow] = []
    first_row_of: dict[str, int] = {}
    for number, values in rows:
        check = _Checker("discharges", number, values, problems, LABELS)
        referral_id = check.text("referral_id", 40, required=True)
        discharged_on = check.past_date("date", today)
        reason = check.one_of("reason", DischargeReason.values, required=True)
        if referral_id and first_row_of.setdefault(referral_id, number) != number:
            check.problem(
                "referral_id",
                f"Referral {referral_id} is also discharged on row {first_row_of[referral_id]}: "
                "an episode is discharged once",
            )
        if check.ok and discharged_on is not None:
            found.append(DischargeRow(number, referral_id, discharged_on, reason))
    return found


def check_follow_ups(rows: Rows, problems: list[Problem], today: date) -> list[FollowUpRow]:
    found: list[FollowUpRow] = []
    for number, values in rows:
        check = _Checker("follow_ups", number, values, problems, LABELS)
        referral_id = check.text("referral_id", 40, required=True)
        contacted_on = check.past_date("date", today)
        contacted = check.one_of("contacted", ("yes", "no"), required=True)
        maintaining = check.one_of("maintaining_strategies", Maintained.values, required=False)
        visits = check.count("gp_visits_last_3_months", 99)
        if contacted == "no" and (maintaining or visits is not None):
            check.problem(
                "contacted",
                "A follow-up that did not reach the client has no answers: "
                "mark it contacted or clear the answers",
            )
        if check.ok and contacted_on is not None:
            found.append(
                FollowUpRow(
                    number, referral_id, contacted_on, contacted == "yes", maintaining, visits
                )
            )
    return found
