"""Writes about resources and costs: time given by GP champions and the pain team, the
rates it is valued at, budget lines and cost items. Each is atomic and audited.

Bad figures (negative money, hours outside 0 to 24, a budget period that ends before it
starts, more than 24 hours for one person on one day) raise ValidationError naming the
field, before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from healthtrainer.accounts.models import User
from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.models import BudgetLine, CostItem, IndirectTime, RoleRate
from healthtrainer.workforce.vocabulary import ContributorRole

HOURS_IN_A_DAY = Decimal("24")


def _not_negative(field: str, value: Decimal, label: str) -> None:
    if value < 0:
        raise ValidationError({field: f"The {label} cannot be negative"})


@transaction.atomic
def indirect_time_record(
    *,
    actor: User,
    programme: Programme,
    person: str,
    role: str,
    given_on: date,
    hours: Decimal,
    activity: str,
    notes: str = "",
) -> IndirectTime:
    person = person.strip()
    if hours <= 0:
        raise ValidationError({"hours": "The hours must be more than 0"})
    if hours > HOURS_IN_A_DAY:
        raise ValidationError({"hours": "The hours cannot be more than 24 in one day"})
    # The person is named in free text, so the same name in another case is the same person.
    already = IndirectTime.objects.for_programme(programme).filter(
        person__iexact=person, given_on=given_on
    ).aggregate(total=Sum("hours"))["total"] or Decimal("0")
    if already + hours > HOURS_IN_A_DAY:
        raise ValidationError(
            {
                "hours": f"{person} already has {already.normalize():f} hours recorded on "
                f"{given_on:%d %B %Y}: no more than 24 hours can be recorded in one day"
            }
        )
    entry = IndirectTime(
        programme=programme,
        person=person,
        role=role,
        given_on=given_on,
        hours=hours,
        activity=activity,
        notes=notes,
        recorded_by=actor,
    )
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        action="workforce.indirect_time.recorded",
        target=entry,
        programme=programme,
        changed_fields=["person", "role", "given_on", "hours", "activity", "notes"],
    )
    return entry


@transaction.atomic
def role_rates_update(
    *, actor: User, programme: Programme, rates: Mapping[str, Decimal | None]
) -> list[RoleRate]:
    """Set each role's hourly rate; None removes it. One audit event per rate changed."""
    for role, rate in rates.items():
        if role not in ContributorRole.values:
            raise ValidationError(f"{role} is not a contributor role")
        if rate is not None:
            _not_negative(role, rate, "hourly rate")
    current = {rate.role: rate for rate in RoleRate.objects.for_programme(programme)}
    for role, hourly_rate in rates.items():
        existing = current.get(role)
        if hourly_rate is None:
            if existing is not None:
                audit_record(
                    actor=actor,
                    action="workforce.role_rate.removed",
                    target=existing,
                    programme=programme,
                    changed_fields=["hourly_rate"],
                )
                existing.delete()
                del current[role]
            continue
        if existing is not None and existing.hourly_rate == hourly_rate:
            continue
        saved = existing or RoleRate(programme=programme, role=role)
        saved.hourly_rate = hourly_rate
        saved.full_clean()
        saved.save()
        current[role] = saved
        audit_record(
            actor=actor,
            action=f"workforce.role_rate.{'updated' if existing else 'created'}",
            target=saved,
            programme=programme,
            changed_fields=["hourly_rate"] if existing else ["role", "hourly_rate"],
        )
    return list(current.values())


@transaction.atomic
def budget_line_save(
    *,
    actor: User,
    programme: Programme,
    line: BudgetLine | None = None,
    funding_source: str,
    amount: Decimal,
    period_start: date,
    period_end: date,
) -> BudgetLine:
    """Add a budget line, or change one of this programme's (`line`)."""
    _not_negative("amount", amount, "amount")
    if period_end < period_start:
        raise ValidationError({"period_end": "The end of the period must be on or after its start"})
    if line is not None and line.programme_id != programme.pk:
        raise ValidationError("The budget line belongs to another programme")
    adding = line is None
    line = line or BudgetLine(programme=programme)
    values = {
        "funding_source": funding_source.strip(),
        "amount": amount,
        "period_start": period_start,
        "period_end": period_end,
    }
    changed = [name for name, value in values.items() if adding or getattr(line, name) != value]
    if not changed:
        return line
    for name in changed:
        setattr(line, name, values[name])
    line.full_clean()
    line.save()
    audit_record(
        actor=actor,
        action=f"workforce.budget_line.{'added' if adding else 'updated'}",
        target=line,
        programme=programme,
        changed_fields=changed,
    )
    return line


@transaction.atomic
def cost_item_record(
    *,
    actor: User,
    programme: Programme,
    category: str,
    incurred_on: date,
    amount: Decimal,
    description: str,
) -> CostItem:
    _not_negative("amount", amount, "amount")
    item = CostItem(
        programme=programme,
        category=category,
        incurred_on=incurred_on,
        amount=amount,
        description=description.strip(),
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="workforce.cost_item.recorded",
        target=item,
        programme=programme,
        changed_fields=["category", "incurred_on", "amount", "description"],
    )
    return item
