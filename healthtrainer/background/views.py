"""Background work pages: a job's own page, which updates in place with htmx until the
job is over and shows the same on a reload; and the administrators' overview."""

from __future__ import annotations

import uuid

from django.db.models import Count, Min
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from healthtrainer.accounts.access import (
    ProgrammeRequest,
    SignedInRequest,
    programme_view,
    site_view,
)
from healthtrainer.accounts.roles import Permission, SitePermission
from healthtrainer.background.models import BackgroundJob, JobState
from healthtrainer.core.in_place import in_place
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme


@programme_view(Permission.VIEW_PROGRAMME)
def job(request: ProgrammeRequest, programme: Programme, job_id: uuid.UUID) -> HttpResponse:
    found: BackgroundJob = get_for_user_or_404(
        BackgroundJob.objects.for_programme(programme).seen_by(request.user),
        request.user,
        Permission.VIEW_PROGRAMME,
        pk=job_id,
    )
    return render(
        request,
        in_place(request, "background/job.jinja", "background/_job_state.jinja"),
        {"programme": programme, "job": found},
    )


FAILURES_SHOWN = 20


@site_view(SitePermission.VIEW_BACKGROUND_WORK)
def site_work(request: SignedInRequest) -> HttpResponse:
    """For administrators: how much work is in each state, how long the oldest has waited,
    and the latest failures. Titles and errors only: no rows of anyone's data."""
    every = BackgroundJob.objects.all()
    counts = dict(every.values_list("state").annotate(n=Count("pk")).order_by())
    oldest = every.filter(state=JobState.QUEUED).aggregate(at=Min("created_at"))["at"]
    return render(
        request,
        "background/site_work.jinja",
        {
            "states": [(state, counts.get(state.value, 0)) for state in JobState],
            "oldest_waiting": timezone.now() - oldest if oldest else None,
            "failures": every.filter(state=JobState.FAILED)
            .select_related("programme")
            .order_by("-finished_at")[:FAILURES_SHOWN],
        },
    )
