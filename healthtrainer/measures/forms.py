from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from healthtrainer.core.dates import DateInputField
from healthtrainer.measures.definitions import Instrument as Definition


class QuestionnaireForm(forms.Form):
    """One radio group per item. Items may be left unanswered: the questionnaire is then
    kept as incomplete and scored only if the instrument's missing-item rule allows."""

    def __init__(
        self,
        *args: Any,
        definition: Definition,
        texts: dict[str, str],
        with_details: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for number, item in enumerate(definition.items, start=1):
            self.fields[self.item_field(item.id)] = forms.TypedChoiceField(
                label=texts.get(item.id) or f"Item {number}",
                choices=[(str(option.value), option.label) for option in item.options],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of the answers given"},
            )
        if with_details:
            self.fields["completed_on"] = DateInputField(label="Date completed")
            self.fields["correction_reason"] = forms.CharField(
                label="If this replaces one already recorded, why? (optional)",
                required=False,
                max_length=300,
            )

    @staticmethod
    def item_field(item_id: str) -> str:
        return f"item_{item_id}"

    @property
    def item_fields(self) -> list[forms.BoundField]:
        return [self[self.item_field(item.id)] for item in self.definition.items]

    def clean_completed_on(self) -> date:
        value: date = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date completed must be today or in the past")
        return value

    def answers(self) -> dict[str, int | None]:
        return {
            item.id: self.cleaned_data.get(self.item_field(item.id))
            for item in self.definition.items
        }


class TotalForm(forms.Form):
    """A total from a paper form, for an instrument whose items were not kept. The safety
    question, if the instrument has one, is still asked on its own."""

    total = forms.FloatField(
        label="Total score",
        error_messages={
            "required": "Enter the total score",
            "invalid": "Enter the total score as a number",
        },
    )
    completed_on = DateInputField(label="Date completed")
    correction_reason = forms.CharField(
        label="If this replaces one already recorded, why? (optional)",
        required=False,
        max_length=300,
    )

    def __init__(
        self, *args: Any, definition: Definition, texts: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        safety = next(
            (item for item in definition.items if item.id == definition.safety_item), None
        )
        if safety is not None:
            self.fields["safety_answer"] = forms.TypedChoiceField(
                label=texts.get(safety.id) or safety.id,
                help_text="Asked for safety: copy this answer from the form as well as the total.",
                choices=[(str(option.value), option.label) for option in safety.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Give the answer to this question"},
            )

    def clean_completed_on(self) -> date:
        value: date = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date completed must be today or in the past")
        return value


class ProgrammeInstrumentForm(forms.Form):
    at_baseline = forms.BooleanField(label="Baseline (first session)", required=False)
    at_exit = forms.BooleanField(label="Exit (discharge)", required=False)
    at_follow_up = forms.BooleanField(label="Follow-up", required=False)
    is_primary = forms.BooleanField(
        label="The programme's headline well-being measure", required=False
    )


class ItemTextsForm(forms.Form):
    """The licensed wording of each item, one per line, in item order."""

    texts = forms.CharField(
        label="Item wording, one item per line in order",
        widget=forms.Textarea,
        error_messages={"required": "Paste the wording of the items"},
    )

    def __init__(self, *args: Any, item_ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_ids = item_ids

    def clean_texts(self) -> dict[str, str]:
        lines = [line.strip() for line in self.cleaned_data["texts"].splitlines() if line.strip()]
        if len(lines) != len(self.item_ids):
            raise forms.ValidationError(
                f"Give {len(self.item_ids)} lines, one for each item; there are {len(lines)}"
            )
        return dict(zip(self.item_ids, lines, strict=True))
