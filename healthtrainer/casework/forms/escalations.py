"""Escalating to the chronic pain team, and resolving an escalation."""

from __future__ import annotations

from django import forms

from healthtrainer.casework.vocabulary import (
    EscalationCategory,
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
