"""Forms of the qualitative analysis."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from healthtrainer.clients.models import Client
from healthtrainer.core.dates import DateInputField
from healthtrainer.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from healthtrainer.programmes.models import Organisation, Programme
from healthtrainer.qualitative.models import (
    Aspect,
    Code,
    Coding,
    Document,
    DocumentKind,
    Participant,
    ParticipantRole,
    Theme,
)
from healthtrainer.qualitative.text import TextProblem, parse_replacements, read_upload

REPLACEMENTS_HELP = (
    "One name a line, then = and its pseudonym: for example, Jane Smith = Client A. Each "
    "name is replaced as a whole word, whatever its case; longer names first. Evaluators "
    "only ever see the copy with names replaced."
)


class ParticipantForm(forms.Form):
    label = forms.CharField(
        max_length=60,
        label="Label",
        help_text="How the analysis names them, such as GP 3 or Client A: never their name.",
        error_messages={"required": "Enter a label"},
    )
    role = forms.ChoiceField(
        choices=ParticipantRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the participant's role"},
    )
    organisation = BoundedModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label="Organisation (optional)"
    )
    client = BoundedModelChoiceField(
        queryset=Client.objects.none(),
        required=False,
        label="Client record (optional)",
        help_text="For a client case study: links their themes to their figures.",
    )
    trainer = BoundedModelChoiceField(
        queryset=Participant.objects.none(),
        required=False,
        label="Health trainer record (optional)",
        help_text="For a trainer interviewed, or supervision notes about them.",
    )
    consent_given = forms.BooleanField(
        required=False,
        label="Consent",
        help_text="The participant has consented to their words being analysed and quoted",
    )
    consent_recorded_on = DateInputField(
        required=False, label="Date consent was recorded", help_text="For example, 27 3 2027"
    )

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        trainers: QuerySet[Any],
        can_link_records: bool,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.for_programme(programme)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if not can_link_records:
            # Linking needs the client's name, which evaluators never see.
            del self.fields["client"], self.fields["trainer"]
            return
        clients = Client.objects.filter(programme=programme).order_by("family_name", "given_name")
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]
        self.fields["trainer"].queryset = trainers  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    participant = BoundedModelChoiceField(
        queryset=Participant.objects.none(),
        error_messages={"required": "Select who the document is about"},
    )
    kind = forms.ChoiceField(
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        label="What is it?",
        error_messages={"required": "Select what kind of document it is"},
    )
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title"})
    upload = forms.FileField(required=False, label="Upload a file (.txt, .md or .docx, up to 5 MB)")
    pasted = forms.CharField(
        required=False, widget=forms.Textarea, label="Or paste the text", strip=False
    )
    replacements = forms.CharField(
        required=False,
        widget=forms.Textarea,
        label="Names to replace (optional)",
        help_text=REPLACEMENTS_HELP,
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.for_programme(programme)  # type: ignore[attr-defined]

    def clean_replacements(self) -> list[tuple[str, str]]:
        try:
            return parse_replacements(self.cleaned_data.get("replacements") or "")
        except TextProblem as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload, pasted = cleaned.get("upload"), cleaned.get("pasted") or ""
        if upload and pasted.strip():
            self.add_error("pasted", "Upload a file or paste the text, not both")
        elif upload:
            try:
                cleaned["text"] = read_upload(upload.name, upload.read())
                cleaned["source_name"] = upload.name
            except TextProblem as error:
                self.add_error("upload", str(error))
        elif pasted.strip():
            cleaned["text"] = pasted.replace("\r\n", "\n")
            cleaned["source_name"] = "pasted"
        else:
            self.add_error("upload", "Upload a file or paste the text")
        return cleaned


class PseudonymiseForm(forms.Form):
    replacements = forms.CharField(
        required=False, widget=forms.Textarea, label="Names to replace", help_text=REPLACEMENTS_HELP
    )

    def clean_replacements(self) -> list[tuple[str, str]]:
        try:
            return parse_replacements(self.cleaned_data.get("replacements") or "")
        except TextProblem as error:
            raise forms.ValidationError(str(error)) from None


class CodingForm(forms.Form):
    """Codes for a span: selected in the page (start and end filled in by its script), or
    given as the words themselves, which works by keyboard alone."""

    codes = BoundedModelMultipleChoiceField(
        queryset=Code.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Codes to apply",
        error_messages={"required": "Choose at least one code to apply"},
    )
    quote = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Words to code",
        help_text="Select text in the document above, or type or paste the words exactly.",
        strip=False,
    )
    occurrence = forms.IntegerField(
        required=False,
        min_value=1,
        label="If those words appear more than once, which time (1 is the first)",
    )
    start = forms.IntegerField(required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["codes"].queryset = Code.objects.for_programme(programme)  # type: ignore[attr-defined]


class MemoForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Memo",
        error_messages={"required": "Write the memo"},
    )


class CodeForm(forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter the code's name"})
    definition = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    example = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    parent = BoundedModelChoiceField(
        queryset=Code.objects.none(), required=False, label="Inside code (optional)"
    )
    theme = BoundedModelChoiceField(
        queryset=Theme.objects.none(), required=False, label="Theme (optional)"
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Code.objects.for_programme(programme)  # type: ignore[attr-defined]
        self.fields["theme"].queryset = Theme.objects.for_programme(programme)  # type: ignore[attr-defined]


class ThemeForm(forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter the theme's name"})
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    aspect = forms.ChoiceField(
        choices=[("", "None"), *Aspect.choices],
        required=False,
        label="Aspect of the evaluation it speaks to",
    )


class CodebookUploadForm(forms.Form):
    codebook = forms.FileField(
        label="Codebook file (.qdc or .csv)",
        error_messages={"required": "Choose a .qdc or .csv codebook file"},
    )


class AgreementForm(forms.Form):
    first = BoundedModelChoiceField(
        queryset=Participant.objects.none(), label="First coder", empty_label=None
    )
    second = BoundedModelChoiceField(
        queryset=Participant.objects.none(), label="Second coder", empty_label=None
    )
    documents = BoundedModelMultipleChoiceField(
        queryset=Document.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one document"},
    )
    codes = BoundedModelMultipleChoiceField(
        queryset=Code.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one code"},
    )

    def __init__(
        self,
        *args: Any,
        coders: QuerySet[Any],
        documents: QuerySet[Document],
        programme: Programme,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        codes = Code.objects.for_programme(programme)
        self.fields["first"].queryset = coders  # type: ignore[attr-defined]
        self.fields["second"].queryset = coders  # type: ignore[attr-defined]
        self.fields["documents"].queryset = documents  # type: ignore[attr-defined]
        self.fields["codes"].queryset = codes  # type: ignore[attr-defined]
        if not self.is_bound:
            self._start_ready_to_compare(coders, codes)

    def _start_ready_to_compare(self, coders: QuerySet[Any], codes: QuerySet[Code]) -> None:
        """Two different coders and every code, so the first Compare needs only the
        documents, rather than the same coder twice and nothing ticked: three errors."""
        people = list(coders.values_list("pk", flat=True)[:2])
        if people:
            self.initial.setdefault("first", people[0])
        if len(people) > 1:
            self.initial.setdefault("second", people[1])
        self.initial.setdefault("codes", list(codes.values_list("pk", flat=True)))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            self.add_error("second", "Choose two different coders")
        return cleaned


class FrameworkCellForm(forms.Form):
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Summary",
        help_text="What this participant said on this theme, in your words.",
        error_messages={"required": "Write the summary"},
    )
    quotes = BoundedModelMultipleChoiceField(
        queryset=Coding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Supporting quotes (optional)",
    )

    def __init__(self, *args: Any, quotes: QuerySet[Coding], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["quotes"].queryset = quotes  # type: ignore[attr-defined]
        self.fields["quotes"].label_from_instance = (  # type: ignore[attr-defined]
            lambda coding: f"{coding.code.name}: “{coding.quote}”"
        )
