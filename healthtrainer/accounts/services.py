"""Writes to people and their access: joiners, movers and leavers. Each is audited."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from healthtrainer.accounts.models import Invitation, Membership, User, hash_token
from healthtrainer.accounts.roles import Role
from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Organisation, OrganisationKind, Programme


def _check_organisation(
    *, programme: Programme, role: str, organisation: Organisation | None
) -> None:
    if organisation is not None and organisation.programme_id != programme.pk:
        raise ValidationError({"organisation": "Choose an organisation in this programme."})
    if role == Role.REFERRER and (
        organisation is None or organisation.kind != OrganisationKind.GP_PRACTICE
    ):
        raise ValidationError({"organisation": "A referrer must belong to a GP practice."})


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    programme: Programme,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation | None,
    accept_url_for: Callable[[str], str],
) -> tuple[Invitation, str]:
    """Create an invitation and email its link. Returns the invitation and the raw token.

    `accept_url_for` turns a token into the absolute link to put in the email.
    """
    email = email.strip().lower()
    _check_organisation(programme=programme, role=role, organisation=organisation)
    if Membership.objects.filter(programme=programme, user__email=email, is_active=True).exists():
        raise ValidationError({"email": "This person already has access to this programme."})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        programme=programme,
        email=email,
        full_name=full_name.strip(),
        role=role,
        organisation=organisation,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(
        actor=actor,
        action="accounts.invitation.created",
        target=invitation,
        programme=programme,
        changed_fields=["email", "full_name", "role", "organisation"],
    )
    link = accept_url_for(token)
    transaction.on_commit(
        lambda: send_mail(
            subject=f"You are invited to {programme.name}",
            message=(
                f"Hello {invitation.full_name},\n\n"
                f"{actor.full_name} has invited you to join {programme.name} on "
                f"{settings.SERVICE_NAME} as {invitation.get_role_display().lower()}.\n\n"
                f"Accept the invitation here (the link works once and expires on "
                f"{invitation.expires_at:%d %B %Y}):\n{link}\n"
            ),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("programme", "organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None,
    full_name: str = "",
    password: str = "",
) -> User:
    """Turn a usable invitation into an active membership, creating the account if needed.

    The invitation is locked and re-checked so that two clicks cannot both use it.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError("This invitation has expired or has already been used.")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError("An account with this email exists: sign in to accept.")
        user = User.objects.create_user(
            invitation.email, password, full_name=full_name.strip() or invitation.full_name
        )
        audit_record(
            actor=user,
            action="accounts.user.created",
            target=user,
            programme=invitation.programme,
            changed_fields=["email", "full_name", "password"],
        )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError("This invitation was sent to a different email address.")

    membership, created = Membership.objects.update_or_create(
        user=user,
        programme=invitation.programme,
        defaults={
            "role": invitation.role,
            "organisation": invitation.organisation,
            "is_active": True,
        },
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        action="accounts.invitation.accepted",
        target=invitation,
        programme=invitation.programme,
        changed_fields=["accepted_at", "accepted_by"],
    )
    audit_record(
        actor=user,
        action="accounts.membership.created" if created else "accounts.membership.reactivated",
        target=membership,
        programme=invitation.programme,
        changed_fields=["role", "organisation", "is_active"],
    )
    return user


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="accounts.invitation.revoked",
        target=invitation,
        programme=invitation.programme,
        changed_fields=["revoked_at"],
    )


@transaction.atomic
def membership_change_role(
    *, actor: User, membership: Membership, role: str, organisation: Organisation | None
) -> Membership:
    """A mover: the same person takes a different role in the programme."""
    _check_organisation(programme=membership.programme, role=role, organisation=organisation)
    changed = [
        name
        for name, value in (("role", role), ("organisation_id", getattr(organisation, "pk", None)))
        if getattr(membership, name) != value
    ]
    if not changed:
        return membership
    membership.role = role
    membership.organisation = organisation
    membership.save(update_fields=["role", "organisation", "updated_at"])
    audit_record(
        actor=actor,
        action="accounts.membership.role_changed",
        target=membership,
        programme=membership.programme,
        changed_fields=[name.removesuffix("_id") for name in changed],
    )
    return membership


@transaction.atomic
def membership_set_active(*, actor: User, membership: Membership, active: bool) -> Membership:
    """A leaver (or a returner): access to the programme ends or resumes; history stays."""
    if membership.user_id == actor.pk and not active:
        raise ValidationError("You cannot remove your own access.")
    if membership.is_active == active:
        return membership
    _membership_switch(actor, membership, active=active)
    return membership


def _membership_switch(actor: User, membership: Membership, *, active: bool) -> None:
    membership.is_active = active
    membership.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="accounts.membership.reactivated" if active else "accounts.membership.deactivated",
        target=membership,
        programme=membership.programme,
        changed_fields=["is_active"],
    )


@transaction.atomic
def user_two_factor_reset(*, actor: User, membership: Membership) -> int:
    """Remove a person's authenticator so they set up a new one at their next sign-in."""
    removed: int = TOTPDevice.objects.filter(user=membership.user).delete()[0]
    if removed:
        audit_record(
            actor=actor,
            action="accounts.user.two_factor_reset",
            target=membership.user,
            programme=membership.programme,
            changed_fields=["totp_device"],
        )
    return removed


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> int:
    """Someone who leaves the service altogether: the account closes, every membership
    ends, and every session on every device ends. Systems they connected keep working
    (a referral feed should not stop with a person) and are shown as theirs to review.
    Returns how many memberships ended."""
    if user.pk == actor.pk:
        raise ValidationError("You cannot deactivate your own account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return 0
    memberships = list(Membership.objects.filter(user=user, is_active=True))
    for membership in memberships:
        _membership_switch(actor, membership, active=False)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _end_sessions_of(user)
    audit_record(
        actor=actor, action="accounts.user.deactivated", target=user, changed_fields=["is_active"]
    )
    return len(memberships)


def _end_sessions_of(user: User) -> None:
    """Delete the user's sessions from the session store: an inactive account is refused
    on its next request anyway, but a deleted session cannot linger in a cache."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


def user_programme_opened(*, user: User, programme: Programme) -> None:
    """The next sign-in lands here. Written when a programme's home page is opened, as
    choosing a programme does, rather than on every page."""
    if user.last_programme_id != programme.pk:
        User.objects.filter(pk=user.pk).update(last_programme=programme)
        user.last_programme_id = programme.pk


def user_signed_in(*, user: User) -> None:
    audit_record(actor=user, action="accounts.user.signed_in", target=user)


def user_sign_in_refused(*, email: str, locked_out: bool) -> None:
    """A failed or locked-out sign-in, against the account if the email names one."""
    user = User.objects.filter(email__iexact=email.strip()).first() if email else None
    audit_record(
        actor=None,
        action="accounts.user.locked_out" if locked_out else "accounts.user.sign_in_failed",
        target=user,
    )


def user_signed_out(*, user: User) -> None:
    audit_record(actor=user, action="accounts.user.signed_out", target=user)


def user_two_factor_confirmed(*, user: User) -> None:
    audit_record(
        actor=user,
        action="accounts.user.two_factor_added",
        target=user,
        changed_fields=["totp_device"],
    )
