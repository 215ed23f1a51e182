"""Fixed code lists of the workforce app, and the defaults a programme's own lists start from."""

from __future__ import annotations

from django.db import models


class SupervisionFormat(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One to one, in person"
    GROUP = "group", "Group, in person"
    TELEPHONE = "telephone", "Telephone"
    VIDEO = "video", "Video"


class SurveyStage(models.TextChoices):
    BEFORE_TRAINING = "before_training", "Before training"
    AFTER_TRAINING = "after_training", "After training"
    LATER = "later", "Later in the programme"


class ContributorRole(models.TextChoices):
    GP_CHAMPION = "gp_champion", "GP champion"
    PAIN_TEAM = "pain_team", "Chronic pain team clinician"
    OTHER = "other", "Other"


class Activity(models.TextChoices):
    CASE_CONSULTATION = "case_consultation", "Case consultation"
    SUPERVISION = "supervision", "Supervision"
    TRAINING_DELIVERY = "training_delivery", "Training delivery"
    GP_EDUCATION = "gp_education", "GP education"


class CostCategory(models.TextChoices):
    VENUES = "venues", "Venues"
    MATERIALS = "materials", "Materials"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


LIKERT = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)

# (code, wording) of the items a new programme's lists start from.
DEFAULT_SATISFACTION_ITEMS = (
    ("relevant", "The course was relevant to my work with clients"),
    ("clear", "The course was clearly presented"),
    ("practical", "I can put what I learned into practice"),
    ("materials", "The materials will be useful to me"),
    ("recommend", "I would recommend the course to another health trainer"),
)

DEFAULT_FIDELITY_ITEMS = (
    ("agenda_setting", "Agenda setting"),
    ("collaborative_goal_setting", "Collaborative goal setting"),
    ("pacing", "Activity pacing"),
    ("unhelpful_thoughts", "Working with unhelpful thoughts"),
    ("summarising", "Summarising and feedback"),
)
