"""A client's questionnaires: their history, recording one, and a single-use link to
complete one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import (
    ProgrammeRequest,
    programme_view,
)
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework.views.scope import episode_or_404
from healthtrainer.core import charts
from healthtrainer.core.forms import add_service_errors
from healthtrainer.measures import services
from healthtrainer.measures.due import measures_owed
from healthtrainer.measures.forms import (
    QuestionnaireForm,
    TotalForm,
)
from healthtrainer.measures.models import (
    ProgrammeInstrument,
    QuestionnaireResponse,
    Source,
    Timepoint,
)
from healthtrainer.measures.scoring import change_category
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral

CHANGE_LABELS = {
    "improvement": "Meaningful improvement",
    "no_change": "No meaningful change",
    "deterioration": "Meaningful deterioration",
}


def _history(episode: Referral) -> list[dict[str, Any]]:
    """Each instrument's current scores in order, with the change from baseline."""
    responses = (
        QuestionnaireResponse.objects.for_programme(episode.programme)
        .filter(episode=episode, is_current=True)
        .select_related("instrument")
        .order_by("instrument__name", "completed_on", "id")
    )
    by_instrument: dict[int, dict[str, Any]] = {}
    for response in responses:
        entry = by_instrument.setdefault(
            response.instrument_id,
            {"instrument": response.instrument, "responses": [], "changes": []},
        )
        entry["responses"].append((response, services.item_results(response)))
    for entry in by_instrument.values():
        definition = services.definition_of(entry["instrument"])
        scored = [r for r, _ in entry["responses"] if r.scored and r.total is not None]
        baseline = next((r for r in scored if r.timepoint == Timepoint.BASELINE), None)
        if baseline is not None:
            for later in scored:
                if later.timepoint != Timepoint.BASELINE:
                    category = change_category(definition, baseline.total, later.total)
                    entry["changes"].append(
                        (
                            later.get_timepoint_display(),
                            later.total - baseline.total,
                            CHANGE_LABELS[category],
                        )
                    )
        if scored:
            entry["chart"] = charts.score_chart(
                f"{definition.name} over time",
                f"{definition.name} scores from {definition.minimum:g} to {definition.maximum:g}; "
                + (
                    "higher is better."
                    if definition.direction == "higher_is_better"
                    else "lower is better."
                ),
                [(r.get_timepoint_display().split(" (")[0], r.total) for r in scored],
                minimum=definition.minimum,
                maximum=definition.maximum,
            )
    return list(by_instrument.values())


@programme_view(Permission.VIEW_CASELOAD)
def episode_measures(
    request: ProgrammeRequest, programme: Programme, episode_id: int
) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.VIEW_CASELOAD)
    owed = measures_owed(programme, Referral.objects.for_programme(programme).filter(pk=episode.pk))
    return render(
        request,
        "measures/episode.jinja",
        {
            "programme": programme,
            "episode": episode,
            "history": _history(episode),
            "owed": owed[0].owed if owed else [],
            "chosen": list(
                ProgrammeInstrument.objects.for_programme(programme).select_related("instrument")
            ),
            "can_record": request.user.has_perm(Permission.RECORD_CASEWORK, programme),
        },
    )


def _chosen_or_404(programme: Programme, code: str, timepoint: str) -> ProgrammeInstrument:
    chosen = (
        ProgrammeInstrument.objects.for_programme(programme)
        .select_related("instrument")
        .filter(instrument__code=code)
        .first()
    )
    if chosen is None or timepoint not in chosen.timepoints:
        raise Http404("The programme does not collect this questionnaire then")
    return chosen


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def record(
    request: ProgrammeRequest, programme: Programme, episode_id: int, code: str, timepoint: str
) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    chosen = _chosen_or_404(programme, code, timepoint)
    instrument = chosen.instrument
    definition = services.definition_of(instrument)
    by_total = request.GET.get("by") == "total"
    data = request.POST if request.method == "POST" else None
    initial = {"completed_on": timezone.localdate()}
    texts = services.item_texts(instrument)
    form: QuestionnaireForm | TotalForm = (
        TotalForm(data, definition=definition, texts=texts, initial=initial)
        if by_total
        else QuestionnaireForm(data, definition=definition, texts=texts, initial=initial)
    )
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.response_record(
                actor=request.user,
                episode=episode,
                instrument=instrument,
                timepoint=timepoint,
                completed_on=form.cleaned_data["completed_on"],
                source=Source.TRAINER,
                answers=None if isinstance(form, TotalForm) else form.answers(),
                total=form.cleaned_data["total"] if isinstance(form, TotalForm) else None,
                safety_answer=form.cleaned_data.get("safety_answer"),
                correction_reason=form.cleaned_data["correction_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = recorded.response
            if recorded.escalation is not None:
                messages.warning(
                    request,
                    "The client said they have had thoughts of being better off dead or of "
                    "hurting themselves. An escalation has gone to the pain team. Follow the "
                    "risk protocol now: check the client is safe today.",
                )
            if not response.scored:
                summary = (
                    f"{instrument.name} recorded as incomplete: too many answers are missing "
                    "to score it."
                )
            elif response.total is None:
                summary = f"{instrument.name} recorded: {services.item_results(response)}."
            else:
                summary = f"{instrument.name} recorded: {response.total:g}" + (
                    f" ({response.band})" if response.band else ""
                )
            messages.success(request, summary)
            return redirect("measures:episode", programme.slug, episode.pk)
    return render(
        request,
        "measures/record.jinja",
        {
            "programme": programme,
            "episode": episode,
            "instrument": instrument,
            "definition": definition,
            "timepoint": Timepoint(timepoint),
            "form": form,
            "by_total": by_total,
            "wording_missing": not all(texts.values()),
            "already": QuestionnaireResponse.objects.for_programme(programme)
            .filter(episode=episode, instrument=instrument, timepoint=timepoint, is_current=True)
            .first(),
        },
    )


@programme_view(Permission.RECORD_CASEWORK)
@never_cache
@require_POST
def link_create(
    request: ProgrammeRequest, programme: Programme, episode_id: int, code: str, timepoint: str
) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    chosen = _chosen_or_404(programme, code, timepoint)
    try:
        link, token = services.client_link_create(
            actor=request.user, episode=episode, instrument=chosen.instrument, timepoint=timepoint
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("measures:episode", programme.slug, episode.pk)
    # Shown once: only a hash of the token is kept.
    return render(
        request,
        "measures/link_created.jinja",
        {
            "programme": programme,
            "episode": episode,
            "link": link,
            "address": request.build_absolute_uri(
                reverse("measures:client_questionnaire", args=[token])
            ),
        },
    )
