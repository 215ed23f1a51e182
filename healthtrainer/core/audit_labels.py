"""Audit actions in words: "Workbook imported", not `referrals.workbook.imported`.

An action is `app.object.verb`; its label is the object's name and the verb's words. The
few that read badly that way have a label of their own. The codes stay in exports and on
the administrators' view of the trail; everyone else reads the words.
"""

from __future__ import annotations

from django.apps import apps

WHOLE_ACTIONS = {
    "accounts.user.signed_in": "Signed in",
    "accounts.user.signed_out": "Signed out",
    "accounts.user.sign_in_failed": "Sign-in refused",
    "accounts.user.locked_out": "Account locked after failed sign-ins",
    "accounts.user.two_factor_added": "Two-factor sign-in set up",
    "accounts.user.two_factor_reset": "Two-factor sign-in reset",
    "accounts.user.password_reset_requested": "Password reset requested",
    "accounts.user.password_reset": "Password reset by email link",
    "accounts.user.password_changed": "Password changed",
    "accounts.user.deactivated": "Account deactivated in every programme",
    "casework.discharge.escalation_overridden": (
        "Discharged before an escalation was acknowledged (supervisor's override)"
    ),
    "clients.client.viewed": "Client record viewed",
    "qualitative.document.original_viewed": "Document viewed as typed (not pseudonymised)",
    "interop.fhir.record_read": "Client record read through FHIR",
    "background.job.started": "Background work started",
    "network.membership.consented": "Programme joined a network",
    "network.membership.withdrawn": "Programme withdrew from a network",
    "network.analyst.added": "Network analyst named",
    "network.change.declared": "Change declared for a network's charts",
    "network.figures.viewed": "Network's figures viewed",
    "network.programme_report.viewed": "Published report read by a network's analyst",
    "network.figures.exported_json": "Network's figures downloaded as JSON",
    "network.figures.exported_csv": "Network's figure downloaded as CSV",
    "network.figures.exported_xlsx": "Network's figures downloaded as a spreadsheet",
    "network.figures.exported_pdf": "Network's figures downloaded as PDF",
    "api.network_figures.listed": "Network's figures listed (API)",
    "api.network_figure.read": "Network's figure read (API)",
    "companion.access.invited": "Client invited to their companion",
    "companion.access.closed": "Client's companion closed",
    "companion.access.check_ins_changed": "How the client checks in changed",
    "companion.summary.downloaded": "Companion summary downloaded",
    "companion.record.viewed": "Client viewed what the service holds about them",
    "companion.record.downloaded": "Client downloaded what the service holds about them",
    "companion.code.sent": "Companion sign-in code sent",
    "companion.code.refused": "Companion sign-in code refused",
    "companion.device.signed_in": "Client signed in to their companion",
    "companion.device.signed_out": "Companion device signed out",
    "companion.plan.viewed": "Client viewed their plan",
    "companion.setback_plan.viewed": "Client viewed their setback plan",
    "companion.setback_plan.saved": "Setback plan saved",
    "companion.diary_entry.added": "Client added a diary entry",
    "companion.diary_entry.corrected": "Client corrected a diary entry",
    "companion.diary_entry.deleted": "Client deleted a diary entry",
    "companion.diary.viewed": "Client viewed their diary",
    "companion.pacing_plan.started": "Client started pacing an activity",
    "companion.pacing.viewed": "Client viewed their pacing",
    "casework.goal_check_in.recorded": "Client checked in on a goal",
    "companion.text_reply.received": "Client replied to a check-in by text message",
    "casework.strategy_check_in.recorded": "Client said whether they still use a strategy",
    "companion.appointment.downloaded": "Client added an appointment to their calendar",
    "background.job.file_downloaded": "File from background work downloaded",
    "demo.synthetic_data.generated": "Synthetic data generated",
}

OBJECTS = {
    "api_client": "Connected system",
    "appointment": "Appointment",
    "budget_line": "Budget line",
    "caseload": "Caseload (API)",
    "cbtechnique": "CB approach",
    "client": "Client",
    "client_link": "Questionnaire link for a client",
    "client_strategy": "Self-management strategy",
    "code": "Code",
    "codebook": "Codebook",
    "coding": "Coding",
    "community_resource": "Community directory entry",
    "confidence_survey": "Confidence survey",
    "cost_item": "Cost item",
    "course": "Training course",
    "course_session": "Training session",
    "coursestatement": "Course statement",
    "dataset": "Deprivation data",
    "discharge": "Discharge",
    "discharges": "Discharges",
    "document": "Document",
    "episode": "Client",
    "escalation": "Escalation",
    "evaluation": "Evaluation data (API)",
    "export": "Export (API)",
    "export_job": "Export",
    "fhir": "FHIR",
    "fidelityitem": "Fidelity item",
    "follow_up": "Follow-up",
    "follow_ups": "Follow-ups",
    "framework_cell": "Framework summary",
    "goal": "Goal",
    "goals": "Goals",
    "indirect_time": "Time given",
    "instrument": "Questionnaire",
    "invitation": "Invitation",
    "membership": "Membership",
    "memo": "Memo",
    "metric": "Figure (API)",
    "organisation": "Organisation",
    "participant": "Participant",
    "programme": "Programme",
    "programme_instrument": "Programme questionnaire",
    "referral": "Referral",
    "reminder": "Reminder",
    "report": "Evaluation report",
    "research_export": "Research export",
    "response": "Questionnaire answers",
    "responses": "Questionnaire answers",
    "role_rate": "Role rate",
    "satisfaction_response": "Training feedback",
    "satisfactionitem": "Training feedback statement",
    "segments": "Coded extracts",
    "session": "Session record",
    "sessions": "Session records",
    "settings": "Workforce settings",
    "signposting": "Signposting",
    "strategy": "Self-management strategy in the list",
    "supervision": "Supervision",
    "supervision_action": "Supervision action",
    "theme": "Theme",
    "topic": "Topic",
    "trainer_profile": "Trainer's profile",
    "user": "Account",
    "workbook": "Workbook",
}

VERBS = {
    "accepted": "accepted",
    "acknowledged": "acknowledged",
    "added": "added",
    "adopted": "taken up",
    "attendance_recorded": "attendance recorded",
    "booked": "booked",
    "cancelled": "cancelled",
    "care_plan_searched": "care plans searched",
    "checked": "checked",
    "chosen": "chosen for the report",
    "completed": "completed",
    "contact_attempted": "contact attempted",
    "contact_preferences_updated": "contact preferences changed",
    "corrected": "corrected",
    "created": "created",
    "deactivated": "deactivated",
    "declined": "declined by the client",
    "demographics_recorded": "details recorded",
    "discharged": "discharged",
    "downloaded": "downloaded",
    "exported": "exported",
    "exported_csv": "exported as CSV",
    "exported_pdf": "exported as PDF",
    "exported_xlsx": "exported as a spreadsheet",
    "exported_json": "exported as JSON",
    "exported_html": "exported as a web page",
    "failed": "could not be sent",
    "fidelity_rated": "CB fidelity rated",
    "finalised": "given its final status",
    "generated": "generated",
    "goal_searched": "goals searched",
    "imported": "imported",
    "item_text_loaded": "item wording loaded",
    "listed": "listed",
    "loaded": "loaded",
    "matched": "matched to a referral",
    "not_eligible": "closed as not eligible",
    "observation_searched": "scores searched",
    "patient_read": "patient read",
    "posted": "sent",
    "pseudonymised": "pseudonymised",
    "questionnaire_response_searched": "questionnaire answers searched",
    "raised": "raised",
    "read": "read",
    "reactivated": "reactivated",
    "rebooked": "rebooked",
    "received": "received",
    "recorded": "recorded",
    "removed": "removed",
    "requested": "requested",
    "resolved": "resolved",
    "restored": "restored to the list",
    "retired": "retired from the list",
    "reviewed": "reviewed",
    "revoked": "revoked",
    "role_changed": "role changed",
    "scheduled": "scheduled",
    "searched": "searched",
    "seeded": "added from the default list",
    "sent": "sent",
    "service_request_posted": "referral received",
    "service_request_read": "referral read",
    "set": "set",
    "submitted": "submitted",
    "transaction_posted": "referrals received in a batch",
    "unable_to_contact": "closed as unable to contact",
    "unchosen": "taken out of the report",
    "updated": "changed",
    "used": "used",
    "viewed": "viewed",
    "withdrawn": "withdrawn",
}


def _parts(action: str) -> tuple[str, str]:
    pieces = action.split(".")
    return (pieces[-2], pieces[-1]) if len(pieces) >= 3 else ("", pieces[-1])


def is_labelled(action: str) -> bool:
    """Whether the action has words of its own, rather than its code tidied up."""
    if action in WHOLE_ACTIONS:
        return True
    thing, verb = _parts(action)
    return thing in OBJECTS and verb in VERBS


def action_label(action: str) -> str:
    if action in WHOLE_ACTIONS:
        return WHOLE_ACTIONS[action]
    thing, verb = _parts(action)
    subject = OBJECTS.get(thing) or thing.replace("_", " ").capitalize()
    return f"{subject} {VERBS.get(verb) or verb.replace('_', ' ')}".strip()


def object_type_label(object_type: str) -> str:
    """ "Referral" for `referrals.referral`: the model's own name for itself."""
    app_label, _, model_name = object_type.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name).capitalize()
