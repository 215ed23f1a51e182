"""A referral's fields as a row of the referrals sheet gives them, with where the person
lived looked up once per import."""

from __future__ import annotations

from typing import Any

from healthtrainer.deprivation.lookup import (
    Deprivation,
    deprivation_for_lsoa,
    deprivation_for_postcode,
    newest_loaded_edition,
)
from healthtrainer.imports.referral_sheets import ReferralRow
from healthtrainer.programmes.models import Organisation
from healthtrainer.referrals.models import Referral, Source
from healthtrainer.referrals.services import deprivation_fields

# An LSOA and decile given together in the file are kept as the service recorded them;
# the edition they came from is not known, so they are marked as recorded.
RECORDED_EDITION = "recorded"


class Deprivations:
    """Deprivation lookups, each asked once per import."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], Deprivation | None] = {}
        self._edition: str | None = None
        self._edition_known = False

    def for_lsoa(self, lsoa_code: str) -> Deprivation | None:
        key = ("lsoa", lsoa_code)
        if key not in self._found:
            self._found[key] = deprivation_for_lsoa(lsoa_code)
        return self._found[key]

    def for_postcode(self, postcode: str) -> Deprivation | None:
        if not self._edition_known:
            self._edition = newest_loaded_edition()
            self._edition_known = True
        if self._edition is None:
            return None
        key = ("postcode", postcode)
        if key not in self._found:
            self._found[key] = deprivation_for_postcode(postcode, edition=self._edition)
        return self._found[key]


def _deprivation_fields(row: ReferralRow, lookups: Deprivations) -> dict[str, Any]:
    """Where the person lived: as recorded, from the LSOA, or from the postcode. Nothing
    when the row gives neither, so an update keeps what the referral has."""
    if row.lsoa_code and row.imd_decile is not None:
        return {
            "lsoa_code": row.lsoa_code,
            "imd_decile": row.imd_decile,
            "imd_edition": RECORDED_EDITION,
        }
    if row.lsoa_code:
        return deprivation_fields(lookups.for_lsoa(row.lsoa_code), lsoa_code=row.lsoa_code)
    if row.postcode:
        return deprivation_fields(lookups.for_postcode(row.postcode))
    return {}


# Columns whose blank cell means "not recorded": a new referral leaves the field empty and
# an existing one keeps what it has.
OPTIONAL_FIELDS = {
    "nhs_number": "nhs_number",
    "postcode": "postcode",
    "ethnic_category": "ethnic_category",
    "employment_status": "employment_status",
    "pain_sites": "pain_sites",
    "help_wanted": "reason",
    "first_contact_date": "first_contact_date",
}


def referral_values(
    row: ReferralRow, practice: Organisation, lookups: Deprivations
) -> dict[str, Any]:
    """The referral's fields as the row gives them."""
    values: dict[str, Any] = {
        "source": Source.GP,
        "practice": practice,
        "received_date": row.received_date,
        "given_name": row.given_name,
        "family_name": row.family_name,
        "date_of_birth": row.date_of_birth,
        "sex": row.sex,
        "pain_duration_months": row.pain_duration_months,
        "status": row.outcome,
    }
    for name, column in OPTIONAL_FIELDS.items():
        value = getattr(row, column)
        if value not in (None, ""):
            values[name] = value
    values.update(_deprivation_fields(row, lookups))
    return values


def differs(referral: Referral, name: str, value: Any) -> bool:
    if name == "practice":
        return referral.practice_id != (value.pk if value is not None else None)
    current: Any = getattr(referral, name)
    return bool(current != value)
