"""Writes to the qualitative analysis, each audited: participants, documents and their
pseudonymised copies, the codebook, codings and memos."""

from healthtrainer.qualitative.services.analysis import (
    CHANGED_SINCE,
    coding_add,
    coding_choose_for_report,
    coding_remove,
    framework_cell_save,
    memo_add,
    span_of_quote,
)
from healthtrainer.qualitative.services.codebook import (
    CodeDetails,
    ImportCounts,
    code_save,
    codebook_import,
    codebook_of,
    theme_save,
)
from healthtrainer.qualitative.services.documents import (
    ParticipantDetails,
    document_create,
    document_pseudonymise,
    participant_save,
)
from healthtrainer.qualitative.services.saving import (
    save_unique,
)

__all__ = [
    "CHANGED_SINCE",
    "CodeDetails",
    "ImportCounts",
    "ParticipantDetails",
    "code_save",
    "codebook_import",
    "codebook_of",
    "coding_add",
    "coding_choose_for_report",
    "coding_remove",
    "document_create",
    "document_pseudonymise",
    "framework_cell_save",
    "memo_add",
    "participant_save",
    "save_unique",
    "span_of_quote",
    "theme_save",
]
