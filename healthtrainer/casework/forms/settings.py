"""A client's contact preferences, and an entry of the programme's own lists."""

from __future__ import annotations

from typing import Any

from django import forms

from healthtrainer.clients.models import ReminderPreference


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
