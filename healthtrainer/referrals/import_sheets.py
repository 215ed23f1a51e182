"""The episode sheets' writers: casework and measures, which sit above referrals,
register how their sheets are written (ADR 20); the referrals import calls them inside
its transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.workbook import Problem, Workbook
from healthtrainer.referrals.workbook_format import EPISODE_SHEETS


@dataclass
class EpisodeImport:
    """What a sheet writer gets: the programme, the checked workbook, and the referrals it
    names by `referral_id`, already written. A writer appends what stops the import to
    `problems`; the whole import is then undone."""

    actor: Any
    programme: Programme
    workbook: Workbook
    referrals: dict[str, Referral]
    # Whether the workbook's programme sheet may change the programme's settings: from the
    # command, yes; from an upload, no (managers change settings on the settings page).
    programme_settings: bool = False
    problems: list[Problem] = field(default_factory=list)


# Writes one episode sheet's rows and says in a line what it did ("Sessions: 3 created.").
SheetWriter = Callable[[EpisodeImport], str]
SHEET_WRITERS: dict[str, SheetWriter] = {}


def register_sheet_writer(sheet: str, writer: SheetWriter) -> None:
    if sheet not in EPISODE_SHEETS:
        raise ValueError(f"{sheet} is not an episode sheet of the workbook.")
    SHEET_WRITERS[sheet] = writer
