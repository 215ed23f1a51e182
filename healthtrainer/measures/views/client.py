"""The client's own questionnaire page: no sign-in, and nothing of the record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from healthtrainer.core.forms import add_service_errors
from healthtrainer.measures import services
from healthtrainer.measures.forms import (
    QuestionnaireForm,
)


# The address carries the token: no cache may keep the page.
@never_cache
@require_http_methods(["GET", "POST"])
def client_questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.client_link_for(token)
    except services.LinkUnusable as problem:
        return render(
            request, "measures/link_unusable.jinja", {"message": str(problem)}, status=410
        )
    definition = services.definition_of(link.instrument)
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        definition=definition,
        texts=services.item_texts(link.instrument),
        with_details=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.client_link_complete(token=token, answers=form.answers())
        except services.LinkUnusable as problem:
            return render(
                request, "measures/link_unusable.jinja", {"message": str(problem)}, status=410
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "measures/client_thanks.jinja", {"definition": definition})
    response = render(
        request,
        "measures/client_questionnaire.jinja",
        {"form": form, "definition": definition, "expires_at": link.expires_at},
    )
    # The address is the key: requests from the page name only the origin, never the path.
    # ("no-referrer" would make browsers send "Origin: null", which fails the CSRF check.)
    response["Referrer-Policy"] = "strict-origin"
    return response
