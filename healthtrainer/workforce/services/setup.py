"""What a programme's workforce records start from: its settings and its own lists."""

from __future__ import annotations

from django.db import transaction

from healthtrainer.accounts.models import User
from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce.models import FidelityItem, SatisfactionItem, WorkforceSettings
from healthtrainer.workforce.vocabulary import DEFAULT_FIDELITY_ITEMS, DEFAULT_SATISFACTION_ITEMS


@transaction.atomic
def programme_workforce_seed(*, actor: User | None, programme: Programme) -> WorkforceSettings:
    """Give a programme its workforce settings and the standard lists, unless it has them."""
    workforce_settings, created = WorkforceSettings.objects.get_or_create(programme=programme)
    if created:
        audit_record(
            actor=actor,
            action="workforce.settings.created",
            target=workforce_settings,
            programme=programme,
            changed_fields=["fidelity_scale_min", "fidelity_scale_max", "fidelity_threshold"],
        )
    lists: tuple[
        tuple[type[SatisfactionItem] | type[FidelityItem], tuple[tuple[str, str], ...]], ...
    ] = ((SatisfactionItem, DEFAULT_SATISFACTION_ITEMS), (FidelityItem, DEFAULT_FIDELITY_ITEMS))
    for model, entries in lists:
        if model.objects.filter(programme=programme).exists():
            continue
        for position, (code, name) in enumerate(entries, start=1):
            model.objects.create(programme=programme, code=code, name=name, position=position)
        audit_record(
            actor=actor,
            action=f"workforce.{model._meta.model_name}.seeded",
            programme=programme,
            changed_fields=["code", "name", "position"],
        )
    return workforce_settings


def settings_for(programme: Programme) -> WorkforceSettings:
    """The programme's workforce settings; the defaults, unsaved, if it has none yet."""
    found = WorkforceSettings.objects.filter(programme=programme).first()
    return found or WorkforceSettings(programme=programme)
