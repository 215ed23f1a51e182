"""The JSON API for other systems, for what FHIR does not cover: referral status and
triage, caseload summaries, the evaluation's metrics and the evaluation report, and a
network's figures (`networks.py`).

Systems call with the bearer token of an API client registered for one programme
(`interop`), and reach only that programme; a network's figures answer only its analysts,
signed in. The OpenAPI 3.1 document is at
/api/openapi.json; /api/docs renders it as a page of our own, with no script from a CDN.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.security import HttpBearer

from healthtrainer.accounts.roles import Permission
from healthtrainer.api.networks import networks
from healthtrainer.api.schemas import REFUSALS, Message
from healthtrainer.background.models import JobState
from healthtrainer.casework.caseload import caseload_summary
from healthtrainer.core.audit import audit_record
from healthtrainer.core.json_input import BodyTooLarge, JsonRefused, read_json
from healthtrainer.core.period import Period, period_problems
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.metrics import REGISTRY
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.formats import as_json
from healthtrainer.interop.exports import PERMISSIONS, ExportRefused, export_request
from healthtrainer.interop.models import ApiClient, ExportJob
from healthtrainer.interop.services import authenticate
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status as TriageStatus


class BoundedJsonParser(Parser):
    """Request bodies read within the service's bounds on size, depth and numbers."""

    def parse_body(self, request: HttpRequest) -> Any:
        return read_json(request.body)


api = NinjaAPI(
    title="Health Trainer for chronic pain",
    version="1",
    urls_namespace="api",
    docs_url=None,
    parser=BoundedJsonParser(),
    description="Referral status and triage, caseload summaries, the evaluation's metrics "
    "and report, for systems registered as API clients of one programme; and a network's "
    "figures, for its analysts, signed in.",
)


def _refused(request: HttpRequest, error: JsonRefused) -> HttpResponse:
    status = 413 if isinstance(error, BodyTooLarge) else 400
    return api.create_response(request, {"detail": str(error)}, status=status)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    # django-ninja answers any failure of the parser "Cannot parse request body"; the
    # sender is better told what was wrong with it.
    if isinstance(error.__cause__, JsonRefused):
        return _refused(request, error.__cause__)
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    """Over Django's own limit, which is higher than ours: refused before it is read."""
    return _refused(request, BodyTooLarge())


class ApiClientToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        return authenticate(token)


v1 = Router(auth=ApiClientToken())


def _client(request: HttpRequest, permission: str, action: str) -> ApiClient:
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    if not client.allows(permission):
        raise HttpError(403, "This API client is not allowed to do that.")
    audit_record(actor=None, action=action, target=client, programme=client.programme)
    return client


class ServiceStatus(Schema):
    status: str
    database: str


@v1.get("/status", response={200: ServiceStatus, 503: ServiceStatus}, url_name="status", auth=None)
def status(request: HttpRequest) -> Status[ServiceStatus]:
    """Whether this app server can reach its database. Reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return Status(503, ServiceStatus(status="unavailable", database="unreachable"))
    return Status(200, ServiceStatus(status="ok", database="ok"))


class ReferralStatus(Schema):
    id: int
    reference: str
    identifier: str | None
    received_date: date
    status: str
    status_label: str
    status_reason: str
    first_contact_date: date | None
    contact_attempts: int
    days_waiting: int | None


def _referral(referral: Any) -> ReferralStatus:
    identifier = getattr(referral, "external_identifier", None)
    open_ = referral.status in (TriageStatus.RECEIVED, TriageStatus.CONTACT_ATTEMPTED)
    return ReferralStatus(
        id=referral.pk,
        reference=referral.reference,
        identifier=f"{identifier.system}|{identifier.value}" if identifier else None,
        received_date=referral.received_date,
        status=referral.status,
        status_label=str(TriageStatus(referral.status).label),
        status_reason=referral.status_reason,
        first_contact_date=referral.first_contact_date,
        contact_attempts=referral.attempt_count,
        days_waiting=(timezone.localdate() - referral.received_date).days if open_ else None,
    )


def _referrals(client: ApiClient) -> Any:
    return (
        Referral.objects.for_programme(client.programme)
        .annotate_attempts()
        .select_related("external_identifier")
    )


@v1.get(
    "/referrals/{referral_id}",
    response={200: ReferralStatus, 404: Message, **REFUSALS},
    url_name="referral",
)
def referral(request: HttpRequest, referral_id: int) -> ReferralStatus:
    """A referral's place in triage."""
    client = _client(request, Permission.RECORD_REFERRAL, "api.referral.read")
    found = _referrals(client).filter(pk=referral_id).first()
    if found is None:
        raise HttpError(404, f"There is no referral {referral_id}.")
    return _referral(found)


class ReferralFilter(Schema):
    identifier: str | None = Field(
        None, pattern=r"^[^|\x00]+\|[^\x00]+$", description="system|value"
    )
    status: str | None = Field(None, pattern=r"^[a-z_]+$")
    limit: int = Field(100, ge=1, le=500)


@v1.get(
    "/referrals",
    response={200: list[ReferralStatus], 400: Message, **REFUSALS},
    url_name="referrals",
)
def referrals(request: HttpRequest, filters: Query[ReferralFilter]) -> list[ReferralStatus]:
    """Referrals by the identifier they were sent with (system|value), or by status,
    newest first, at most `limit` (1 to 500)."""
    client = _client(request, Permission.RECORD_REFERRAL, "api.referral.searched")
    found = _referrals(client).order_by("-received_date", "-pk")
    if filters.identifier:
        system, bar, value = filters.identifier.partition("|")
        if not bar:
            raise HttpError(400, "Give the identifier as system|value.")
        found = found.filter(external_identifier__system=system, external_identifier__value=value)
    if filters.status:
        if filters.status not in TriageStatus.values:
            raise HttpError(400, f"status must be one of {', '.join(TriageStatus.values)}.")
        found = found.filter(status=filters.status)
    if not 1 <= filters.limit <= 500:
        raise HttpError(400, "limit must be from 1 to 500.")
    return [_referral(item) for item in found[: filters.limit]]


class TrainerCaseload(Schema):
    trainer: str
    clients_in_care: int
    goals_in_progress: int
    open_escalations: int
    without_next_appointment: int


@v1.get("/caseload", response={200: list[TrainerCaseload], **REFUSALS}, url_name="caseload")
def caseload(request: HttpRequest) -> list[dict[str, Any]]:
    """Each health trainer's caseload in figures: no client is named."""
    client = _client(request, Permission.VIEW_CASELOAD, "api.caseload.read")
    episodes = Referral.objects.for_programme(client.programme).filter(status=TriageStatus.ACCEPTED)
    return caseload_summary(episodes, now=timezone.now())


class MetricSummary(Schema):
    id: str
    title: str
    definition: str


class PeriodQuery(Schema):
    start: date | None = None
    end: date | None = None


class MetricValue(Schema):
    id: str
    title: str
    definition: str
    disclosure: str
    period_start: date | None
    period_end: date | None
    value: float | str | None
    numerator: float | str | None
    denominator: float | str | None


@v1.get("/metrics", response={200: list[MetricSummary], **REFUSALS}, url_name="metrics")
def metrics(request: HttpRequest) -> list[MetricSummary]:
    """Every metric of the evaluation, with its definition."""
    _client(request, Permission.VIEW_EVALUATION, "api.metric.listed")
    return [
        MetricSummary(id=item.id, title=item.title, definition=item.definition)
        for item in sorted(REGISTRY.values(), key=lambda item: item.id)
    ]


def _report(client: ApiClient, period: PeriodQuery) -> Any:
    problems = period_problems(period.start, period.end)
    if problems:
        raise HttpError(400, " ".join(f"{name}: {text}." for name, text in problems.items()))
    return build_report(client.programme, Period(period.start, period.end), Disclosure.PUBLISHED)


def _number(value: Any) -> float | str | None:
    return value if value is None or isinstance(value, str) else float(value)


@v1.get(
    "/metrics/{metric_id}",
    response={200: MetricValue, 400: Message, 404: Message, **REFUSALS},
    url_name="metric",
)
def metric(request: HttpRequest, metric_id: str, period: Query[PeriodQuery]) -> MetricValue:
    """One headline metric for referrals received in the period, as published: counts of 1
    to 7 are "*", others rounded to 5, percentages from the rounded counts."""
    client = _client(request, Permission.VIEW_EVALUATION, "api.metric.read")
    headline = _report(client, period).metrics.get(metric_id)
    if headline is None:
        raise HttpError(
            404,
            f"{metric_id} is not a headline metric: GET /api/v1/metrics lists them, and the "
            "evaluation report has every table.",
        )
    return MetricValue(
        id=headline.id,
        title=headline.title,
        definition=headline.definition,
        disclosure=Disclosure.PUBLISHED.value,
        period_start=period.start,
        period_end=period.end,
        value=_number(headline.value),
        numerator=_number(headline.numerator),
        denominator=_number(headline.denominator),
    )


@v1.get(
    "/evaluation",
    response={200: dict[str, Any], 400: Message, **REFUSALS},
    url_name="evaluation",
)
def evaluation(request: HttpRequest, period: Query[PeriodQuery]) -> dict[str, Any]:
    """The whole evaluation report as JSON, as published, the same as its JSON download."""
    client = _client(request, Permission.VIEW_EVALUATION, "api.evaluation.exported")
    return as_json(_report(client, period))


class ExportRequest(Schema):
    kind: str = Field(description="evaluation or research")
    format: str = Field(description="evaluation: json, html, pdf, csv or xlsx; research: csv")
    start: date | None = None
    end: date | None = None


class ExportStatus(Schema):
    id: int
    kind: str
    format: str
    state: str
    error: str
    created_at: datetime
    finished_at: datetime | None
    file: str | None


# The API's words for a job's states, as they were before exports became background jobs.
EXPORT_STATES = {
    JobState.QUEUED: "queued",
    JobState.RUNNING: "running",
    JobState.FINISHED: "done",
    JobState.FAILED: "failed",
}


def _export(export: ExportJob) -> ExportStatus:
    job = export.job
    has_file = job.state == JobState.FINISHED and job.file_content is not None
    return ExportStatus(
        id=export.pk,
        kind=export.kind,
        format=export.format,
        state=EXPORT_STATES[JobState(job.state)],
        error=job.error,
        created_at=export.created_at,
        finished_at=job.finished_at,
        file=f"/api/v1/exports/{export.pk}/file" if has_file else None,
    )


@v1.post(
    "/exports",
    response={202: ExportStatus, 400: Message, 413: Message, **REFUSALS},
    url_name="exports",
)
def export_create(request: HttpRequest, body: ExportRequest) -> Status[ExportStatus]:
    """Ask for an export: the evaluation report (as published) or the de-identified
    research data. It is built in the background; poll its status, then fetch its file."""
    permission = PERMISSIONS.get(ExportJob.Kind(body.kind)) if body.kind in PERMISSIONS else None
    client = _client(request, permission or Permission.VIEW_EVALUATION, "api.export.requested")
    try:
        job = export_request(
            client=client, kind=body.kind, fmt=body.format, start=body.start, end=body.end
        )
    except ExportRefused as error:
        raise HttpError(400, str(error)) from None
    return Status(202, _export(job))


def _job(client: ApiClient, export_id: int) -> ExportJob:
    job = (
        ExportJob.objects.for_programme(client.programme)
        .filter(pk=export_id, api_client=client)
        .select_related("job")
        .first()
    )
    if job is None:
        raise HttpError(404, f"There is no export {export_id}.")
    return job


def _any_export_permission(request: HttpRequest, action: str) -> ApiClient:
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    if not any(client.allows(permission) for permission in PERMISSIONS.values()):
        raise HttpError(403, "This API client is not allowed to do that.")
    audit_record(actor=None, action=action, target=client, programme=client.programme)
    return client


@v1.get(
    "/exports/{export_id}",
    response={200: ExportStatus, 404: Message, **REFUSALS},
    url_name="export",
)
def export_status(request: HttpRequest, export_id: int) -> ExportStatus:
    """Where an export has got to."""
    return _export(_job(_any_export_permission(request, "api.export.checked"), export_id))


EXPORT_TYPES = [
    "application/json",
    "application/pdf",
    "text/csv",
    "text/html",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
]


@v1.get(
    "/exports/{export_id}/file",
    response={404: Message, 409: Message, 410: Message, **REFUSALS},
    url_name="export_file",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, in the format asked for",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in EXPORT_TYPES
                },
            }
        }
    },
)
def export_file(request: HttpRequest, export_id: int) -> HttpResponse:
    """The export's file, once it is done."""
    job = _job(_any_export_permission(request, "api.export.downloaded"), export_id).job
    if job.state != JobState.FINISHED:
        raise HttpError(409, f"The export is {EXPORT_STATES[JobState(job.state)]}, not done yet.")
    if job.file_content is None:
        raise HttpError(
            410,
            f"The export's file was deleted {settings.BACKGROUND_FILE_DAYS} days after it was "
            "made. Ask for it again.",
        )
    response = HttpResponse(bytes(job.file_content), content_type=job.file_type)
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response


v1.add_router("/networks/", networks)
api.add_router("/v1/", v1)
