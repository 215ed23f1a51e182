"""The FHIR R4 interface under /fhir/R4/."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from healthtrainer.accounts.roles import Permission
from healthtrainer.casework.models import Goal
from healthtrainer.clients.models import Client
from healthtrainer.interop.fhir import inbound, resources
from healthtrainer.interop.fhir.capability import capability_statement
from healthtrainer.interop.fhir.http import FhirError, fhir_endpoint, fhir_response, read_json
from healthtrainer.interop.models import ApiClient
from healthtrainer.measures.definitions import instrument_as_fhir_questionnaire, load_definitions
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _client(request: HttpRequest) -> ApiClient:
    client: ApiClient = request.api_client  # type: ignore[attr-defined]
    return client


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir/R4/")


@require_GET
@fhir_endpoint(None, "")
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability_statement(_base(request), settings.SERVICE_NAME))


def _referrals(request: HttpRequest) -> Any:
    return Referral.objects.for_programme(_client(request).programme).select_related(
        "programme", "practice", "external_identifier"
    )


def _wants_minimal(request: HttpRequest) -> bool:
    """FHIR's `Prefer: return=minimal`: the sender needs only the new resource's address."""
    return "return=minimal" in request.headers.get("Prefer", "").replace(" ", "")


def _created(request: HttpRequest, referral_id: int, created: bool) -> HttpResponse:
    status = 201 if created else 200
    location = f"{_base(request)}ServiceRequest/{referral_id}"
    if _wants_minimal(request):
        response = HttpResponse(status=status)
        response["Location"] = location
        return response
    referral = _referrals(request).get(pk=referral_id)
    return fhir_response(resources.service_request(referral), status, Location=location)


@fhir_endpoint(Permission.RECORD_REFERRAL, "interop.fhir.service_request_posted")
def service_requests(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        referral, created = inbound.receive(_client(request), read_json(request))
        return _created(request, referral.pk, created)
    if request.method != "GET":
        raise FhirError(405, "not-supported", "Use GET to search or POST to create.")
    token = request.GET.get("identifier", "")
    system, bar, value = token.partition("|")
    if not bar or not value:
        raise FhirError(
            400, "invalid", "Search by identifier=system|value.", "ServiceRequest.identifier"
        )
    found = _referrals(request).filter(
        external_identifier__system=system, external_identifier__value=value
    )
    return _bundle(request, "ServiceRequest", found, resources.service_request)


@require_GET
@fhir_endpoint(Permission.RECORD_REFERRAL, "interop.fhir.service_request_read")
def service_request(request: HttpRequest, resource_id: int) -> HttpResponse:
    referral = _referrals(request).filter(pk=resource_id).first()
    if referral is None:
        raise FhirError(404, "not-found", f"There is no ServiceRequest/{resource_id}.")
    return fhir_response(resources.service_request(referral))


@require_POST
@fhir_endpoint(Permission.RECORD_REFERRAL, "interop.fhir.transaction_posted")
def transaction(request: HttpRequest) -> HttpResponse:
    referral, created = inbound.receive_bundle(_client(request), read_json(request))
    location = f"ServiceRequest/{referral.pk}"
    return fhir_response(
        {
            "resourceType": "Bundle",
            "type": "transaction-response",
            "entry": [
                {
                    "response": {
                        "status": "200 OK",
                        "outcome": {
                            "resourceType": "OperationOutcome",
                            "issue": [
                                {
                                    "severity": "information",
                                    "code": "informational",
                                    "diagnostics": f"Held with the referral {location}; a "
                                    "Patient exists once the referral is accepted.",
                                }
                            ],
                        },
                    }
                },
                {
                    "resource": resources.service_request(_referrals(request).get(pk=referral.pk)),
                    "response": {
                        "status": "201 Created" if created else "200 OK",
                        "location": location,
                    },
                },
            ],
        }
    )


def _clients(request: HttpRequest) -> QuerySet[Client]:
    return Client.objects.for_programme(_client(request).programme)


@require_GET
@fhir_endpoint(Permission.VIEW_CLIENT_RECORD, "interop.fhir.patient_read")
def patient(request: HttpRequest, resource_id: int) -> HttpResponse:
    client = _clients(request).filter(pk=resource_id).first()
    if client is None:
        raise FhirError(404, "not-found", f"There is no Patient/{resource_id}.")
    return fhir_response(resources.patient(client))


def _subject(request: HttpRequest) -> Client:
    reference = request.GET.get("subject") or request.GET.get("patient") or ""
    identifier = reference.removeprefix("Patient/")
    if not identifier.isdigit():
        raise FhirError(400, "invalid", "Search by subject=Patient/<id>.", "subject")
    client = _clients(request).filter(pk=int(identifier)).first()
    if client is None:
        raise FhirError(404, "not-found", f"There is no Patient/{identifier}.")
    return client


@require_GET
@fhir_endpoint(Permission.VIEW_CLIENT_RECORD, "interop.fhir.goal_searched")
def goals(request: HttpRequest) -> HttpResponse:
    client = _subject(request)
    found = (
        Goal.objects.for_programme(client.programme)
        .filter(episode__client=client)
        .select_related("episode", "episode__follow_up")
        .order_by("set_on", "pk")
    )
    return _bundle(
        request,
        "Goal",
        found,
        lambda item: resources.goal(item, sustained=_sustained(item)),
    )


def _sustained(item: Goal) -> str:
    follow_up = getattr(item.episode, "follow_up", None)
    return follow_up.maintaining_strategies if follow_up is not None else ""


def _bundle(request: HttpRequest, kind: str, queryset: Any, render: Any) -> HttpResponse:
    """A searchset Bundle, one page at a time, with self, next and previous links."""
    try:
        count = min(max(int(request.GET.get("_count", PAGE_SIZE)), 1), MAX_PAGE_SIZE)
        page = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        raise FhirError(400, "invalid", "_count and page must be whole numbers.") from None
    total = queryset.count()
    items = list(queryset[(page - 1) * count : page * count])
    query = request.GET.copy()

    def link(relation: str, number: int) -> dict[str, str]:
        query["page"] = str(number)
        query["_count"] = str(count)
        return {"relation": relation, "url": f"{_base(request)}{kind}?{query.urlencode()}"}

    links = [link("self", page)]
    if page * count < total:
        links.append(link("next", page + 1))
    if page > 1:
        links.append(link("previous", page - 1))
    return fhir_response(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": total,
            "link": links,
            "entry": [
                {
                    "fullUrl": f"{_base(request)}{kind}/{item.pk}",
                    "resource": render(item),
                    "search": {"mode": "match"},
                }
                for item in items
            ],
        }
    )


@require_GET
@fhir_endpoint(Permission.VIEW_CLIENT_RECORD, "interop.fhir.care_plan_searched")
def care_plans(request: HttpRequest) -> HttpResponse:
    client = _subject(request)
    episodes = (
        Referral.objects.for_programme(client.programme)
        .filter(client=client, status=Status.ACCEPTED)
        .select_related("discharge")
        .prefetch_related("goals")
        .order_by("received_date", "pk")
    )
    return _bundle(
        request,
        "CarePlan",
        episodes,
        lambda episode: resources.care_plan(episode, [goal.pk for goal in episode.goals.all()]),
    )


def _scored(client: Client) -> QuerySet[QuestionnaireResponse]:
    return (
        QuestionnaireResponse.objects.for_programme(client.programme)
        .filter(episode__client=client, is_current=True)
        .select_related("instrument", "episode")
        .order_by("completed_on", "pk")
    )


@require_GET
@fhir_endpoint(Permission.VIEW_CLIENT_RECORD, "interop.fhir.questionnaire_response_searched")
def questionnaire_responses(request: HttpRequest) -> HttpResponse:
    return _bundle(
        request,
        "QuestionnaireResponse",
        _scored(_subject(request)),
        resources.questionnaire_response,
    )


@require_GET
@fhir_endpoint(Permission.VIEW_CLIENT_RECORD, "interop.fhir.observation_searched")
def observations(request: HttpRequest) -> HttpResponse:
    scored = _scored(_subject(request)).filter(scored=True, total__isnull=False)
    token = request.GET.get("code", "")
    if token:
        system, bar, code = token.rpartition("|")
        if bar and system != resources.INSTRUMENT_SYSTEM:
            raise FhirError(
                400,
                "code-invalid",
                f"Observations are coded by instrument in {resources.INSTRUMENT_SYSTEM}.",
                "code",
            )
        scored = scored.filter(instrument__code=code)
    return _bundle(request, "Observation", scored, resources.observation)


@require_GET
@fhir_endpoint(None, "")
def questionnaires(request: HttpRequest) -> HttpResponse:
    """The instruments, without licensed wording: their structure is public."""
    definitions = sorted(load_definitions().values(), key=lambda definition: definition.code)
    return fhir_response(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(definitions),
            "link": [{"relation": "self", "url": f"{_base(request)}Questionnaire"}],
            "entry": [
                {
                    # A FHIR id has no underscores: pain_nrs is pain-nrs.
                    "fullUrl": f"{_base(request)}Questionnaire/{definition.code.replace('_', '-')}",
                    "resource": {
                        **instrument_as_fhir_questionnaire(definition),
                        "id": definition.code.replace("_", "-"),
                    },
                    "search": {"mode": "match"},
                }
                for definition in definitions
            ],
        }
    )
