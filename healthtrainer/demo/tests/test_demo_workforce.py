from datetime import timedelta
from decimal import Decimal
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Avg
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import CbTechnique
from healthtrainer.core.models import AuditEvent
from healthtrainer.core.period import Period
from healthtrainer.demo.workforce import load_demo_workforce
from healthtrainer.evaluation.metrics import compute, cost_figures
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.triage import Status
from healthtrainer.workforce.models import (
    BudgetLine,
    ConfidenceAnswer,
    ConfidenceSurvey,
    CostItem,
    Course,
    CourseSession,
    FidelityItem,
    FidelityRating,
    IndirectTime,
    RoleRate,
    SatisfactionAnswer,
    SatisfactionItem,
    SatisfactionResponse,
    SupervisionAction,
    SupervisionSession,
    TrainerProfile,
)
from healthtrainer.workforce.queries import confidence_change
from healthtrainer.workforce.services.setup import settings_for
from healthtrainer.workforce.vocabulary import (
    Activity,
    ContributorRole,
    CostCategory,
    SupervisionFormat,
    SurveyStage,
)

MODELS = (
    TrainerProfile,
    Course,
    CourseSession,
    SatisfactionResponse,
    SatisfactionAnswer,
    ConfidenceSurvey,
    ConfidenceAnswer,
    SupervisionSession,
    FidelityRating,
    SupervisionAction,
    RoleRate,
    IndirectTime,
    BudgetLine,
    CostItem,
    AuditEvent,
)


def load(settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def demo(db, settings):
    load(settings)
    return Programme.objects.get(slug="sheffield-pilot")


@pytest.fixture
def hana(demo):
    return User.objects.get(email="trainer@example.com")


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_the_demo_twice_adds_no_workforce_record_nor_audit_event(demo, settings):
    first = counts()
    load(settings)
    assert counts() == first


def test_the_loader_leaves_a_programme_with_supervision_alone(demo, hana):
    before = counts()
    written = load_demo_workforce(
        demo,
        manager=User.objects.get(email="manager@example.com"),
        supervisor=User.objects.get(email="supervisor@example.com"),
        trainer=hana,
        today=timezone.localdate(),
    )
    assert written == 0
    assert counts() == before


def test_the_workforce_demo_is_audited_through_the_services(demo):
    actions = set(
        AuditEvent.objects.filter(action__startswith="workforce.").values_list("action", flat=True)
    )
    assert {
        "workforce.trainer_profile.created",
        "workforce.course.created",
        "workforce.course_session.added",
        "workforce.satisfaction_response.submitted",
        "workforce.confidence_survey.recorded",
        "workforce.supervision.recorded",
        "workforce.supervision.fidelity_rated",
        "workforce.supervision_action.added",
        "workforce.supervision_action.completed",
        "workforce.role_rate.created",
        "workforce.indirect_time.recorded",
        "workforce.budget_line.added",
        "workforce.cost_item.recorded",
    } <= actions


def test_the_trainer_has_a_costed_profile(demo, hana):
    profile = TrainerProfile.objects.get(programme=demo, trainer=hana)
    today = timezone.localdate()
    assert profile.hourly_cost == Decimal("17.40")
    assert profile.fte == Decimal("0.8")
    assert "NVQ Level 3 Health Trainer" in profile.qualifications
    assert today - timedelta(days=320) <= profile.start_date <= today - timedelta(days=290)


def test_the_courses_have_sessions_attended_by_the_trainer(demo, hana):
    today = timezone.localdate()
    cb = Course.objects.get(programme=demo, title="CB approaches for chronic pain")
    assert cb.facilitator == "Chronic Pain Team"
    assert cb.cost == Decimal("1200")
    assert len(cb.modules.splitlines()) >= 3
    assert [session.hours for session in cb.sessions.all()] == [6, 3, 3]
    motivational = Course.objects.get(programme=demo, title="Motivational conversations")
    assert motivational.cost == Decimal("350")
    assert [session.hours for session in motivational.sessions.all()] == [3]
    for session in CourseSession.objects.filter(course__programme=demo):
        assert list(session.attendees.all()) == [hana]
        assert session.held_on < today
    assert all(
        today - timedelta(days=300) < session.held_on < today - timedelta(days=240)
        for session in cb.sessions.all()
    )
    assert (
        today - timedelta(days=170)
        < motivational.sessions.get().held_on
        < today - timedelta(days=130)
    )


def test_the_trainer_rated_both_courses_mostly_well_with_one_comment(demo, hana):
    responses = SatisfactionResponse.objects.filter(programme=demo, trainer=hana)
    assert responses.count() == 2
    items = SatisfactionItem.objects.filter(programme=demo, is_active=True).count()
    values = []
    for response in responses.select_related("course"):
        assert response.answers.count() == items
        assert response.submitted_on >= max(s.held_on for s in response.course.sessions.all())
        values += [answer.value for answer in response.answers.all()]
    assert set(values) <= {3, 4, 5}
    assert sum(1 for value in values if value >= 4) >= 0.8 * len(values)
    assert responses.exclude(comments="").count() == 1


def test_confidence_rises_from_before_to_after_training_and_later(demo, hana):
    surveys = {
        survey.stage: survey
        for survey in ConfidenceSurvey.objects.filter(programme=demo, trainer=hana)
    }
    assert set(surveys) == set(SurveyStage.values)
    techniques = CbTechnique.objects.filter(programme=demo, is_active=True).count()
    ranges = {
        SurveyStage.BEFORE_TRAINING: range(3, 6),
        SurveyStage.AFTER_TRAINING: range(6, 9),
        SurveyStage.LATER: range(7, 10),
    }
    for stage, allowed in ranges.items():
        answers = surveys[stage].answers.all()
        assert answers.count() == techniques
        assert all(answer.value in allowed for answer in answers)
    cb = Course.objects.get(programme=demo, title="CB approaches for chronic pain")
    days = [session.held_on for session in cb.sessions.all()]
    before = surveys[SurveyStage.BEFORE_TRAINING].completed_on
    after = surveys[SurveyStage.AFTER_TRAINING].completed_on
    later = surveys[SurveyStage.LATER].completed_on
    assert before < min(days) <= max(days) < after < later <= timezone.localdate()
    change = confidence_change(
        programme=demo, surveys=ConfidenceSurvey.objects.filter(programme=demo)
    )
    assert change.trainers_paired == 1
    assert change.techniques


def test_monthly_supervision_with_rising_fidelity_cases_and_concerns(demo, hana):
    today = timezone.localdate()
    supervisor = User.objects.get(email="supervisor@example.com")
    sessions = list(SupervisionSession.objects.filter(programme=demo).order_by("held_on"))
    assert 7 <= len(sessions) <= 9
    assert today - timedelta(days=260) <= sessions[0].held_on
    assert sessions[-1].held_on < today
    gaps = [(b.held_on - a.held_on).days for a, b in pairwise(sessions)]
    assert all(20 <= gap <= 40 for gap in gaps)
    scale = settings_for(demo)
    items = FidelityItem.objects.filter(programme=demo, is_active=True).count()
    for session in sessions:
        assert session.supervisor == supervisor
        assert list(session.trainers.all()) == [hana]
        assert session.format == SupervisionFormat.ONE_TO_ONE
        assert 45 <= session.duration_minutes <= 60
        assert 1 <= session.cases.count() <= 2
        assert not session.cases.exclude(programme=demo, status=Status.ACCEPTED).exists()
        assert 1 <= session.actions.count() <= 2
        ratings = session.ratings.all()
        assert ratings.count() == items
        assert all(
            scale.fidelity_scale_min <= rating.value <= scale.fidelity_scale_max
            for rating in ratings
        )
    means = [session.ratings.aggregate(mean=Avg("value"))["mean"] for session in sessions]
    # From around 3 to around 5 on the default 0 to 6 scale.
    assert 2 <= means[0] <= 4
    assert 4 <= means[-1] <= 6
    assert means[-1] > means[0]
    assert sum(1 for session in sessions if session.concerns) == 2


def test_supervision_actions_are_mostly_done_one_open_one_overdue(demo):
    today = timezone.localdate()
    actions = SupervisionAction.objects.filter(session__programme=demo).select_related("session")
    done = [action for action in actions if action.completed_on]
    pending = [action for action in actions if not action.completed_on]
    assert len(done) > len(pending)
    assert all(a.session.held_on <= a.completed_on <= today for a in done)
    assert sorted(action.due_on > today for action in pending) == [False, True], (
        "one overdue, one still open"
    )


def test_indirect_time_role_rates_budget_and_cost_items(demo):
    today = timezone.localdate()
    rates = dict(RoleRate.objects.filter(programme=demo).values_list("role", "hourly_rate"))
    assert rates == {
        ContributorRole.GP_CHAMPION: Decimal("110"),
        ContributorRole.PAIN_TEAM: Decimal("65"),
    }
    entries = IndirectTime.objects.filter(programme=demo)
    assert 10 <= entries.count() <= 14
    assert all(Decimal("0.5") <= entry.hours <= 3 and entry.given_on < today for entry in entries)
    by_role = {
        role: set(entries.filter(role=role).values_list("activity", flat=True))
        for role in (ContributorRole.GP_CHAMPION, ContributorRole.PAIN_TEAM)
    }
    assert by_role[ContributorRole.GP_CHAMPION] == {
        Activity.GP_EDUCATION,
        Activity.CASE_CONSULTATION,
    }
    assert by_role[ContributorRole.PAIN_TEAM] == {
        Activity.SUPERVISION,
        Activity.TRAINING_DELIVERY,
    }
    assert entries.filter(person__startswith="Dr A. Patel").exists()

    budget = BudgetLine.objects.get(programme=demo)
    assert budget.funding_source == "Public health grant"
    assert budget.amount == Decimal("48000")
    assert (budget.period_start, budget.period_end) == (demo.start_date, demo.end_date), (
        "the grant funds the programme's whole run"
    )
    assert budget.period_start <= today <= budget.period_end

    items = CostItem.objects.filter(programme=demo)
    venues = items.filter(category=CostCategory.VENUES)
    assert venues.count() >= 6
    assert all(Decimal("60") <= item.amount <= Decimal("90") for item in venues)
    months = {(item.incurred_on.year, item.incurred_on.month) for item in venues}
    assert len(months) == venues.count(), "one venue bill a month"
    assert items.get(category=CostCategory.MATERIALS).amount == Decimal("240")
    assert items.get(category=CostCategory.TRAINING).amount == Decimal("150")
    assert not items.filter(incurred_on__gt=today).exists()


def test_the_costs_come_out_of_the_demo(demo):
    summary, figures = cost_figures(demo, Period())
    costs = {category.key: category.cost for category in summary.categories}
    assert costs.pop("other") == 0, "the demo records no other costs"
    assert all(cost > 0 for cost in costs.values()), costs
    assert summary.not_costed == ()
    assert figures["cost.direct_total"] == summary.direct_total > 0
    assert figures["cost.indirect_total"] > 0
    assert summary.indirect_unvalued_hours == 0
    assert figures["cost.budget_total"] == Decimal("48000.00")
    assert figures["cost.per_client_seen"] > 0
    assert compute(["cost.direct_total"], demo, Period()) == {
        "cost.direct_total": summary.direct_total
    }
