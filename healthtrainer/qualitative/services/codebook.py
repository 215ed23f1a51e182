"""The codebook: codes and themes, and importing or exporting it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from healthtrainer.accounts.models import User
from healthtrainer.core.audit import audit_record
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative.codebook import Codebook, CodeEntry, ThemeEntry
from healthtrainer.qualitative.models import (
    Code,
    Theme,
)
from healthtrainer.qualitative.queries import names_in
from healthtrainer.qualitative.services.saving import save_unique


@dataclass(frozen=True)
class CodeDetails:
    name: str
    definition: str = ""
    example: str = ""
    parent: Code | None = None
    theme: Theme | None = None


@transaction.atomic
def code_save(
    *, actor: User, programme: Programme, details: CodeDetails, code: Code | None = None
) -> Code:
    for linked in (details.parent, details.theme):
        if linked is not None and linked.programme_id != programme.pk:
            raise ValidationError("That code or theme belongs to another programme.")
    ancestor = details.parent
    while ancestor is not None:
        if code is not None and ancestor.pk == code.pk:
            raise ValidationError({"parent": "A code cannot sit inside itself or its own codes"})
        ancestor = ancestor.parent
    saved: Code = save_unique(
        actor=actor,
        programme=programme,
        instance=code or Code(programme=programme),
        values=vars(details),
        field="name",
        taken=f"There is already a code called {details.name}",
    )
    return saved


@transaction.atomic
def theme_save(
    *, actor: User, programme: Programme, name: str, description: str, aspect: str
) -> Theme:
    if Theme.objects.filter(programme=programme, name=name).exists():
        raise ValidationError({"name": f"There is already a theme called {name}"})
    theme = Theme.objects.create(
        programme=programme, name=name, description=description, aspect=aspect
    )
    audit_record(
        actor=actor,
        action="qualitative.theme.added",
        target=theme,
        programme=programme,
        changed_fields=["name", "description", "aspect"],
    )
    return theme


def codebook_of(programme: Programme) -> Codebook:
    """The programme's codebook as exported: definitions, examples and theme descriptions,
    often written from quotes, with names replaced as in the documents."""
    names = names_in(programme)
    codes = list(Code.objects.for_programme(programme).select_related("parent"))
    ordered: list[Code] = []
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)

    def walk(parent: int | None) -> None:
        for code in children.get(parent, []):
            ordered.append(code)
            walk(code.pk)

    walk(None)
    return Codebook(
        codes=[
            CodeEntry(
                str(code.guid),
                code.name,
                str(code.parent.guid) if code.parent else "",
                names.hide(code.definition),
                names.hide(code.example),
            )
            for code in ordered
        ],
        themes=[
            ThemeEntry(
                str(theme.guid),
                theme.name,
                names.hide(theme.description),
                tuple(str(code.guid) for code in codes if code.theme_id == theme.pk),
            )
            for theme in Theme.objects.for_programme(programme)
        ],
    )


@dataclass(frozen=True)
class ImportCounts:
    created: int
    updated: int


@transaction.atomic
def codebook_import(*, actor: User, programme: Programme, codebook: Codebook) -> ImportCounts:
    """Codes matched by guid, then by name; themes by name. Nothing is deleted."""
    existing = list(Code.objects.for_programme(programme))
    by_guid = {str(code.guid): code for code in existing}
    by_name = {code.name: code for code in existing}
    themes = {theme.name: theme for theme in Theme.objects.for_programme(programme)}
    theme_of: dict[str, Theme] = {}
    for theme_entry in codebook.themes:
        theme = themes.get(theme_entry.name)
        if theme is None:
            theme = themes[theme_entry.name] = Theme.objects.create(
                programme=programme,
                name=theme_entry.name,
                description=theme_entry.description,
                guid=theme_entry.guid,
            )
        for member in theme_entry.members:
            theme_of[member] = theme
    created = updated = 0
    saved: dict[str, Code] = {}
    for entry in codebook.codes:  # parents come before their children
        code = by_guid.get(entry.guid) or by_name.get(entry.name)
        if code is None:
            code = Code(programme=programme, guid=entry.guid)
            created += 1
        else:
            updated += 1
        code.name = entry.name
        code.definition = entry.definition
        code.example = entry.example
        code.parent = saved.get(entry.parent_guid) or by_guid.get(entry.parent_guid)
        code.theme = theme_of.get(entry.guid, code.theme)
        code.save()
        saved[entry.guid] = code
    audit_record(
        actor=actor,
        action="qualitative.codebook.imported",
        programme=programme,
        changed_fields=["name", "definition", "example", "parent", "theme"],
    )
    return ImportCounts(created, updated)
