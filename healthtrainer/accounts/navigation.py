"""What each person can do in the current programme: the home page and the header menu.

A task is shown when the user holds its permission, so a role's home page follows
from roles.py and never drifts from what the views allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from healthtrainer.accounts.roles import Permission


@dataclass(frozen=True)
class Task:
    permission: Permission
    title: str
    description: str
    url_name: str
    group: str
    in_menu: bool = True


TASKS: tuple[Task, ...] = (
    Task(
        Permission.VIEW_CASELOAD,
        "Caseload",
        "The clients you work with, or every trainer's clients if you supervise.",
        "casework:caseload",
        group="Clients",
    ),
    Task(
        Permission.VIEW_CASELOAD,
        "Questionnaires missing",
        "Outcome questionnaires due at baseline, exit or follow-up and not yet recorded.",
        "measures:due",
        group="Clients",
        in_menu=False,
    ),
    Task(
        Permission.HANDLE_ESCALATIONS,
        "Escalations",
        "Concerns raised by health trainers: acknowledge each, then resolve it.",
        "casework:escalations",
        group="Clients",
    ),
    Task(
        Permission.VIEW_CASELOAD,
        "Community directory",
        "Local organisations and activities to signpost clients to.",
        "casework:directory",
        group="Clients",
        in_menu=False,
    ),
    Task(
        Permission.VIEW_WORKFORCE,
        "Supervision",
        "Supervision sessions with their CB-fidelity ratings, concerns and actions, and "
        "fidelity over time.",
        "workforce:supervision_list",
        group="Workforce",
        in_menu=False,
    ),
    Task(
        Permission.VIEW_WORKFORCE,
        "Training",
        "Courses, their sessions and who attended; rate a course you attended.",
        "workforce:training_courses",
        group="Workforce",
        in_menu=False,
    ),
    Task(
        Permission.VIEW_WORKFORCE,
        "Confidence in CB techniques",
        "Confidence to use each CB technique before and after training: your own answers, "
        "or every trainer's if you manage training.",
        "workforce:training_confidence",
        group="Workforce",
        in_menu=False,
    ),
    Task(
        Permission.COMPLETE_TRAINING_SURVEYS,
        "Rate your confidence",
        "Say how confident you are to use each CB technique, before and after training.",
        "workforce:training_confidence_new",
        group="Workforce",
        in_menu=False,
    ),
    Task(
        Permission.VIEW_WORKFORCE,
        "Health trainers",
        "Who the trainers are: employer, start date, working hours, cost and qualifications.",
        "workforce:trainers",
        group="Workforce",
        in_menu=False,
    ),
    Task(
        Permission.RECORD_INDIRECT_TIME,
        "Time given",
        "Record time GP champions and the pain team give the programme; totals by role and "
        "activity, valued at role rates.",
        "evaluation:time_given",
        group="Resources and costs",
        in_menu=False,
    ),
    Task(
        Permission.MANAGE_RESOURCES,
        "Costs",
        "Direct costs by category against the budget, time given at role rates, and the cost "
        "per referral, client seen, client completing and goal achieved.",
        "evaluation:costs",
        group="Resources and costs",
        in_menu=False,
    ),
    Task(
        Permission.MANAGE_RESOURCES,
        "Budget",
        "The programme's budget lines: funding source, amount and the period each covers.",
        "workforce:budget_lines",
        group="Resources and costs",
        in_menu=False,
    ),
    Task(
        Permission.MANAGE_RESOURCES,
        "Cost items",
        "Venues, materials, bought-in training and other direct costs.",
        "workforce:cost_items",
        group="Resources and costs",
        in_menu=False,
    ),
    Task(
        Permission.MANAGE_RESOURCES,
        "Role rates",
        "What an hour of a GP champion's or the pain team's time is valued at.",
        "workforce:role_rates",
        group="Resources and costs",
        in_menu=False,
    ),
    Task(
        Permission.REFER,
        "Refer a patient",
        "Refer an adult who has lived with pain for a long time.",
        "referrals:practice_home",
        group="Referrals",
    ),
    Task(
        Permission.REFER,
        "Your practice's referrals",
        "Follow the referrals your practice has made: received, contacted, accepted or closed.",
        "referrals:own_practice_referrals",
        group="Referrals",
    ),
    Task(
        Permission.TRIAGE_REFERRALS,
        "Triage queue",
        "New referrals, oldest first: contact the patient, accept and assign a trainer, "
        "or close with a reason.",
        "referrals:triage",
        group="Referrals",
    ),
    Task(
        Permission.VIEW_REFERRAL_DASHBOARD,
        "Referral dashboard",
        "Referrals against the projection, by month, practice and source; eligibility; "
        "days to first contact.",
        "evaluation:referral_dashboard",
        group="Referrals",
        in_menu=False,
    ),
    Task(
        Permission.VIEW_EVALUATION,
        "Evaluation",
        "The evaluation report: GP referral, trainers' use of CB, client outcomes with "
        "equity breakdowns, and resources; as a page, PDF, spreadsheet or data.",
        "evaluation:report",
        group="Evaluation",
    ),
    Task(
        Permission.MANAGE_API_CLIENTS,
        "Systems connected",
        "Register the systems that send referrals or read records through FHIR, and revoke "
        "their tokens.",
        "interop:api_clients",
        group="People, systems and audit",
        in_menu=False,
    ),
    Task(
        Permission.VIEW_QUALITATIVE,
        "Interviews and case studies",
        "Transcripts, supervision notes and client case studies: code them against the "
        "codebook, compare coders, and quote them in the evaluation.",
        "qualitative:documents",
        group="Evaluation",
        in_menu=False,
    ),
    Task(
        Permission.RECORD_REFERRAL,
        "Record a referral",
        "Enter a referral that came by letter, phone or another route.",
        "referrals:record",
        group="Referrals",
        in_menu=False,
    ),
    Task(
        Permission.IMPORT_REFERRALS,
        "Import a workbook",
        "Bring in referral history from a programme workbook (.xlsx, or CSV files in a "
        ".zip). Every row is checked before anything is imported.",
        "imports:upload",
        group="Referrals",
        in_menu=False,
    ),
    Task(
        Permission.MANAGE_PEOPLE,
        "People",
        "Invite people, change their role, and remove access when they leave.",
        "accounts:people",
        group="People, systems and audit",
    ),
    Task(
        Permission.REVIEW_ACCESS,
        "Access review",
        "See who holds which role, when they last signed in, and accounts unused for 90 days.",
        "accounts:access_review",
        group="People, systems and audit",
        in_menu=False,
    ),
    Task(
        Permission.VIEW_AUDIT,
        "Audit trail",
        "Search the record of who did what, and when.",
        "accounts:audit",
        group="People, systems and audit",
    ),
    Task(
        Permission.MANAGE_PROGRAMME,
        "Programme settings",
        "Referral criteria, sessions offered, follow-up interval and the referral target.",
        "programmes:settings",
        group="Programme set-up",
    ),
    Task(
        Permission.MANAGE_PROGRAMME,
        "Organisations",
        "GP practices with list sizes and GP champions, community organisations and the pain team.",
        "programmes:organisations",
        group="Programme set-up",
        in_menu=False,
    ),
    Task(
        Permission.VIEW_OUTCOMES,
        "Outcomes",
        "Clients' scores before and after: paired change with its statistics, overall and "
        "by deprivation, employment, sex and age.",
        "measures:outcomes",
        group="Evaluation",
    ),
    Task(
        Permission.MANAGE_PROGRAMME,
        "Outcome measures",
        "The questionnaires the programme collects, and at which timepoints.",
        "measures:programme_instruments",
        group="Programme set-up",
        in_menu=False,
    ),
    Task(
        Permission.MANAGE_PROGRAMME,
        "Workforce settings",
        "The fidelity rating scale and threshold, and the allowance for administration and "
        "travel in trainer costs.",
        "workforce:settings",
        group="Programme set-up",
        in_menu=False,
    ),
    Task(
        Permission.MANAGE_PROGRAMME,
        "Casework lists",
        "The CB approaches and self-management strategies trainers record.",
        "casework:lists",
        group="Programme set-up",
        in_menu=False,
    ),
    Task(
        Permission.MANAGE_PROGRAMME,
        "Workforce lists",
        "The CB fidelity items supervisors rate and the statements a course is rated against.",
        "workforce:lists",
        group="Programme set-up",
        in_menu=False,
    ),
)


# The order groups appear in on a home page, below what needs doing now.
GROUPS = (
    "Clients",
    "Referrals",
    "Workforce",
    "Resources and costs",
    "Evaluation",
    "Programme set-up",
    "People, systems and audit",
)


@dataclass(frozen=True)
class TaskLink:
    title: str
    description: str
    href: str
    in_menu: bool
    group: str = ""


def tasks_for(user: Any, programme: Any) -> list[TaskLink]:
    return [
        TaskLink(
            task.title,
            task.description,
            reverse(task.url_name, args=[programme.slug]),
            task.in_menu,
            task.group,
        )
        for task in TASKS
        if user.has_perm(task.permission, programme)
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav": {"programmes": [], "current_programme": None, "menu_items": []}}
    programme = getattr(request, "programme", None)
    items = []
    if programme is not None:
        items = [
            {"href": link.href, "text": link.title, "current": request.path == link.href}
            for link in tasks_for(user, programme)
            if link.in_menu
        ]
    return {
        "nav": {
            "programmes": user.programme_ids_with(Permission.VIEW_PROGRAMME),
            "current_programme": programme,
            "menu_items": items,
        }
    }


def tasks_by_group(tasks: list[TaskLink]) -> list[tuple[str, list[TaskLink]]]:
    return [
        (group, [task for task in tasks if task.group == group])
        for group in GROUPS
        if any(task.group == group for task in tasks)
    ]
