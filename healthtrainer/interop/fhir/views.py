"""The FHIR R4 interface under /fhir/R4/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from healthtrainer.accounts.roles import Permission
from healthtrainer.casework.models import Goal
from healthtrainer.clients.models import Client
from healthtrainer.core.parameters import bounded_int, parse_id
from healthtrainer.interop.fhir import inbound, resources
from healthtrainer.interop.fhir.capability import capability_statement
from healthtrainer.interop.fhir.http import (
    FhirError,
    audit_records_read,
    fhir_endpoint,
    fhir_response,
    read_json,
    resource_id,
)
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


@fhir_endpoint(None, "")
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability_statement(_base(request), settings.SERVICE_NAME))


def _referrals(request: HttpRequest) -> Any:
    return Referral.objects.for_programme(_client(request).programme).select_related(
        "programme", "practice", "external_identifier", "client"
    )


def _person(referral: Referral) -> Model:
    """Whose record a referral is: the client once accepted, until then the referral."""
    return referral.client if referral.client is not None else referral


def _read_referral(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    audit_records_read(request, [(_person(referral), f"ServiceRequest/{referral.pk}")])
    return resources.service_request(referral)


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
    return fhir_response(_read_referral(request, referral), status, Location=location)


@fhir_endpoint(
    Permission.RECORD_REFERRAL, "interop.fhir.service_request_posted", methods=("GET", "POST")
)
def service_requests(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        referral, created = inbound.receive(_client(request), read_json(request))
        return _created(request, referral.pk, created)
    token = request.GET.get("identifier", "")
    system, bar, value = token.partition("|")
    if not bar or not value:
        raise FhirError(
            400, "invalid", "Search by identifier=system|value.", "ServiceRequest.identifier"
        )
    found = _referrals(request).filter(
        external_identifier__system=system, external_identifier__value=value
    )
    return _bundle(request, "ServiceRequest", found, resources.service_request, _person)


@fhir_endpoint(Permission.RECORD_REFERRAL, "interop.fhir.service_request_read")
def service_request(request: HttpRequest, identifier: str) -> HttpResponse:
    number = resource_id("ServiceRequest", identifier)
    referral = _referrals(request).filter(pk=number).first()
    if referral is None:
        raise FhirError(404, "not-found", f"There is no ServiceRequest/{number}.")
    return fhir_response(_read_referral(request, referral))


@fhir_endpoint(Permission.RECORD_REFERRAL, "interop.fhir.transaction_posted", methods=("POST",))
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
                    "resource": _read_referral(request, _referrals(request).get(pk=referral.pk)),
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


@fhir_endpoint(Permission.VIEW_CLIENT_RECORD, "interop.fhir.patient_read")
def patient(request: HttpRequest, identifier: str) -> HttpResponse:
    number = resource_id("Patient", identifier)
    client = _clients(request).filter(pk=number).first()
    if client is None:
        raise FhirError(404, "not-found", f"There is no Patient/{number}.")
    audit_records_read(request, [(client, f"Patient/{client.pk}")])
    return fhir_response(resources.patient(client))


def _subject(request: HttpRequest) -> Client:
    reference = request.GET.get("subject") or request.GET.get("patient") or ""
    number = parse_id(reference.removeprefix("Patient/"))
    if number is None:
        raise FhirError(
            400,
            "invalid",
            "Search by subject=Patient/<id>, where the id is the Patient's number.",
            "subject",
        )
    client = _clients(request).filter(pk=number).first()
    if client is None:
        raise FhirError(404, "not-found", f"There is no Patient/{number}.")
    return client


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
        lambda item: client,
    )


def _sustained(item: Goal) -> str:
    follow_up = getattr(item.episode, "follow_up", None)
    return follow_up.maintaining_strategies if follow_up is not None else ""


def _paging(request: HttpRequest) -> tuple[int, int]:
    """The page size and page number asked for. A size beyond the largest gives the
    largest; a page past the last is empty."""
    count = bounded_int(request.GET.get("_count", str(PAGE_SIZE)))
    if count is None:
        raise FhirError(
            400,
            "invalid",
            f"_count must be a whole number: how many entries a page holds, at most "
            f"{MAX_PAGE_SIZE}.",
            "_count",
        )
    page = bounded_int(request.GET.get("page", "1"), minimum=1)
    if page is None:
        raise FhirError(
            400, "invalid", "page must be a whole number: 1 for the first page, and so on.", "page"
        )
    return min(max(count, 1), MAX_PAGE_SIZE), page


def _bundle(
    request: HttpRequest,
    kind: str,
    queryset: Any,
    render: Callable[[Any], dict[str, Any]],
    whose: Callable[[Any], Model],
) -> HttpResponse:
    """A searchset Bundle, one page at a time, with self, next and previous links, and
    an audit event for each person whose records it holds."""
    count, page = _paging(request)
    total = queryset.count()
    first = (page - 1) * count
    items = list(queryset[first : first + count]) if first < total else []
    audit_records_read(request, [(whose(item), f"{kind}/{item.pk}") for item in items])
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
        lambda episode: client,
    )


def _scored(client: Client) -> QuerySet[QuestionnaireResponse]:
    return (
        QuestionnaireResponse.objects.for_programme(client.programme)
        .filter(episode__client=client, is_current=True)
        .select_related("instrument", "episode")
        .order_by("completed_on", "pk")
    )


@fhir_endpoint(Permission.VIEW_CLIENT_RECORD, "interop.fhir.questionnaire_response_searched")
def questionnaire_responses(request: HttpRequest) -> HttpResponse:
    client = _subject(request)
    return _bundle(
        request,
        "QuestionnaireResponse",
        _scored(client),
        resources.questionnaire_response,
        lambda response: client,
    )


@fhir_endpoint(Permission.VIEW_CLIENT_RECORD, "interop.fhir.observation_searched")
def observations(request: HttpRequest) -> HttpResponse:
    client = _subject(request)
    scored = _scored(client).filter(scored=True, total__isnull=False)
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
    return _bundle(request, "Observation", scored, resources.observation, lambda response: client)


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


@fhir_endpoint(None, "", methods=None)
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    raise FhirError(
        404,
        "not-found",
        f"This server has nothing at {request.path}: {_base(request)}metadata lists what it "
        "supports.",
    )
