"""Background work pages: a job's own page, which updates in place with htmx until the
job is over and shows the same on a reload; the file it made; and, for administrators,
the site-wide jobs and the overview of all work."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from healthtrainer.accounts.access import (
    ProgrammeRequest,
    SignedInRequest,
    programme_view,
    site_view,
)
from healthtrainer.accounts.roles import Permission, SitePermission
from healthtrainer.background.models import KIND_PERMISSIONS, BackgroundJob, JobKind, JobState
from healthtrainer.core.audit import audit_record
from healthtrainer.core.in_place import in_place
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme


def _job_seen(request: ProgrammeRequest, programme: Programme, job_id: uuid.UUID) -> BackgroundJob:
    found: BackgroundJob = get_for_user_or_404(
        BackgroundJob.objects.for_programme(programme).seen_by(request.user),
        request.user,
        Permission.VIEW_PROGRAMME,
        pk=job_id,
    )
    return found


@programme_view(Permission.VIEW_PROGRAMME)
def job(request: ProgrammeRequest, programme: Programme, job_id: uuid.UUID) -> HttpResponse:
    return _render_job(request, programme, _job_seen(request, programme, job_id))


def _render_job(
    request: SignedInRequest, programme: Programme | None, found: BackgroundJob
) -> HttpResponse:
    return render(
        request,
        in_place(request, "background/job.jinja", "background/_job_state.jinja"),
        {"programme": programme, "job": found, "file_days": settings.BACKGROUND_FILE_DAYS},
    )


@programme_view(Permission.VIEW_PROGRAMME)
def job_file(request: ProgrammeRequest, programme: Programme, job_id: uuid.UUID) -> HttpResponse:
    """The file a finished job made, to the people who may see the job and, today, may
    still do what made it (a role can change after the job was started)."""
    found = _job_seen(request, programme, job_id)
    permission = KIND_PERMISSIONS.get(JobKind(found.kind))
    if permission is None or not request.user.has_perm(permission, programme):
        raise Http404("No such file")
    if found.state != JobState.FINISHED or found.file_content is None:
        raise Http404("No such file")
    audit_record(
        actor=request.user,
        action="background.job.file_downloaded",
        target=found,
        programme=programme,
    )
    return _attachment(found)


def _attachment(found: BackgroundJob) -> HttpResponse:
    response = HttpResponse(bytes(found.file_content or b""), content_type=found.file_type)
    response["Content-Disposition"] = f'attachment; filename="{found.file_name}"'
    return response


@site_view(SitePermission.VIEW_BACKGROUND_WORK)
def site_job(request: SignedInRequest, job_id: uuid.UUID) -> HttpResponse:
    """A site-wide job (reference data), which belongs to no programme."""
    found = BackgroundJob.objects.site_wide().filter(pk=job_id).first()
    if found is None:
        raise Http404("No such job")
    return _render_job(request, None, found)


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
