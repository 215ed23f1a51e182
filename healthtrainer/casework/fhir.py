"""How a goal's status is said in FHIR R4: `Goal.lifecycleStatus` and `Goal.achievementStatus`.

"Partly achieved" has no exact code in the goal-achievement system; it maps to
`improving` and keeps the local code beside it, so nothing is lost on the way out.
A goal that is no longer relevant was not failed: it is `cancelled`, with no
achievement status. A goal never reviewed before discharge is `completed` with only the
local code, since no standard code says "unknown".
"""

from __future__ import annotations

from typing import Any

from healthtrainer.casework.vocabulary import GoalStatus, Maintained

ACHIEVEMENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/goal-achievement"
LOCAL_GOAL_STATUS_SYSTEM = "https://healthtrainer.invalid/CodeSystem/goal-status"

_ACHIEVEMENT: dict[str, tuple[str, str] | None] = {
    GoalStatus.IN_PROGRESS: ("in-progress", "In Progress"),
    GoalStatus.ACHIEVED: ("achieved", "Achieved"),
    GoalStatus.PARTLY_ACHIEVED: ("improving", "Improving"),
    GoalStatus.NOT_ACHIEVED: ("not-achieved", "Not Achieved"),
    GoalStatus.NO_LONGER_RELEVANT: None,
    GoalStatus.NOT_REVIEWED: None,
}
SUSTAINING = ("sustaining", "Sustaining")


def lifecycle_status(status: str, *, final: bool) -> str:
    if status == GoalStatus.NO_LONGER_RELEVANT:
        return "cancelled"
    return "completed" if final else "active"


def achievement_status(status: str, *, sustained: str = "") -> dict[str, Any] | None:
    """The CodeableConcept for `Goal.achievementStatus`, or None when it has none.

    An achieved goal the client still keeps up at follow-up is `sustaining`."""
    code = _ACHIEVEMENT[GoalStatus(status)]
    if status == GoalStatus.NOT_REVIEWED:
        return {"coding": [_local(GoalStatus.NOT_REVIEWED)], "text": "Not reviewed"}
    if code is None:
        return None
    if status == GoalStatus.ACHIEVED and sustained == Maintained.YES:
        code = SUSTAINING
    codings = [{"system": ACHIEVEMENT_SYSTEM, "code": code[0], "display": code[1]}]
    if status == GoalStatus.PARTLY_ACHIEVED:
        codings.append(_local(GoalStatus.PARTLY_ACHIEVED))
    return {"coding": codings, "text": str(GoalStatus(status).label)}


def _local(status: GoalStatus) -> dict[str, str]:
    return {"system": LOCAL_GOAL_STATUS_SYSTEM, "code": str(status), "display": str(status.label)}
