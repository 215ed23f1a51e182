"""The companion's forms: signing in (contact, then code), a trainer's invitation, the
setback plan, which the client and their trainer both fill in, and a diary entry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from healthtrainer.casework.models import ClientStrategy
from healthtrainer.companion.diary import DiaryDetails
from healthtrainer.companion.models import Mood, SignInBy, Sleep
from healthtrainer.companion.setback import SetbackDetails


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("Your mobile number or email address"),
        help_text=_("The one your health trainer invited you with"),
        max_length=254,
        error_messages={"required": _("Enter your mobile number or email address")},
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Security code"),
        help_text=_("The 6 numbers in the message we sent you"),
        regex=r"^\s*\d{6}\s*$",
        max_length=20,
        error_messages={
            "required": _("Enter the 6 numbers of your security code"),
            "invalid": _("The security code is 6 numbers, like 123456"),
        },
    )


class InviteForm(forms.Form):
    sign_in_by = forms.ChoiceField(
        label="How the client gets their sign-in codes",
        choices=SignInBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose text message or email"},
    )


class SetbackForm(forms.Form):
    early_signs = forms.CharField(
        label=_("Signs that a flare-up is starting"),
        help_text=_("What you notice first, in your body, your sleep or your mood"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    what_helps = forms.CharField(
        label=_("What helps"),
        help_text=_("What you will do, and what you will stop or put off for a while"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    who_to_contact = forms.CharField(
        label=_("Who to contact"),
        help_text=_("People who can help, and how to reach them"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def details(self) -> SetbackDetails:
        data = self.cleaned_data
        return SetbackDetails(data["early_signs"], data["what_helps"], data["who_to_contact"])


def _scale(
    label: StrOrPromise,
    choices: Sequence[tuple[int, StrOrPromise]],
    help_text: StrOrPromise = "",
) -> forms.TypedChoiceField:
    """An optional choice of a number, as radios, that is None when left blank."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[(str(value), words) for value, words in choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class DiaryForm(forms.Form):
    """Every part optional: a pain score and Save is a whole entry."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    pain = _scale(
        _("Your pain now"),
        [(score, str(score)) for score in range(11)],
        help_text=_("0 is no pain, 10 is the worst you can imagine"),
    )
    mood = _scale(_("Your mood"), Mood.choices)
    sleep = _scale(_("How you slept last night"), Sleep.choices)
    activity = forms.CharField(label=_("What you did"), max_length=200, required=False)
    activity_minutes = forms.IntegerField(
        label=_("For how many minutes"), min_value=1, max_value=24 * 60, required=False
    )
    strategies_used = forms.ModelMultipleChoiceField(
        label=_("What you used today to manage your pain"),
        queryset=ClientStrategy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Anything else"),
        help_text=_("Write as much as you like"),
        widget=forms.Textarea,
        required=False,
    )
    recorded_date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, like 5 December 2026")},
    )
    recorded_time = forms.TimeField(
        label=_("Time"), error_messages={"invalid": _("Enter a time, like 14:30")}
    )

    def __init__(self, *args: Any, strategies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chooser = cast(
            "forms.ModelMultipleChoiceField[ClientStrategy]", self.fields["strategies_used"]
        )
        chooser.queryset = strategies

    def details(self) -> DiaryDetails:
        data = self.cleaned_data
        moment = timezone.make_aware(datetime.combine(data["recorded_date"], data["recorded_time"]))
        return DiaryDetails(
            recorded_for=moment,
            pain=data["pain"],
            activity=data["activity"],
            activity_minutes=data["activity_minutes"],
            mood=data["mood"],
            sleep=data["sleep"],
            strategies_used=list(data["strategies_used"]),
            note=data["note"],
        )


class PacingForm(forms.Form):
    activity = forms.CharField(
        label=_("The activity"),
        help_text=_("Something you do most days, like walking, gardening or sitting at a desk"),
        max_length=100,
        error_messages={"required": _("Enter the activity you want to pace")},
    )
    bad_day_minutes = forms.IntegerField(
        label=_("On a bad day, for how many minutes can you do it before your pain gets worse?"),
        min_value=1,
        max_value=24 * 60,
        error_messages={
            "required": _("Enter the minutes"),
            "invalid": _("Enter the minutes as a number, like 10"),
        },
    )
