"""A date entered as day, month and year boxes, as the NHS.UK date input asks for it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms


class DateInputWidget(forms.MultiWidget):
    def __init__(self) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()])
        # The names the NHS.UK date input gives its boxes: field[day], field[month], field[year].
        self.widgets_names = ["[day]", "[month]", "[year]"]

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateInputField(forms.MultiValueField):
    """Three boxes in, one date out, with a message that says which part is wrong."""

    widget = DateInputWidget

    def __init__(self, *, required: bool = True, **kwargs: Any) -> None:
        parts = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(parts, required=required, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {str(kwargs.get('label', 'date')).lower()}"

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list or not any(part.strip() for part in data_list if part):
            # Boxes of spaces pass the form's own "required" check, which sees characters.
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        label = str(self.label or "date").lower()
        if not (day and month and year):
            parts = zip(("day", "month", "year"), (day, month, year), strict=True)
            missing = [name for name, part in parts if not part]
            raise forms.ValidationError(f"The {label} must include a {' and '.join(missing)}")
        parts_are_digits = all(part.isascii() and part.isdigit() for part in (day, month, year))
        if not parts_are_digits or len(year) != 4 or len(day) > 2 or len(month) > 2:
            raise forms.ValidationError(f"The {label} must be a real date, like 27 3 1960")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"The {label} must be a real date") from None


def date_parts(field: Any) -> list[str]:
    """The three values to show again in a bound date field's boxes."""
    value = field.value()
    if isinstance(value, date):
        return [str(value.day), str(value.month), str(value.year)]
    if isinstance(value, (list, tuple)):
        return [str(part or "") for part in value] + [""] * (3 - len(value))
    return ["", "", ""]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month_first = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month_first - date.resolution).day
    return date(year, month, min(day.day, last_day))
