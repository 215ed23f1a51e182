"""The community directory, and signposting a client to it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from healthtrainer.casework.forms.fields import (
    not_in_future,
)
from healthtrainer.casework.models import (
    CommunityResource,
)
from healthtrainer.casework.vocabulary import (
    SignpostKind,
)
from healthtrainer.core.dates import DateInputField
from healthtrainer.core.forms import BoundedModelChoiceField


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
        not_in_future(value, "date")
        return value
