from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from healthtrainer.casework.models import (
    CbTechnique,
    ClientStrategy,
    CommunityResource,
    Goal,
    Strategy,
)
from healthtrainer.casework.services import FollowUpAnswers, GoalDetails, SessionDetails
from healthtrainer.casework.vocabulary import (
    CANCELLED_BY_EITHER_SIDE,
    FINAL_STATUSES,
    REVIEW_STATUSES,
    Attendance,
    DischargeReason,
    EscalationCategory,
    GoalDomain,
    GoalStatus,
    Maintained,
    Mode,
    SignpostKind,
    Topic,
)
from healthtrainer.clients.models import ReminderPreference
from healthtrainer.core.dates import DateInputField
from healthtrainer.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField

_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
NO_REVIEW_TODAY = ""
YES_NO = [("yes", "Yes"), ("no", "No")]


def _not_in_future(value: date | None, label: str) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"The {label} must be today or in the past")


class TimeOfDayField(forms.CharField):
    """A time typed as 14:30 (or 9.15), the way people write it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "24-hour clock, for example 14:30")
        kwargs.setdefault("max_length", 5)
        super().__init__(**kwargs)
        self.error_messages["required"] = "Enter the time"

    def clean(self, value: Any) -> time | None:
        text = super().clean(value)
        if not text:
            return None
        match = _TIME.match(text.strip())
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise forms.ValidationError("Enter the time like 14:30")
        return time(int(match[1]), int(match[2]))


class AppointmentForm(forms.Form):
    day = DateInputField(label="Date", help_text="For example, 27 3 2027")
    at = TimeOfDayField(label="Time")
    mode = forms.ChoiceField(
        label="How will you meet?",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you will meet"},
    )
    venue = forms.CharField(
        label="Venue",
        required=False,
        max_length=200,
        help_text="Needed for a face to face or group session",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("mode") in (Mode.FACE_TO_FACE, Mode.GROUP)
            and not cleaned.get("venue", "").strip()
        ):
            self.add_error("venue", "Enter the venue for a face to face or group session")
        return cleaned

    def starts_at(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["day"], self.cleaned_data["at"])
        )


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label="What happened?",
        choices=[
            (value, label)
            for value, label in Attendance.choices
            if value in (Attendance.DID_NOT_ATTEND, *CANCELLED_BY_EITHER_SIDE)
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
        help_text="If the client came, record the session instead.",
    )


class SessionForm(forms.Form):
    """Everything a trainer records after a session, on one page, most of it ticks."""

    duration_minutes = forms.IntegerField(
        label="How long was the session? (minutes)",
        min_value=1,
        max_value=480,
        error_messages={
            "required": "Enter how long the session was, in minutes",
            "invalid": "Enter the length of the session as a whole number of minutes",
            "min_value": "The session must last at least 1 minute",
            "max_value": "Enter a length of 480 minutes or fewer",
        },
    )
    techniques = BoundedModelMultipleChoiceField(
        label="Which CB approaches did you use?",
        queryset=CbTechnique.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.MultipleChoiceField(
        label="What did the client bring to the session?",
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Include anything behind the pain: money, housing, work, isolation.",
    )
    gp_visits_last_3_months = forms.IntegerField(
        label="How many times has the client seen their GP in the last 3 months?",
        min_value=0,
        max_value=99,
        required=False,
        help_text="As the client tells you. Asked again at follow-up.",
        error_messages={
            "invalid": "Enter the number of GP visits as a whole number",
            "min_value": "The number of GP visits cannot be negative",
            "max_value": "Enter 99 or fewer GP visits",
        },
    )
    strategies = BoundedModelMultipleChoiceField(
        label="Which self-management strategies has the client taken up?",
        queryset=Strategy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)
    next_steps = forms.CharField(
        label="Agreed next steps (optional)", required=False, widget=forms.Textarea
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        techniques: Any,
        strategies: Any,
        goals: list[Goal],
        ask_gp_visits: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["techniques"].queryset = techniques  # type: ignore[attr-defined]
        self.fields["strategies"].queryset = strategies  # type: ignore[attr-defined]
        if not ask_gp_visits:
            del self.fields["gp_visits_last_3_months"]
        self.goals = goals
        for goal in goals:
            self.fields[self.review_field(goal)] = forms.ChoiceField(
                label=goal.description,
                choices=[
                    (NO_REVIEW_TODAY, "Not reviewed today"),
                    *((status.value, status.label) for status in REVIEW_STATUSES),
                ],
                required=False,
                widget=forms.RadioSelect,
                initial=NO_REVIEW_TODAY,
            )

    @staticmethod
    def review_field(goal: Goal) -> str:
        return f"review_{goal.pk}"

    @property
    def review_fields(self) -> list[forms.BoundField]:
        return [self[self.review_field(goal)] for goal in self.goals]

    def details(self) -> SessionDetails:
        data = self.cleaned_data
        return SessionDetails(
            duration_minutes=data["duration_minutes"],
            techniques=list(data["techniques"]),
            topics=list(data["topics"]),
            notes=data["notes"],
            next_steps=data["next_steps"],
            gp_visits_last_3_months=data.get("gp_visits_last_3_months"),
        )

    def reviews(self) -> list[tuple[int, str]]:
        return [
            (goal.pk, self.cleaned_data[self.review_field(goal)])
            for goal in self.goals
            if self.cleaned_data.get(self.review_field(goal))
        ]


class GoalForm(forms.Form):
    description = forms.CharField(
        label="What is the goal, in the client's words?",
        max_length=300,
        error_messages={"required": "Enter the goal"},
        help_text="For example: walk to the park and back",
    )
    how_often = forms.CharField(
        label="How often? (optional)",
        required=False,
        max_length=120,
        help_text="For example: 3 times a week",
    )
    when = forms.CharField(
        label="When? (optional)",
        required=False,
        max_length=120,
        help_text="For example: after breakfast",
    )
    domain = forms.ChoiceField(
        label="What area of life is it about?",
        choices=GoalDomain.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the area of life the goal is about"},
    )
    confidence = forms.IntegerField(
        label="How confident is the client they can do it? (0 to 10)",
        min_value=0,
        max_value=10,
        help_text="0 is not at all confident, 10 is completely confident",
        error_messages={
            "required": "Enter the client's confidence, from 0 to 10",
            "invalid": "Enter the confidence as a whole number from 0 to 10",
            "min_value": "Enter a confidence from 0 to 10",
            "max_value": "Enter a confidence from 0 to 10",
        },
    )
    set_on = DateInputField(
        label="Date set",
        help_text="The day of the session the goal was agreed in",
        required=False,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_set_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("set_on")
        _not_in_future(value, "date set")
        return value

    def details(self) -> GoalDetails:
        data = self.cleaned_data
        return GoalDetails(
            description=data["description"],
            domain=data["domain"],
            confidence=data["confidence"],
            how_often=data["how_often"],
            when=data["when"],
        )


class GoalReviewForm(forms.Form):
    status = forms.ChoiceField(
        label="How has the client got on with this goal?",
        choices=[(status.value, status.label) for status in REVIEW_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the client has got on"},
    )
    reviewed_on = DateInputField(label="Date of the review")
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def clean_reviewed_on(self) -> date:
        value: date = self.cleaned_data["reviewed_on"]
        _not_in_future(value, "date of the review")
        return value


class DischargeForm(forms.Form):
    discharged_on = DateInputField(label="Date of discharge")
    reason = forms.ChoiceField(
        label="Why is the client leaving the programme?",
        choices=DischargeReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason for discharge"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)
    escalation_override_reason = forms.CharField(
        label="Why can the client be discharged before the escalation is acknowledged?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only a supervisor can discharge while an escalation waits. The reason is "
        "kept with the discharge and in the audit trail.",
    )

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            # "Not reviewed" only for a goal that never was.
            statuses = REVIEW_STATUSES if goal.reviews.exists() else FINAL_STATUSES
            self.fields[f"final_{goal.pk}"] = forms.ChoiceField(
                label=goal.description,
                choices=[(status.value, status.label) for status in statuses],
                widget=forms.RadioSelect,
                initial=goal.status if goal.status != GoalStatus.IN_PROGRESS else None,
                error_messages={"required": f"Give a final status for “{goal.description}”"},
            )

    @property
    def goal_fields(self) -> list[forms.BoundField]:
        return [self[f"final_{goal.pk}"] for goal in self.goals]

    def final_statuses(self) -> dict[int, str]:
        return {goal.pk: self.cleaned_data[f"final_{goal.pk}"] for goal in self.goals}


class FollowUpForm(forms.Form):
    contacted_on = DateInputField(label="Date of the follow-up contact")
    reached = forms.ChoiceField(
        label="Did you reach the client?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you reached the client"},
    )
    gp_visits_last_3_months = forms.IntegerField(
        label="How many times has the client seen their GP in the last 3 months?",
        min_value=0,
        max_value=99,
        required=False,
        help_text="As the client tells you. The same question was asked at the first session.",
        error_messages={
            "invalid": "Enter the number of GP visits as a whole number",
            "min_value": "The number of GP visits cannot be negative",
            "max_value": "Enter 99 or fewer GP visits",
        },
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)
    early_reason = forms.CharField(
        label="Why was the client contacted before the due date?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only for a follow-up before its due date. An early follow-up counts in the "
        "evaluation only within the programme's rule.",
    )

    def __init__(
        self, *args: Any, strategies: list[ClientStrategy], goals: list[Goal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.strategies, self.goals = strategies, goals
        for taken_up in strategies:
            self.fields[f"strategy_{taken_up.pk}"] = forms.ChoiceField(
                label=f"Is the client still using “{taken_up.strategy}”?",
                choices=Maintained.choices,
                widget=forms.RadioSelect,
                required=False,
            )
        for goal in goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=f"Has the client kept up “{goal.description}”?",
                choices=Maintained.choices,
                widget=forms.RadioSelect,
                required=False,
            )

    @property
    def strategy_fields(self) -> list[forms.BoundField]:
        return [self[f"strategy_{item.pk}"] for item in self.strategies]

    @property
    def goal_fields(self) -> list[forms.BoundField]:
        return [self[f"goal_{goal.pk}"] for goal in self.goals]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reached") == "yes":
            for bound in [*self.strategy_fields, *self.goal_fields]:
                if not cleaned.get(bound.name):
                    self.add_error(bound.name, "Answer yes, partly or no")
            if cleaned.get("gp_visits_last_3_months") is None and not self.has_error(
                "gp_visits_last_3_months"
            ):
                self.add_error("gp_visits_last_3_months", "Enter the number of GP visits")
        return cleaned

    def answers(self) -> FollowUpAnswers:
        data = self.cleaned_data
        reached = data["reached"] == "yes"
        return FollowUpAnswers(
            contacted_on=data["contacted_on"],
            reached=reached,
            gp_visits_last_3_months=data.get("gp_visits_last_3_months") if reached else None,
            notes=data["notes"],
            early_reason=data.get("early_reason", ""),
            strategies_maintained={item.pk: data[f"strategy_{item.pk}"] for item in self.strategies}
            if reached
            else None,
            goals_sustained={goal.pk: data[f"goal_{goal.pk}"] for goal in self.goals}
            if reached
            else None,
        )


class EscalationForm(forms.Form):
    category = forms.ChoiceField(
        label="What is the concern?",
        choices=EscalationCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the concern is"},
    )
    details = forms.CharField(
        label="What happened, and what have you done so far?",
        widget=forms.Textarea,
        error_messages={"required": "Describe the concern"},
    )


class ResolveEscalationForm(forms.Form):
    resolution = forms.CharField(
        label="What was done?",
        widget=forms.Textarea,
        error_messages={"required": "Say what was done"},
    )


class CommunityResourceForm(forms.ModelForm[CommunityResource]):
    class Meta:
        model = CommunityResource
        fields = [
            "name",
            "category",
            "area",
            "contact",
            "opening_times",
            "description",
            "is_active",
        ]
        labels = {
            "name": "Name of the organisation or activity",
            "area": "Area (optional)",
            "contact": "Contact details (optional)",
            "opening_times": "Opening times (optional)",
            "description": "What it offers (optional)",
            "is_active": "Still offered",
        }
        widgets = {"category": forms.RadioSelect}
        error_messages = {
            "name": {"required": "Enter the name"},
            "category": {"required": "Choose a category"},
        }


class SignpostingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Signposted or referred on?",
        choices=SignpostKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you signposted or referred the client"},
        help_text="Signposting gives the client the details; a referral passes them on.",
    )
    resource = BoundedModelChoiceField(
        label="Service from the directory",
        queryset=CommunityResource.objects.none(),
        required=False,
        empty_label="Choose a service",
    )
    other_service = forms.CharField(
        label="Or another service not in the directory",
        required=False,
        max_length=200,
    )
    signposted_on = DateInputField(label="Date")
    notes = forms.CharField(label="Notes (optional)", required=False, max_length=300)

    def __init__(self, *args: Any, resources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("resource") and not cleaned.get("other_service", "").strip():
            self.add_error("resource", "Choose a service from the directory or name another one")
        return cleaned

    def clean_signposted_on(self) -> date:
        value: date = self.cleaned_data["signposted_on"]
        _not_in_future(value, "date")
        return value


class ContactPreferencesForm(forms.Form):
    phone = forms.CharField(label="Mobile phone number (optional)", required=False, max_length=30)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    reminders_by = forms.ChoiceField(
        label="How does the client want reminders of appointments and follow-up?",
        choices=ReminderPreference.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the client wants reminders"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reminders_by") == ReminderPreference.SMS and not cleaned.get("phone"):
            self.add_error("phone", "Enter a mobile number for text message reminders")
        if cleaned.get("reminders_by") == ReminderPreference.EMAIL and not cleaned.get("email"):
            self.add_error("email", "Enter an email address for email reminders")
        return cleaned


class ListItemForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter a name"}
    )
