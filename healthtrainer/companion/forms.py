"""The companion's forms: signing in (contact, then code), a trainer's invitation, and the
setback plan, which the client and their trainer both fill in."""

from __future__ import annotations

from django import forms

from healthtrainer.companion.models import SignInBy
from healthtrainer.companion.setback import SetbackDetails


class ContactForm(forms.Form):
    contact = forms.CharField(
        label="Your mobile number or email address",
        help_text="The one your health trainer invited you with",
        max_length=254,
        error_messages={"required": "Enter your mobile number or email address"},
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Security code",
        help_text="The 6 numbers in the message we sent you",
        regex=r"^\s*\d{6}\s*$",
        max_length=20,
        error_messages={
            "required": "Enter the 6 numbers of your security code",
            "invalid": "The security code is 6 numbers, like 123456",
        },
    )
    contact = forms.CharField(widget=forms.HiddenInput)


class InviteForm(forms.Form):
    sign_in_by = forms.ChoiceField(
        label="How the client gets their sign-in codes",
        choices=SignInBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose text message or email"},
    )


class SetbackForm(forms.Form):
    early_signs = forms.CharField(
        label="Signs that a flare-up is starting",
        help_text="What you notice first, in your body, your sleep or your mood",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    what_helps = forms.CharField(
        label="What helps",
        help_text="What you will do, and what you will stop or put off for a while",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    who_to_contact = forms.CharField(
        label="Who to contact",
        help_text="People who can help, and how to reach them",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def details(self) -> SetbackDetails:
        data = self.cleaned_data
        return SetbackDetails(data["early_signs"], data["what_helps"], data["who_to_contact"])
