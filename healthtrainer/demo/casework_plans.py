"""What the demo casework holds: the community directory, how each episode goes, the
goals clients set and how the sessions run. Data only; `casework.py` loads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from healthtrainer.casework.vocabulary import (
    DischargeReason,
    EscalationCategory,
    GoalDomain,
    GoalStatus,
    Maintained,
    Mode,
    ResourceCategory,
    SignpostKind,
    Topic,
)
from healthtrainer.clients.models import ReminderPreference

# A fixed seed: the same demo every time it is loaded.
SEED = 20110401


# (name, category, area, contact, opening times, what it offers). Fictional services;
# 0114 496 0xxx numbers are reserved for drama and reach nobody.
DIRECTORY = [
    (
        "Gentle Strollers walking group",
        ResourceCategory.PHYSICAL_ACTIVITY,
        "Upperthorpe and Walkley",
        "0114 496 0101",
        "Tuesdays and Fridays, 10:30, from the park café",
        "Free led walks of 20 to 40 minutes on the flat. Walkers can stop at any point, "
        "and a volunteer walks at the back.",
    ),
    (
        "Sheaf Valley Money Advice",
        ResourceCategory.MONEY,
        "City centre, and by phone across the city",
        "0114 496 0220",
        "Monday to Friday, 9:30 to 4",
        "Free, confidential advice on benefits, debt and disability benefit claims, with "
        "help filling in forms and preparing for assessments and appeals.",
    ),
    (
        "Steel City Pain Support Group",
        ResourceCategory.SOCIAL,
        "Darnall",
        "0114 496 0345",
        "First and third Wednesday of the month, 1 to 3",
        "A peer group run by people living with long-term pain: tea, the odd speaker and "
        "time to share what helps.",
    ),
    (
        "Northend Housing Advice Line",
        ResourceCategory.HOUSING,
        "By phone, across the city",
        "0114 496 0460",
        "Monday to Friday, 9 to 5",
        "Advice on repairs, damp, rent arrears and moving to a ground-floor or adapted home.",
    ),
    (
        "Growing Together community allotment",
        ResourceCategory.SOCIAL,
        "Meersbrook",
        "0114 496 0512",
        "Thursdays and Saturdays, 10 to 1",
        "Raised beds at sitting height and tools provided. Come for an hour and go at your "
        "own pace.",
    ),
    (
        "Attercliffe Men's Shed",
        ResourceCategory.SOCIAL,
        "Attercliffe",
        "0114 496 0587",
        "Mondays and Thursdays, 10 to 3",
        "Woodwork, repairs and a brew, for men who want company and something to do with "
        "their hands.",
    ),
    (
        "Valley Talking Therapies",
        ResourceCategory.MENTAL_WELLBEING,
        "Across the city; clients can refer themselves by phone",
        "0114 496 0633",
        "Monday to Friday, 8 to 8",
        "Free NHS psychological therapy for anxiety and low mood, including a course for "
        "people living with a long-term condition.",
    ),
    (
        "Steel Valley Volunteer Centre",
        ResourceCategory.EMPLOYMENT,
        "City centre",
        "0114 496 0718",
        "Tuesday to Thursday, 10 to 4",
        "Helps people find volunteering that fits their health, from an hour a week upwards.",
    ),
]


@dataclass(frozen=True)
class EscalationPlan:
    """A concern raised after one of the client's sessions (counted from 0). The services
    stamp escalations with the real time, so the demo raises them only for clients still
    in care, whose last session was recent."""

    category: str
    details: str
    # "open", "acknowledged" or "resolved"
    state: str
    resolution: str = ""
    at_session: int = 1


@dataclass(frozen=True)
class EpisodePlan:
    """How one episode goes. `visits` has a letter per appointment, in order:
    A attended, D did not attend, C cancelled by the client, T cancelled by the trainer,
    B booked and still to come."""

    visits: str
    themes: tuple[str, ...]
    discharge: str = ""
    follow_up_reached: bool = True
    reminders_by: str = ReminderPreference.SMS
    signposts: tuple[tuple[str, str], ...] = ()
    escalation: EscalationPlan | None = None


COMPLETED = DischargeReason.COMPLETED
SIGNPOSTED = SignpostKind.SIGNPOSTED

# One plan per accepted referral, oldest first.
PLANS = [
    EpisodePlan(
        "AAAAA",
        (Topic.PAIN, Topic.ACTIVITY, Topic.SOCIAL_ISOLATION, Topic.MOOD),
        discharge=COMPLETED,
        signposts=((SIGNPOSTED, "Gentle Strollers walking group"),),
    ),
    EpisodePlan(
        "AACAAA",
        (Topic.PAIN, Topic.MONEY, Topic.WORK, Topic.SLEEP),
        discharge=COMPLETED,
        signposts=((SIGNPOSTED, "Sheaf Valley Money Advice"),),
    ),
    EpisodePlan(
        "AADA",
        (Topic.PAIN, Topic.SLEEP, Topic.MEDICATION),
        discharge=COMPLETED,
        follow_up_reached=False,
        reminders_by=ReminderPreference.NONE,
    ),
    EpisodePlan(
        "AAATA",
        (Topic.PAIN, Topic.SOCIAL_ISOLATION, Topic.MOOD, Topic.ACTIVITY),
        discharge=COMPLETED,
        signposts=((SIGNPOSTED, "Attercliffe Men's Shed"),),
    ),
    EpisodePlan(
        "AAAA",
        (Topic.PAIN, Topic.HOUSING, Topic.WORK, Topic.SLEEP),
        discharge=COMPLETED,
        reminders_by=ReminderPreference.EMAIL,
        signposts=((SIGNPOSTED, "Northend Housing Advice Line"),),
    ),
    EpisodePlan(
        "AADD",
        (Topic.PAIN, Topic.MONEY, Topic.MOOD),
        discharge=DischargeReason.DISENGAGED,
    ),
    EpisodePlan(
        "AAAAAA",
        (Topic.PAIN, Topic.ACTIVITY, Topic.MOOD, Topic.SLEEP),
        discharge=COMPLETED,
        signposts=((SIGNPOSTED, "Steel City Pain Support Group"),),
    ),
    EpisodePlan(
        "AADAC",
        (Topic.PAIN, Topic.MOOD, Topic.SOCIAL_ISOLATION, Topic.WORK),
        signposts=((SignpostKind.REFERRED_ON, "Valley Talking Therapies"),),
        escalation=EscalationPlan(
            EscalationCategory.SELF_HARM,
            "Said that at times there seems no point carrying on with the pain. No plan or "
            "intent. Gave the Samaritans number; agreed to see the GP this week.",
            state="acknowledged",
            at_session=2,
        ),
    ),
    EpisodePlan(
        "AAAB",
        (Topic.PAIN, Topic.SOCIAL_ISOLATION, Topic.ACTIVITY),
        reminders_by=ReminderPreference.EMAIL,
        escalation=EscalationPlan(
            EscalationCategory.RED_FLAG,
            "New numbness around the saddle area and trouble passing water since the "
            "weekend. Advised to go to A&E today and passed to the pain team.",
            state="resolved",
            resolution="The pain team phoned the client the same afternoon. Seen in A&E and "
            "scanned: nothing urgent found. Back to the usual plan.",
            at_session=2,
        ),
    ),
    EpisodePlan("AB", (Topic.PAIN, Topic.SLEEP, Topic.MOOD)),
    EpisodePlan(
        "AB",
        (Topic.PAIN, Topic.MEDICATION, Topic.WORK),
        escalation=EscalationPlan(
            EscalationCategory.OTHER,
            "Taking more co-codamol than prescribed on bad days. Asks for a medication "
            "review with the pain team.",
            state="open",
            at_session=0,
        ),
    ),
]

GOALS = [
    (
        "Walk to the corner shop and back",
        GoalDomain.ACTIVITY,
        "Three times a week",
        "Mid-morning, after the painkillers have worked",
    ),
    (
        "Do the stretches from the physio sheet",
        GoalDomain.PACING,
        "Every day",
        "Before getting dressed",
    ),
    (
        "Go to bed and get up at the same time",
        GoalDomain.SLEEP,
        "Every night",
        "Lights out by 11",
    ),
    (
        "Break the housework into 15-minute spells with a sit-down in between",
        GoalDomain.DAILY_LIVING,
        "On housework days",
        "Mornings",
    ),
    (
        "Phone or meet a friend",
        GoalDomain.SOCIAL,
        "Once a week",
        "Sunday afternoons",
    ),
    (
        "Sit in the garden or the park for half an hour",
        GoalDomain.MOOD,
        "Twice a week",
        "When it is dry",
    ),
    (
        "Swim at the leisure centre's quiet session",
        GoalDomain.ACTIVITY,
        "Once a week",
        "Wednesday mornings",
    ),
    (
        "Ask about a few hours' volunteering",
        GoalDomain.WORK,
        "Once",
        "Before the next session",
    ),
]

NOTES: dict[str, tuple[str, ...]] = {
    Topic.PAIN: (
        "Pain worse in the mornings; talked about pacing rather than pushing through on good days.",
        "A flare-up after a busy weekend; went through what helped last time.",
        "Pain steady lately and feeling more in control of it.",
    ),
    Topic.ACTIVITY: (
        "Walked to the end of the road and back twice, more than planned.",
        "Stopped going out when it rained; planned an indoor alternative.",
    ),
    Topic.MOOD: (
        "Low since the pain stopped trips out; listed small things still enjoyed.",
        "Brighter today and pleased with the progress so far.",
    ),
    Topic.SLEEP: (
        "Waking at three most nights; agreed a wind-down routine and no phone in bed.",
        "Sleeping a little better since cutting out the afternoon nap.",
    ),
    Topic.WORK: (
        "Worried about a return-to-work meeting; practised what to say to the manager.",
        "Thinking about what kind of work would suit the pain.",
    ),
    Topic.MONEY: (
        "A benefit reassessment letter is causing a lot of worry.",
        "Behind on the gas bill since sick pay stopped.",
    ),
    Topic.HOUSING: (
        "Damp in the flat and the stairs are hard on bad days.",
        "Waiting to hear about a move to a ground-floor flat.",
    ),
    Topic.SOCIAL_ISOLATION: (
        "Hardly leaves the house apart from the GP; talked about groups nearby.",
        "Lonely since a friend moved away; would like to meet people again.",
    ),
    Topic.MEDICATION: (
        "Unsure whether to take the painkillers regularly or only when bad; will ask the "
        "practice pharmacist.",
    ),
}

NEXT_STEPS = (
    "Keep the activity diary and bring it next time.",
    "Try the breathing exercise each evening before bed.",
    "Add five minutes to the walk if the pain allows.",
    "Use the setback plan if the pain flares, and rest in short spells.",
    "Write down one unhelpful thought a day and an answer to it.",
    "Phone the service we talked about before the next session.",
)

REVIEW_NOTES: dict[str, str] = {
    GoalStatus.ACHIEVED: "Doing this most weeks now.",
    GoalStatus.PARTLY_ACHIEVED: "Managing it about half the time.",
    GoalStatus.NOT_ACHIEVED: "The pain got in the way; will try a smaller step.",
}

# Three goals in four end achieved or partly achieved, as in the pilot's evaluation.
FINAL_STATUSES = (
    GoalStatus.ACHIEVED,
    GoalStatus.PARTLY_ACHIEVED,
    GoalStatus.ACHIEVED,
    GoalStatus.NOT_ACHIEVED,
)
# Three strategies in seven still kept up at follow-up, as in the pilot's evaluation.
MAINTAINED = (
    Maintained.PARTLY,
    Maintained.YES,
    Maintained.NO,
    Maintained.YES,
    Maintained.PARTLY,
    Maintained.NO,
    Maintained.YES,
)
SUSTAINED: dict[str, str] = {
    GoalStatus.ACHIEVED: Maintained.YES,
    GoalStatus.PARTLY_ACHIEVED: Maintained.PARTLY,
    GoalStatus.NOT_ACHIEVED: Maintained.NO,
    GoalStatus.NO_LONGER_RELEVANT: Maintained.NO,
}

MODES = (
    Mode.FACE_TO_FACE,
    Mode.FACE_TO_FACE,
    Mode.FACE_TO_FACE,
    Mode.TELEPHONE,
    Mode.TELEPHONE,
    Mode.GROUP,
    Mode.HOME_VISIT,
    Mode.VIDEO,
)
VENUES = (
    "Zest Centre, Upperthorpe",
    "Eastside Community Health Forum",
    "Parkside Medical Centre, community room",
    "Northfield Health Centre, meeting room 2",
)
GROUP_VENUE = "Zest Centre, Upperthorpe"
TIMES = (time(9, 30), time(10, 0), time(11, 0), time(13, 30), time(14, 0), time(15, 0))
