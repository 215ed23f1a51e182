"""The casework sheets of a programme workbook: how each is checked and written. The
workbook import (`healthtrainer/imports/`) calls these in the order the format declares."""

from healthtrainer.casework.workbook_sheets.checking import (
    LABELS,
    SHEETS,
    check_discharges,
    check_follow_ups,
    check_goals,
    check_sessions,
)
from healthtrainer.casework.workbook_sheets.writing import (
    write_discharges,
    write_follow_ups,
    write_goals,
    write_sessions,
)

__all__ = [
    "LABELS",
    "SHEETS",
    "check_discharges",
    "check_follow_ups",
    "check_goals",
    "check_sessions",
    "write_discharges",
    "write_follow_ups",
    "write_goals",
    "write_sessions",
]
