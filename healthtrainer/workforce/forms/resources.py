"""Forms for resources and costs. They check what a person can get wrong while typing;
the services check the rules again before writing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from healthtrainer.core.dates import DateInputField
from healthtrainer.core.period import Period, period_problems
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.models import RoleRate
from healthtrainer.workforce.vocabulary import Activity, ContributorRole, CostCategory


def _money_field(
    label: str, name: str, *, required: bool = True, **kwargs: Any
) -> forms.DecimalField:
    """An amount in pounds and pence; `name` is what the error messages call it."""
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_digits=kwargs.pop("max_digits", 11),
        decimal_places=2,
        error_messages={
            "required": f"Enter the {name}",
            "invalid": f"Enter the {name} as a number, like 125.50",
            "min_value": f"The {name} cannot be negative",
            "max_decimal_places": f"Enter the {name} to the nearest penny",
            "max_digits": f"The {name} is too large",
            "max_whole_digits": f"The {name} is too large",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


def _not_in_future(value: date | None, label: str) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"The {label} must be today or in the past")


class IndirectTimeForm(forms.Form):
    person = forms.CharField(
        label="Who gave the time",
        max_length=200,
        error_messages={"required": "Enter the name of the person who gave the time"},
    )
    role = forms.ChoiceField(
        label="Their role",
        choices=ContributorRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role"},
    )
    given_on = DateInputField(label="Date", help_text="For example, 27 3 2027")
    hours = forms.DecimalField(
        label="Hours",
        min_value=Decimal("0.01"),
        max_value=Decimal("24"),
        # No limit on digits: a large number gets the one message about a day's hours.
        decimal_places=2,
        help_text="For example, 1.5 for an hour and a half",
        error_messages={
            "required": "Enter the hours",
            "invalid": "Enter the hours as a number, like 1.5",
            "min_value": "The hours must be more than 0",
            "max_value": "The hours cannot be more than 24 in one day",
            "max_decimal_places": "Enter the hours to 2 decimal places at most",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    activity = forms.ChoiceField(
        label="What the time was spent on",
        choices=Activity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the time was spent on"},
    )
    notes = forms.CharField(label="Notes (optional)", max_length=300, required=False)

    def clean_given_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("given_on")
        _not_in_future(value, "date")
        return value


class RoleRatesForm(forms.Form):
    """One optional hourly rate per contributor role; a blank rate means none is set."""

    def __init__(self, *args: Any, rates: list[RoleRate], **kwargs: Any) -> None:
        current = {rate.role: rate.hourly_rate for rate in rates}
        kwargs.setdefault("initial", current)
        super().__init__(*args, **kwargs)
        for value, label in ContributorRole.choices:
            self.fields[value] = _money_field(
                f"{label}: hourly rate in pounds",
                f"hourly rate for {label}",
                required=False,
                max_digits=7,
                help_text="Leave blank if time in this role is not to be valued",
            )

    def rates(self) -> dict[str, Decimal | None]:
        return {value: self.cleaned_data.get(value) for value in ContributorRole.values}


class BudgetLineForm(forms.Form):
    funding_source = forms.CharField(
        label="Funding source",
        max_length=200,
        error_messages={"required": "Enter the funding source"},
    )
    amount = _money_field("Amount in pounds", "amount")
    period_start = DateInputField(label="Start of the period", help_text="For example, 1 4 2026")
    period_end = DateInputField(label="End of the period", help_text="For example, 31 3 2027")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        return cleaned


class CostItemForm(forms.Form):
    category = forms.ChoiceField(
        label="Category",
        choices=CostCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a category"},
    )
    description = forms.CharField(
        label="What it was for",
        max_length=300,
        error_messages={"required": "Enter what the cost was for"},
    )
    incurred_on = DateInputField(label="Date of the cost", help_text="For example, 27 3 2027")
    amount = _money_field("Amount in pounds", "amount")


class CostPeriodForm(forms.Form):
    """The period the Costs page shows: the programme's own dates unless chosen."""

    start = forms.DateField(
        required=False,
        label="From (YYYY-MM-DD)",
        error_messages={"invalid": "Enter the start date as YYYY-MM-DD"},
    )
    end = forms.DateField(
        required=False,
        label="To (YYYY-MM-DD)",
        error_messages={"invalid": "Enter the end date as YYYY-MM-DD"},
    )

    def __init__(self, data: Any, *, programme: Programme) -> None:
        super().__init__(data, initial={"start": programme.start_date, "end": programme.end_date})
        self.programme = programme

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, problem in period_problems(cleaned.get("start"), cleaned.get("end")).items():
            self.add_error(name, problem)
        return cleaned

    def period(self) -> Period:
        if not self.is_bound:
            return Period(self.programme.start_date, self.programme.end_date)
        if not self.is_valid():
            return Period()
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])
