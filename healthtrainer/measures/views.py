"""Outcome measure pages: a programme's choice of instruments, recording a questionnaire
with the client or by their own link, a client's scores over time, and what is missing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import (
    ProgrammeRequest,
    SignedInRequest,
    programme_view,
    site_view,
)
from healthtrainer.accounts.roles import Permission, SitePermission
from healthtrainer.casework.views.scope import episode_or_404
from healthtrainer.core import charts
from healthtrainer.core.forms import add_service_errors
from healthtrainer.measures import services
from healthtrainer.measures.definitions import instrument_as_fhir_questionnaire
from healthtrainer.measures.due import measures_owed
from healthtrainer.measures.forms import (
    ItemTextsForm,
    ProgrammeInstrumentForm,
    QuestionnaireForm,
    TotalForm,
)
from healthtrainer.measures.models import (
    Instrument,
    ProgrammeInstrument,
    QuestionnaireResponse,
    Source,
    Timepoint,
)
from healthtrainer.measures.outcomes import (
    SUBGROUPS,
    change_by_subgroup,
    paired_scores,
    summarise,
)
from healthtrainer.measures.scoring import change_category
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

CHANGE_LABELS = {
    "improvement": "Meaningful improvement",
    "no_change": "No meaningful change",
    "deterioration": "Meaningful deterioration",
}


# A programme's instruments ---------------------------------------------------------------


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


# A client's measures ----------------------------------------------------------------------


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


# The client's own page: no sign-in, nothing of the record ---------------------------------


# The address carries the token: no cache may keep the page.
@never_cache
@require_http_methods(["GET", "POST"])
def client_questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.client_link_for(token)
    except services.LinkUnusable as problem:
        return render(
            request, "measures/link_unusable.jinja", {"message": str(problem)}, status=410
        )
    definition = services.definition_of(link.instrument)
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        definition=definition,
        texts=services.item_texts(link.instrument),
        with_details=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.client_link_complete(token=token, answers=form.answers())
        except services.LinkUnusable as problem:
            return render(
                request, "measures/link_unusable.jinja", {"message": str(problem)}, status=410
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "measures/client_thanks.jinja", {"definition": definition})
    response = render(
        request,
        "measures/client_questionnaire.jinja",
        {"form": form, "definition": definition, "expires_at": link.expires_at},
    )
    # The address is the key: requests from the page name only the origin, never the path.
    # ("no-referrer" would make browsers send "Origin: null", which fails the CSRF check.)
    response["Referrer-Policy"] = "strict-origin"
    return response


# A programme's change ----------------------------------------------------------------------


@programme_view(Permission.VIEW_OUTCOMES)
def outcomes(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    chosen = list(ProgrammeInstrument.objects.for_programme(programme).select_related("instrument"))
    code = request.GET.get("instrument") or next(
        (item.instrument.code for item in chosen if item.is_primary),
        chosen[0].instrument.code if chosen else "",
    )
    end = request.GET.get("end", Timepoint.EXIT)
    if end not in (Timepoint.EXIT, Timepoint.FOLLOW_UP):
        end = Timepoint.EXIT
    selected = next((item for item in chosen if item.instrument.code == code), None)
    context: dict[str, Any] = {
        "programme": programme,
        "chosen": chosen,
        "selected": selected,
        "end": Timepoint(end),
    }
    if selected is not None:
        definition = services.definition_of(selected.instrument)
        if definition.scoring == "per_item" and definition.headline_item is None:
            # Reported item by item (ONS4): one line per question, not a total.
            context |= {
                "definition": definition,
                "items": [
                    summarise(
                        item.id.replace("_", " ").capitalize(),
                        definition,
                        paired_scores(programme, selected.instrument, end=end, item=item.id),
                    )
                    for item in definition.items
                ],
            }
        else:
            pairs = paired_scores(programme, selected.instrument, end=end)
            context |= {
                "definition": definition,
                "overall": summarise("All clients", definition, pairs),
                "subgroups": [
                    (title, change_by_subgroup(definition, pairs, key))
                    for key, (title, _) in SUBGROUPS.items()
                ],
            }
    return render(request, "measures/outcomes.jinja", context)


# What is missing ---------------------------------------------------------------------------


@programme_view(Permission.VIEW_CASELOAD)
def due(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    episodes = Referral.objects.visible_to(request.user, Permission.VIEW_CASELOAD).filter(
        programme=programme, status=Status.ACCEPTED
    )
    rows = [row for row in measures_owed(programme, episodes) if row.missing]
    owed = sum(len(row.owed) for row in measures_owed(programme, episodes))
    return render(
        request,
        "measures/due.jinja",
        {
            "programme": programme,
            "rows": rows,
            "owed": owed,
            "missing": sum(len(row.missing) for row in rows),
            "configured": ProgrammeInstrument.objects.for_programme(programme).exists(),
        },
    )


# Instruments for administrators, and as FHIR ----------------------------------------------


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
