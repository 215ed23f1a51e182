"""The fixed code lists of casework, and the defaults a new programme's own lists start from."""

from __future__ import annotations

from django.db import models


class Mode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face at a community venue"
    TELEPHONE = "telephone", "Telephone"
    VIDEO = "video", "Video"
    HOME_VISIT = "home_visit", "Home visit"
    GROUP = "group", "Group"


class Attendance(models.TextChoices):
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED_BY_CLIENT = "cancelled_by_client", "Cancelled by client"
    CANCELLED_BY_TRAINER = "cancelled_by_trainer", "Cancelled by trainer"
    # Imported history often says only that an appointment was cancelled, not by whom.
    CANCELLED = "cancelled", "Cancelled"


# The cancellations a trainer records: they always know which side cancelled.
CANCELLED_BY_EITHER_SIDE = (Attendance.CANCELLED_BY_CLIENT, Attendance.CANCELLED_BY_TRAINER)


class Topic(models.TextChoices):
    """What the client brought to a session, including the "upstream" issues behind pain."""

    PAIN = "pain", "Pain"
    MOOD = "mood", "Mood"
    ACTIVITY = "activity", "Activity"
    SLEEP = "sleep", "Sleep"
    WORK = "work", "Work"
    MONEY = "money", "Money"
    HOUSING = "housing", "Housing"
    SOCIAL_ISOLATION = "social_isolation", "Social isolation"
    MEDICATION = "medication", "Medication"
    OTHER = "other", "Other"


class GoalDomain(models.TextChoices):
    """The area of life a goal is about; the codes are the workbook's `domain` values."""

    ACTIVITY = "activity", "Physical activity"
    PACING = "pacing", "Pacing and managing pain"
    SLEEP = "sleep", "Sleep"
    MOOD = "mood", "Mood and well-being"
    SOCIAL = "social", "Social life and relationships"
    WORK = "work", "Work, study or volunteering"
    DAILY_LIVING = "daily_living", "Daily living"
    OTHER = "other", "Other"


class GoalStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    PARTLY_ACHIEVED = "partly_achieved", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    NO_LONGER_RELEVANT = "no_longer_relevant", "No longer relevant"
    # Only as a final status: the client left before the goal was ever reviewed.
    NOT_REVIEWED = "not_reviewed", "Not reviewed"


REVIEW_STATUSES = (
    GoalStatus.ACHIEVED,
    GoalStatus.PARTLY_ACHIEVED,
    GoalStatus.NOT_ACHIEVED,
    GoalStatus.NO_LONGER_RELEVANT,
)
FINAL_STATUSES = (*REVIEW_STATUSES, GoalStatus.NOT_REVIEWED)


class DischargeReason(models.TextChoices):
    COMPLETED = "completed", "Completed the programme"
    DISENGAGED = "disengaged", "Disengaged"
    MOVED_AWAY = "moved_away", "Moved away"
    REFERRED_ON = "referred_on", "Referred on to another service"
    DECLINED_FURTHER = "declined_further", "Declined further sessions"


class Maintained(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class EscalationCategory(models.TextChoices):
    SELF_HARM = "self_harm", "Risk of self-harm"
    RED_FLAG = "red_flag", "Red-flag symptoms"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    OTHER = "other", "Other"


class SignpostKind(models.TextChoices):
    SIGNPOSTED = "signposted", "Signposted"
    REFERRED_ON = "referred_on", "Referred on"


class ResourceCategory(models.TextChoices):
    PHYSICAL_ACTIVITY = "physical_activity", "Physical activity"
    MENTAL_WELLBEING = "mental_wellbeing", "Mental well-being"
    SOCIAL = "social", "Social groups"
    MONEY = "money", "Money and debt advice"
    HOUSING = "housing", "Housing"
    EMPLOYMENT = "employment", "Employment and volunteering"
    CARERS = "carers", "Carers"
    HEALTH_SERVICE = "health_service", "Health service"
    OTHER = "other", "Other"


# (code, name). The codes are what a programme workbook's `cb_techniques` column lists.
DEFAULT_CB_TECHNIQUES = (
    ("goal_setting", "Goal setting"),
    ("action_planning", "Action planning"),
    ("activity_pacing", "Activity pacing"),
    ("graded_activity", "Graded activity"),
    ("problem_solving", "Problem solving"),
    ("unhelpful_thoughts", "Identifying and challenging unhelpful thoughts"),
    ("relaxation", "Relaxation and breathing"),
    ("sleep_routine", "Sleep routine"),
    ("assertiveness", "Communication and assertiveness"),
    ("setback_planning", "Setback planning"),
    ("mindfulness", "Mindfulness"),
)

DEFAULT_STRATEGIES = (
    ("pacing", "Pacing"),
    ("regular_exercise", "Regular exercise"),
    ("relaxation", "Relaxation"),
    ("sleep_routine", "Sleep routine"),
    ("thought_challenging", "Thought challenging"),
    ("social_activity", "Social activity"),
    ("setback_plan", "Setback plan"),
    ("mindfulness", "Mindfulness practice"),
    ("stretching", "Stretching"),
)


class CheckInView(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    PARTLY = "partly", "Partly"
    NOT_YET = "not_yet", "Not yet"


class CheckInVia(models.TextChoices):
    COMPANION = "companion", "In their companion"
    SMS = "sms", "By text message"


class AnswerSource(models.TextChoices):
    """Where a follow-up answer came from: asked by the trainer at the follow-up contact, or
    the client's own answer in a check-in, which the trainer confirmed there."""

    TRAINER = "trainer", "Asked by the trainer"
    CLIENT = "client", "The client's own check-in, confirmed by the trainer"
