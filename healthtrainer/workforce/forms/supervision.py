from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from healthtrainer.core.dates import DateInputField
from healthtrainer.workforce.models import (
    FidelityItem,
    TrainerProfile,
    WorkforceSettings,
)
from healthtrainer.workforce.vocabulary import SupervisionFormat


class SupervisionForm(forms.Form):
    trainers = forms.MultipleChoiceField(
        label="Which health trainers were supervised?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the health trainers supervised"},
    )
    held_on = DateInputField(label="Date")
    duration_minutes = forms.IntegerField(
        label="How long did it last? (minutes)",
        min_value=1,
        max_value=480,
        error_messages={
            "required": "Enter how long the session lasted, in minutes",
            "invalid": "Enter the length as a whole number of minutes",
            "min_value": "The session must last at least 1 minute",
            "max_value": "Enter 480 minutes or fewer",
        },
    )
    format = forms.ChoiceField(
        label="Format",
        choices=SupervisionFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the format"},
    )
    cases = forms.MultipleChoiceField(
        label="Cases discussed (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    concerns = forms.CharField(label="Concerns (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, trainers: list[Any], cases: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trainer_objects = {str(trainer.pk): trainer for trainer in trainers}
        self.case_objects = {str(case.pk): case for case in cases}
        self.fields["trainers"].choices = [  # type: ignore[attr-defined]
            (pk, str(trainer)) for pk, trainer in self.trainer_objects.items()
        ]
        self.fields["cases"].choices = [  # type: ignore[attr-defined]
            (pk, f"{case.client} ({case.assigned_trainer or 'no trainer'})")
            for pk, case in self.case_objects.items()
        ]

    def clean_held_on(self) -> date:
        value: date = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return value

    def chosen_trainers(self) -> list[Any]:
        return [self.trainer_objects[pk] for pk in self.cleaned_data["trainers"]]

    def chosen_cases(self) -> list[Any]:
        return [self.case_objects[pk] for pk in self.cleaned_data["cases"]]


class FidelityForm(forms.Form):
    """One rating per fidelity item, on the programme's scale."""

    def __init__(
        self, *args: Any, items: list[FidelityItem], scale: WorkforceSettings, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        choices = [
            (str(value), str(value))
            for value in range(scale.fidelity_scale_min, scale.fidelity_scale_max + 1)
        ]
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.name,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Rate {item.name.lower()}",
                    "invalid_choice": "Choose a rating on the scale",
                },
            )

    @property
    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{item.pk}"] for item in self.items]

    def ratings(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action", max_length=300, error_messages={"required": "Describe the action"}
    )
    owner = forms.ChoiceField(label="Who will do it? (optional)", required=False)
    due_on = DateInputField(label="Due by (optional)", required=False)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in people}
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Nobody in particular"),
            *((pk, str(person)) for pk, person in self.people.items()),
        ]

    def owner_object(self) -> Any:
        return self.people.get(self.cleaned_data["owner"] or "")


class CompleteActionForm(forms.Form):
    completed_on = DateInputField(label="Date completed")


class TrainerProfileForm(forms.ModelForm[TrainerProfile]):
    start_date = DateInputField(label="Start date (optional)", required=False)

    class Meta:
        model = TrainerProfile
        fields = ["start_date", "fte", "hourly_cost", "qualifications"]
        labels = {
            "fte": "Working hours, as a fraction of full time (optional)",
            "hourly_cost": "Hourly cost in pounds, with on-costs (optional)",
            "qualifications": "Prior qualifications (optional)",
        }
        help_texts = {"fte": "For example, 0.6 for three days a week"}


class WorkforceSettingsForm(forms.ModelForm[WorkforceSettings]):
    class Meta:
        model = WorkforceSettings
        fields = [
            "fidelity_scale_min",
            "fidelity_scale_max",
            "fidelity_threshold",
            "admin_travel_allowance_percent",
        ]
        labels = {
            "fidelity_scale_min": "Lowest fidelity rating",
            "fidelity_scale_max": "Highest fidelity rating",
            "fidelity_threshold": "Mean rating that counts as CB delivered as intended",
            "admin_travel_allowance_percent": "Administration and travel allowance (%)",
        }
