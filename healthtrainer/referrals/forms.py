from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.clients.codes import EmploymentStatus, EthnicCategory, Sex
from healthtrainer.clients.identifiers import (
    InvalidIdentifier,
    normalise_nhs_number,
    normalise_postcode,
)
from healthtrainer.core.dates import DateInputField
from healthtrainer.core.filters import FilterForm, search_words
from healthtrainer.core.forms import BoundedModelChoiceField
from healthtrainer.programmes.models import Organisation, OrganisationKind, Programme
from healthtrainer.referrals.models import ContactMethod, ContactOutcome, Source
from healthtrainer.referrals.services import ReferralDetails
from healthtrainer.referrals.triage import CLOSING, OPEN, Status

OLDEST_AGE = 120


def _not_in_future(value: date | None, label: str) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"The {label} must be today or in the past")


class ReferralForm(forms.Form):
    """A referral as a GP practice sends it: the patient, their pain, and their consent."""

    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the first name"}
    )
    family_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter the last name"}
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)", required=False, help_text="10 digits, like 943 476 5919"
    )
    date_of_birth = DateInputField(label="Date of birth", help_text="For example, 27 3 1960")
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the patient's sex"},
    )
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=10)
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=30)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    pain_duration_months = forms.IntegerField(
        label="How long has the patient had pain? (months)",
        min_value=0,
        max_value=1200,
        error_messages={
            "required": "Enter how many months the patient has had pain",
            "invalid": "Enter the pain duration as a whole number of months",
            "min_value": "The pain duration cannot be negative",
            "max_value": "Enter the pain duration in months, 1200 or fewer",
        },
    )
    pain_sites = forms.CharField(
        label="Where is the pain? (optional)",
        required=False,
        max_length=300,
        help_text="For example: lower back; knees",
    )
    help_wanted = forms.CharField(
        label="What does the patient want help with? (optional)",
        required=False,
        widget=forms.Textarea,
    )
    risk_notes = forms.CharField(
        label="Anything the health trainer should know for their safety or the patient's "
        "(optional)",
        required=False,
        widget=forms.Textarea,
    )
    consent_given = forms.BooleanField(
        label="Consent",
        help_text="The patient has agreed to be referred and to be contacted by a health trainer",
        error_messages={"required": "Confirm that the patient has agreed to the referral"},
    )

    def clean_nhs_number(self) -> str:
        value: str = self.cleaned_data["nhs_number"].strip()
        if not value:
            return ""
        try:
            return normalise_nhs_number(value)
        except InvalidIdentifier as error:
            raise forms.ValidationError(str(error)) from None

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        try:
            return normalise_postcode(value)
        except InvalidIdentifier as error:
            raise forms.ValidationError(str(error)) from None

    def clean_date_of_birth(self) -> date:
        value: date = self.cleaned_data["date_of_birth"]
        _not_in_future(value, "date of birth")
        today = timezone.localdate()
        if value < today.replace(year=today.year - OLDEST_AGE):
            raise forms.ValidationError(
                f"The date of birth makes the patient older than {OLDEST_AGE}: check the year"
            )
        return value

    def details(self) -> ReferralDetails:
        data = self.cleaned_data
        return ReferralDetails(
            **{name: data[name] for name in ReferralDetails.__dataclass_fields__ if name in data}
        )


class StaffReferralForm(ReferralForm):
    """A referral that arrived by letter, phone or another route, entered by programme staff."""

    source = forms.ChoiceField(
        label="Where did the referral come from?",
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the referral came from"},
    )
    received_date = DateInputField(label="Date received")

    field_order = ["source", "practice", "received_date"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practice"] = BoundedModelChoiceField(
            queryset=Organisation.objects.for_programme(programme).gp_practices(),
            label="The patient's GP practice",
            required=False,
            empty_label="Not known",
        )
        self.order_fields(self.field_order)

    def clean_received_date(self) -> date:
        value: date = self.cleaned_data["received_date"]
        _not_in_future(value, "date received")
        return value

    def clean_practice(self) -> Organisation | None:
        practice: Organisation | None = self.cleaned_data.get("practice")
        if self.cleaned_data.get("source") == Source.GP and practice is None:
            raise forms.ValidationError("Select the GP practice that made the referral")
        return practice


class ContactAttemptForm(forms.Form):
    attempted_on = DateInputField(label="Date of the attempt")
    method = forms.ChoiceField(
        label="How",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you tried to make contact"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ContactOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, received_date: date, **kwargs: Any) -> None:
        self.received_date = received_date
        kwargs.setdefault("initial", {"attempted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_attempted_on(self) -> date:
        value: date = self.cleaned_data["attempted_on"]
        _not_in_future(value, "date of the attempt")
        if value < self.received_date:
            raise forms.ValidationError("The attempt cannot be before the referral was received")
        return value


NEW_CLIENT = "new"


class AcceptForm(forms.Form):
    trainer = BoundedModelChoiceField(
        queryset=User.objects.none(),
        label="Health trainer",
        empty_label="Choose a health trainer",
        error_messages={"required": "Choose the health trainer who will see the client"},
    )
    client = forms.ChoiceField(
        label="Is this one of these clients?",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this is an existing client"},
    )

    def __init__(self, *args: Any, trainers: Any, matches: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers  # type: ignore[attr-defined]
        self.matches = {str(client.pk): client for client in matches}
        self.fields["client"].choices = [  # type: ignore[attr-defined]
            *(
                (
                    pk,
                    f"Yes: {client} (born {client.date_of_birth:%d %B %Y}, "
                    f"NHS number {client.nhs_number_display})",
                )
                for pk, client in self.matches.items()
            ),
            (NEW_CLIENT, "No: this is a new client"),
        ]
        if not matches:
            self.fields["client"].initial = NEW_CLIENT

    def existing_client(self) -> Any:
        return self.matches.get(self.cleaned_data["client"])


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label="Why is the referral closing?",
        choices=[(status.value, status.label) for status in (*CLOSING, Status.NOT_ELIGIBLE)],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason, for the record"},
    )


class DemographicsForm(forms.Form):
    ethnic_category = forms.ChoiceField(
        label="Ethnic category",
        choices=[("", "Not recorded"), *EthnicCategory.choices],
        required=False,
    )
    employment_status = forms.ChoiceField(
        label="Employment status",
        choices=[("", "Not recorded"), *EmploymentStatus.choices],
        required=False,
    )


class TriageFilterForm(FilterForm):
    q = forms.CharField(label="Name or referral ID", required=False, max_length=100, strip=True)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any"), *[(s.value, s.label) for s in Status if s in OPEN]],
    )
    practice = BoundedModelChoiceField(
        label="GP practice",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Any practice",
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        practices = Organisation.objects.for_programme(programme)
        self.fields["practice"].queryset = practices.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.GP_PRACTICE
        )

    def apply(self, queue: Any) -> Any:
        """The queue narrowed by the filters that checked."""
        filters = self.filters()
        for word in search_words(filters.get("q", "")):
            queue = queue.filter(
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(reference__icontains=word)
            )
        if "status" in filters:
            queue = queue.filter(status=filters["status"])
        if "practice" in filters:
            queue = queue.filter(practice=filters["practice"])
        return queue
