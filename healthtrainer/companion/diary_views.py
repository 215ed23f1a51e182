"""The client's diary pages: the last 7, 30 or 90 days as a chart with its table and the
entries, a new entry (two taps: a pain score and Save), and correcting or deleting one."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods
from markupsafe import Markup

from healthtrainer.casework.models import ClientStrategy
from healthtrainer.companion.access import CompanionRequest, client_view
from healthtrainer.companion.diary import (
    CHART_SPANS,
    DiaryDay,
    diary_days,
    diary_entry_add,
    diary_entry_correct,
    diary_entry_delete,
)
from healthtrainer.companion.forms import DiaryForm
from healthtrainer.companion.models import DiaryEntry
from healthtrainer.companion.services import current_episode
from healthtrainer.core.audit import audit_record
from healthtrainer.core.charts import score_chart
from healthtrainer.core.forms import add_service_errors
from healthtrainer.referrals.models import Referral


def pain_chart(days: list[DiaryDay], span: int) -> Markup:
    points = [
        (dateformat.format(day.day, "j M"), day.mean_pain)
        for day in days
        if day.mean_pain is not None
    ]
    return score_chart(
        gettext("Pain over the last %(span)s days") % {"span": span},
        gettext("The average pain score of each day with a diary entry, from 0 (no pain) to 10."),
        points,
        minimum=0,
        maximum=10,
    )


def _episode(request: CompanionRequest) -> Referral:
    episode = current_episode(request.companion.client)
    if episode is None:
        raise Http404("No current plan")
    return episode


def _span(request: CompanionRequest) -> int:
    asked = request.GET.get("days", "")
    return int(asked) if asked.isdigit() and int(asked) in CHART_SPANS else 30


def _show(form: DiaryForm, error: ValidationError) -> None:
    """The service's problems on the form's fields: its moment is the form's date."""
    if hasattr(error, "error_dict") and "recorded_for" in error.error_dict:
        error.error_dict["recorded_date"] = error.error_dict.pop("recorded_for")
    add_service_errors(form, error)


@client_view
def diary(request: CompanionRequest) -> HttpResponse:
    episode = _episode(request)
    span = _span(request)
    days = diary_days(episode, days=span)
    since = timezone.now() - timedelta(days=span)
    entries = (
        DiaryEntry.objects.for_programme(episode.programme)
        .filter(episode=episode, recorded_for__gte=since)
        .prefetch_related("strategies_used__strategy")
    )
    audit_record(
        actor=None,
        client_actor=request.companion.client,
        action="companion.diary.viewed",
        target=episode,
        programme=episode.programme,
    )
    return render(
        request,
        "companion/diary.jinja",
        {
            "companion": request.companion,
            "span": span,
            "spans": CHART_SPANS,
            "days": days,
            "chart": pain_chart(days, span),
            "entries": entries,
        },
    )


def _form(request: CompanionRequest, episode: Referral, **kwargs: object) -> DiaryForm:
    strategies = (
        ClientStrategy.objects.for_programme(episode.programme)
        .filter(episode=episode)
        .select_related("strategy")
    )
    data = request.POST if request.method == "POST" else None
    return DiaryForm(data, strategies=strategies, **kwargs)


@client_view
@require_http_methods(["GET", "POST"])
def diary_new(request: CompanionRequest) -> HttpResponse:
    episode = _episode(request)
    now = timezone.localtime()
    form = _form(
        request,
        episode,
        initial={
            "key": uuid.uuid4(),
            "recorded_date": now.date(),
            "recorded_time": now.time().replace(second=0, microsecond=0),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            _, added = diary_entry_add(
                client=request.companion.client,
                episode=episode,
                key=form.cleaned_data["key"],
                details=form.details(),
            )
        except ValidationError as error:
            _show(form, error)
        else:
            messages.success(
                request,
                gettext("Your diary entry is saved.")
                if added
                else gettext("That entry was already saved."),
            )
            return redirect("companion:diary")
    return render(
        request,
        "companion/diary_entry.jinja",
        {"companion": request.companion, "form": form, "entry": None},
    )


@client_view
@require_http_methods(["GET", "POST"])
def diary_entry(request: CompanionRequest, entry_id: int) -> HttpResponse:
    episode = _episode(request)
    entry = (
        DiaryEntry.objects.for_programme(episode.programme)
        .filter(episode=episode, pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404("No such entry")
    client = request.companion.client
    if request.method == "POST" and "delete" in request.POST:
        diary_entry_delete(client=client, entry=entry)
        messages.success(request, gettext("The diary entry is deleted."))
        return redirect("companion:diary")
    moment = timezone.localtime(entry.recorded_for)
    form = _form(
        request,
        episode,
        initial={
            "key": entry.key,
            "recorded_date": moment.date(),
            "recorded_time": moment.time().replace(second=0, microsecond=0),
            "pain": entry.pain,
            "mood": entry.mood,
            "sleep": entry.sleep,
            "activity": entry.activity,
            "activity_minutes": entry.activity_minutes,
            "strategies_used": list(entry.strategies_used.all()),
            "note": entry.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            diary_entry_correct(client=client, entry=entry, details=form.details())
        except ValidationError as error:
            _show(form, error)
        else:
            messages.success(request, gettext("The diary entry is corrected."))
            return redirect("companion:diary")
    return render(
        request,
        "companion/diary_entry.jinja",
        {"companion": request.companion, "form": form, "entry": entry},
    )
