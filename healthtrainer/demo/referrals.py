"""Demo referrals at each stage of triage, made through the same services as real ones.

Loaded once: a programme that already has referrals is left as it is.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.programmes.models import Organisation, Programme
from healthtrainer.referrals import services
from healthtrainer.referrals.models import ContactOutcome, Referral
from healthtrainer.referrals.services import ReferralDetails
from healthtrainer.referrals.triage import Status

# (given, family, born, sex, postcode, pain months, practice ODS, days ago, what happens next)
PATIENTS = [
    ("Maureen", "Walsh", date(1958, 6, 2), "female", "S2 1GS", 60, "Y90001", 3, "received"),
    ("Tariq", "Hussain", date(1971, 11, 19), "male", "S3 8EX", 18, "Y90003", 6, "received"),
    ("Janet", "Hollis", date(1949, 1, 30), "female", "S1 2HF", 36, "Y90002", 9, "attempted"),
    ("Kwame", "Mensah", date(1983, 4, 7), "male", "S2 7GF", 14, "Y90001", 15, "accepted"),
    ("Irene", "Kowalska", date(1966, 9, 12), "female", "S3 4BB", 120, "Y90004", 21, "accepted"),
    ("Dylan", "Price", date(1990, 2, 25), "male", "S1 5EY", 7, "Y90003", 12, "ineligible"),
    ("Susan", "Grey", date(1955, 7, 14), "female", "ZZ9 9ZZ", 48, "Y90002", 25, "declined"),
    # Accepted months ago, so that the demo's casework has episodes at every stage.
    ("Brenda", "Oakes", date(1952, 3, 8), "female", "S5 2GL", 96, "Y90003", 290, "accepted"),
    ("Mohammed", "Rahman", date(1968, 8, 21), "male", "S4 7LP", 30, "Y90001", 250, "accepted"),
    ("Patricia", "Nolan", date(1961, 12, 3), "female", "S13 7LE", 72, "Y90002", 220, "accepted"),
    ("Gary", "Whitworth", date(1964, 5, 17), "male", "S9 3EF", 24, "Y90004", 190, "accepted"),
    ("Agnieszka", "Nowak", date(1979, 10, 29), "female", "S2 3LS", 16, "Y90001", 160, "accepted"),
    ("Lee", "Marsden", date(1986, 1, 11), "male", "S6 1DT", 20, "Y90003", 130, "accepted"),
    ("Sandra", "Bailey", date(1957, 4, 23), "female", "S14 4AH", 40, "Y90003", 100, "accepted"),
    ("Yusuf", "Ali", date(1974, 9, 2), "male", "S3 8QT", 20, "Y90002", 70, "accepted"),
    ("Margaret", "Doyle", date(1950, 11, 15), "female", "S8 7YT", 150, "Y90004", 45, "accepted"),
]


@transaction.atomic
def load_demo_referrals(programme: Programme, *, manager: User, trainer: User) -> int:
    if Referral.objects.filter(programme=programme).exists():
        return 0
    practices = {
        practice.ods_code: practice
        for practice in Organisation.objects.for_programme(programme).gp_practices()
    }
    today = timezone.localdate()
    # Oldest first, so that references follow the order of receipt.
    by_receipt = sorted(PATIENTS, key=lambda patient: -patient[7])
    for given, family, born, sex, postcode, months, ods, days_ago, outcome in by_receipt:
        received = today - timedelta(days=days_ago)
        referral = services.referral_receive(
            actor=None,
            programme=programme,
            source="gp",
            practice=practices[ods],
            received_date=received,
            details=ReferralDetails(
                given_name=given,
                family_name=family,
                date_of_birth=born,
                sex=sex,
                postcode=postcode,
                pain_duration_months=months,
                consent_given=True,
                pain_sites="lower back; knees" if months > 24 else "neck and shoulders",
                help_wanted="Getting back to walking and sleeping better.",
            ),
        )
        if outcome in {"attempted", "accepted", "declined"}:
            services.referral_record_contact(
                actor=manager,
                referral=referral,
                attempted_on=received + timedelta(days=2),
                method="phone",
                outcome=ContactOutcome.NO_ANSWER if outcome == "attempted" else "contacted",
            )
        if outcome == "accepted":
            services.referral_accept(
                actor=manager, referral=referral, trainer=trainer, existing_client=None
            )
        elif outcome == "declined":
            services.referral_close(
                actor=manager,
                referral=referral,
                status=Status.DECLINED,
                reason="Wants to try the pain clinic's group course first.",
            )
    return len(PATIENTS)
