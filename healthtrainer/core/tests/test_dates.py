"""The three-box date field: what people type, and what they should not get through."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms

from healthtrainer.core.dates import DateInputField


class _Form(forms.Form):
    when = DateInputField(label="Date seen")
    maybe = DateInputField(label="Date reviewed", required=False)


def _errors(**boxes: str) -> dict[str, list[str]]:
    data = {}
    for name, (day, month, year) in boxes.items():
        data |= {f"{name}[day]": day, f"{name}[month]": month, f"{name}[year]": year}
    form = _Form(data)
    form.is_valid()
    return form.errors


def test_a_real_date_is_read():
    form = _Form({"when[day]": " 7 ", "when[month]": "03", "when[year]": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == date(2026, 3, 7)
    assert form.cleaned_data["maybe"] is None


@pytest.mark.parametrize("blank", [("", "", ""), (" ", " ", " "), ("\t", "", "  ")])
def test_a_required_date_left_blank_or_as_spaces_is_asked_for(blank):
    assert _errors(when=blank)["when"] == ["Enter the date seen"]


@pytest.mark.parametrize(
    "boxes",
    [
        ("²", "3", "2026"),
        ("7", "٣", "2026"),
        ("7", "3", "\uff12\uff10\uff12\uff16"),
        ("007", "3", "2026"),
    ],
)
def test_digits_other_than_0_to_9_are_not_a_date(boxes):
    assert _errors(when=boxes)["when"] == ["The date seen must be a real date, like 27 3 1960"]
