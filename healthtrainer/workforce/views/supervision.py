"""Supervision and trainers: sessions with fidelity ratings and actions, fidelity over time,
trainer profiles and the programme's workforce settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import Permission, Role
from healthtrainer.core import charts
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status
from healthtrainer.workforce.fidelity import (
    by_trainer,
    programme_fidelity,
    rated_work,
    ratings_by_month,
)
from healthtrainer.workforce.forms.supervision import (
    ActionForm,
    CompleteActionForm,
    FidelityForm,
    SupervisionForm,
    TrainerProfileForm,
    WorkforceSettingsForm,
)
from healthtrainer.workforce.models import (
    FidelityItem,
    SupervisionSession,
    TrainerProfile,
)
from healthtrainer.workforce.services import supervision as services
from healthtrainer.workforce.services.setup import settings_for


def _session_or_404(
    request: ProgrammeRequest, programme: Programme, session_id: int, permission: Permission
) -> SupervisionSession:
    return get_for_user_or_404(
        SupervisionSession.objects.for_programme(programme).select_related("supervisor"),
        request.user,
        permission,
        pk=session_id,
    )


@programme_view(Permission.VIEW_WORKFORCE)
def supervision_list(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    sessions = (
        SupervisionSession.objects.visible_to(request.user, Permission.VIEW_WORKFORCE)
        .for_programme(programme)
        .select_related("supervisor")
        .prefetch_related("trainers", "actions")
    )
    return render(
        request,
        "workforce/supervision/list.jinja",
        {
            "programme": programme,
            "sessions": list(sessions),
            "can_record": request.user.has_perm(Permission.RECORD_SUPERVISION, programme),
            "today": timezone.localdate(),
        },
    )


@programme_view(Permission.RECORD_SUPERVISION)
@require_http_methods(["GET", "POST"])
def supervision_new(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    cases = list(
        Referral.objects.visible_to(request.user, Permission.RECORD_SUPERVISION)
        .for_programme(programme)
        .filter(status=Status.ACCEPTED, discharge__isnull=True)
        .select_related("client", "assigned_trainer")
        .order_by("client__family_name")
    )
    form = SupervisionForm(
        request.POST if request.method == "POST" else None,
        trainers=list(User.objects.trainers_of(programme)),
        cases=cases,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.supervision_record(
                actor=request.user,
                programme=programme,
                trainers=form.chosen_trainers(),
                held_on=form.cleaned_data["held_on"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                format=form.cleaned_data["format"],
                cases=form.chosen_cases(),
                concerns=form.cleaned_data["concerns"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "The supervision session has been recorded. Rate the work reviewed."
            )
            return redirect("workforce:supervision", programme.slug, session.pk)
    return render(
        request, "workforce/supervision/new.jinja", {"programme": programme, "form": form}
    )


@programme_view(Permission.VIEW_WORKFORCE)
def supervision(request: ProgrammeRequest, programme: Programme, session_id: int) -> HttpResponse:
    session = _session_or_404(request, programme, session_id, Permission.VIEW_WORKFORCE)
    can_record = request.user.has_perm(Permission.RECORD_SUPERVISION, programme)
    trainers = list(session.trainers.order_by("full_name"))
    actions = session.actions.select_related("owner")
    cases = Referral.objects.visible_to(request.user, Permission.VIEW_WORKFORCE).filter(
        pk__in=session.cases.values("pk")
    )
    if not can_record:
        # In a group, a trainer sees their own ratings and actions, and only the clients
        # they may see: another trainer's work is not theirs to read.
        trainers = [trainer for trainer in trainers if trainer.pk == request.user.pk]
        actions = actions.filter(Q(owner=request.user) | Q(owner__isnull=True))
    items = list(FidelityItem.objects.for_programme(programme).filter(is_active=True))
    scale = settings_for(programme)
    ratings = {
        (rating.trainer_id, rating.item_id): rating.value for rating in session.ratings.all()
    }
    rating_forms = [
        (
            trainer,
            FidelityForm(
                prefix=f"t{trainer.pk}",
                items=items,
                scale=scale,
                initial={
                    f"item_{item.pk}": ratings[(trainer.pk, item.pk)]
                    for item in items
                    if (trainer.pk, item.pk) in ratings
                },
            ),
        )
        for trainer in trainers
    ]
    return render(
        request,
        "workforce/supervision/detail.jinja",
        {
            "programme": programme,
            "session": session,
            "trainers": trainers,
            "rating_forms": rating_forms if can_record else [],
            "ratings": ratings,
            "items": items,
            "scale": scale,
            "actions": list(actions),
            "cases": list(cases.select_related("client")),
            "action_form": ActionForm(people=[*trainers, session.supervisor]),
            "complete_form": CompleteActionForm(initial={"completed_on": timezone.localdate()}),
            "can_record": can_record,
        },
    )


@programme_view(Permission.RECORD_SUPERVISION)
@require_POST
def supervision_rate(
    request: ProgrammeRequest, programme: Programme, session_id: int, trainer_id: int
) -> HttpResponse:
    session = _session_or_404(request, programme, session_id, Permission.RECORD_SUPERVISION)
    trainer = session.trainers.filter(pk=trainer_id).first()
    if trainer is None:
        raise Http404("Not supervised in this session")
    form = FidelityForm(
        request.POST,
        prefix=f"t{trainer.pk}",
        items=list(FidelityItem.objects.for_programme(programme).filter(is_active=True)),
        scale=settings_for(programme),
    )
    if form.is_valid():
        try:
            services.fidelity_rate(
                actor=request.user, session=session, trainer=trainer, ratings=form.ratings()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Fidelity ratings for {trainer} have been saved.")
    else:
        problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"The ratings for {trainer} were not saved: {problems}.")
    return redirect("workforce:supervision", programme.slug, session.pk)


@programme_view(Permission.RECORD_SUPERVISION)
@require_POST
def supervision_action_add(
    request: ProgrammeRequest, programme: Programme, session_id: int
) -> HttpResponse:
    session = _session_or_404(request, programme, session_id, Permission.RECORD_SUPERVISION)
    form = ActionForm(request.POST, people=[*session.trainers.all(), session.supervisor])
    if form.is_valid():
        try:
            services.supervision_action_add(
                actor=request.user,
                session=session,
                description=form.cleaned_data["description"],
                owner=form.owner_object(),
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The action has been added.")
    else:
        problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"The action was not added: {problems}.")
    return redirect("workforce:supervision", programme.slug, session.pk)


@programme_view(Permission.RECORD_SUPERVISION)
@require_POST
def supervision_action_complete(
    request: ProgrammeRequest, programme: Programme, session_id: int, action_id: int
) -> HttpResponse:
    session = _session_or_404(request, programme, session_id, Permission.RECORD_SUPERVISION)
    action = session.actions.filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action")
    form = CompleteActionForm(request.POST)
    if form.is_valid():
        try:
            services.supervision_action_complete(
                actor=request.user, action=action, completed_on=form.cleaned_data["completed_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The action is marked complete.")
    else:
        messages.error(request, "Enter the date the action was completed.")
    return redirect("workforce:supervision", programme.slug, session.pk)


@programme_view(Permission.VIEW_WORKFORCE)
def fidelity(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    scale = settings_for(programme)
    own_only = not request.user.has_perm(Permission.RECORD_SUPERVISION, programme)
    work = rated_work(
        SupervisionSession.objects.visible_to(
            request.user, Permission.VIEW_WORKFORCE
        ).for_programme(programme),
        trainer=request.user if own_only else None,
    )
    months = ratings_by_month(work)
    context: dict[str, Any] = {
        "programme": programme,
        "scale": scale,
        "trainers": by_trainer(work),
        "own_only": own_only,
        "months": months,
        "chart": charts.score_chart(
            "Mean fidelity rating by month",
            f"The mean of supervisors' fidelity ratings in each month, on the programme's scale "
            f"from {scale.fidelity_scale_min} to {scale.fidelity_scale_max}.",
            months,
            minimum=scale.fidelity_scale_min,
            maximum=scale.fidelity_scale_max,
        )
        if months
        else None,
    }
    if not own_only:
        context["summary"] = programme_fidelity(programme, work, Decimal(scale.fidelity_threshold))
    return render(request, "workforce/supervision/fidelity.jinja", context)


@programme_view(Permission.VIEW_WORKFORCE)
def trainers(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    memberships = (
        Membership.objects.visible_to(request.user, Permission.VIEW_WORKFORCE)
        .for_programme(programme)
        .active()
        .filter(role=Role.HEALTH_TRAINER)
        .select_related("user", "organisation")
        .order_by("user__full_name")
    )
    if request.user.role_in(programme.pk) == Role.HEALTH_TRAINER:
        memberships = memberships.filter(user=request.user)
    profiles = {
        profile.membership_id: profile
        for profile in TrainerProfile.objects.visible_to(
            request.user, Permission.VIEW_WORKFORCE
        ).for_programme(programme)
    }
    return render(
        request,
        "workforce/trainers.jinja",
        {
            "programme": programme,
            "rows": [(membership, profiles.get(membership.pk)) for membership in memberships],
            "can_edit": request.user.has_perm(Permission.MANAGE_RESOURCES, programme),
        },
    )


@programme_view(Permission.MANAGE_RESOURCES)
@require_http_methods(["GET", "POST"])
def trainer_profile(
    request: ProgrammeRequest, programme: Programme, membership_id: int
) -> HttpResponse:
    membership = get_for_user_or_404(
        Membership.objects.for_programme(programme).filter(role=Role.HEALTH_TRAINER),
        request.user,
        Permission.MANAGE_RESOURCES,
        pk=membership_id,
    )
    existing = TrainerProfile.objects.for_programme(programme).filter(membership=membership).first()
    form = TrainerProfileForm(request.POST if request.method == "POST" else None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.trainer_profile_save(
                actor=request.user,
                membership=membership,
                fields={name: form.cleaned_data[name] for name in TrainerProfileForm.Meta.fields},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The profile of {membership.user} has been saved.")
            return redirect("workforce:trainers", programme.slug)
    return render(
        request,
        "workforce/trainer_profile.jinja",
        {"programme": programme, "membership": membership, "form": form},
    )


@programme_view(Permission.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def workforce_settings(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    current = settings_for(programme)
    form = WorkforceSettingsForm(
        request.POST if request.method == "POST" else None, instance=current
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.workforce_settings_update(
                actor=request.user,
                workforce_settings=form.instance,
                changed_fields=form.changed_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The workforce settings have been saved.")
            return redirect("workforce:settings", programme.slug)
    return render(request, "workforce/settings.jinja", {"programme": programme, "form": form})
