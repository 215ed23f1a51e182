"""Training pages: courses, sessions and attendance; the satisfaction and confidence surveys
trainers complete; and what they add up to.

Everyone who sees the workforce sees the courses. Whoever manages training records them
and reads every trainer's answers; a health trainer completes the surveys and reads only
their own answers, which `TrainerScopedQuerySet.visible_to` sees to.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from markupsafe import Markup

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.casework.models import CbTechnique
from healthtrainer.core import charts
from healthtrainer.core.forms import add_service_errors
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Programme
from healthtrainer.workforce import queries
from healthtrainer.workforce.forms.training import (
    ConfidenceForm,
    CourseForm,
    CourseSessionForm,
    SatisfactionForm,
)
from healthtrainer.workforce.models import (
    ConfidenceSurvey,
    Course,
    CourseSession,
    SatisfactionItem,
    SatisfactionResponse,
)
from healthtrainer.workforce.services import training as services
from healthtrainer.workforce.vocabulary import LIKERT


def _course(
    request: ProgrammeRequest, programme: Programme, course_id: int, permission: Permission
) -> Course:
    return get_for_user_or_404(
        Course.objects.for_programme(programme), request.user, permission, pk=course_id
    )


def _visible_responses(request: ProgrammeRequest) -> QuerySet[SatisfactionResponse]:
    return SatisfactionResponse.objects.visible_to(
        request.user, Permission.VIEW_WORKFORCE
    ).for_programme(request.programme)


def _visible_surveys(request: ProgrammeRequest) -> QuerySet[ConfidenceSurvey]:
    return ConfidenceSurvey.objects.visible_to(
        request.user, Permission.VIEW_WORKFORCE
    ).for_programme(request.programme)


# Courses ------------------------------------------------------------------------------------


@programme_view(Permission.VIEW_WORKFORCE)
def courses(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    visible = Course.objects.visible_to(request.user, Permission.VIEW_WORKFORCE).for_programme(
        programme
    )
    return render(
        request,
        "workforce/training/courses.jinja",
        {
            "programme": programme,
            "overviews": queries.course_overviews(visible),
            "can_manage": request.user.has_perm(Permission.MANAGE_TRAINING, programme),
            "can_complete": request.user.has_perm(Permission.COMPLETE_TRAINING_SURVEYS, programme),
        },
    )


@programme_view(Permission.VIEW_WORKFORCE)
def course(request: ProgrammeRequest, programme: Programme, course_id: int) -> HttpResponse:
    item = _course(request, programme, course_id, Permission.VIEW_WORKFORCE)
    can_complete = request.user.has_perm(Permission.COMPLETE_TRAINING_SURVEYS, programme)
    return render(
        request,
        "workforce/training/course.jinja",
        {
            "programme": programme,
            "course": item,
            "sessions": list(item.sessions.prefetch_related("attendees")),
            "rated": item.satisfaction.count(),
            "own_response": _visible_responses(request)
            .filter(course=item, trainer=request.user)
            .first(),
            "rating_refusal": services.rating_refusal(trainer=request.user, course=item)
            if can_complete
            else None,
            "can_manage": request.user.has_perm(Permission.MANAGE_TRAINING, programme),
            "can_complete": can_complete,
            # Who else attended is the training team's to see, not another trainer's.
            "current_user": request.user,
        },
    )


@programme_view(Permission.MANAGE_TRAINING)
@require_http_methods(["GET", "POST"])
def course_edit(
    request: ProgrammeRequest, programme: Programme, course_id: int | None = None
) -> HttpResponse:
    item = (
        _course(request, programme, course_id, Permission.MANAGE_TRAINING)
        if course_id is not None
        else None
    )
    initial = (
        {
            "title": item.title,
            "facilitator": item.facilitator,
            "modules": item.modules,
            "cost": item.cost,
        }
        if item
        else None
    )
    form = CourseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = services.course_create(
                    actor=request.user, programme=programme, details=form.details()
                )
            else:
                item = services.course_update(
                    actor=request.user, course=item, details=form.details()
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{item.title} has been saved.")
            return redirect("workforce:training_course", programme.slug, item.pk)
    return render(
        request,
        "workforce/training/course_form.jinja",
        {"programme": programme, "course": item, "form": form},
    )


# Sessions and attendance -------------------------------------------------------------------


@programme_view(Permission.MANAGE_TRAINING)
@require_http_methods(["GET", "POST"])
def session_edit(
    request: ProgrammeRequest,
    programme: Programme,
    course_id: int,
    session_id: int | None = None,
) -> HttpResponse:
    item = _course(request, programme, course_id, Permission.MANAGE_TRAINING)
    session: CourseSession | None = None
    if session_id is not None:
        session = item.sessions.filter(pk=session_id).first()
        if session is None:
            raise Http404("No such session")
    form = CourseSessionForm(
        request.POST if request.method == "POST" else None,
        trainers=queries.attendee_choices(programme, session),
        initial={
            "held_on": session.held_on,
            "hours": session.hours,
            "attendees": list(session.attendees.all()),
        }
        if session
        else {"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if session is None:
                services.course_session_add(
                    actor=request.user,
                    course=item,
                    held_on=data["held_on"],
                    hours=data["hours"],
                    attendees=list(data["attendees"]),
                )
            else:
                services.course_session_update(
                    actor=request.user,
                    session=session,
                    held_on=data["held_on"],
                    hours=data["hours"],
                    attendees=list(data["attendees"]),
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The session has been saved.")
            return redirect("workforce:training_course", programme.slug, item.pk)
    return render(
        request,
        "workforce/training/session_form.jinja",
        {"programme": programme, "course": item, "session": session, "form": form},
    )


# Satisfaction --------------------------------------------------------------------------------


@programme_view(Permission.COMPLETE_TRAINING_SURVEYS)
@require_http_methods(["GET", "POST"])
def rate(request: ProgrammeRequest, programme: Programme, course_id: int) -> HttpResponse:
    item = _course(request, programme, course_id, Permission.COMPLETE_TRAINING_SURVEYS)
    refusal = services.rating_refusal(trainer=request.user, course=item)
    form = SatisfactionForm(
        request.POST if request.method == "POST" and not refusal else None,
        items=SatisfactionItem.objects.for_programme(programme).filter(is_active=True),
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.satisfaction_submit(
                actor=request.user,
                course=item,
                answers=form.answers(),
                comments=form.cleaned_data["comments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Thank you. Your rating of {item.title} has been saved.")
            return redirect("workforce:training_course", programme.slug, item.pk)
    return render(
        request,
        "workforce/training/rate.jinja",
        {
            "programme": programme,
            "course": item,
            "form": form,
            "refusal": refusal,
            "own_response": _visible_responses(request)
            .filter(course=item, trainer=request.user)
            .first(),
        },
    )


@programme_view(Permission.VIEW_WORKFORCE)
def satisfaction(request: ProgrammeRequest, programme: Programme, course_id: int) -> HttpResponse:
    item = _course(request, programme, course_id, Permission.VIEW_WORKFORCE)
    return render(
        request,
        "workforce/training/satisfaction.jinja",
        {
            "programme": programme,
            "course": item,
            "summary": queries.satisfaction_summary(
                programme=programme, responses=_visible_responses(request).filter(course=item)
            ),
            "likert": LIKERT,
            "everyone": request.user.has_perm(Permission.MANAGE_TRAINING, programme),
        },
    )


@programme_view(Permission.VIEW_WORKFORCE)
def satisfaction_response(
    request: ProgrammeRequest, programme: Programme, response_id: int
) -> HttpResponse:
    response = get_for_user_or_404(
        SatisfactionResponse.objects.for_programme(programme).select_related("course", "trainer"),
        request.user,
        Permission.VIEW_WORKFORCE,
        pk=response_id,
    )
    return render(
        request,
        "workforce/training/satisfaction_response.jinja",
        {
            "programme": programme,
            "response": response,
            "answers": list(response.answers.select_related("item").order_by("item__position")),
            "labels": dict(LIKERT),
            "current_user": request.user,
        },
    )


# Confidence --------------------------------------------------------------------------------


@programme_view(Permission.COMPLETE_TRAINING_SURVEYS)
@require_http_methods(["GET", "POST"])
def confidence_new(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    form = ConfidenceForm(
        request.POST if request.method == "POST" else None,
        techniques=CbTechnique.objects.for_programme(programme).filter(is_active=True),
        courses=Course.objects.for_programme(programme),
        initial={"completed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.confidence_survey_record(
                actor=request.user,
                programme=programme,
                stage=form.cleaned_data["stage"],
                completed_on=form.cleaned_data["completed_on"],
                course=form.cleaned_data["course"],
                answers=form.answers(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you. Your answers have been saved.")
            return redirect("workforce:training_confidence_survey", programme.slug, survey.pk)
    return render(
        request, "workforce/training/confidence_form.jinja", {"programme": programme, "form": form}
    )


def _change_chart(change: queries.ConfidenceChange) -> Markup:
    # The bar helper draws upwards only, so a fall is drawn by its size, in yellow, and
    # named as a fall; the table beside the chart gives the signed figures.
    bars = [
        charts.Bar(
            row.technique.name if mean >= 0 else f"{row.technique.name} (fall)",
            round(abs(mean), 2),
            highlight=mean < 0,
        )
        for row in change.techniques
        if (mean := row.summary.mean_change) is not None
    ]
    return charts.bar_chart(
        "Mean change in confidence, before to after training",
        "One bar per CB technique: the mean change in confidence on the 0 to 10 scale. "
        "Blue bars are rises; yellow bars are falls, drawn by their size. The table gives "
        "the same figures with their confidence intervals.",
        bars,
    )


@programme_view(Permission.VIEW_WORKFORCE)
def confidence(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    surveys = _visible_surveys(request)
    change = queries.confidence_change(programme=programme, surveys=surveys)
    return render(
        request,
        "workforce/training/confidence.jinja",
        {
            "programme": programme,
            "change": change,
            "chart": _change_chart(change) if change.trainers_paired else None,
            "surveys": list(
                surveys.select_related("trainer", "course").order_by("-completed_on", "-pk")
            ),
            "everyone": request.user.has_perm(Permission.MANAGE_TRAINING, programme),
            "can_complete": request.user.has_perm(Permission.COMPLETE_TRAINING_SURVEYS, programme),
        },
    )


@programme_view(Permission.VIEW_WORKFORCE)
def confidence_survey(
    request: ProgrammeRequest, programme: Programme, survey_id: int
) -> HttpResponse:
    survey = get_for_user_or_404(
        ConfidenceSurvey.objects.for_programme(programme).select_related("trainer", "course"),
        request.user,
        Permission.VIEW_WORKFORCE,
        pk=survey_id,
    )
    return render(
        request,
        "workforce/training/confidence_survey.jinja",
        {
            "programme": programme,
            "survey": survey,
            "answers": list(
                survey.answers.select_related("technique").order_by("technique__position")
            ),
        },
    )
