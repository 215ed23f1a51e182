"""Setting a goal and reviewing it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from healthtrainer.casework.forms.fields import (
    not_in_future,
)
from healthtrainer.casework.services import GoalDetails
from healthtrainer.casework.vocabulary import (
    REVIEW_STATUSES,
    GoalDomain,
)
from healthtrainer.core.dates import DateInputField


class GoalForm(forms.Form):
    description = forms.CharField(
        label="What is the goal, in the client's words?",
        max_length=300,
        error_messages={"required": "Enter the goal"},
        help_text="For example: walk to the park and back",
    )
    how_often = forms.CharField(
        label="How often? (optional)",
        required=False,
        max_length=120,
        help_text="For example: 3 times a week",
    )
    when = forms.CharField(
        label="When? (optional)",
        required=False,
        max_length=120,
        help_text="For example: after breakfast",
    )
    domain = forms.ChoiceField(
        label="What area of life is it about?",
        choices=GoalDomain.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the area of life the goal is about"},
    )
    confidence = forms.IntegerField(
        label="How confident is the client they can do it? (0 to 10)",
        min_value=0,
        max_value=10,
        help_text="0 is not at all confident, 10 is completely confident",
        error_messages={
            "required": "Enter the client's confidence, from 0 to 10",
            "invalid": "Enter the confidence as a whole number from 0 to 10",
            "min_value": "Enter a confidence from 0 to 10",
            "max_value": "Enter a confidence from 0 to 10",
        },
    )
    set_on = DateInputField(
        label="Date set",
        help_text="The day of the session the goal was agreed in",
        required=False,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_set_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("set_on")
        not_in_future(value, "date set")
        return value

    def details(self) -> GoalDetails:
        data = self.cleaned_data
        return GoalDetails(
            description=data["description"],
            domain=data["domain"],
            confidence=data["confidence"],
            how_often=data["how_often"],
            when=data["when"],
        )


class GoalReviewForm(forms.Form):
    status = forms.ChoiceField(
        label="How has the client got on with this goal?",
        choices=[(status.value, status.label) for status in REVIEW_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the client has got on"},
    )
    reviewed_on = DateInputField(label="Date of the review")
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def clean_reviewed_on(self) -> date:
        value: date = self.cleaned_data["reviewed_on"]
        not_in_future(value, "date of the review")
        return value


# Rows offered on the session form: one open, the others behind "Add another goal". More
# goals than this in one session are added from the client's plan afterwards.
NEW_GOAL_ROWS = 3


class NewGoalForm(GoalForm):
    """A goal agreed in the session being recorded: it is dated on the session."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["set_on"]
        del self.fields["version"]


NewGoalFormSet = forms.formset_factory(
    NewGoalForm,
    extra=NEW_GOAL_ROWS,
    max_num=NEW_GOAL_ROWS,
    absolute_max=NEW_GOAL_ROWS,
    validate_max=True,
)


PREFIX = "goal"


def new_goals_formset(data: Any = None) -> forms.BaseFormSet[NewGoalForm]:
    """Bound only to a post that carries the goal rows: a session posted without them (by
    an older page, or another client) records no new goal rather than failing."""
    if data is not None and f"{PREFIX}-TOTAL_FORMS" not in data:
        data = None
    return NewGoalFormSet(data, prefix=PREFIX)


def goals_valid(formset: forms.BaseFormSet[NewGoalForm]) -> bool:
    return not formset.is_bound or formset.is_valid()


def new_goals(formset: forms.BaseFormSet[NewGoalForm]) -> list[GoalDetails]:
    """The goals typed in; a row left blank is no goal."""
    if not formset.is_bound:
        return []
    return [form.details() for form in formset.forms if form.has_changed() and form.cleaned_data]
