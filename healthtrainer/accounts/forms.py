from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet

from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import Role
from healthtrainer.core.audit_labels import action_label, object_type_label
from healthtrainer.core.forms import BoundedModelChoiceField
from healthtrainer.core.models import AuditEvent
from healthtrainer.programmes.models import Organisation, Programme

EMAIL_MAX_LENGTH: int = User._meta.get_field("email").max_length or 254


class SignInForm(AuthenticationForm):
    # One message for an unknown email and a wrong password, so neither is revealed.
    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "Enter a correct email address and password.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets the field's max_length after the field is made, which
        # leaves it unchecked: an address longer than any account's would reach the
        # lockout records, whose column holds 255 characters.
        self.fields["username"].validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH))
        self.fields["username"].error_messages["max_length"] = "Enter a correct email address"
        self.fields["username"].label = "Email address"
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"


class TwoFactorCodeForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        min_length=6,
        max_length=6,
        error_messages={
            "required": "Enter the 6-digit security code from your authenticator app",
            "min_length": "Enter the 6-digit security code from your authenticator app",
            "max_length": "Enter the 6-digit security code from your authenticator app",
        },
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].replace(" ", "")
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError("The security code is 6 digits")
        return token


def organisation_field(programme: Programme) -> BoundedModelChoiceField[Organisation]:
    return BoundedModelChoiceField(
        queryset=Organisation.objects.for_programme(programme),
        required=False,
        label="Organisation",
        help_text="Required for a referrer: the GP practice they refer from.",
        empty_label="None",
    )


class InvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter their full name"}
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = organisation_field(programme)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"role": membership.role, "organisation": membership.organisation_id}
        )
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = organisation_field(membership.programme)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter your full name"}
    )
    password = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(render_value=False),
        help_text="At least 12 characters. Avoid common words and your name.",
        error_messages={"required": "Create a password"},
    )
    password_again = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(render_value=False),
        error_messages={"required": "Type the password again"},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "The passwords do not match")
        elif password:
            probe = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                validate_password(password, user=probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class AuditFilterForm(forms.Form):
    person: BoundedModelChoiceField[User] = BoundedModelChoiceField(
        queryset=User.objects.none(), required=False, label="Person", empty_label="Anyone"
    )
    action = forms.ChoiceField(required=False, label="What was done")
    object_type = forms.ChoiceField(required=False, label="What it was done to")
    date_from = forms.DateField(
        required=False,
        label="From (YYYY-MM-DD)",
        error_messages={"invalid": "Enter the start date as YYYY-MM-DD"},
    )
    date_to = forms.DateField(
        required=False,
        label="To (YYYY-MM-DD)",
        error_messages={"invalid": "Enter the end date as YYYY-MM-DD"},
    )

    def __init__(
        self,
        *args: Any,
        people: Any,
        actions: list[str],
        object_types: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", "Anything"),
            *sorted(((a, action_label(a)) for a in actions), key=lambda pair: pair[1]),
        ]
        self.fields["object_type"].choices = [  # type: ignore[attr-defined]
            ("", "Anything"),
            *sorted(((t, object_type_label(t)) for t in object_types), key=lambda pair: pair[1]),
        ]

    def filter(self, events: Any) -> Any:
        """Narrow `events` by whatever was filled in; an invalid form filters nothing."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["person"]:
            events = events.filter(actor=data["person"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"])
        if data["date_from"]:
            events = events.filter(occurred_at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(occurred_at__date__lte=data["date_to"])
        return events


def audit_actions(events: QuerySet[AuditEvent]) -> list[str]:
    return list(events.order_by("action").values_list("action", flat=True).distinct())


def audit_object_types(events: QuerySet[AuditEvent]) -> list[str]:
    return list(
        events.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
