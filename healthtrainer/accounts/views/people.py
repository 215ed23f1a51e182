"""Joiners, movers and leavers: invitations, role changes and removal of access."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts import services
from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.forms import AcceptInvitationForm, InvitationForm, MembershipRoleForm
from healthtrainer.accounts.models import Invitation, Membership, User
from healthtrainer.accounts.roles import Permission
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme


def _membership(
    request: ProgrammeRequest, programme: Programme, membership_id: int, active_only: bool = False
) -> Membership:
    memberships = Membership.objects.for_programme(programme).select_related("user", "organisation")
    return get_for_user_or_404(
        memberships.active() if active_only else memberships,
        request.user,
        Permission.MANAGE_PEOPLE,
        pk=membership_id,
    )


@programme_view(Permission.MANAGE_PEOPLE)
def people(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    memberships = (
        Membership.objects.for_programme(programme)
        .select_related("user", "organisation")
        .order_by("-is_active", "user__full_name")
    )
    invitations = (
        Invitation.objects.for_programme(programme).pending().select_related("organisation")
    )
    return render(
        request,
        "accounts/people.jinja",
        {"programme": programme, "memberships": memberships, "invitations": invitations},
    )


@programme_view(Permission.MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def invite(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = InvitationForm(request.POST if request.method == "POST" else None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = services.invitation_create(
                actor=request.user,
                programme=programme,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                accept_url_for=lambda token: request.build_absolute_uri(
                    reverse("accounts:accept_invitation", args=[token])
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. The link expires on "
                f"{invitation.expires_at:%d %B %Y}.",
            )
            return redirect("accounts:people", programme.slug)
    return render(
        request,
        "accounts/invite.jinja",
        {"programme": programme, "form": form, "valid_days": settings.INVITATION_VALID_DAYS},
    )


@programme_view(Permission.MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def membership_detail(
    request: ProgrammeRequest, programme: Programme, membership_id: int
) -> HttpResponse:
    membership = _membership(request, programme, membership_id)
    form = MembershipRoleForm(
        request.POST if request.method == "POST" else None, membership=membership
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(
                actor=request.user,
                membership=membership,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
            return redirect("accounts:people", programme.slug)
    return render(
        request,
        "accounts/membership_detail.jinja",
        {"programme": programme, "membership": membership, "form": form},
    )


@programme_view(Permission.MANAGE_PEOPLE)
@require_POST
def membership_set_active(
    request: ProgrammeRequest, programme: Programme, membership_id: int
) -> HttpResponse:
    membership = _membership(request, programme, membership_id)
    active = request.POST.get("active") == "true"
    try:
        services.membership_set_active(
            actor=request.user,
            membership=membership,
            active=active,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:membership", programme.slug, membership.pk)
    verb = "now has access again" if active else "no longer has access"
    messages.success(request, f"{membership.user} {verb} to {programme.name}.")
    return redirect("accounts:people", programme.slug)


@programme_view(Permission.MANAGE_PEOPLE)
@require_POST
def two_factor_reset(
    request: ProgrammeRequest, programme: Programme, membership_id: int
) -> HttpResponse:
    membership = _membership(request, programme, membership_id, active_only=True)
    if services.user_two_factor_reset(
        actor=request.user,
        membership=membership,
    ):
        messages.success(
            request,
            f"{membership.user} will set up two-factor sign-in again when they next sign in.",
        )
    else:
        messages.success(request, f"{membership.user} has not set up two-factor sign-in yet.")
    return redirect("accounts:membership", programme.slug, membership.pk)


@programme_view(Permission.MANAGE_PEOPLE)
@require_POST
def invitation_revoke(
    request: ProgrammeRequest, programme: Programme, invitation_id: int
) -> HttpResponse:
    invitation = get_for_user_or_404(
        Invitation.objects.for_programme(programme).pending(),
        request.user,
        Permission.MANAGE_PEOPLE,
        pk=invitation_id,
    )
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
    return redirect("accounts:people", programme.slug)


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404("This invitation link has expired or has already been used.")
    user = request.user if request.user.is_authenticated else None
    signed_in_as_invitee = user is not None and user.email.lower() == invitation.email
    account_exists = user is None and User.objects.filter(email__iexact=invitation.email).exists()
    form = None
    if user is None and not account_exists:
        form = AcceptInvitationForm(
            request.POST if request.method == "POST" else None,
            email=invitation.email,
            initial={"full_name": invitation.full_name},
        )
    if request.method == "POST" and (
        signed_in_as_invitee or (form is not None and form.is_valid())
    ):
        try:
            accepted_by = services.invitation_accept(
                invitation=invitation,
                user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
            )
        except ValidationError as error:
            if form is None:
                raise Http404(" ".join(error.messages)) from None
            add_service_errors(form, error)
        else:
            if user is None:
                login(request, accepted_by, backend="django.contrib.auth.backends.ModelBackend")
                services.user_signed_in(user=accepted_by)
            messages.success(request, f"Welcome to {invitation.programme.name}.")
            return redirect("accounts:programme_home", invitation.programme.slug)
    return render(
        request,
        "accounts/accept_invitation.jinja",
        {
            "invitation": invitation,
            "form": form,
            "signed_in_as_invitee": signed_in_as_invitee,
            "account_exists": account_exists,
            "signed_in_as_someone_else": user is not None and not signed_in_as_invitee,
        },
    )
