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


CANCELLED = (Attendance.CANCELLED_BY_CLIENT, Attendance.CANCELLED_BY_TRAINER)
# What an appointment that has taken place (or should have) can be marked as.
OUTCOMES = (Attendance.ATTENDED, Attendance.DID_NOT_ATTEND, *CANCELLED)


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
    PHYSICAL_ACTIVITY = "physical_activity", "Physical activity"
    PAIN_MANAGEMENT = "pain_management", "Managing pain"
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


REVIEW_STATUSES = (
    GoalStatus.ACHIEVED,
    GoalStatus.PARTLY_ACHIEVED,
    GoalStatus.NOT_ACHIEVED,
    GoalStatus.NO_LONGER_RELEVANT,
)


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


DEFAULT_CB_TECHNIQUES = (
    "Goal setting",
    "Action planning",
    "Activity pacing",
    "Graded activity",
    "Problem solving",
    "Identifying and challenging unhelpful thoughts",
    "Relaxation and breathing",
    "Sleep routine",
    "Communication and assertiveness",
    "Setback planning",
    "Mindfulness",
)

DEFAULT_STRATEGIES = (
    "Pacing",
    "Regular exercise",
    "Relaxation",
    "Sleep routine",
    "Thought challenging",
    "Social activity",
    "Setback plan",
    "Mindfulness practice",
    "Stretching",
)
