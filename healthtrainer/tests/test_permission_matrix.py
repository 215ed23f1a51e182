"""Every URL by every persona → the status they must get. One table, one row per URL.

Columns: health trainer, supervisor, programme manager, referrer, evaluator,
administrator, a manager of another programme (outsider), anonymous, and a client signed
in to their own companion (rows of staff pages may leave that last one out: see CLIENT).
A URL added without a row here fails `test_every_url_has_a_row`.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from healthtrainer.accounts.models import Invitation, hash_token
from healthtrainer.accounts.roles import Role
from healthtrainer.background.models import BackgroundJob, JobKind, JobState
from healthtrainer.casework.models import CbTechnique
from healthtrainer.casework.services import episode_discharge
from healthtrainer.companion.access import COOKIE as COMPANION_COOKIE
from healthtrainer.companion.models import DiaryEntry, SignInBy
from healthtrainer.companion.services import code_check, code_send, companion_invite
from healthtrainer.conftest import ADMINISTRATOR, OUTSIDER, PERSONAS, sign_in
from healthtrainer.interop.services import api_client_create
from healthtrainer.measures.models import Instrument
from healthtrainer.measures.services import (
    client_link_create,
    instruments_sync,
    programme_instrument_save,
)
from healthtrainer.network.models import Network
from healthtrainer.network.services import analyst_add, network_join
from healthtrainer.notifications.models import OutboxMessage
from healthtrainer.notifications.notifier import OutboxNotifier
from healthtrainer.qualitative import services as qualitative
from healthtrainer.tests.factories import (
    AppointmentFactory,
    ClientFactory,
    ClientStrategyFactory,
    CommunityResourceFactory,
    EscalationFactory,
    GoalFactory,
    OrganisationFactory,
    ReferralFactory,
    UserFactory,
    accepted_episode,
    coded_interview,
)
from healthtrainer.workforce.models import BudgetLine, FidelityItem, SatisfactionItem
from healthtrainer.workforce.services.supervision import (
    supervision_action_add,
    supervision_record,
)
from healthtrainer.workforce.services.training import (
    CourseDetails,
    confidence_survey_record,
    course_create,
    course_session_add,
    satisfaction_submit,
)

#                                   trainer supv  mgr  ref  eval admin out  anon
SIGNED_IN_ONLY = (200, 200, 200, 200, 200, 200, 200, 302)
MANAGERS_ONLY = (403, 403, 200, 403, 403, 200, 404, 302)
MANAGERS_POST_ONLY = (403, 403, 405, 403, 403, 405, 404, 302)
ANY_MEMBER = (200, 200, 200, 200, 200, 200, 404, 302)
ADMINISTRATORS_ONLY = (403, 403, 403, 403, 403, 200, 403, 302)
REDIRECTS_EVERYONE = (302, 302, 302, 302, 302, 302, 302, 302)
REFERRERS_ONLY = (403, 403, 403, 200, 403, 403, 404, 302)
TRIAGE_STAFF_ONLY = (403, 403, 200, 403, 403, 403, 404, 302)
TRIAGE_STAFF_POST_ONLY = (403, 403, 405, 403, 403, 403, 404, 302)
CLIENT_RECORD = (200, 200, 200, 403, 403, 403, 404, 302)
# Importing a workbook writes patient data: programme managers only, not administrators.
IMPORTERS_ONLY = (403, 403, 200, 403, 403, 403, 404, 302)
IMPORTERS_POST_ONLY = (403, 403, 405, 403, 403, 403, 404, 302)
EVERYONE = (200, 200, 200, 200, 200, 200, 200, 200)
# Casework is recorded by trainers (their own clients) and supervisors; managers only read it.
CASEWORK_RECORDERS = (200, 200, 403, 403, 403, 403, 404, 302)
ESCALATION_HANDLERS_POST_ONLY = (403, 405, 405, 403, 403, 403, 404, 302)
CASEWORK_RECORDERS_POST_ONLY = (405, 405, 403, 403, 403, 403, 404, 302)
WORKFORCE_VIEWERS = (200, 200, 200, 403, 403, 403, 404, 302)
TRAINING_MANAGERS = (403, 200, 200, 403, 403, 403, 404, 302)
TRAINING_SURVEY_TAKERS = (200, 403, 403, 403, 403, 403, 404, 302)
SUPERVISION_RECORDERS = TRAINING_MANAGERS
SUPERVISION_RECORDERS_POST_ONLY = (403, 405, 405, 403, 403, 403, 404, 302)
# Time given is recorded by supervisors and managers; resources and costs are managers' only.
INDIRECT_TIME_RECORDERS = TRAINING_MANAGERS
RESOURCE_MANAGERS_ONLY = (403, 403, 200, 403, 403, 403, 404, 302)
# The evaluation: managers, evaluators and administrators (with disclosure control).
EVALUATION_READERS = (403, 403, 200, 403, 200, 200, 404, 302)
# Pseudonymised row-level data: evaluators and managers, not administrators (no patient data).
RESEARCH_EXPORTERS = (403, 403, 200, 403, 200, 403, 404, 302)
# Systems are registered by site administrators only.
API_CLIENT_ADMINISTRATORS = (403, 403, 403, 403, 403, 200, 404, 302)
API_CLIENT_ADMINISTRATORS_POST_ONLY = (403, 403, 403, 403, 403, 405, 404, 302)
# The FHIR interface answers API clients with a bearer token, never a signed-in person.
API_CLIENTS_ONLY = (401, 401, 401, 401, 401, 401, 401, 401)
POST_ONLY_FOR_EVERYONE = (405, 405, 405, 405, 405, 405, 405, 405)
# Qualitative analysis: read by the care team (a trainer only about their own clients) and
# evaluators; analysed by managers and evaluators; originals with names for managers only.
QUALITATIVE_READERS = (200, 200, 200, 403, 200, 403, 404, 302)
QUALITATIVE_ANALYSTS = (403, 403, 200, 403, 200, 403, 404, 302)
QUALITATIVE_ANALYSTS_POST_ONLY = (403, 403, 405, 403, 405, 403, 404, 302)
ORIGINAL_READERS = (403, 403, 200, 403, 403, 403, 404, 302)
# A client's own questionnaire link works for whoever holds it, signed in or not.
ANYONE_WITH_THE_LINK = EVERYONE

# Every row lists the personas' statuses in PERSONAS' order; a row of staff pages may stop
# there, and the companion's client (last, `CLIENT`) then gets what an anonymous visitor
# does: their device signs them in to nothing else.
CLIENT = "companion client"
MATRIX_PERSONAS = [*PERSONAS, CLIENT]
COMPANION_CLIENT_ONLY = (302, 302, 302, 302, 302, 302, 302, 302, 200)

TOKEN = "a-known-token-for-the-matrix"

MATRIX: dict[str, tuple[str, tuple[int, ...]]] = {
    # url name: (argument kind, statuses)
    "accounts:home": ("", REDIRECTS_EVERYONE),
    "accounts:sign_in": ("", (302, 302, 302, 302, 302, 302, 302, 200)),
    "accounts:two_factor_verify": ("", REDIRECTS_EVERYONE),
    "accounts:two_factor_setup": ("", REDIRECTS_EVERYONE),
    "accounts:sign_out": ("", SIGNED_IN_ONLY),
    "accounts:choose_programme": ("", SIGNED_IN_ONLY),
    "accounts:site_audit": ("", ADMINISTRATORS_ONLY),
    "background:site_work": ("", ADMINISTRATORS_ONLY),
    # The client's companion: their own device only; staff sign-in gives no way in.
    "companion:home": ("", COMPANION_CLIENT_ONLY),
    "companion:sign_in": ("", EVERYONE),
    # The language switch holds no one's data: it sets a cookie and goes back to the page.
    "companion:language": ("language", (302,) * 9),
    # The app's manifest and service worker hold no one's data: anyone may fetch them.
    "companion:manifest": ("", (200,) * 9),
    "companion:service_worker": ("", (200,) * 9),
    # Without the signed contact of a code request, the code page sends back to sign in.
    "companion:code": ("", (302,) * 9),
    "companion:appointment_calendar": ("", COMPANION_CLIENT_ONLY),
    "companion:devices": ("", COMPANION_CLIENT_ONLY),
    "companion:sign_out": ("", COMPANION_CLIENT_ONLY),
    "companion:setback_plan": ("", COMPANION_CLIENT_ONLY),
    "companion:diary": ("", COMPANION_CLIENT_ONLY),
    "companion:diary_new": ("", COMPANION_CLIENT_ONLY),
    "companion:pacing": ("", COMPANION_CLIENT_ONLY),
    "companion:your_data": ("", COMPANION_CLIENT_ONLY),
    "companion:your_data_download": ("record_format", COMPANION_CLIENT_ONLY),
    "companion:questionnaire_start": (
        "questionnaire_due",
        (302, 302, 302, 302, 302, 302, 302, 302, 405),
    ),
    # POST only; another client's goal by its number is not found for a client.
    "companion:goal_check_in": ("client_goal", (302, 302, 302, 302, 302, 302, 302, 302, 405)),
    "companion:strategy_check_in": (
        "client_strategy",
        (302, 302, 302, 302, 302, 302, 302, 302, 405),
    ),
    # Another client's entry, by its number: not theirs, so not found.
    "companion:diary_entry": ("diary_entry", (302, 302, 302, 302, 302, 302, 302, 302, 404)),
    "companion:staff_setback_plan": ("episode", CASEWORK_RECORDERS),
    "companion:episode": ("episode", CASEWORK_RECORDERS),
    "companion:episode_end": ("episode", CASEWORK_RECORDERS_POST_ONLY),
    "companion:episode_check_ins": ("episode", CASEWORK_RECORDERS_POST_ONLY),
    "companion:episode_summary": ("episode", CASEWORK_RECORDERS),
    "network:networks": ("", SIGNED_IN_ONLY),
    "network:programme_networks": ("programme", MANAGERS_ONLY),
    # Only the network's analysts, none of the personas here
    # (test_the_network_s_own_analyst_reads_its_pages).
    "network:network": ("network", (404, 404, 404, 404, 404, 404, 404, 302)),
    "network:network_download": ("network_json", (404, 404, 404, 404, 404, 404, 404, 302)),
    # A member programme's published report: the network's analysts only, not even the
    # programme's own staff through the network (test_programme_report).
    "network:programme_report": (
        "network_programme",
        (404, 404, 404, 404, 404, 404, 404, 302),
    ),
    # The network's figures in the API: its analysts, signed in; nobody else finds it, and
    # without a session (anonymous, a client's companion) the API answers 401.
    "api:network_figures": ("network", (404, 404, 404, 404, 404, 404, 404, 401)),
    "api:network_figure": ("network_figure", (404, 404, 404, 404, 404, 404, 404, 401)),
    "background:site_job": ("site_job", ADMINISTRATORS_ONLY),
    "deprivation:datasets": ("", ADMINISTRATORS_ONLY),
    "accounts:accounts": ("", ADMINISTRATORS_ONLY),
    "accounts:deactivate": ("account", ADMINISTRATORS_ONLY),
    "accounts:password_reset": ("", EVERYONE),
    "accounts:password_reset_done": ("", EVERYONE),
    "accounts:password_reset_confirm": ("reset_link", EVERYONE),
    "accounts:password_reset_complete": ("", EVERYONE),
    "accounts:password_change": ("", SIGNED_IN_ONLY),
    "accounts:accept_invitation": ("token", EVERYONE),
    "accounts:programme_home": ("programme", ANY_MEMBER),
    "accounts:people": ("programme", MANAGERS_ONLY),
    "accounts:invite": ("programme", MANAGERS_ONLY),
    "accounts:membership": ("membership", MANAGERS_ONLY),
    "accounts:membership_set_active": ("membership", MANAGERS_POST_ONLY),
    "accounts:invitation_revoke": ("invitation", MANAGERS_POST_ONLY),
    "accounts:two_factor_reset": ("membership", MANAGERS_POST_ONLY),
    "accounts:access_review": ("programme", MANAGERS_ONLY),
    "accounts:audit": ("programme", MANAGERS_ONLY),
    "api:status": ("", EVERYONE),
    "api:openapi-json": ("", EVERYONE),
    "api:referral": ("resource_id", API_CLIENTS_ONLY),
    "api:referrals": ("", API_CLIENTS_ONLY),
    "api:caseload": ("", API_CLIENTS_ONLY),
    "api:metrics": ("", API_CLIENTS_ONLY),
    "api:metric": ("metric_id", API_CLIENTS_ONLY),
    "api:evaluation": ("", API_CLIENTS_ONLY),
    "api:exports": ("", POST_ONLY_FOR_EVERYONE),
    "api:export": ("resource_id", API_CLIENTS_ONLY),
    "api:export_file": ("resource_id", API_CLIENTS_ONLY),
    "api_docs": ("", EVERYONE),
    # Public: a browser's own request for the icon, sent on to the static file.
    "favicon": ("", REDIRECTS_EVERYONE),
    "api:api-root": ("", (404, 404, 404, 404, 404, 404, 404, 404)),
    "programmes:create": ("", ADMINISTRATORS_ONLY),
    "referrals:practice_home": ("programme", (403, 403, 403, 302, 403, 403, 404, 302)),
    "referrals:own_practice_referrals": (
        "programme",
        (403, 403, 403, 302, 403, 403, 404, 302),
    ),
    "referrals:practice_referrals": ("practice", REFERRERS_ONLY),
    "referrals:refer": ("practice", REFERRERS_ONLY),
    "referrals:record": ("programme", TRIAGE_STAFF_ONLY),
    "imports:upload": ("programme", IMPORTERS_ONLY),
    "imports:confirm": ("programme", IMPORTERS_POST_ONLY),
    # An import a manager started: theirs, and no one else's here (the other managers of a
    # programme would see it too).
    "background:job": ("background_job", (404, 404, 200, 404, 404, 404, 404, 302)),
    # A report a manager had made: theirs, and the administrators', who may see the report.
    "background:job_file": ("background_file", (404, 404, 200, 404, 404, 200, 404, 302)),
    "referrals:triage": ("programme", TRIAGE_STAFF_ONLY),
    "referrals:detail": ("referral", TRIAGE_STAFF_ONLY),
    "referrals:contact": ("referral", TRIAGE_STAFF_POST_ONLY),
    "referrals:accept": ("referral", TRIAGE_STAFF_ONLY),
    "referrals:close": ("referral", TRIAGE_STAFF_POST_ONLY),
    "clients:detail": ("client", CLIENT_RECORD),
    "casework:caseload": ("programme", CLIENT_RECORD),
    "casework:episode": ("episode", CLIENT_RECORD),
    "casework:timeline": ("client", CLIENT_RECORD),
    "casework:book": ("episode", CASEWORK_RECORDERS),
    "casework:rebook": ("appointment", CASEWORK_RECORDERS),
    "casework:attendance": ("appointment", CASEWORK_RECORDERS),
    "casework:session": ("appointment", CASEWORK_RECORDERS),
    "casework:goal_new": ("episode", CASEWORK_RECORDERS),
    "casework:goal_edit": ("goal", CASEWORK_RECORDERS),
    "casework:goal_review": ("goal", CASEWORK_RECORDERS),
    "casework:discharge": ("episode", CASEWORK_RECORDERS),
    "casework:follow_up": ("discharged_episode", CASEWORK_RECORDERS),
    "casework:escalate": ("episode", CASEWORK_RECORDERS),
    "casework:escalations": ("programme", CLIENT_RECORD),
    "casework:escalation": ("escalation", CLIENT_RECORD),
    "casework:escalation_acknowledge": ("escalation", ESCALATION_HANDLERS_POST_ONLY),
    "casework:escalation_resolve": ("escalation", ESCALATION_HANDLERS_POST_ONLY),
    "casework:directory": ("programme", CLIENT_RECORD),
    "casework:resource_new": ("programme", CLIENT_RECORD),
    "casework:resource_edit": ("resource", CLIENT_RECORD),
    "casework:signpost": ("episode", CASEWORK_RECORDERS),
    "casework:contact_preferences": ("client", CASEWORK_RECORDERS),
    "casework:lists": ("programme", MANAGERS_ONLY),
    "casework:list_item_set_active": ("list_item", MANAGERS_POST_ONLY),
    "workforce:lists": ("programme", MANAGERS_ONLY),
    "workforce:list_item_set_active": ("workforce_list_item", MANAGERS_POST_ONLY),
    "measures:programme_instruments": ("programme", MANAGERS_ONLY),
    "measures:due": ("programme", CLIENT_RECORD),
    "measures:outcomes": ("programme", TRIAGE_STAFF_ONLY),
    "measures:episode": ("episode", CLIENT_RECORD),
    "measures:record": ("questionnaire", CASEWORK_RECORDERS),
    "measures:link_create": ("questionnaire", CASEWORK_RECORDERS_POST_ONLY),
    "measures:client_questionnaire": ("client_link", ANYONE_WITH_THE_LINK),
    "measures:instruments": ("", ADMINISTRATORS_ONLY),
    "measures:item_texts": ("licensed_instrument", ADMINISTRATORS_ONLY),
    "measures:questionnaire_fhir": ("instrument", SIGNED_IN_ONLY),
    "workforce:supervision_list": ("programme", WORKFORCE_VIEWERS),
    "workforce:supervision_new": ("programme", SUPERVISION_RECORDERS),
    "workforce:fidelity": ("programme", WORKFORCE_VIEWERS),
    "workforce:supervision": ("supervision", WORKFORCE_VIEWERS),
    "workforce:supervision_rate": ("supervision_trainer", SUPERVISION_RECORDERS_POST_ONLY),
    "workforce:supervision_action_add": ("supervision", SUPERVISION_RECORDERS_POST_ONLY),
    "workforce:supervision_action_complete": (
        "supervision_action",
        SUPERVISION_RECORDERS_POST_ONLY,
    ),
    "workforce:trainers": ("programme", WORKFORCE_VIEWERS),
    "workforce:trainer_profile": ("membership", RESOURCE_MANAGERS_ONLY),
    "workforce:settings": ("programme", MANAGERS_ONLY),
    "workforce:training_courses": ("programme", WORKFORCE_VIEWERS),
    "workforce:training_course_new": ("programme", TRAINING_MANAGERS),
    "workforce:training_course": ("course", WORKFORCE_VIEWERS),
    "workforce:training_course_edit": ("course", TRAINING_MANAGERS),
    "workforce:training_session_new": ("course", TRAINING_MANAGERS),
    "workforce:training_session_edit": ("course_session", TRAINING_MANAGERS),
    "workforce:training_rate": ("course", TRAINING_SURVEY_TAKERS),
    "workforce:training_satisfaction": ("course", WORKFORCE_VIEWERS),
    "workforce:training_satisfaction_response": ("satisfaction_response", WORKFORCE_VIEWERS),
    "workforce:training_confidence": ("programme", WORKFORCE_VIEWERS),
    "workforce:training_confidence_new": ("programme", TRAINING_SURVEY_TAKERS),
    "workforce:training_confidence_survey": ("confidence_survey", WORKFORCE_VIEWERS),
    "evaluation:time_given": ("programme", INDIRECT_TIME_RECORDERS),
    "workforce:indirect_time_new": ("programme", INDIRECT_TIME_RECORDERS),
    "workforce:role_rates": ("programme", RESOURCE_MANAGERS_ONLY),
    "workforce:budget_lines": ("programme", RESOURCE_MANAGERS_ONLY),
    "workforce:budget_line_new": ("programme", RESOURCE_MANAGERS_ONLY),
    "workforce:budget_line_edit": ("budget_line", RESOURCE_MANAGERS_ONLY),
    "workforce:cost_items": ("programme", RESOURCE_MANAGERS_ONLY),
    "workforce:cost_item_new": ("programme", RESOURCE_MANAGERS_ONLY),
    "evaluation:costs": ("programme", RESOURCE_MANAGERS_ONLY),
    "evaluation:referral_dashboard": ("programme", TRIAGE_STAFF_ONLY),
    "evaluation:report": ("programme", EVALUATION_READERS),
    "evaluation:report_download": ("report_download", EVALUATION_READERS),
    "evaluation:research_export": ("programme", RESEARCH_EXPORTERS),
    "fhir:metadata": ("", EVERYONE),
    "interop:api_clients": ("programme", API_CLIENT_ADMINISTRATORS),
    "interop:api_client_revoke": ("api_client", API_CLIENT_ADMINISTRATORS_POST_ONLY),
    "fhir:transaction": ("", POST_ONLY_FOR_EVERYONE),
    "fhir:service_requests": ("", API_CLIENTS_ONLY),
    "fhir:service_request": ("resource_id", API_CLIENTS_ONLY),
    "fhir:patient": ("resource_id", API_CLIENTS_ONLY),
    "fhir:goals": ("", API_CLIENTS_ONLY),
    "fhir:care_plans": ("", API_CLIENTS_ONLY),
    "fhir:questionnaire_responses": ("", API_CLIENTS_ONLY),
    "fhir:observations": ("", API_CLIENTS_ONLY),
    "fhir:questionnaires": ("", EVERYONE),
    "fhir:unknown": ("resource_id", (404, 404, 404, 404, 404, 404, 404, 404)),
    "qualitative:documents": ("programme", QUALITATIVE_READERS),
    "qualitative:document_new": ("programme", QUALITATIVE_ANALYSTS),
    "qualitative:document": ("qual_document", QUALITATIVE_READERS),
    "qualitative:original": ("qual_document", ORIGINAL_READERS),
    "qualitative:coding_add": ("qual_document", QUALITATIVE_ANALYSTS_POST_ONLY),
    "qualitative:compare": ("qual_compare", QUALITATIVE_ANALYSTS),
    "qualitative:coding_remove": ("qual_coding", QUALITATIVE_ANALYSTS_POST_ONLY),
    "qualitative:coding_report": ("qual_coding", QUALITATIVE_ANALYSTS_POST_ONLY),
    "qualitative:memo_add": ("qual_memo", QUALITATIVE_ANALYSTS_POST_ONLY),
    "qualitative:participants": ("programme", QUALITATIVE_ANALYSTS),
    "qualitative:codebook": ("programme", QUALITATIVE_ANALYSTS),
    "qualitative:codebook_export": ("qual_codebook", QUALITATIVE_ANALYSTS),
    "qualitative:code": ("qual_code", QUALITATIVE_READERS),
    "qualitative:agreement": ("programme", QUALITATIVE_ANALYSTS),
    "qualitative:segments_export": ("qual_segments", QUALITATIVE_ANALYSTS),
    "qualitative:framework": ("programme", QUALITATIVE_ANALYSTS),
    "qualitative:framework_cell": ("qual_cell", QUALITATIVE_ANALYSTS),
    "qualitative:joint": ("programme", QUALITATIVE_ANALYSTS),
    "programmes:settings": ("programme", MANAGERS_ONLY),
    "programmes:organisations": ("programme", MANAGERS_ONLY),
    "programmes:organisation_create": ("programme", MANAGERS_ONLY),
    "programmes:organisation": ("organisation", MANAGERS_ONLY),
}


def _all_url_names(patterns=None, namespace="") -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _all_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_row():
    assert _all_url_names() == set(MATRIX)


def _url_for(name: str, kind: str, world) -> str:
    programme = world.programme
    if kind == "":
        return reverse(name)
    if kind == "token":
        return reverse(name, args=[TOKEN])
    if kind == "reset_link":
        return reverse(name, args=["MQ", "not-a-reset-token"])
    if kind == "account":
        return reverse(name, args=[world.people[Role.HEALTH_TRAINER].pk])
    if kind == "resource_id":
        return reverse(name, args=[1])
    if kind == "metric_id":
        return reverse(name, args=["referral.count"])
    if kind == "api_client":
        client, _ = api_client_create(
            actor=None,
            programme=programme,
            name="GP system",
            permissions=["referrals.record_referral"],
        )
        return reverse(name, args=[programme.slug, client.pk])
    if kind == "programme":
        return reverse(name, args=[programme.slug])
    if kind == "report_download":
        return reverse(name, args=[programme.slug, "json"])
    if kind == "membership":
        membership = world.people[Role.HEALTH_TRAINER].memberships.get()
        return reverse(name, args=[programme.slug, membership.pk])
    if kind == "invitation":
        invitation = Invitation.objects.get(token_hash=hash_token(TOKEN))
        return reverse(name, args=[programme.slug, invitation.pk])
    if kind == "practice":
        practice = world.people[Role.REFERRER].memberships.get().organisation
        return reverse(name, args=[programme.slug, practice.pk])
    if kind == "referral":
        practice = world.people[Role.REFERRER].memberships.get().organisation
        return reverse(name, args=[programme.slug, ReferralFactory(practice=practice).pk])
    if kind == "client":
        # The health trainer's own client: another trainer's is out of scope (404).
        client = ClientFactory(programme=programme)
        ReferralFactory(
            practice=world.people[Role.REFERRER].memberships.get().organisation,
            client=client,
            status="accepted",
            assigned_trainer=world.people[Role.HEALTH_TRAINER],
        )
        return reverse(name, args=[programme.slug, client.pk])
    if kind in ("instrument", "licensed_instrument"):
        instruments_sync()
        return reverse(name, args=["wemwbs" if kind == "licensed_instrument" else "phq9"])
    if kind == "questionnaire":
        episode = _own_episode(world)
        _collect_phq9(world)
        return reverse(name, args=[programme.slug, episode.pk, "phq9", "baseline"])
    if kind == "client_link":
        episode = _own_episode(world)
        _, token = client_link_create(
            actor=world.people[Role.HEALTH_TRAINER],
            episode=episode,
            instrument=_collect_phq9(world).instrument,
            timepoint="baseline",
        )
        return reverse(name, args=[token])
    if kind in WORKFORCE_KINDS:
        return reverse(name, args=[programme.slug, *WORKFORCE_KINDS[kind](world)])
    if kind == "background_job":
        job = BackgroundJob.objects.create(
            programme=programme,
            started_by=world.people[Role.PROGRAMME_MANAGER],
            kind=JobKind.WORKBOOK_IMPORT,
            title="Import history.xlsx",
        )
        return reverse(name, args=[programme.slug, job.pk])
    if kind == "background_file":
        job = BackgroundJob.objects.create(
            programme=programme,
            started_by=world.people[Role.PROGRAMME_MANAGER],
            kind=JobKind.EVALUATION_EXPORT,
            title="Evaluation report (PDF)",
            state=JobState.FINISHED,
            file_content=b"%PDF",
            file_type="application/pdf",
            file_name="evaluation.pdf",
        )
        return reverse(name, args=[programme.slug, job.pk])
    if kind == "site_job":
        job = BackgroundJob.objects.create(
            programme=None,
            started_by=world.people[Role.PROGRAMME_MANAGER],
            kind=JobKind.DEPRIVATION_IMPORT,
            title="Import File_7.csv",
        )
        return reverse(name, args=[job.pk])
    if kind == "questionnaire_due":
        return reverse(name, args=["phq9", "baseline"])
    if kind == "client_goal":
        return reverse(name, args=[GoalFactory(episode=_own_episode(world)).pk])
    if kind in ("network", "network_json", "network_figure", "network_programme"):
        network = Network.objects.create(name="Yorkshire", slug="yorkshire")
        network_join(
            actor=world.people[Role.PROGRAMME_MANAGER],
            network=network,
            programme=programme,
            aspects=["outcomes"],
        )
        extra = {
            "network_json": ["json"],
            "network_figure": ["goals"],
            "network_programme": [programme.slug],
        }.get(kind, [])
        return reverse(name, args=[network.slug, *extra])
    if kind == "record_format":
        return reverse(name, args=["csv"])
    if kind == "language":
        return reverse(name, args=["cy"])
    if kind == "client_strategy":
        taken_up = ClientStrategyFactory(episode=_own_episode(world))
        return reverse(name, args=[taken_up.pk])
    if kind == "diary_entry":
        other = accepted_episode(world.people[Role.HEALTH_TRAINER], programme)
        entry = DiaryEntry.objects.create(
            programme=programme, episode=other, key=uuid.uuid4(), recorded_for=timezone.now()
        )
        return reverse(name, args=[entry.pk])
    if kind == "list_item":
        technique = CbTechnique.objects.filter(programme=programme).first()
        return reverse(name, args=[programme.slug, "techniques", technique.pk])
    if kind == "workforce_list_item":
        item = FidelityItem.objects.filter(programme=programme).first()
        return reverse(name, args=[programme.slug, "fidelity", item.pk])
    if kind in CASEWORK_KINDS:
        return reverse(name, args=[programme.slug, CASEWORK_KINDS[kind](world).pk])
    if kind == "organisation":
        organisation = OrganisationFactory(programme=programme)
        return reverse(name, args=[programme.slug, organisation.pk])
    if kind in QUALITATIVE_KINDS:
        args, query = QUALITATIVE_KINDS[kind](world)
        return reverse(name, args=[programme.slug, *args]) + query
    raise AssertionError(f"Unknown argument kind {kind}")


def _own_episode(world):
    """An episode of the health trainer's own: another trainer's would be out of scope."""
    return accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)


def _discharged_episode(world):
    episode = _own_episode(world)
    episode_discharge(
        actor=world.people[Role.HEALTH_TRAINER],
        episode=episode,
        discharged_on=timezone.localdate(),
        reason="completed",
        final_statuses={},
    )
    return episode


def _collect_phq9(world):
    instruments_sync()
    return programme_instrument_save(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        instrument=Instrument.objects.get(code="phq9"),
        at_baseline=True,
        at_exit=True,
        at_follow_up=False,
        is_primary=False,
    )


CASEWORK_KINDS = {
    "episode": _own_episode,
    "discharged_episode": _discharged_episode,
    "appointment": lambda world: AppointmentFactory(episode=_own_episode(world)),
    "goal": lambda world: GoalFactory(episode=_own_episode(world)),
    "escalation": lambda world: EscalationFactory(episode=_own_episode(world)),
    "resource": lambda world: CommunityResourceFactory(programme=world.programme),
}


def _coded_document(world):
    """A case study about the health trainer's own client, coded by the manager and the
    evaluator: a trainer may read it; another trainer's client's would be out of scope."""
    manager, evaluator = world.people[Role.PROGRAMME_MANAGER], world.people[Role.EVALUATOR]
    return coded_interview(
        world.programme,
        analyst=manager,
        coders=[manager, evaluator],
        label="A",
        client=_own_episode(world).client,
        kind="case_study",
    )


QUALITATIVE_KINDS = {
    "qual_document": lambda world: ([_coded_document(world)[0].pk], ""),
    "qual_code": lambda world: ([_coded_document(world)[1].pk], ""),
    "qual_coding": lambda world: ([_coded_document(world)[2][0].pk], ""),
    "qual_memo": lambda world: (["document", _coded_document(world)[0].pk], ""),
    "qual_codebook": lambda world: (["qdc"], ""),
    "qual_cell": lambda world: (
        [
            _coded_document(world)[0].participant_id,
            qualitative.theme_save(
                actor=world.people[Role.PROGRAMME_MANAGER],
                programme=world.programme,
                name="Self-management",
                description="",
                aspect="client_outcomes",
            ).pk,
        ],
        "",
    ),
    "qual_segments": lambda world: (["csv"], ""),
    "qual_compare": lambda world: (
        [_coded_document(world)[0].pk],
        f"?first={world.people[Role.PROGRAMME_MANAGER].pk}"
        f"&second={world.people[Role.EVALUATOR].pk}",
    ),
}


def _course(world):
    return course_create(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        details=CourseDetails(title="CB skills for health trainers"),
    )


def _attended_session(world):
    """A session of a course, attended by the health trainer yesterday."""
    return course_session_add(
        actor=world.people[Role.PROGRAMME_MANAGER],
        course=_course(world),
        held_on=timezone.localdate() - timedelta(days=1),
        hours=Decimal("3"),
        attendees=[world.people[Role.HEALTH_TRAINER]],
    )


def _own_rating(world):
    """The health trainer's own rating: another trainer's would be out of scope (404)."""
    return satisfaction_submit(
        actor=world.people[Role.HEALTH_TRAINER],
        course=_attended_session(world).course,
        answers={
            item.pk: 4
            for item in SatisfactionItem.objects.filter(programme=world.programme, is_active=True)
        },
    )


def _own_confidence_survey(world):
    """The health trainer's own survey: another trainer's would be out of scope (404)."""
    return confidence_survey_record(
        actor=world.people[Role.HEALTH_TRAINER],
        programme=world.programme,
        stage="before_training",
        completed_on=timezone.localdate(),
        answers={
            technique.pk: 5
            for technique in CbTechnique.objects.filter(programme=world.programme, is_active=True)
        },
    )


def _session_args(world):
    session = _attended_session(world)
    return [session.course_id, session.pk]


def _supervision(world):
    """A session in which the health trainer was supervised: theirs to see."""
    return supervision_record(
        actor=world.people[Role.SUPERVISOR],
        programme=world.programme,
        trainers=[world.people[Role.HEALTH_TRAINER]],
        held_on=timezone.localdate(),
        duration_minutes=60,
        format="one_to_one",
    )


def _supervision_action(world):
    session = _supervision(world)
    action = supervision_action_add(
        actor=world.people[Role.SUPERVISOR], session=session, description="Read the pacing guide"
    )
    return [session.pk, action.pk]


# Each builds the URL arguments after the programme's slug.
WORKFORCE_KINDS = {
    "course": lambda world: [_course(world).pk],
    "course_session": _session_args,
    "satisfaction_response": lambda world: [_own_rating(world).pk],
    "confidence_survey": lambda world: [_own_confidence_survey(world).pk],
    "supervision": lambda world: [_supervision(world).pk],
    "supervision_trainer": lambda world: [
        _supervision(world).pk,
        world.people[Role.HEALTH_TRAINER].pk,
    ],
    "supervision_action": _supervision_action,
    "budget_line": lambda world: [
        BudgetLine.objects.create(
            programme=world.programme,
            funding_source="Public health grant",
            amount=Decimal("45000"),
            period_start=date(2026, 4, 1),
            period_end=date(2027, 3, 31),
        ).pk
    ],
}


@pytest.fixture
def invitation(world):
    return Invitation.objects.create(
        programme=world.programme,
        email="new.person@example.com",
        full_name="New Person",
        role=Role.HEALTH_TRAINER,
        token_hash=hash_token(TOKEN),
        invited_by=world.people[Role.PROGRAMME_MANAGER],
        expires_at=timezone.now() + timedelta(days=7),
    )


def _companion_client(world) -> Client:
    """A browser signed in to the companion of a client of the world's trainer, who has
    an appointment booked."""
    trainer = world.people[Role.HEALTH_TRAINER]
    episode = accepted_episode(trainer, world.programme, phone="07700 900777")
    AppointmentFactory(episode=episode)
    companion_invite(
        actor=trainer,
        episode=episode,
        sign_in_by=SignInBy.SMS,
        notifier=OutboxNotifier(),
        sign_in_url="https://x/",
    )
    code_send(contact="07700 900777", notifier=OutboxNotifier())
    code = OutboxMessage.objects.filter(template="companion_sign_in_code").latest("pk")
    _, token = code_check(
        contact="07700 900777", code=code.personalisation["code"], device_label="Phone"
    )
    browser = Client()
    browser.cookies[COMPANION_COOKIE] = token
    return browser


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("persona", MATRIX_PERSONAS)
def test_permission_matrix(name, persona, world, invitation, client_as):
    kind, statuses = MATRIX[name]
    statuses = statuses if len(statuses) == len(MATRIX_PERSONAS) else (*statuses, statuses[-1])
    expected = statuses[MATRIX_PERSONAS.index(persona)]
    visitor = _companion_client(world) if persona == CLIENT else client_as(persona)
    response = visitor.get(_url_for(name, kind, world))
    assert response.status_code == expected, (
        f"{persona} GET {name}: expected {expected}, got {response.status_code}"
    )


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_network_analyst_gets_no_more_than_someone_outside_the_programme(name, world, invitation):
    """A network analyst (of a network of their own) is, to every page here, what a
    manager of another programme is: nothing of this programme, no client, no exact
    figure; the network pages answer only their own network's analysts."""
    kind, statuses = MATRIX[name]
    expected = statuses[MATRIX_PERSONAS.index(OUTSIDER)]
    analyst = UserFactory()
    elsewhere = Network.objects.create(name="Elsewhere", slug="elsewhere")
    analyst_add(actor=world.people[ADMINISTRATOR], network=elsewhere, user=analyst)
    response = sign_in(Client(), analyst).get(_url_for(name, kind, world))
    assert response.status_code == expected, (
        f"network analyst GET {name}: expected {expected}, got {response.status_code}"
    )


NETWORK_PAGES = sorted(
    name
    for name, (kind, _) in MATRIX.items()
    if name.startswith("network:") and kind.startswith("network")
)


@pytest.mark.parametrize("name", NETWORK_PAGES)
def test_the_network_s_own_analyst_reads_its_pages(name, world, invitation):
    """The other side of the rows above: what answers every persona "not found" answers
    the network's own analyst."""
    kind, _ = MATRIX[name]
    url = _url_for(name, kind, world)
    analyst = UserFactory()
    network = Network.objects.get(slug="yorkshire")
    analyst_add(actor=world.people[ADMINISTRATOR], network=network, user=analyst)
    response = sign_in(Client(), analyst).get(url)
    assert response.status_code == 200, f"the network's analyst GET {name}"
