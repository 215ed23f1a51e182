"""A programme's instruments and the timepoints each is collected at."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts.access import (
    ProgrammeRequest,
    programme_view,
)
from healthtrainer.accounts.roles import Permission
from healthtrainer.measures import services
from healthtrainer.measures.forms import (
    ProgrammeInstrumentForm,
)
from healthtrainer.measures.models import (
    Instrument,
    ProgrammeInstrument,
)
from healthtrainer.programmes.models import Programme


@programme_view(Permission.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def programme_instruments(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    chosen = {
        item.instrument_id: item for item in ProgrammeInstrument.objects.for_programme(programme)
    }
    if request.method == "POST":
        instrument = Instrument.objects.filter(code=request.POST.get("instrument", "")).first()
        if instrument is None:
            raise Http404("No such instrument")
        if "remove" in request.POST:
            if instrument.pk in chosen:
                services.programme_instrument_remove(
                    actor=request.user, chosen=chosen[instrument.pk]
                )
                messages.success(request, f"{instrument.name} is no longer collected.")
            return redirect("measures:programme_instruments", programme.slug)
        form = ProgrammeInstrumentForm(request.POST)
        if form.is_valid():
            try:
                services.programme_instrument_save(
                    actor=request.user,
                    programme=programme,
                    instrument=instrument,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"{instrument.name} has been saved.")
            return redirect("measures:programme_instruments", programme.slug)
    rows = [
        (
            instrument,
            chosen.get(instrument.pk),
            ProgrammeInstrumentForm(
                prefix=instrument.code,
                initial={
                    "at_baseline": chosen[instrument.pk].at_baseline,
                    "at_exit": chosen[instrument.pk].at_exit,
                    "at_follow_up": chosen[instrument.pk].at_follow_up,
                    "is_primary": chosen[instrument.pk].is_primary,
                }
                if instrument.pk in chosen
                else {"at_baseline": True, "at_exit": True},
            ),
        )
        for instrument in Instrument.objects.all()
    ]
    return render(
        request, "measures/programme_instruments.jinja", {"programme": programme, "rows": rows}
    )
