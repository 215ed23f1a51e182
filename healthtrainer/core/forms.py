from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models

from healthtrainer.core.parameters import bounded_int

_M = TypeVar("_M", bound=models.Model)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _largest_key(queryset: models.QuerySet[Any], to_field_name: str | None) -> int | None:
    """The largest value the choices' key column holds, or None for a key that is not a
    whole number."""
    options = queryset.model._meta
    field: Any = options.get_field(to_field_name) if to_field_name else options.pk
    while field.is_relation:
        field = field.target_field
    if not isinstance(field, models.IntegerField):
        return None
    return connections[queryset.db].ops.integer_field_range(field.get_internal_type())[1]


def _is_possible_key(value: object, queryset: models.QuerySet[Any], key: str | None) -> bool:
    largest = _largest_key(queryset, key)
    return largest is None or bounded_int(value, maximum=largest) is not None


class BoundedModelChoiceField(forms.ModelChoiceField[_M]):
    """A ModelChoiceField that takes only ASCII digits the key column can hold: anything
    else is "not one of the choices", without asking the database."""

    def to_python(self, value: Any) -> _M | None:
        choices: Any = self.queryset
        if (
            value not in self.empty_values
            and not isinstance(value, choices.model)
            and not _is_possible_key(value, choices, self.to_field_name)
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField[_M]):
    """A ModelMultipleChoiceField that takes only ASCII digits the key column can hold. Its
    keys go to the database in one `IN` list, where one number too large for SQLite fails
    the whole query."""

    def clean(self, value: Any) -> models.QuerySet[_M]:
        choices: Any = self.queryset
        keys = self.prepare_value(value)
        for key in keys if isinstance(keys, list | tuple) else ():
            if not _is_possible_key(key, choices, self.to_field_name):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                )
        return super().clean(value)
