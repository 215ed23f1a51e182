"""Narrowing the caseload: by the client's name or referral ID, by health trainer, and to
the clients who need something."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from healthtrainer.accounts.models import User
from healthtrainer.core.filters import FilterForm, search_words
from healthtrainer.core.forms import BoundedModelChoiceField
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral

NEEDS = [
    ("", "Every client"),
    ("no_appointment", "No appointment booked"),
    ("escalation", "An open escalation"),
]


class CaseloadFilterForm(FilterForm):
    q = forms.CharField(label="Client name or referral ID", required=False, max_length=100)
    trainer = BoundedModelChoiceField(
        label="Health trainer",
        queryset=User.objects.none(),
        required=False,
        empty_label="Every health trainer",
    )
    needs = forms.ChoiceField(label="Show", required=False, choices=NEEDS)

    def __init__(self, *args: Any, programme: Programme, own_only: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if own_only:
            del self.fields["trainer"]
        else:
            trainers = User.objects.trainers_of(programme)
            self.fields["trainer"].queryset = trainers  # type: ignore[attr-defined]

    def apply(self, episodes: QuerySet[Referral]) -> QuerySet[Referral]:
        """The episodes, with their caseload figures, narrowed by the filters that checked."""
        filters = self.filters()
        for word in search_words(filters.get("q", "")):
            episodes = episodes.filter(
                Q(client__given_name__icontains=word)
                | Q(client__family_name__icontains=word)
                | Q(reference__icontains=word)
            )
        if "trainer" in filters:
            episodes = episodes.filter(assigned_trainer=filters["trainer"])
        # The caseload figures are annotations (`casework/caseload.py`), which the type
        # checker cannot see as fields of a referral.
        annotated: QuerySet[Any] = episodes
        if filters.get("needs") == "no_appointment":
            annotated = annotated.filter(next_appointment__isnull=True)
        elif filters.get("needs") == "escalation":
            annotated = annotated.filter(open_escalations__gt=0)
        return annotated
