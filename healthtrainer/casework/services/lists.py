"""A programme's own lists: the standard ones it starts from, and entries added or retired."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import (
    CbTechnique,
    ProgrammeListItem,
    Strategy,
)
from healthtrainer.casework.vocabulary import (
    DEFAULT_CB_TECHNIQUES,
    DEFAULT_STRATEGIES,
)
from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Programme

# Programme lists ------------------------------------------------------------------------


@transaction.atomic
def programme_lists_seed(*, actor: User | None, programme: Programme) -> None:
    """Give a programme the standard CB techniques and strategies, unless it has its own."""
    lists: tuple[tuple[type[CbTechnique] | type[Strategy], tuple[tuple[str, str], ...]], ...] = (
        (CbTechnique, DEFAULT_CB_TECHNIQUES),
        (Strategy, DEFAULT_STRATEGIES),
    )
    for model, entries in lists:
        if model.objects.filter(programme=programme).exists():
            continue
        for position, (code, name) in enumerate(entries, start=1):
            model.objects.create(programme=programme, code=code, name=name, position=position)
        audit_record(
            actor=actor,
            action=f"casework.{model._meta.model_name}.seeded",
            programme=programme,
            changed_fields=["code", "name", "position"],
        )


@transaction.atomic
def programme_list_item_add(
    *, actor: User, programme: Programme, model: type[ProgrammeListItem], name: str
) -> ProgrammeListItem:
    """Add an entry to one of a programme's own lists, with a code made from its name."""
    name = name.strip()
    code = slugify(name).replace("-", "_")[:60]
    if not code:
        raise ValidationError({"name": "Enter a name with letters or numbers."})
    siblings = model.objects.filter(programme=programme)
    if siblings.filter(Q(name__iexact=name) | Q(code=code)).exists():
        raise ValidationError({"name": f"“{name}” is already on the list."})
    last = siblings.order_by("-position").first()
    item = model.objects.create(
        programme=programme,
        code=code,
        name=name,
        position=(last.position + 1) if last else 1,
    )
    audit_record(
        actor=actor,
        action=f"casework.{model._meta.model_name}.added",
        target=item,
        programme=programme,
        changed_fields=["code", "name"],
    )
    return item


@transaction.atomic
def programme_list_item_set_active(
    *, actor: User, item: ProgrammeListItem, is_active: bool
) -> None:
    """Retire an entry (it stays on the records that name it) or bring it back."""
    item.is_active = is_active
    item.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=f"casework.{item._meta.model_name}.{'restored' if is_active else 'retired'}",
        target=item,
        programme=item.programme,
        changed_fields=["is_active"],
    )
