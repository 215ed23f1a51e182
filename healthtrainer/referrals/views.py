"""Referral pages: a GP practice refers and follows its referrals; staff triage them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.models import User
from healthtrainer.accounts.roles import Permission
from healthtrainer.clients.models import Client
from healthtrainer.core.in_place import in_place
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.deprivation.lookup import local_quintile
from healthtrainer.deprivation.models import Edition
from healthtrainer.deprivation.words import detail_in_words, local_in_words, national_in_words
from healthtrainer.programmes.models import Organisation, Programme
from healthtrainer.referrals import services
from healthtrainer.referrals.forms import (
    AcceptForm,
    CloseForm,
    ContactAttemptForm,
    DemographicsForm,
    ReferralForm,
    StaffReferralForm,
    TriageFilterForm,
)
from healthtrainer.referrals.models import Referral, Source
from healthtrainer.referrals.triage import OPEN, IllegalTransition, Status

# A triage session works from the oldest: a page of them is a morning's work.
TRIAGE_PAGE_SIZE = 50


def _own_practice(
    request: ProgrammeRequest, programme: Programme, practice_id: int
) -> Organisation:
    """The referrer's own practice; any other practice is out of scope (404)."""
    membership = request.user.active_memberships.get(programme.pk)
    if membership is None or membership.organisation is None:
        raise Http404("Not found")
    if membership.organisation.pk != practice_id:
        raise Http404("Not found")
    return membership.organisation


def _own_practice_id(request: ProgrammeRequest, programme: Programme) -> int:
    membership = request.user.active_memberships.get(programme.pk)
    if membership is None or membership.organisation_id is None:
        raise Http404("Not found")
    return membership.organisation_id


@programme_view(Permission.REFER)
def practice_home(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    """ "Refer a patient": the referral form of the referrer's own practice."""
    return redirect("referrals:refer", programme.slug, _own_practice_id(request, programme))


@programme_view(Permission.REFER)
def own_practice_referrals(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    return redirect(
        "referrals:practice_referrals", programme.slug, _own_practice_id(request, programme)
    )


@programme_view(Permission.REFER)
def practice_referrals(
    request: ProgrammeRequest, programme: Programme, practice_id: int
) -> HttpResponse:
    practice = _own_practice(request, programme, practice_id)
    referrals = (
        Referral.objects.visible_to(request.user, Permission.REFER)
        .filter(programme=programme, practice=practice)
        .order_by("-received_date", "-id")
        .only("reference", "received_date", "given_name", "family_name", "status")
    )
    return render(
        request,
        "referrals/practice_referrals.jinja",
        {"programme": programme, "practice": practice, "referrals": referrals},
    )


@programme_view(Permission.REFER)
@require_http_methods(["GET", "POST"])
def refer(request: ProgrammeRequest, programme: Programme, practice_id: int) -> HttpResponse:
    practice = _own_practice(request, programme, practice_id)
    form = ReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        referral = services.referral_receive(
            actor=request.user,
            programme=programme,
            source=Source.GP,
            practice=practice,
            received_date=timezone.localdate(),
            details=form.details(),
        )
        messages.success(request, f"Referral {referral.reference} has been sent.")
        return redirect("referrals:practice_referrals", programme.slug, practice.pk)
    return render(
        request,
        "referrals/refer.jinja",
        {"programme": programme, "practice": practice, "form": form},
    )


@programme_view(Permission.RECORD_REFERRAL)
@require_http_methods(["GET", "POST"])
def record(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = StaffReferralForm(
        request.POST if request.method == "POST" else None,
        programme=programme,
        initial={"received_date": timezone.localdate(), "source": Source.GP},
    )
    if request.method == "POST" and form.is_valid():
        referral = services.referral_receive(
            actor=request.user,
            programme=programme,
            source=form.cleaned_data["source"],
            practice=form.cleaned_data["practice"],
            received_date=form.cleaned_data["received_date"],
            details=form.details(),
        )
        messages.success(request, f"Referral {referral.reference} has been recorded.")
        return redirect("referrals:detail", programme.slug, referral.pk)
    return render(request, "referrals/record.jinja", {"programme": programme, "form": form})


@programme_view(Permission.TRIAGE_REFERRALS)
def triage(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    filters = TriageFilterForm(request.GET or None, programme=programme)
    queue = (
        Referral.objects.visible_to(request.user, Permission.TRIAGE_REFERRALS)
        .filter(programme=programme)
        .open()
        .select_related("practice")
        .annotate_attempts()
        .order_by("received_date", "id")
    )
    return render(
        request,
        in_place(request, "referrals/triage.jinja", "referrals/_triage_results.jinja"),
        {
            "programme": programme,
            "filters": filters,
            "page": Paginator(filters.apply(queue), TRIAGE_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "today": timezone.localdate(),
        },
    )


def _referral(request: ProgrammeRequest, programme: Programme, referral_id: int) -> Referral:
    return get_for_user_or_404(
        Referral.objects.for_programme(programme).select_related(
            "practice", "client", "assigned_trainer", "referred_by"
        ),
        request.user,
        Permission.TRIAGE_REFERRALS,
        pk=referral_id,
    )


@programme_view(Permission.TRIAGE_REFERRALS)
@require_http_methods(["GET", "POST"])
def detail(request: ProgrammeRequest, programme: Programme, referral_id: int) -> HttpResponse:
    referral = _referral(request, programme, referral_id)
    demographics_form = _demographics_form(referral, request.POST or None)
    if request.method == "POST" and demographics_form.is_valid():
        services.referral_record_demographics(
            actor=request.user, referral=referral, **demographics_form.cleaned_data
        )
        messages.success(request, "Demographics saved.")
        return redirect("referrals:detail", programme.slug, referral.pk)
    return _render_detail(request, programme, referral, demographics_form=demographics_form)


def _demographics_form(referral: Referral, data: Any = None) -> DemographicsForm:
    return DemographicsForm(
        data,
        initial={
            "ethnic_category": referral.ethnic_category,
            "employment_status": referral.employment_status,
        },
    )


def _deprivation_summary(referral: Referral, programme: Programme) -> dict[str, str]:
    """In words first, then the decile, quintiles, release and area behind them."""
    if referral.imd_decile is None:
        return {"summary": "Not known: no postcode, or one not found in the deprivation data"}
    local = None
    if referral.imd_edition in Edition.values and programme.local_authority_code:
        local = local_quintile(
            referral.lsoa_code, programme.local_authority_code, referral.imd_edition
        )
    summary = national_in_words(referral.imd_decile, referral.imd_edition)
    if local is not None:
        summary += f". {local_in_words(local)}"
    return {
        "summary": summary,
        "detail": detail_in_words(
            decile=referral.imd_decile,
            edition=referral.imd_edition,
            lsoa_code=referral.lsoa_code,
            local_quintile=local,
            authority=programme.local_authority_code,
        ),
    }


def _render_detail(
    request: ProgrammeRequest,
    programme: Programme,
    referral: Referral,
    *,
    contact_form: ContactAttemptForm | None = None,
    close_form: CloseForm | None = None,
    demographics_form: DemographicsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The referral page; a form that failed is passed in to show its errors."""
    contact_form = contact_form or ContactAttemptForm(received_date=referral.received_date)
    close_form = close_form or CloseForm()
    demographics_form = demographics_form or _demographics_form(referral)
    return render(
        request,
        "referrals/detail.jinja",
        {
            "programme": programme,
            "referral": referral,
            "attempts": referral.contact_attempts.select_related("recorded_by"),
            "contact_form": contact_form,
            "close_form": close_form,
            "demographics_form": demographics_form,
            "is_open": referral.status in (Status.RECEIVED, Status.CONTACT_ATTEMPTED),
            "deprivation": _deprivation_summary(referral, programme),
        },
        status=status,
    )


@programme_view(Permission.TRIAGE_REFERRALS)
@require_POST
def contact(request: ProgrammeRequest, programme: Programme, referral_id: int) -> HttpResponse:
    referral = _referral(request, programme, referral_id)
    form = ContactAttemptForm(request.POST, received_date=referral.received_date)
    if form.is_valid():
        try:
            services.referral_record_contact(
                actor=request.user, referral=referral, **form.cleaned_data
            )
        except IllegalTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Contact attempt recorded.")
        return redirect("referrals:detail", programme.slug, referral.pk)
    return _render_detail(request, programme, referral, contact_form=form, status=400)


@programme_view(Permission.TRIAGE_REFERRALS)
@require_POST
def close(request: ProgrammeRequest, programme: Programme, referral_id: int) -> HttpResponse:
    referral = _referral(request, programme, referral_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.referral_close(actor=request.user, referral=referral, **form.cleaned_data)
        except IllegalTransition as error:
            messages.error(request, str(error))
            return redirect("referrals:detail", programme.slug, referral.pk)
        messages.success(request, f"Referral {referral.reference} closed.")
        return redirect("referrals:triage", programme.slug)
    return _render_detail(request, programme, referral, close_form=form, status=400)


@programme_view(Permission.TRIAGE_REFERRALS)
@require_http_methods(["GET", "POST"])
def accept(request: ProgrammeRequest, programme: Programme, referral_id: int) -> HttpResponse:
    referral = _referral(request, programme, referral_id)
    if referral.status not in OPEN:
        # Accepted or closed already (perhaps by a colleague a moment ago): say so, with the
        # way on, rather than offer a form that can only be refused.
        return render(
            request,
            "referrals/accept_closed.jinja",
            {"programme": programme, "referral": referral},
            status=409 if request.method == "POST" else 200,
        )
    matches = list(
        Client.objects.visible_to(request.user, Permission.TRIAGE_REFERRALS)
        .filter(programme=programme)
        .exclude(referrals=referral)
        .matching(
            nhs_number=referral.nhs_number,
            given_name=referral.given_name,
            family_name=referral.family_name,
            date_of_birth=referral.date_of_birth,
            postcode=referral.postcode,
        )
    )
    form = AcceptForm(
        request.POST if request.method == "POST" else None,
        trainers=User.objects.trainers_of(programme),
        matches=matches,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_accept(
                actor=request.user,
                referral=referral,
                trainer=form.cleaned_data["trainer"],
                existing_client=form.existing_client(),
            )
        except IllegalTransition as error:
            messages.error(request, str(error))
            return redirect("referrals:detail", programme.slug, referral.pk)
        messages.success(
            request,
            f"Referral {referral.reference} accepted and assigned to "
            f"{form.cleaned_data['trainer']}.",
        )
        return redirect("referrals:triage", programme.slug)
    return render(
        request,
        "referrals/accept.jinja",
        {"programme": programme, "referral": referral, "form": form, "matches": matches},
    )
