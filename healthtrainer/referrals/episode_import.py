"""What the sheets of an episode's records are written with, inside a workbook import's
transaction: the programme, and the referrals the workbook names by `referral_id`, already
written. Casework and measures write their sheets from it (docs/import-format.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from healthtrainer.core.row_checks import Problem
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral


@dataclass
class EpisodeImport:
    """A writer appends what stops the import to `problems`; the whole import is then
    undone."""

    actor: Any
    programme: Programme
    referrals: dict[str, Referral]
    # The programme sheet's headline well-being instrument, where the import may set it
    # (from the command, yes; from an upload, no: managers use the settings page), and its
    # row, for a problem.
    primary_instrument: str = ""
    primary_instrument_row: int | None = None
    problems: list[Problem] = field(default_factory=list)
