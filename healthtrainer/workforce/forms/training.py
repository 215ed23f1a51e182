"""Forms for training: courses, their sessions and attendance, and the two trainer surveys.

The forms check what a person can get wrong while typing; the services check every rule
again, so a request built by hand is refused just the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import CbTechnique
from healthtrainer.core.dates import DateInputField
from healthtrainer.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from healthtrainer.workforce.models import Course, SatisfactionItem
from healthtrainer.workforce.services.training import (
    CONFIDENCE_MAX,
    CONFIDENCE_MIN,
    MAX_SESSION_HOURS,
    CourseDetails,
)
from healthtrainer.workforce.vocabulary import LIKERT, SurveyStage


class CourseForm(forms.Form):
    title = forms.CharField(
        label="Title of the course",
        max_length=200,
        error_messages={"required": "Enter the title of the course"},
    )
    facilitator = forms.CharField(
        label="Facilitator (optional)",
        required=False,
        max_length=200,
        help_text="Who runs the course, or the organisation that provides it",
    )
    modules = forms.CharField(
        label="Modules (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="One module per line",
    )
    cost = forms.DecimalField(
        label="Cost, in pounds",
        min_value=Decimal("0"),
        max_digits=9,
        decimal_places=2,
        initial=Decimal("0"),
        help_text="The whole cost of the course to the programme, for example 450.00",
        error_messages={
            "required": "Enter the cost of the course, or 0 if it cost nothing",
            "invalid": "Enter the cost in pounds, like 450.00",
            "min_value": "The cost cannot be negative",
            "max_digits": "Enter a cost below £10,000,000",
            "max_whole_digits": "Enter a cost below £10,000,000",
            "max_decimal_places": "Give the cost in pounds and pence, like 450.00",
        },
    )

    def details(self) -> CourseDetails:
        data = self.cleaned_data
        return CourseDetails(
            title=data["title"],
            facilitator=data["facilitator"],
            modules=data["modules"],
            cost=data["cost"],
        )


class CourseSessionForm(forms.Form):
    held_on = DateInputField(label="Date of the session")
    hours = forms.DecimalField(
        label="How many hours did it last?",
        max_digits=4,
        decimal_places=2,
        max_value=MAX_SESSION_HOURS,
        help_text="For example, 3.5 for three and a half hours",
        error_messages={
            "required": "Enter how many hours the session lasted",
            "invalid": "Enter the hours as a number, like 3.5",
            "max_value": "A session lasts 24 hours or fewer",
            "max_digits": "A session lasts 24 hours or fewer",
            "max_whole_digits": "A session lasts 24 hours or fewer",
            "max_decimal_places": "Give the hours to 2 decimal places at most",
        },
    )
    attendees = BoundedModelMultipleChoiceField(
        label="Which health trainers attended?",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty until the session has happened",
        error_messages={
            "invalid_choice": "Choose only health trainers of this programme",
            "invalid_pk_value": "Choose only health trainers of this programme",
        },
    )

    def __init__(self, *args: Any, trainers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = trainers  # type: ignore[attr-defined]

    def clean_hours(self) -> Decimal:
        value: Decimal = self.cleaned_data["hours"]
        if value <= 0:
            raise forms.ValidationError("The hours must be more than 0")
        return value


class SatisfactionForm(forms.Form):
    """How far the trainer agrees with each of the programme's statements about a course."""

    comments = forms.CharField(
        label="Anything else you would like to say about the course? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"max_length": "Keep your comments to 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, items: Iterable[SatisfactionItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[self.item_field(item)] = forms.TypedChoiceField(
                label=item.name,
                choices=[(str(value), label) for value, label in LIKERT],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose how far you agree that “{item.name}”",
                    "invalid_choice": "Choose one of the answers given",
                },
            )
        # The statements come first on the page, then the comments.
        self.order_fields([self.item_field(item) for item in self.items])

    @staticmethod
    def item_field(item: SatisfactionItem) -> str:
        return f"item_{item.pk}"

    @property
    def item_fields(self) -> list[forms.BoundField]:
        return [self[self.item_field(item)] for item in self.items]

    def answers(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data[self.item_field(item)] for item in self.items}


class ConfidenceForm(forms.Form):
    stage = forms.ChoiceField(
        label="When are you answering?",
        choices=SurveyStage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when you are answering"},
    )
    completed_on = DateInputField(label="Date completed")
    course = BoundedModelChoiceField(
        label="Which course is it about? (optional)",
        queryset=Course.objects.none(),
        required=False,
        empty_label="Not about one course",
        error_messages={"invalid_choice": "Choose one of this programme's courses"},
    )

    def __init__(
        self, *args: Any, techniques: Iterable[CbTechnique], courses: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
        self.techniques = list(techniques)
        scale = f"from {CONFIDENCE_MIN} to {CONFIDENCE_MAX}"
        for technique in self.techniques:
            self.fields[self.technique_field(technique)] = forms.IntegerField(
                label=technique.name,
                min_value=CONFIDENCE_MIN,
                max_value=CONFIDENCE_MAX,
                error_messages={
                    "required": f"Enter your confidence to use {technique.name}, {scale}",
                    "invalid": f"Enter your confidence in {technique.name} as a whole number "
                    f"{scale}",
                    "min_value": f"Enter your confidence in {technique.name} {scale}",
                    "max_value": f"Enter your confidence in {technique.name} {scale}",
                },
            )

    @staticmethod
    def technique_field(technique: CbTechnique) -> str:
        return f"technique_{technique.pk}"

    @property
    def technique_fields(self) -> list[forms.BoundField]:
        return [self[self.technique_field(technique)] for technique in self.techniques]

    def clean_completed_on(self) -> date:
        value: date = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date completed must be today or in the past")
        return value

    def answers(self) -> dict[int, int]:
        return {
            technique.pk: self.cleaned_data[self.technique_field(technique)]
            for technique in self.techniques
        }
