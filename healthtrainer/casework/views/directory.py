"""The community directory, and signposting a client to what is in it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework import services
from healthtrainer.casework.forms.directory import CommunityResourceForm, SignpostingForm
from healthtrainer.casework.models import CommunityResource
from healthtrainer.casework.views.scope import episode_or_404
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme


@programme_view(Permission.VIEW_CASELOAD)
def directory(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    resources = CommunityResource.objects.visible_to(
        request.user, Permission.VIEW_CASELOAD
    ).for_programme(programme)
    category = request.GET.get("category", "")
    if category:
        resources = resources.filter(category=category)
    return render(
        request,
        "casework/directory.jinja",
        {
            "programme": programme,
            "resources": list(resources),
            "category": category,
            "categories": CommunityResource._meta.get_field("category").choices,
            "can_manage": request.user.has_perm(Permission.MANAGE_DIRECTORY, programme),
        },
    )


@programme_view(Permission.MANAGE_DIRECTORY)
@require_http_methods(["GET", "POST"])
def resource_edit(
    request: ProgrammeRequest, programme: Programme, resource_id: int | None = None
) -> HttpResponse:
    resource = (
        get_for_user_or_404(
            CommunityResource.objects.for_programme(programme),
            request.user,
            Permission.MANAGE_DIRECTORY,
            pk=resource_id,
        )
        if resource_id is not None
        else CommunityResource(programme=programme)
    )
    form = CommunityResourceForm(
        request.POST if request.method == "POST" else None, instance=resource
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.community_resource_save(
                actor=request.user, resource=form.instance, changed_fields=form.changed_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.instance.name} has been saved.")
            return redirect("casework:directory", programme.slug)
    return render(
        request,
        "casework/resource_form.jinja",
        {"programme": programme, "form": form, "resource": resource},
    )


@programme_view(Permission.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def signpost(request: ProgrammeRequest, programme: Programme, episode_id: int) -> HttpResponse:
    episode = episode_or_404(request, programme, episode_id, Permission.RECORD_CASEWORK)
    form = SignpostingForm(
        request.POST if request.method == "POST" else None,
        resources=CommunityResource.objects.for_programme(programme).filter(is_active=True),
        initial={"signposted_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signposting_record(
                actor=request.user,
                episode=episode,
                kind=form.cleaned_data["kind"],
                signposted_on=form.cleaned_data["signposted_on"],
                resource=form.cleaned_data["resource"],
                other_service=form.cleaned_data["other_service"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The signposting has been recorded.")
            return redirect("casework:episode", programme.slug, episode.pk)
    return render(
        request,
        "casework/signpost.jinja",
        {"programme": programme, "episode": episode, "form": form},
    )
