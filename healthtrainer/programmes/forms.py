from __future__ import annotations

from django import forms

from healthtrainer.programmes.models import Organisation, Programme

_DATE_ERRORS = {"invalid": "Enter the date as YYYY-MM-DD"}


# Numbers a programme form may leave blank, to keep the default (or the programme's value).
DEFAULTED_NUMBERS = (
    "early_follow_up_days",
    "pacing_baseline_percent",
    "pacing_weekly_increase_percent",
)


class ProgrammeForm(forms.ModelForm[Programme]):
    class Meta:
        model = Programme
        fields = [
            "name",
            "slug",
            "commissioner",
            "local_authority_code",
            "start_date",
            "end_date",
            "projected_referrals",
            "minimum_pain_duration_months",
            "minimum_age",
            "sessions_offered",
            "follow_up_interval_months",
            "early_follow_up_days",
            "referral_code",
            "pacing_baseline_percent",
            "pacing_weekly_increase_percent",
        ]
        labels = {
            "slug": "Short name for web addresses",
            "start_date": "Start date (YYYY-MM-DD)",
            "end_date": "End date (YYYY-MM-DD)",
            "minimum_pain_duration_months": "Minimum pain duration (months)",
            "follow_up_interval_months": "Follow-up after discharge (months)",
        }
        help_texts = {"slug": "Lower-case letters, digits and hyphens, like sheffield-pilot."}
        error_messages = {
            "start_date": _DATE_ERRORS,
            "end_date": _DATE_ERRORS,
            "name": {"required": "Enter the programme's name"},
            "slug": {"required": "Enter a short name for web addresses"},
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Left blank, these keep their default (or the programme's own value).
        self.fields["referral_code"].required = False
        for name in DEFAULTED_NUMBERS:
            self.fields[name].required = False

    def _number_or_default(self, name: str) -> int:
        given: int | None = self.cleaned_data.get(name)
        if given is not None:
            return given
        # A saved programme keeps its own value; a new one takes the model's default.
        kept: int = getattr(self.instance if self.instance.pk else Programme(), name)
        return kept

    def clean_early_follow_up_days(self) -> int:
        return self._number_or_default("early_follow_up_days")

    def clean_pacing_baseline_percent(self) -> int:
        return self._number_or_default("pacing_baseline_percent")

    def clean_pacing_weekly_increase_percent(self) -> int:
        return self._number_or_default("pacing_weekly_increase_percent")

    def clean_referral_code(self) -> str:
        code: str = self.cleaned_data.get("referral_code") or ""
        if code:
            return code
        return self.instance.referral_code or Programme._meta.get_field("referral_code").default

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date")
        return cleaned


class ProgrammeSettingsForm(ProgrammeForm):
    """The same fields without the slug: web addresses stay stable once in use."""

    class Meta(ProgrammeForm.Meta):
        fields = [name for name in ProgrammeForm.Meta.fields if name != "slug"]


class OrganisationForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ["kind", "name", "ods_code", "registered_list_size", "is_gp_champion"]
        labels = {"kind": "Kind of organisation", "registered_list_size": "Registered patients"}
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "kind": {"required": "Select the kind of organisation"},
            "name": {"required": "Enter the organisation's name"},
        }

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") != "gp_practice":
            cleaned["registered_list_size"] = None
            cleaned["is_gp_champion"] = False
        return cleaned
