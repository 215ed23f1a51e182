"""Discharging a client and following them up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from healthtrainer.casework.forms.fields import (
    YES_NO,
)
from healthtrainer.casework.models import (
    ClientStrategy,
    Goal,
    StrategyCheckIn,
)
from healthtrainer.casework.services import FollowUpAnswers
from healthtrainer.casework.vocabulary import (
    FINAL_STATUSES,
    REVIEW_STATUSES,
    DischargeReason,
    GoalStatus,
    Maintained,
)
from healthtrainer.core.dates import DateInputField


class DischargeForm(forms.Form):
    discharged_on = DateInputField(label="Date of discharge")
    reason = forms.ChoiceField(
        label="Why is the client leaving the programme?",
        choices=DischargeReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason for discharge"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)
    escalation_override_reason = forms.CharField(
        label="Why can the client be discharged before the escalation is acknowledged?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only a supervisor can discharge while an escalation waits. The reason is "
        "kept with the discharge and in the audit trail.",
    )

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            # "Not reviewed" only for a goal that never was.
            statuses = REVIEW_STATUSES if goal.reviews.exists() else FINAL_STATUSES
            self.fields[f"final_{goal.pk}"] = forms.ChoiceField(
                label=goal.description,
                choices=[(status.value, status.label) for status in statuses],
                widget=forms.RadioSelect,
                initial=goal.status if goal.status != GoalStatus.IN_PROGRESS else None,
                error_messages={"required": f"Give a final status for “{goal.description}”"},
            )

    @property
    def goal_fields(self) -> list[forms.BoundField]:
        return [self[f"final_{goal.pk}"] for goal in self.goals]

    def final_statuses(self) -> dict[int, str]:
        return {goal.pk: self.cleaned_data[f"final_{goal.pk}"] for goal in self.goals}


class FollowUpForm(forms.Form):
    contacted_on = DateInputField(label="Date of the follow-up contact")
    reached = forms.ChoiceField(
        label="Did you reach the client?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you reached the client"},
    )
    gp_visits_last_3_months = forms.IntegerField(
        label="How many times has the client seen their GP in the last 3 months?",
        min_value=0,
        max_value=99,
        required=False,
        help_text="As the client tells you. The same question was asked at the first session.",
        error_messages={
            "invalid": "Enter the number of GP visits as a whole number",
            "min_value": "The number of GP visits cannot be negative",
            "max_value": "Enter 99 or fewer GP visits",
        },
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)
    early_reason = forms.CharField(
        label="Why was the client contacted before the due date?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only for a follow-up before its due date. An early follow-up counts in the "
        "evaluation only within the programme's rule.",
    )

    def __init__(
        self,
        *args: Any,
        strategies: list[ClientStrategy],
        goals: list[Goal],
        client_answers: Mapping[int, StrategyCheckIn] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.strategies, self.goals = strategies, goals
        for taken_up in strategies:
            answer = (client_answers or {}).get(taken_up.pk)
            self.fields[f"strategy_{taken_up.pk}"] = forms.ChoiceField(
                label=f"Is the client still using “{taken_up.strategy}”?",
                choices=Maintained.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=answer.maintained if answer else None,
                help_text=_client_said(answer),
            )
        for goal in goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=f"Has the client kept up “{goal.description}”?",
                choices=Maintained.choices,
                widget=forms.RadioSelect,
                required=False,
            )

    @property
    def strategy_fields(self) -> list[forms.BoundField]:
        return [self[f"strategy_{item.pk}"] for item in self.strategies]

    @property
    def goal_fields(self) -> list[forms.BoundField]:
        return [self[f"goal_{goal.pk}"] for goal in self.goals]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reached") == "yes":
            for bound in [*self.strategy_fields, *self.goal_fields]:
                if not cleaned.get(bound.name):
                    self.add_error(bound.name, "Answer yes, partly or no")
            if cleaned.get("gp_visits_last_3_months") is None and not self.has_error(
                "gp_visits_last_3_months"
            ):
                self.add_error("gp_visits_last_3_months", "Enter the number of GP visits")
        return cleaned

    def answers(self) -> FollowUpAnswers:
        data = self.cleaned_data
        reached = data["reached"] == "yes"
        return FollowUpAnswers(
            contacted_on=data["contacted_on"],
            reached=reached,
            gp_visits_last_3_months=data.get("gp_visits_last_3_months") if reached else None,
            notes=data["notes"],
            early_reason=data.get("early_reason", ""),
            strategies_maintained={item.pk: data[f"strategy_{item.pk}"] for item in self.strategies}
            if reached
            else None,
            goals_sustained={goal.pk: data[f"goal_{goal.pk}"] for goal in self.goals}
            if reached
            else None,
        )


def _client_said(answer: StrategyCheckIn | None) -> str:
    if answer is None:
        return ""
    return (
        f"The client answered “{answer.get_maintained_display()}” "
        f"{answer.get_via_display().lower()} in {answer.month_starting:%B %Y}. "
        "Check it with them: kept as it is, it is recorded as the client's own answer."
    )
