"""The companion's forms: signing in (contact, then code), and a trainer's invitation."""

from __future__ import annotations

from django import forms

from healthtrainer.companion.models import SignInBy


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
