"""The client's own copy of what the service holds that they may see, their time with the
service episode by episode, and deleting their whole diary."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from healthtrainer.companion.access import CompanionRequest, client_view
from healthtrainer.companion.diary import diary_clear
from healthtrainer.companion.language import ENGLISH
from healthtrainer.companion.your_data import as_csv_zip, record_of
from healthtrainer.core.audit import audit_record
from healthtrainer.core.pdf import html_pdf


@client_view
@require_http_methods(["GET", "POST"])
def your_data(request: CompanionRequest) -> HttpResponse:
    client = request.companion.client
    record = record_of(client)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(
                request, gettext("Tick the box to say you want to delete your whole diary.")
            )
            return redirect("companion:your_data")
        deleted = diary_clear(client=client, episodes=[item.episode for item in record.episodes])
        messages.success(
            request,
            ngettext(
                "Your diary is deleted: %(count)s entry.",
                "Your diary is deleted: %(count)s entries.",
                deleted,
            )
            % {"count": deleted},
        )
        return redirect("companion:your_data")
    audit_record(
        actor=None,
        client_actor=client,
        action="companion.record.viewed",
        target=client,
        programme=client.programme,
    )
    return render(
        request,
        "companion/your_data.jinja",
        {"companion": request.companion, "record": record},
    )


@client_view
@require_GET
def your_data_download(request: CompanionRequest, fmt: str) -> HttpResponse:
    client = request.companion.client
    record = record_of(client)
    # The files are worded in English only, so their values (a mood, how they slept) are
    # in English too, whichever language the pages are in.
    with translation.override(ENGLISH):
        if fmt == "csv":
            content, content_type = as_csv_zip(record), "application/zip"
            name = "your-health-trainer-record.zip"
        elif fmt == "pdf":
            html = render_to_string(
                "companion/your_data_printable.jinja",
                {"record": record, "made_at": timezone.localtime()},
            )
            content, content_type = html_pdf(html), "application/pdf"
            name = "your-health-trainer-record.pdf"
        else:
            raise Http404("No such format")
    audit_record(
        actor=None,
        client_actor=client,
        action="companion.record.downloaded",
        target=client,
        programme=client.programme,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
