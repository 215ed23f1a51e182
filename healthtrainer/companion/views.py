"""The client's own pages: signing in with a code, their plan (with their weekly view of
each goal), their next appointment as a calendar file, and their devices. Every page
reaches the client's record only through `access.client_view`, and every read and write
is audited as the client's."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.casework import services as casework
from healthtrainer.casework.models import CheckInVia, ClientStrategy, Goal
from healthtrainer.companion.access import (
    COOKIE,
    CompanionRequest,
    client_view,
    set_device_cookie,
)
from healthtrainer.companion.forms import CodeForm, ContactForm
from healthtrainer.companion.language import in_chosen_language
from healthtrainer.companion.plan import as_calendar, next_appointment, plan_of
from healthtrainer.companion.questionnaires import questionnaires_due
from healthtrainer.companion.services import (
    SignInRefused,
    code_check,
    code_send,
    current_episode,
    device_sign_out,
    normalised_contact,
)
from healthtrainer.core.audit import audit_record
from healthtrainer.measures.services.links import client_link_create
from healthtrainer.notifications.models import OutboxMessage
from healthtrainer.notifications.notifier import OUTBOX, get_notifier

# The number or address a code was asked for, kept between the two sign-in pages in the
# browser's session (never in an address, where proxies and logs would keep it).
PENDING_CONTACT = "companion_pending_contact"
CONTACT_SALT = "companion.contact"
# How long the code page accepts the contact it was given: the code's own lifetime.
CONTACT_MAX_AGE = 15 * 60


def _device_label(request: HttpRequest) -> str:
    """The device's name as the client will see it in their list of devices, in the
    language they sign in with."""
    agent = request.headers.get("User-Agent", "")
    system = next((name for key, name in DEVICES if key in agent), gettext("a device"))
    browser = next((name for key, name in BROWSERS if key in agent), gettext("A browser"))
    return gettext("%(browser)s on %(system)s") % {"browser": browser, "system": system}


DEVICES = [
    ("iPhone", gettext_lazy("an iPhone")),
    ("iPad", gettext_lazy("an iPad")),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Macintosh", gettext_lazy("a Mac")),
    ("Linux", "Linux"),
]
BROWSERS = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]


@in_chosen_language
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        code_send(contact=contact, notifier=get_notifier())
        request.session[PENDING_CONTACT] = signing.dumps(contact, salt=CONTACT_SALT)
        return redirect("companion:code")
    return render(request, "companion/sign_in.jinja", {"form": form})


@in_chosen_language
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    try:
        contact = signing.loads(
            request.session.get(PENDING_CONTACT, ""), salt=CONTACT_SALT, max_age=CONTACT_MAX_AGE
        )
    except signing.BadSignature:
        return redirect("companion:sign_in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, token = code_check(
                contact=contact, code=form.cleaned_data["code"], device_label=_device_label(request)
            )
        except SignInRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            del request.session[PENDING_CONTACT]
            response = redirect("companion:home")
            set_device_cookie(response, token, secure=request.is_secure())
            return response
    return render(
        request,
        "companion/code.jinja",
        {"form": form, "contact": contact, "demo_code": _demo_code(contact)},
    )


def _demo_code(contact: str) -> str:
    """In a local demo that sends no messages, the code the outbox holds for the contact,
    so the page can show it; never where messages are really sent."""
    if not (settings.DEBUG and settings.NOTIFIER == OUTBOX):
        return ""
    held = (
        OutboxMessage.objects.filter(
            to=normalised_contact(contact), template="companion_sign_in_code"
        )
        .order_by("-pk")
        .first()
    )
    return str(held.personalisation.get("code", "")) if held else ""


@client_view
def home(request: CompanionRequest) -> HttpResponse:
    client = request.companion.client
    plan = plan_of(client)
    audit_record(
        actor=None,
        client_actor=client,
        action="companion.plan.viewed",
        target=plan.episode if plan else client,
        programme=client.programme,
    )
    return render(
        request,
        "companion/home.jinja",
        {
            "companion": request.companion,
            "plan": plan,
            "questionnaires": questionnaires_due(plan.episode) if plan else [],
        },
    )


@client_view
def appointment_calendar(request: CompanionRequest) -> HttpResponse:
    episode = current_episode(request.companion.client)
    appointment = next_appointment(episode) if episode else None
    if appointment is None:
        raise Http404("No appointment booked")
    audit_record(
        actor=None,
        client_actor=request.companion.client,
        action="companion.appointment.downloaded",
        target=appointment,
        programme=appointment.programme,
    )
    response = HttpResponse(
        as_calendar(appointment, service_name=settings.SERVICE_NAME),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


@client_view
@require_http_methods(["GET", "POST"])
def devices(request: CompanionRequest) -> HttpResponse:
    companion = request.companion
    if request.method == "POST":
        chosen_id = request.POST.get("device", "")
        chosen = (
            companion.access.devices.filter(pk=chosen_id, signed_out_at__isnull=True).first()
            if chosen_id.isdigit()
            else None
        )
        if chosen is None:
            raise Http404("No such device")
        device_sign_out(device=chosen, by_client=True)
        if chosen.pk == companion.device.pk:
            return _signed_out()
        return redirect("companion:devices")
    return render(
        request,
        "companion/devices.jinja",
        {
            "companion": companion,
            "devices": companion.access.devices.filter(signed_out_at__isnull=True),
        },
    )


@client_view
@require_http_methods(["GET", "POST"])
def sign_out(request: CompanionRequest) -> HttpResponse:
    """A page that asks, and a POST that signs this device out."""
    if request.method == "POST":
        device_sign_out(device=request.companion.device, by_client=True)
        return _signed_out()
    return render(request, "companion/sign_out.jinja", {"companion": request.companion})


def _signed_out() -> HttpResponse:
    response = redirect("companion:sign_in")
    response.delete_cookie(COOKIE)
    return response


@client_view
@require_POST
def goal_check_in(request: CompanionRequest, goal_id: int) -> HttpResponse:
    """The client's view of one of their goals this week, from their plan page."""
    episode = current_episode(request.companion.client)
    goal = (
        Goal.objects.for_programme(episode.programme).filter(episode=episode, pk=goal_id).first()
        if episode
        else None
    )
    if goal is None:
        raise Http404("No such goal")
    try:
        casework.goal_check_in(
            goal=goal, view=request.POST.get("view", ""), via=CheckInVia.COMPANION
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, gettext("Thank you: your health trainer will see it at your next session.")
        )
    return redirect("companion:home")


@client_view
@require_POST
def strategy_check_in(request: CompanionRequest, strategy_id: int) -> HttpResponse:
    """After discharge, whether the client still uses one of their strategies this month."""
    episode = current_episode(request.companion.client)
    taken_up = (
        ClientStrategy.objects.for_programme(episode.programme)
        .filter(episode=episode, pk=strategy_id)
        .select_related("strategy", "episode__client", "episode__programme")
        .first()
        if episode
        else None
    )
    if taken_up is None:
        raise Http404("No such strategy")
    try:
        casework.strategy_check_in(
            client_strategy=taken_up,
            maintained=request.POST.get("maintained", ""),
            via=CheckInVia.COMPANION,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, gettext("Thank you: your health trainer will see it at your follow-up.")
        )
    return redirect("companion:home")


@client_view
@require_POST
def questionnaire_start(request: CompanionRequest, code: str, timepoint: str) -> HttpResponse:
    """Open a questionnaire the client owes, on the page a client link opens."""
    episode = current_episode(request.companion.client)
    due = questionnaires_due(episode) if episode else []
    chosen = next(
        (
            item
            for item in due
            if item.instrument.code == code
            and item.timepoint == timepoint
            and not item.with_trainer_only
        ),
        None,
    )
    if episode is None or chosen is None:
        raise Http404("No such questionnaire due")
    try:
        _, token = client_link_create(
            actor=None,
            episode=episode,
            instrument=chosen.instrument,
            timepoint=chosen.timepoint,
            valid_days=1,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("companion:home")
    return redirect("measures:client_questionnaire", token)
