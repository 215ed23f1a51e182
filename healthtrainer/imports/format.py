"""The programme workbook format (docs/import-format.md in the shared documents): its
sheets, their columns, and the plain words messages use for each column."""

from __future__ import annotations

from healthtrainer.clients.codes import Sex

PROGRAMME = "programme"
REFERRALS = "referrals"

# Every sheet of the format, with its columns: True where the column is required.
SHEETS: dict[str, dict[str, bool]] = {
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
    "sessions": {
        "referral_id": True,
        "date": True,
        "attendance": True,
        "mode": False,
        "duration_minutes": False,
        "cb_techniques": False,
    },
    "goals": {
        "referral_id": True,
        "goal_id": True,
        "set_date": True,
        "domain": False,
        "description": True,
        "final_status": False,
    },
    "measures": {
        "referral_id": True,
        "instrument": True,
        "timepoint": True,
        "date": True,
        "total_score": True,
    },
    "discharges": {"referral_id": True, "date": True, "reason": True},
    "follow_ups": {
        "referral_id": True,
        "date": True,
        "contacted": True,
        "maintaining_strategies": False,
        "gp_visits_last_3_months": False,
    },
}
# The sheets of an episode's records: read by the app that owns them, tied to a referral.
EPISODE_SHEETS = ("sessions", "goals", "measures", "discharges", "follow_ups")

OUTCOMES = ("accepted", "not_eligible", "declined", "unable_to_contact", "withdrawn")
SEXES = tuple(Sex.values)
OLDEST_AGE = 120
LONGEST_PAIN_MONTHS = 1200

# Plain words for each column, for the messages.
LABELS = {
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
    "date": "date",
    "attendance": "attendance",
    "mode": "mode",
    "duration_minutes": "duration in minutes",
    "cb_techniques": "CB techniques",
    "goal_id": "goal ID",
    "set_date": "date the goal was set",
    "domain": "domain",
    "description": "description",
    "final_status": "final status",
    "instrument": "instrument",
    "timepoint": "timepoint",
    "total_score": "total score",
    "contacted": "whether the client was contacted",
    "maintaining_strategies": "whether strategies are maintained",
    "gp_visits_last_3_months": "GP visits in the last 3 months",
}
