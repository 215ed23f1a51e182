"""Reading the cells of the referrals sheet that hold a person's codes and identifiers."""

from __future__ import annotations

from typing import Any

from healthtrainer.clients.codes import EmploymentStatus, EthnicCategory
from healthtrainer.clients.identifiers import (
    InvalidIdentifier,
    normalise_nhs_number,
    normalise_postcode,
)
from healthtrainer.core.cells import CellError, as_text, shown, text

ETHNIC_CATEGORIES = tuple(EthnicCategory.values)
EMPLOYMENT_STATUSES = tuple(EmploymentStatus.values)


def ethnic_category(value: Any) -> str:
    code = as_text(value).upper()
    if code not in ETHNIC_CATEGORIES:
        raise CellError(
            "The ethnic category must be an NHS Data Dictionary code "
            f"({', '.join(ETHNIC_CATEGORIES)}), not {shown(value)}"
        )
    return code


def employment_status(value: Any) -> str:
    # A spreadsheet turns 01 into the number 1; both mean the same code.
    code = as_text(value).upper()
    code = code.zfill(2) if code.isdigit() and len(code) == 1 else code
    if code not in EMPLOYMENT_STATUSES:
        raise CellError(
            "The employment status must be an NHS Data Dictionary code "
            f"({', '.join(EMPLOYMENT_STATUSES)}), not {shown(value)}"
        )
    return code


def nhs_number(value: Any) -> str:
    try:
        return normalise_nhs_number(as_text(value))
    except InvalidIdentifier as error:
        raise CellError(str(error)) from None


def postcode(value: Any) -> str:
    try:
        return normalise_postcode(as_text(value))
    except InvalidIdentifier as error:
        raise CellError(str(error)) from None


def pain_sites(value: Any) -> str:
    sites = [" ".join(site.split()) for site in as_text(value).split(";")]
    return text("; ".join(site for site in sites if site), "list of pain sites", 300)
