"""Writes to referrals: receipt with eligibility, contact attempts, acceptance, closing.

Every status change goes through the state machine in triage.py and is audited.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.accounts.roles import Role
from healthtrainer.clients.models import Client
from healthtrainer.core.audit import audit_record
from healthtrainer.deprivation.lookup import Deprivation, deprivation_for_postcode
from healthtrainer.programmes.models import Organisation, Programme
from healthtrainer.referrals.eligibility import ineligibility_reasons
from healthtrainer.referrals.models import ContactAttempt, ContactOutcome, Referral
from healthtrainer.referrals.references import next_reference, references_catch_up
from healthtrainer.referrals.triage import Status, check_transition

# A reference already taken is retried this many times in all (see referral_receive).
REFERENCE_ATTEMPTS = 3


class TrainerNotInProgramme(ValueError):
    pass


@dataclass(frozen=True)
class ReferralDetails:
    """What a referral says about the patient and their pain, already validated."""

    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    pain_duration_months: int
    consent_given: bool
    nhs_number: str = ""
    phone: str = ""
    email: str = ""
    postcode: str = ""
    pain_sites: str = ""
    help_wanted: str = ""
    risk_notes: str = ""
    ethnic_category: str = ""
    employment_status: str = ""


def deprivation_fields(found: Deprivation | None, *, lsoa_code: str = "") -> dict[str, Any]:
    """A referral's deprivation fields from a lookup; when nothing was found, only the LSOA
    code given (if any) is kept and the decile is unknown."""
    if found is None:
        return {"lsoa_code": lsoa_code, "imd_decile": None, "imd_edition": ""}
    return {
        "lsoa_code": found.lsoa_code,
        "imd_decile": found.imd_decile,
        "imd_edition": found.edition,
    }


def referral_receive(
    *,
    actor: User | None,
    programme: Programme,
    source: str,
    practice: Organisation | None,
    received_date: date,
    details: ReferralDetails,
    reference: str = "",
) -> Referral:
    """Record a referral. One that fails the programme's criteria is kept as not eligible,
    with its reasons, because it still counts in the referral figures."""
    reasons = ineligibility_reasons(
        date_of_birth=details.date_of_birth,
        pain_duration_months=details.pain_duration_months,
        received_date=received_date,
        minimum_age=programme.minimum_age,
        minimum_pain_duration_months=programme.minimum_pain_duration_months,
    )
    deprivation = deprivation_fields(
        deprivation_for_postcode(details.postcode) if details.postcode else None
    )
    for attempt in range(1, REFERENCE_ATTEMPTS + 1):
        chosen = reference
        try:
            with transaction.atomic():
                chosen = reference or next_reference(programme)
                referral = Referral.objects.create(
                    programme=programme,
                    reference=chosen,
                    source=source,
                    practice=practice,
                    referred_by=actor,
                    received_date=received_date,
                    status=Status.NOT_ELIGIBLE if reasons else Status.RECEIVED,
                    status_reason=" ".join(reasons),
                    **asdict(details),
                    **deprivation,
                )
                audit_record(
                    actor=actor,
                    action="referrals.referral.received",
                    target=referral,
                    programme=programme,
                    changed_fields=[
                        "status",
                        *(name for name, value in asdict(details).items() if value),
                    ],
                )
                return referral
        except IntegrityError:
            # A workbook import keeps the references its file gives, so one may already
            # hold the number the sequence handed out: move the sequence past it and take
            # another. Any other failure is not ours to retry.
            taken = Referral.objects.filter(programme=programme, reference=chosen).exists()
            if reference or attempt == REFERENCE_ATTEMPTS or not taken:
                raise
            references_catch_up(programme)
    raise AssertionError("unreachable")


def _move(referral: Referral, status: str, reason: str = "") -> None:
    check_transition(referral.status, status)
    referral.status = status
    referral.status_reason = reason
    referral.status_changed_at = timezone.now()


@transaction.atomic
def referral_record_contact(
    *,
    actor: User,
    referral: Referral,
    attempted_on: date,
    method: str,
    outcome: str,
    notes: str = "",
) -> ContactAttempt:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _move(referral, Status.CONTACT_ATTEMPTED)
    changed = ["status"]
    if outcome == ContactOutcome.CONTACTED and (
        referral.first_contact_date is None or attempted_on < referral.first_contact_date
    ):
        referral.first_contact_date = attempted_on
        changed.append("first_contact_date")
    referral.save()
    attempt = ContactAttempt.objects.create(
        referral=referral,
        attempted_on=attempted_on,
        method=method,
        outcome=outcome,
        notes=notes,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="referrals.referral.contact_attempted",
        target=referral,
        programme=referral.programme,
        changed_fields=changed,
    )
    return attempt


def _client_from(referral: Referral) -> Client:
    return Client.objects.create(
        programme=referral.programme,
        nhs_number=referral.nhs_number,
        given_name=referral.given_name,
        family_name=referral.family_name,
        date_of_birth=referral.date_of_birth,
        sex=referral.sex,
        postcode=referral.postcode,
        phone=referral.phone,
        email=referral.email,
    )


@transaction.atomic
def referral_accept(
    *,
    actor: User,
    referral: Referral,
    trainer: User,
    existing_client: Client | None,
    accepted_on: date | None = None,
) -> Referral:
    """Accept a referral, assign its health trainer, and link it to a client: the one staff
    confirmed as the same person, or a new one."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if trainer.role_in(referral.programme_id) != Role.HEALTH_TRAINER:
        raise TrainerNotInProgramme("Choose a health trainer in this programme.")
    _move(referral, Status.ACCEPTED)
    if existing_client is not None and existing_client.programme_id != referral.programme_id:
        raise ValueError("The client belongs to another programme.")
    client = existing_client or _client_from(referral)
    referral.client = client
    referral.assigned_trainer = trainer
    if referral.first_contact_date is None:
        referral.first_contact_date = accepted_on or timezone.localdate()
    referral.save()
    if existing_client is None:
        audit_record(
            actor=actor,
            action="clients.client.created",
            target=client,
            programme=referral.programme,
            changed_fields=["nhs_number", "given_name", "family_name", "date_of_birth", "sex"],
        )
    else:
        audit_record(
            actor=actor,
            action="clients.client.matched",
            target=client,
            programme=referral.programme,
            changed_fields=["referrals"],
        )
    audit_record(
        actor=actor,
        action="referrals.referral.accepted",
        target=referral,
        programme=referral.programme,
        changed_fields=["status", "client", "assigned_trainer", "first_contact_date"],
    )
    return referral


@transaction.atomic
def referral_close(*, actor: User, referral: Referral, status: str, reason: str) -> Referral:
    """Close a referral as declined, unable to contact, not eligible or withdrawn."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _move(referral, status, reason.strip())
    referral.save()
    audit_record(
        actor=actor,
        action=f"referrals.referral.{status}",
        target=referral,
        programme=referral.programme,
        changed_fields=["status", "status_reason"],
    )
    return referral


@transaction.atomic
def referral_record_demographics(
    *, actor: User, referral: Referral, ethnic_category: str, employment_status: str
) -> Referral:
    changed = [
        name
        for name, value in (
            ("ethnic_category", ethnic_category),
            ("employment_status", employment_status),
        )
        if getattr(referral, name) != value
    ]
    if not changed:
        return referral
    referral.ethnic_category = ethnic_category
    referral.employment_status = employment_status
    referral.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="referrals.referral.demographics_recorded",
        target=referral,
        programme=referral.programme,
        changed_fields=changed,
    )
    return referral
