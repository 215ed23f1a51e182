"""Qualitative analysis: participants and their documents, a codebook of codes grouped in
themes, codings of spans of text by named coders, and memos.

A document keeps its original text and an analysis copy with names replaced by
pseudonyms. Only those allowed to see originals ever see the original; everyone codes,
quotes and exports the analysis copy. A coding's span is in characters of the analysis
copy at the version it was made on.
"""

from __future__ import annotations

import uuid
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from healthtrainer.accounts.roles import Role
from healthtrainer.core.scoping import ProgrammeScopedQuerySet
from healthtrainer.qualitative.text import pseudonymise


class ParticipantRole(models.TextChoices):
    GP = "gp", "GP"
    TRAINER = "trainer", "Health trainer"
    PAIN_TEAM = "pain_team", "Chronic pain team"
    CLIENT = "client", "Client"
    OTHER = "other", "Other"


class DocumentKind(models.TextChoices):
    INTERVIEW = "interview", "Interview transcript"
    SUPERVISION = "supervision_notes", "Supervision notes"
    CASE_STUDY = "case_study", "Client case study"


class Aspect(models.TextChoices):
    """The four aspects of the programme's evaluation a theme can speak to."""

    GP_REFERRAL = "gp_referral", "GP referral"
    CB_USE = "cb_use", "Trainers' use of CB"
    CLIENT_OUTCOMES = "client_outcomes", "Client outcomes"
    RESOURCES = "resources", "Adequacy of resources"


class Participant(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="participants"
    )
    # How the participant is named in the analysis, such as "GP 3": never their name.
    label = models.CharField(max_length=60)
    role = models.CharField(max_length=20, choices=ParticipantRole.choices)
    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_given = models.BooleanField(default=False)
    consent_recorded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["role", "label"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "label"], name="participant_label_unique")
        ]

    def __str__(self) -> str:
        return self.label


class DocumentQuerySet(ProgrammeScopedQuerySet["Document"]):
    def visible_to(self, user: Any, permission: str) -> Self:
        """A health trainer sees only documents about themselves or their own clients;
        other roles see the programme's."""
        scoped = super().visible_to(user, permission)
        if not getattr(user, "is_authenticated", False) or user.is_site_administrator:
            return scoped
        trainer_in = user.programme_ids_as(Role.HEALTH_TRAINER)
        if not trainer_in:
            return scoped
        own = Q(participant__trainer=user) | Q(
            participant__client__referrals__assigned_trainer=user
        )
        return scoped.filter(~Q(programme_id__in=trainer_in) | own).distinct()


class Document(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="documents"
    )
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    source_name = models.CharField(max_length=200, blank=True)
    original_text = models.TextField()
    # The copy everyone analyses: the original with each name replaced by its pseudonym.
    analysis_text = models.TextField()
    # [[name, pseudonym], ...] as applied to make the analysis copy.
    replacements = models.JSONField(default=list, blank=True)
    # Goes up whenever the analysis copy changes, so a coding made on an older copy is refused.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        # Shown in lists of documents to choose from, to analysts who see no names.
        return pseudonymise(self.title, self.replacements)


class Theme(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="themes"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    aspect = models.CharField(max_length=30, choices=Aspect.choices, blank=True)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="theme_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Code(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="codes"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="codes"
    )
    name = models.CharField(max_length=120)
    definition = models.TextField(blank=True)
    example = models.TextField(blank=True)
    # Kept across a REFI-QDA codebook round trip, so a re-import updates the same codes.
    guid = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="code_name_unique"),
            models.UniqueConstraint(fields=["programme", "guid"], name="code_guid_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CodingQuerySet(ProgrammeScopedQuerySet["Coding"]):
    def visible_to(self, user: Any, permission: str) -> Self:
        documents = Document.objects.visible_to(user, permission)
        return self.filter(document__in=documents.values("pk"))


class Coding(models.Model):
    """A code applied to the characters [start, end) of a document's analysis copy."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="codings"
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="codings")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    document_version = models.PositiveIntegerField()
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Chosen to quote in the evaluation report.
    in_report = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CodingQuerySet.as_manager()

    class Meta:
        ordering = ["document_id", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="coding_span")
        ]

    def __str__(self) -> str:
        return f"{self.code} in {self.document} [{self.start}, {self.end})"

    @property
    def quote(self) -> str:
        return self.document.analysis_text[self.start : self.end]


class Memo(models.Model):
    """A note on a document, a code or a coding (exactly one)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="memos"
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="memos"
    )
    code = models.ForeignKey(
        Code, on_delete=models.PROTECT, null=True, blank=True, related_name="memos"
    )
    coding = models.ForeignKey(
        Coding, on_delete=models.CASCADE, null=True, blank=True, related_name="memos"
    )
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(document__isnull=False, code__isnull=True, coding__isnull=True)
                    | Q(document__isnull=True, code__isnull=False, coding__isnull=True)
                    | Q(document__isnull=True, code__isnull=True, coding__isnull=False)
                ),
                name="memo_has_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class FrameworkCell(models.Model):
    """One cell of the framework matrix: the analyst's summary of what a participant said
    on a theme, with the quotes that support it."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="framework_cells"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="framework_cells"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="framework_cells")
    summary = models.TextField()
    quotes = models.ManyToManyField(Coding, blank=True, related_name="framework_cells")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "theme"], name="framework_cell_once_per_theme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} on {self.theme}"
