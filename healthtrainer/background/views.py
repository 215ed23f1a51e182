"""A job's own page: it updates in place with htmx until the job is over, and shows the
same on a reload."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import render

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.background.models import BackgroundJob
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
