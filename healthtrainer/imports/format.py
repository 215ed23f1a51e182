"""The programme workbook format (docs/import-format.md): its sheets in order, their
columns, and the plain words messages use for each column.

The programme and referrals sheets are the import's own. The sheets of an episode's
records belong to the apps that keep those records, which check and write them; they are
listed here, in the order they are written: sessions before goals (a goal's review is
dated by its sessions), discharges before follow-ups."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from healthtrainer.casework import workbook_sheets as casework
from healthtrainer.clients.codes import Sex
from healthtrainer.core.row_checks import Problem
from healthtrainer.measures import workbook_sheet as measures
from healthtrainer.referrals.episode_import import EpisodeImport

PROGRAMME = "programme"
REFERRALS = "referrals"

# The import's own sheets, with their columns: True where the column is required.
OWN_SHEETS: dict[str, dict[str, bool]] = {
    PROGRAMME: {
        "slug": True,
        "name": True,
        "projected_referrals": False,
        "local_authority_code": False,
        "start_date": False,
        "end_date": False,
        "primary_wellbeing_instrument": False,
    },
    REFERRALS: {
        "referral_id": True,
        "received_date": True,
        "practice_ods_code": True,
        "nhs_number": False,
        "given_name": True,
        "family_name": True,
        "date_of_birth": True,
        "sex": True,
        "postcode": False,
        "ethnic_category": False,
        "employment_status": False,
        "pain_duration_months": True,
        "pain_sites": False,
        "reason": False,
        "outcome": True,
        "first_contact_date": False,
        "lsoa_code": False,
        "imd_decile": False,
    },
}

OUTCOMES = ("accepted", "not_eligible", "declined", "unable_to_contact", "withdrawn")
SEXES = tuple(Sex.values)
OLDEST_AGE = 120
LONGEST_PAIN_MONTHS = 1200

# Plain words for each column, for the messages.
OWN_LABELS = {
    "slug": "slug",
    "name": "name",
    "projected_referrals": "projected number of referrals",
    "local_authority_code": "local authority code",
    "start_date": "start date",
    "end_date": "end date",
    "primary_wellbeing_instrument": "primary well-being instrument",
    "referral_id": "referral ID",
    "received_date": "date received",
    "practice_ods_code": "practice ODS code",
    "nhs_number": "NHS number",
    "given_name": "given name",
    "family_name": "family name",
    "date_of_birth": "date of birth",
    "sex": "sex",
    "postcode": "postcode",
    "ethnic_category": "ethnic category",
    "employment_status": "employment status",
    "pain_duration_months": "pain duration in months",
    "pain_sites": "pain sites",
    "reason": "reason",
    "outcome": "outcome",
    "first_contact_date": "first contact date",
    "lsoa_code": "LSOA code",
    "imd_decile": "IMD decile",
}


@dataclass(frozen=True)
class EpisodeSheet:
    """A sheet of an episode's records: `check` reads its rows (each with `row` and
    `referral_id`), recording problems; `write` writes the checked rows inside the import's
    transaction and says in a line what it did ("Sessions: 3 created.")."""

    name: str
    check: Callable[[Iterator[tuple[int, dict[str, Any]]], list[Problem], date], list[Any]]
    write: Callable[[EpisodeImport, list[Any]], str]


EPISODE_SHEETS = (
    EpisodeSheet("sessions", casework.check_sessions, casework.write_sessions),
    EpisodeSheet("goals", casework.check_goals, casework.write_goals),
    EpisodeSheet("measures", measures.check_measures, measures.write_measures),
    EpisodeSheet("discharges", casework.check_discharges, casework.write_discharges),
    EpisodeSheet("follow_ups", casework.check_follow_ups, casework.write_follow_ups),
)
EPISODE_SHEET_NAMES = tuple(sheet.name for sheet in EPISODE_SHEETS)
# Every sheet of the format, in order, with its columns.
SHEETS: dict[str, dict[str, bool]] = {
    **OWN_SHEETS,
    **{sheet.name: {**casework.SHEETS, **measures.SHEETS}[sheet.name] for sheet in EPISODE_SHEETS},
}
LABELS = {**casework.LABELS, **measures.LABELS, **OWN_LABELS}
