"""Booking an appointment, marking attendance and recording a session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from healthtrainer.casework.forms.fields import (
    NO_REVIEW_TODAY,
    TimeOfDayField,
)
from healthtrainer.casework.models import (
    CbTechnique,
    Goal,
    Strategy,
)
from healthtrainer.casework.services import SessionDetails
from healthtrainer.casework.vocabulary import (
    CANCELLED_BY_EITHER_SIDE,
    REVIEW_STATUSES,
    Attendance,
    Mode,
    Topic,
)
from healthtrainer.core.dates import DateInputField
from healthtrainer.core.forms import BoundedModelMultipleChoiceField


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
