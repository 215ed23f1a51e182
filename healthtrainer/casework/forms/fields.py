"""What several casework forms share: a time of day typed as people write it, and the
rule that what happened cannot be in the future."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from django import forms
from django.utils import timezone

_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
NO_REVIEW_TODAY = ""
YES_NO = [("yes", "Yes"), ("no", "No")]


def not_in_future(value: date | None, label: str) -> None:
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
