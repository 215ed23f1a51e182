from __future__ import annotations

from django import forms

from healthtrainer.interop.services import GRANTABLE


class ApiClientForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        label="System's name",
        help_text="For example, the practice system at Parkside Medical Centre.",
        error_messages={"required": "Enter the system's name"},
    )
    permissions = forms.MultipleChoiceField(
        choices=list(GRANTABLE.items()),
        widget=forms.CheckboxSelectMultiple,
        label="What it may do",
        error_messages={"required": "Choose at least one thing the system may do"},
    )
    expires_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="Days until the token expires (optional)",
        help_text="Leave blank for a token that lasts until it is revoked.",
        error_messages={"min_value": "A token must last at least one day"},
    )
