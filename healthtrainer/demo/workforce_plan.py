"""What the demo workforce records hold: the trainer's profile, her courses and ratings,
a year of supervision, the time others gave, the rates, the budget and the venue. Fixed,
so the demo is the same every time it is loaded."""

from __future__ import annotations

from decimal import Decimal

from healthtrainer.workforce.services import training
from healthtrainer.workforce.vocabulary import (
    Activity,
    ContributorRole,
)

# A fixed seed: the same demo every time it is loaded.
SEED = 20110601

PROFILE = {
    "fte": Decimal("0.80"),
    # Agenda for Change band 3, with employer's national insurance and pension.
    "hourly_cost": Decimal("17.40"),
    "qualifications": "NVQ Level 3 Health Trainer; Mental Health First Aid",
}

CB_COURSE = training.CourseDetails(
    title="CB approaches for chronic pain",
    facilitator="Chronic Pain Team",
    modules="\n".join(
        (
            "Understanding persistent pain",
            "The cognitive behavioural model: thoughts, feelings and behaviour",
            "Activity pacing and setting goals together",
            "Working with unhelpful thoughts",
            "Agenda setting, summarising and feedback",
        )
    ),
    cost=Decimal("1200.00"),
)
MI_COURSE = training.CourseDetails(
    title="Motivational conversations",
    facilitator="Steel Valley Training Partnership",
    modules="\n".join(
        (
            "Open questions, affirmations, reflections and summaries",
            "Hearing and strengthening change talk",
        )
    ),
    cost=Decimal("350.00"),
)
# (days before today, hours) of each course's sessions.
CB_SESSIONS = ((275, Decimal("6")), (268, Decimal("3")), (261, Decimal("3")))
MI_SESSIONS = ((152, Decimal("3")),)
# Ratings of the satisfaction statements, in the list's order (repeated if it is longer).
CB_RATINGS = (5, 4, 5, 4, 5)
MI_RATINGS = (4, 4, 5, 3, 4)
CB_COMMENT = (
    "Really useful, especially the pacing module. More time to practise working with "
    "unhelpful thoughts in pairs would help."
)

TRAINER, SUPERVISOR = "trainer", "supervisor"
# (held how many days ago, concern raised or "", actions as (description, owner, outcome)).
# An action's outcome is "done", "open" (due after today) or "overdue" (due and not done).
SUPERVISION_PLAN: tuple[tuple[int, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        243,
        "",
        (
            ("Use the agenda-setting prompt card at the start of every session", TRAINER, "done"),
            ("Read the pacing chapter of the course handbook", TRAINER, "done"),
        ),
    ),
    (
        214,
        "A client spoke of feeling hopeless about the pain. Hana was unsure what to ask next; "
        "we went through the escalation procedure and the questions to ask about risk.",
        (
            (
                "Re-read the escalation procedure and keep the duty number to hand",
                TRAINER,
                "done",
            ),
        ),
    ),
    (
        183,
        "",
        (
            ("Bring a written summary of one session to the next supervision", TRAINER, "done"),
            ("Try a pacing diary with two clients", TRAINER, "done"),
        ),
    ),
    (
        152,
        "",
        (
            (
                "Practise thought records in role play before using them with clients",
                TRAINER,
                "done",
            ),
        ),
    ),
    (
        122,
        "Caseload is at its limit for 0.8 FTE; new first appointments are waiting over two "
        "weeks. Raised with the programme manager.",
        (
            (
                "Agree with the programme manager how to prioritise first appointments",
                SUPERVISOR,
                "done",
            ),
            ("Close two episodes that are ready for discharge", TRAINER, "done"),
        ),
    ),
    (91, "", (("Ask clients for feedback at the end of each session", TRAINER, "done"),)),
    (
        62,
        "",
        (
            (
                "Update the community directory entry for the pain support group",
                TRAINER,
                "done",
            ),
            (
                "Share a recording of a session, with the client's consent, for fidelity rating",
                TRAINER,
                "overdue",
            ),
        ),
    ),
    (
        30,
        "",
        (
            (
                "Co-facilitate the next health trainer peer session on pacing",
                TRAINER,
                "open",
            ),
            ("Find dates for the motivational conversations follow-up day", SUPERVISOR, "done"),
        ),
    ),
)
SUPERVISION_ACTION_DAYS = 28

GP_CHAMPIONS = ("Dr A. Patel", "Dr R. Okafor")
PAIN_TEAM = ("Dr L. Marsh", "K. Hughes")
# (days ago, person, role, activity, hours, notes)
INDIRECT_TIME: tuple[tuple[int, str, str, str, Decimal, str], ...] = (
    (
        280,
        PAIN_TEAM[1],
        ContributorRole.PAIN_TEAM,
        Activity.TRAINING_DELIVERY,
        Decimal("3"),
        "Preparing the pacing module of the CB course",
    ),
    (
        268,
        PAIN_TEAM[0],
        ContributorRole.PAIN_TEAM,
        Activity.TRAINING_DELIVERY,
        Decimal("2.5"),
        "Role plays for the unhelpful thoughts session",
    ),
    (
        255,
        GP_CHAMPIONS[0],
        ContributorRole.GP_CHAMPION,
        Activity.GP_EDUCATION,
        Decimal("1.5"),
        "Practice meeting at Parkside Medical Centre: who to refer and how",
    ),
    (
        236,
        GP_CHAMPIONS[1],
        ContributorRole.GP_CHAMPION,
        Activity.GP_EDUCATION,
        Decimal("1"),
        "Lunchtime talk to GPs at Northfield Health Centre",
    ),
    (
        212,
        PAIN_TEAM[0],
        ContributorRole.PAIN_TEAM,
        Activity.SUPERVISION,
        Decimal("1"),
        "Supervision of the supervisor: calibrating fidelity ratings",
    ),
    (
        198,
        GP_CHAMPIONS[0],
        ContributorRole.GP_CHAMPION,
        Activity.CASE_CONSULTATION,
        Decimal("0.5"),
        "Medication question from a client, discussed with the health trainer",
    ),
    (
        170,
        GP_CHAMPIONS[1],
        ContributorRole.GP_CHAMPION,
        Activity.GP_EDUCATION,
        Decimal("2"),
        "Protected learning time session for three practices",
    ),
    (
        151,
        PAIN_TEAM[1],
        ContributorRole.PAIN_TEAM,
        Activity.TRAINING_DELIVERY,
        Decimal("1.5"),
        "Pacing refresher for the health trainers",
    ),
    (
        121,
        PAIN_TEAM[0],
        ContributorRole.PAIN_TEAM,
        Activity.SUPERVISION,
        Decimal("1"),
        "Supervision of the supervisor",
    ),
    (
        96,
        GP_CHAMPIONS[0],
        ContributorRole.GP_CHAMPION,
        Activity.CASE_CONSULTATION,
        Decimal("0.75"),
        "Client whose pain had changed: advised a GP review",
    ),
    (
        58,
        GP_CHAMPIONS[1],
        ContributorRole.GP_CHAMPION,
        Activity.CASE_CONSULTATION,
        Decimal("0.5"),
        "Referral criteria for a client with fibromyalgia",
    ),
    (
        33,
        PAIN_TEAM[0],
        ContributorRole.PAIN_TEAM,
        Activity.SUPERVISION,
        Decimal("1.5"),
        "Group case review with the supervisor",
    ),
)
ROLE_RATES = {
    ContributorRole.GP_CHAMPION.value: Decimal("110.00"),
    ContributorRole.PAIN_TEAM.value: Decimal("65.00"),
}
BUDGET_SOURCE = "Public health grant"
BUDGET_AMOUNT = Decimal("48000.00")
VENUE = "Eastside Community Health Forum"
VENUE_MONTHS = 9
