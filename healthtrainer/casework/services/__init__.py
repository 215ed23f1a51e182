"""Writes to a client's episode: appointments, sessions, goals, strategies, discharge,
follow-up, escalations and signposting, one module per area. Each write is atomic and
writes its audit event.

The rules a trainer can break by mistake (attendance for an appointment still to come,
a session after discharge, a review of another client's goal, a follow-up before
discharge) raise ValidationError with a message the form shows as it is.
"""

from healthtrainer.casework.services.appointments import (
    GoalReviewEntry,
    SessionDetails,
    appointment_book,
    appointment_rebook,
    appointment_record_attendance,
    is_beyond_offer,
    is_first_session,
    session_record_save,
    sessions_counted,
)
from healthtrainer.casework.services.check_ins import (
    goal_check_in,
    latest_strategy_answers,
    strategy_check_in,
    strategy_check_ins_open,
)
from healthtrainer.casework.services.closing import (
    FollowUpAnswers,
    episode_discharge,
    escalations_awaiting_acknowledgement,
    follow_up_record,
    overall_maintained,
)
from healthtrainer.casework.services.common import (
    is_discharged,
)
from healthtrainer.casework.services.directory import (
    client_contact_preferences_update,
    community_resource_save,
    signposting_record,
)
from healthtrainer.casework.services.escalations import (
    escalation_acknowledge,
    escalation_raise,
    escalation_resolve,
)
from healthtrainer.casework.services.lists import (
    programme_list_item_add,
    programme_list_item_set_active,
    programme_lists_seed,
)
from healthtrainer.casework.services.plan import (
    GoalDetails,
    client_strategy_adopt,
    goal_review,
    goal_set,
    goal_update,
)

__all__ = [
    "FollowUpAnswers",
    "GoalDetails",
    "GoalReviewEntry",
    "SessionDetails",
    "appointment_book",
    "appointment_rebook",
    "appointment_record_attendance",
    "client_contact_preferences_update",
    "client_strategy_adopt",
    "community_resource_save",
    "episode_discharge",
    "escalation_acknowledge",
    "escalation_raise",
    "escalation_resolve",
    "escalations_awaiting_acknowledgement",
    "follow_up_record",
    "goal_check_in",
    "goal_review",
    "goal_set",
    "goal_update",
    "is_beyond_offer",
    "is_discharged",
    "is_first_session",
    "latest_strategy_answers",
    "overall_maintained",
    "programme_list_item_add",
    "programme_list_item_set_active",
    "programme_lists_seed",
    "session_record_save",
    "sessions_counted",
    "signposting_record",
    "strategy_check_in",
    "strategy_check_ins_open",
]
