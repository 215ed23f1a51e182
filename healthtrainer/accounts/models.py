from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from healthtrainer.accounts.roles import ADMINISTRATOR, Role, role_has_permission
from healthtrainer.core.scoping import ProgrammeScopedQuerySet


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def trainers_of(self, programme: Any) -> QuerySet[User]:
        """The programme's health trainers who can sign in, by name: the one answer to
        "who are this programme's trainers", for choosing, assigning and counting them."""
        return self.filter(
            memberships__programme=programme,
            memberships__role=Role.HEALTH_TRAINER,
            memberships__is_active=True,
            is_active=True,
        ).order_by("full_name", "email")

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        # Never is_superuser: that would bypass the role permissions in roles.py.
        extra.update(is_site_administrator=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. What they may see comes from their memberships."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_site_administrator = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Where the next sign-in lands, if the person still belongs there.
    last_programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @cached_property
    def active_memberships(self) -> dict[int, Membership]:
        """This user's active memberships by programme id, read once per request."""
        memberships = self.memberships.filter(is_active=True).select_related(
            "programme", "organisation"
        )
        return {membership.programme_id: membership for membership in memberships}

    def role_in(self, programme_id: int) -> str | None:
        if self.is_site_administrator:
            return ADMINISTRATOR
        membership = self.active_memberships.get(programme_id)
        return membership.role if membership else None

    def programme_ids_as(self, role: str) -> list[int]:
        """The programmes in which this user holds `role`, for scopes that narrow a role's
        reach (a health trainer sees their own clients)."""
        return [
            programme_id
            for programme_id, membership in self.active_memberships.items()
            if membership.role == role
        ]

    def programme_ids_with(self, permission: str) -> set[int]:
        if not self.is_active:
            return set()
        if self.is_site_administrator:
            from healthtrainer.programmes.models import Programme

            if role_has_permission(ADMINISTRATOR, permission):
                return set(Programme.objects.values_list("pk", flat=True))
            return set()
        return {
            programme_id
            for programme_id, membership in self.active_memberships.items()
            if role_has_permission(membership.role, permission)
        }


class MembershipQuerySet(ProgrammeScopedQuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """One person's one role in one programme."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "programmes.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="The GP practice of a referrer, or the organisation a person works for.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], name="one_membership_per_user_and_programme"
            ),
            models.CheckConstraint(
                condition=~Q(role="referrer") | Q(organisation__isnull=False),
                name="referrer_membership_has_practice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.programme})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(ProgrammeScopedQuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A single-use, expiring link that brings a person into a programme with a role.

    Only a hash of the token is stored, so a copy of the database cannot be used to
    accept someone else's invitation.
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "programmes.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.programme}"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class PasswordResetRequest(models.Model):
    """One request for a reset link, kept an hour or so to limit how often an address can
    be sent one. The address is stored only as a digest, whether or not it has an account."""

    email_digest = models.CharField(max_length=64)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["email_digest", "requested_at"])]

    def __str__(self) -> str:
        return f"Password reset requested {self.requested_at:%d %b %Y %H:%M}"
