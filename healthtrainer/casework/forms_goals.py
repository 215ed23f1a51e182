"""New goals agreed in a session, entered on the session form itself."""

from __future__ import annotations

from typing import Any

from django import forms

from healthtrainer.casework.forms import GoalForm
from healthtrainer.casework.services import GoalDetails

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
