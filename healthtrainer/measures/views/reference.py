"""Instruments for administrators (licensed item wording), and each instrument as FHIR."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts.access import (
    SignedInRequest,
    site_view,
)
from healthtrainer.accounts.roles import SitePermission
from healthtrainer.core.forms import add_service_errors
from healthtrainer.measures import services
from healthtrainer.measures.definitions import instrument_as_fhir_questionnaire
from healthtrainer.measures.forms import (
    ItemTextsForm,
)
from healthtrainer.measures.models import (
    Instrument,
)


@site_view(SitePermission.LOAD_INSTRUMENT_TEXT)
def instruments(request: SignedInRequest) -> HttpResponse:
    rows = [
        (instrument, services.item_texts(instrument)) for instrument in Instrument.objects.all()
    ]
    return render(request, "measures/instruments.jinja", {"rows": rows})


@site_view(SitePermission.LOAD_INSTRUMENT_TEXT)
@require_http_methods(["GET", "POST"])
def item_texts(request: SignedInRequest, code: str) -> HttpResponse:
    instrument = Instrument.objects.filter(code=code, item_text_licensed=True).first()
    if instrument is None:
        raise Http404("No licensed instrument with that code")
    definition = services.definition_of(instrument)
    form = ItemTextsForm(
        request.POST if request.method == "POST" else None,
        item_ids=[item.id for item in definition.items],
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = services.item_texts_load(
                actor=request.user, instrument=instrument, texts=form.cleaned_data["texts"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"The wording of {count} items of {instrument.name} is loaded."
            )
            return redirect("measures:instruments")
    return render(
        request,
        "measures/item_texts.jinja",
        {"instrument": instrument, "definition": definition, "form": form},
    )


@login_required
def questionnaire_fhir(request: HttpRequest, code: str) -> JsonResponse:
    """The instrument as a FHIR R4 Questionnaire. Licensed wording is never included: it is
    the deployment's to use, not to publish."""
    instrument = Instrument.objects.filter(code=code).first()
    if instrument is None:
        raise Http404("No such instrument")
    return JsonResponse(instrument_as_fhir_questionnaire(services.definition_of(instrument)))
