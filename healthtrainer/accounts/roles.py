"""Roles and what they may do: the one place where roles map to permissions.

Views and API endpoints name a `Permission`; only this module knows which roles
hold it. `rules` registers each permission as an object permission checked
against a programme, so `user.has_perm(Permission.X, programme)` is the test.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    HEALTH_TRAINER = "health_trainer", "Health trainer"
    SUPERVISOR = "supervisor", "Supervisor (chronic pain team)"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    REFERRER = "referrer", "Referrer (GP practice)"
    EVALUATOR = "evaluator", "Evaluator"


# Administrators are not members of a programme: they administer the whole site.
ADMINISTRATOR = "administrator"
ADMINISTRATOR_LABEL = "Administrator"


class Permission(StrEnum):
    VIEW_PROGRAMME = "programmes.view_programme"
    MANAGE_PROGRAMME = "programmes.manage_programme"
    MANAGE_PEOPLE = "accounts.manage_people"
    REVIEW_ACCESS = "accounts.review_access"
    VIEW_AUDIT = "core.view_audit"
    REFER = "referrals.refer"
    RECORD_REFERRAL = "referrals.record_referral"
    TRIAGE_REFERRALS = "referrals.triage"
    IMPORT_REFERRALS = "referrals.import_workbook"
    VIEW_CLIENT_RECORD = "clients.view_client_record"
    VIEW_REFERRAL_DASHBOARD = "evaluation.view_referral_dashboard"
    VIEW_EVALUATION = "evaluation.view_evaluation"
    VIEW_EXACT_FIGURES = "evaluation.view_exact_figures"
    EXPORT_RESEARCH_DATA = "evaluation.export_research_data"
    VIEW_QUALITATIVE = "qualitative.view_qualitative"
    ANALYSE_QUALITATIVE = "qualitative.analyse_qualitative"
    VIEW_ORIGINAL_TRANSCRIPTS = "qualitative.view_original_transcripts"
    MANAGE_API_CLIENTS = "interop.manage_api_clients"
    VIEW_CASELOAD = "clients.view_caseload"
    RECORD_CASEWORK = "casework.record_casework"
    HANDLE_ESCALATIONS = "casework.handle_escalations"
    MANAGE_DIRECTORY = "casework.manage_directory"
    VIEW_OUTCOMES = "measures.view_outcomes"
    VIEW_WORKFORCE = "workforce.view_workforce"
    COMPLETE_TRAINING_SURVEYS = "workforce.complete_training_surveys"
    MANAGE_TRAINING = "workforce.manage_training"
    RECORD_SUPERVISION = "workforce.record_supervision"
    RECORD_INDIRECT_TIME = "workforce.record_indirect_time"
    MANAGE_RESOURCES = "workforce.manage_resources"


# Site-wide permissions, not tied to a programme.
class SitePermission(StrEnum):
    CREATE_PROGRAMME = "programmes.create_programme"
    VIEW_SITE_AUDIT = "core.view_site_audit"
    LOAD_INSTRUMENT_TEXT = "measures.load_instrument_text"
    DEACTIVATE_ACCOUNTS = "accounts.deactivate_accounts"
    VIEW_BACKGROUND_WORK = "background.view_background_work"
    IMPORT_DEPRIVATION_DATA = "deprivation.import_deprivation_data"


# Administrators run the service but see no patient data: no referral or client permission.
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.HEALTH_TRAINER: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.VIEW_CLIENT_RECORD,
            Permission.VIEW_CASELOAD,
            Permission.RECORD_CASEWORK,
            Permission.MANAGE_DIRECTORY,
            Permission.VIEW_WORKFORCE,
            Permission.COMPLETE_TRAINING_SURVEYS,
            Permission.VIEW_QUALITATIVE,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.VIEW_CLIENT_RECORD,
            Permission.VIEW_CASELOAD,
            Permission.RECORD_CASEWORK,
            Permission.HANDLE_ESCALATIONS,
            Permission.MANAGE_DIRECTORY,
            Permission.VIEW_WORKFORCE,
            Permission.MANAGE_TRAINING,
            Permission.RECORD_SUPERVISION,
            Permission.RECORD_INDIRECT_TIME,
            Permission.VIEW_QUALITATIVE,
        }
    ),
    Role.REFERRER: frozenset({Permission.VIEW_PROGRAMME, Permission.REFER}),
    # Evaluators see the evaluation with disclosure control, and pseudonymised data only.
    Role.EVALUATOR: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.VIEW_EVALUATION,
            Permission.EXPORT_RESEARCH_DATA,
            Permission.VIEW_QUALITATIVE,
            Permission.ANALYSE_QUALITATIVE,
        }
    ),
    Role.PROGRAMME_MANAGER: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.MANAGE_PROGRAMME,
            Permission.MANAGE_PEOPLE,
            Permission.REVIEW_ACCESS,
            Permission.VIEW_AUDIT,
            Permission.RECORD_REFERRAL,
            Permission.TRIAGE_REFERRALS,
            Permission.IMPORT_REFERRALS,
            Permission.VIEW_CLIENT_RECORD,
            Permission.VIEW_REFERRAL_DASHBOARD,
            Permission.VIEW_CASELOAD,
            Permission.HANDLE_ESCALATIONS,
            Permission.MANAGE_DIRECTORY,
            Permission.VIEW_OUTCOMES,
            Permission.VIEW_WORKFORCE,
            Permission.MANAGE_TRAINING,
            Permission.RECORD_SUPERVISION,
            Permission.RECORD_INDIRECT_TIME,
            Permission.MANAGE_RESOURCES,
            Permission.VIEW_EVALUATION,
            Permission.VIEW_EXACT_FIGURES,
            Permission.EXPORT_RESEARCH_DATA,
            Permission.VIEW_QUALITATIVE,
            Permission.ANALYSE_QUALITATIVE,
            Permission.VIEW_ORIGINAL_TRANSCRIPTS,
        }
    ),
    ADMINISTRATOR: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.MANAGE_PROGRAMME,
            Permission.MANAGE_PEOPLE,
            Permission.REVIEW_ACCESS,
            Permission.VIEW_AUDIT,
            Permission.VIEW_EVALUATION,
            Permission.VIEW_EXACT_FIGURES,
            Permission.MANAGE_API_CLIENTS,
        }
    ),
}

ADMINISTRATOR_SITE_PERMISSIONS = frozenset(SitePermission)

ROLE_SUMMARIES: dict[str, str] = {
    Role.HEALTH_TRAINER: (
        "You meet clients one to one, use cognitive behavioural approaches to help them "
        "set and review their own goals, and record each session."
    ),
    Role.SUPERVISOR: (
        "You supervise the health trainers for the chronic pain team, review their use "
        "of cognitive behavioural approaches and take escalations."
    ),
    Role.PROGRAMME_MANAGER: (
        "You run the programme: its settings, its people and their access, and its evaluation."
    ),
    Role.REFERRER: (
        "You refer adults living with long-term pain from your GP practice, and follow "
        "what happens to your referrals."
    ),
    Role.EVALUATOR: (
        "You evaluate the programme from pseudonymised data only: no names, NHS numbers "
        "or dates of birth are shown to you."
    ),
    ADMINISTRATOR: (
        "You administer the service: programmes, people in every programme, and the audit trail."
    ),
}


def role_label(role: str) -> str:
    if role == ADMINISTRATOR:
        return ADMINISTRATOR_LABEL
    return str(Role(role).label)


def role_has_permission(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
