"""The Jinja2 environment: our templates first, then the NHS.UK frontend macros."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from healthtrainer.core.dates import DateInputWidget, date_parts


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def form_error_list(form: Any) -> list[dict[str, str]]:
    """The error summary's list: each message links to its field (the page top for the form)."""
    items: list[dict[str, str]] = []
    for name, errors in form.errors.items():
        href = f"#{form[name].auto_id}" if name in form.fields else "#maincontent"
        if name in form.fields and isinstance(form.fields[name].widget, DateInputWidget):
            href += "-day"
        items.extend({"text": str(error), "href": href} for error in errors)
    return items


def choice_items(field: Any, selected_key: str = "checked") -> list[dict[str, Any]]:
    """A bound choice field's options in the shape the NHS.UK radios and select expect."""
    value = field.value()
    values = [value] if not isinstance(value, (list, tuple)) else value
    current = {"" if item is None else str(item) for item in values}
    return [
        {"value": str(value), "text": str(label), selected_key: str(value) in current}
        for value, label in field.field.choices
    ]


def environment(**options: Any) -> Environment:
    base_loader = options.pop("loader", None)
    loaders = [base_loader] if base_loader is not None else []
    options["loader"] = ChoiceLoader([*loaders, PackageLoader("nhsuk_frontend_jinja")])
    # The NHS.UK macros read chained optional parameters (params.a.b) freely.
    options["undefined"] = ChainableUndefined
    options["autoescape"] = True
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.i18n"]
    env = Environment(**options)  # noqa: S701 (autoescape is set on the line above)
    # Words marked _("...") are in the language active for the request: English, except on
    # a client's companion pages when they chose Welsh (companion/language.py).
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    # Dates with the month and day names of the active language ("j F Y": 5 December 2026).
    env.filters["date"] = dateformat.format
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": get_messages,
            "service_name": settings.SERVICE_NAME,
            "form_error_list": form_error_list,
            "choice_items": choice_items,
            "date_parts": date_parts,
            "localtime": timezone.localtime,
            "get_language": translation.get_language,
        }
    )
    return env
