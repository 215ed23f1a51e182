"""Whether a referral meets the programme's criteria. Pure: no database."""

from __future__ import annotations

from datetime import date


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on `day` (a birthday counts from that day)."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def ineligibility_reasons(
    *,
    date_of_birth: date,
    pain_duration_months: int,
    received_date: date,
    minimum_age: int,
    minimum_pain_duration_months: int,
) -> list[str]:
    """Why a referral does not meet the criteria; an empty list means it is eligible."""
    reasons = []
    age = age_on(date_of_birth, received_date)
    if age < minimum_age:
        reasons.append(f"Aged {age} when referred; the programme is for {minimum_age} and over.")
    if pain_duration_months < minimum_pain_duration_months:
        reasons.append(
            f"Pain for {pain_duration_months} months; the programme needs "
            f"{minimum_pain_duration_months} months or more."
        )
    return reasons
