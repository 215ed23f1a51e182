"""The cost arithmetic on small cases checked by hand (the sums are in the comments), and
the cost metrics read from the database: same figures, queries that do not grow."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import Discharge, SessionRecord
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics import (
    COST_FIGURES,
    REGISTRY,
    compute,
    cost_figures,
    cost_inputs,
)
from healthtrainer.tests.factories import (
    AppointmentFactory,
    GoalFactory,
    MembershipFactory,
    ReferralFactory,
    accepted_episode,
)
from healthtrainer.workforce.costs import (
    CostInputs,
    money,
    summarise,
    supervision,
    trainer_time,
    training,
)
from healthtrainer.workforce.models import (
    BudgetLine,
    CostItem,
    Course,
    CourseSession,
    IndirectTime,
    RoleRate,
    SupervisionSession,
    TrainerProfile,
    WorkforceSettings,
)

D = Decimal
A, B, C, S, P = 1, 2, 3, 4, 5  # trainers A, B, C; supervisors S (no profile) and P
NAMES = {A: "Ann", B: "Bea", C: "Cal", S: "Sam", P: "Pat"}
COST_IDS = sorted(COST_FIGURES)


def inputs(**changes: object) -> CostInputs:
    base: dict[str, object] = {
        "allowance_percent": 50,
        "hourly_costs": {A: D("20"), B: D("18.50"), P: D("30")},
        "names": NAMES,
        "session_minutes": {},
        "supervising_minutes": {},
        "supervised_minutes": {},
        "training_hours": {},
        "course_costs": D("0"),
        "cost_items": {},
        "budget": D("0"),
        "indirect_hours": {},
        "role_rates": {},
        "referrals": 0,
        "clients_seen": 0,
        "clients_completing": 0,
        "goals_achieved": 0,
    }
    return CostInputs(**(base | changes))  # type: ignore[arg-type]


# The hand-checked case used by several tests below.
WORKED = inputs(
    # Ann 120 min, Bea 45 min, Cal 60 min (no hourly cost).
    session_minutes={A: 120, B: 45, C: 60},
    # Sam supervised 90 min (no profile: pain team rate), Pat 60 min (own cost £30).
    supervising_minutes={S: 90, P: 60},
    # Ann was in both sessions (150 min), Cal in Sam's (90 min).
    supervised_minutes={A: 150, C: 90},
    training_hours={A: D("6"), C: D("6")},
    course_costs=D("500"),
    cost_items={"venues": D("250"), "materials": D("49.99"), "training": D("100")},
    budget=D("1000"),
    indirect_hours={
        ("gp_champion", "case_consultation"): D("3.5"),
        ("gp_champion", "gp_education"): D("1.25"),
        ("pain_team", "supervision"): D("2"),
        ("other", "training_delivery"): D("1"),
    },
    role_rates={"gp_champion": D("80"), "pain_team": D("40")},
    referrals=10,
    clients_seen=4,
    clients_completing=3,
    goals_achieved=7,
)


def test_trainer_time_adds_the_allowance_to_each_trainers_session_hours():
    lines = trainer_time(WORKED)
    # Ann: 120 / 60 = 2 h x (1 + 50 / 100) = 3 h x £20 = £60.00
    # Bea: 45 / 60 = 0.75 h x 1.5 = 1.125 h x £18.50 = £20.8125 -> £20.81
    # Cal: no hourly cost, so not costed (None), never £0.
    assert [(line.description, line.hours, line.cost) for line in lines] == [
        ("Ann", D("2.00"), D("60.00")),
        ("Bea", D("0.75"), D("20.81")),
        ("Cal", D("1.00"), None),
    ]


@pytest.mark.parametrize(
    ("allowance", "minutes", "rate", "expected"),
    [
        # 90 / 60 = 1.5 h x (1 + 0) x £20 = £30.00
        (0, 90, D("20"), D("30.00")),
        # 50 / 60 h x 1.25 x £24 = 50 x 125 x 24 / 6000 = 150,000 / 6,000 = £25.00 exactly,
        # although 50 / 60 does not end as a decimal.
        (25, 50, D("24"), D("25.00")),
        # 10 / 60 h x 2 x £17.77 = 10 x 200 x 17.77 / 6000 = £5.9233... -> £5.92
        (100, 10, D("17.77"), D("5.92")),
    ],
)
def test_the_allowance_is_applied_before_the_one_rounding(allowance, minutes, rate, expected):
    lines = trainer_time(
        inputs(allowance_percent=allowance, session_minutes={A: minutes}, hourly_costs={A: rate})
    )
    assert lines[0].cost == expected


def test_supervision_costs_the_supervisor_and_each_trainer_supervised():
    lines = {line.description: line.cost for line in supervision(WORKED)}
    assert lines == {
        # Pat has an hourly cost of their own: 60 / 60 h x £30 = £30.00
        "Pat, supervising (own hourly cost)": D("30.00"),
        # Sam has no trainer profile: 90 / 60 h x the pain team rate £40 = £60.00
        "Sam, supervising (pain team rate)": D("60.00"),
        # Ann: 150 / 60 h x £20 = £50.00
        "Ann, supervised": D("50.00"),
        # Cal: no hourly cost, listed as not costed
        "Cal, supervised": None,
    }


def test_a_supervisor_without_a_cost_or_a_pain_team_rate_is_not_costed():
    lines = supervision(inputs(supervising_minutes={S: 60}))
    assert lines[0].cost is None
    assert lines[0].rate is None


def test_training_is_course_costs_plus_attendees_time_plus_training_items():
    lines = {line.description: line.cost for line in training(WORKED)}
    # £500 courses + £100 items + Ann 6 h x £20 = £120; Cal not costed
    assert lines == {
        "Course costs": D("500.00"),
        "Cost items: training": D("100.00"),
        "Ann, attending": D("120.00"),
        "Cal, attending": None,
    }


def test_the_summary_adds_up_against_the_budget_and_per_unit():
    summary = summarise(WORKED)
    # trainer time 60.00 + 20.81 = 80.81; supervision 30 + 60 + 50 = 140.00;
    # training 500 + 100 + 120 = 720.00; venues 250.00; materials 49.99; other 0
    assert summary.by_category == {
        "Health trainer time": D("80.81"),
        "Supervision": D("140.00"),
        "Training": D("720.00"),
        "Venues": D("250.00"),
        "Materials": D("49.99"),
        "Other": D("0"),
    }
    # 80.81 + 140 + 720 + 250 + 49.99 = 1,240.80; budget 1,000 leaves -240.80
    assert summary.direct_total == D("1240.80")
    assert summary.remaining == D("-240.80")
    # Cal's session, supervision and training hours are listed, not counted
    assert [(category, line.description) for category, line in summary.not_costed] == [
        ("Health trainer time", "Cal"),
        ("Supervision", "Cal, supervised"),
        ("Training", "Cal, attending"),
    ]
    units = {key: unit.cost for key, unit in summary.unit_costs.items()}
    assert units == {
        "per_referral": D("124.08"),  # 1,240.80 / 10
        "per_client_seen": D("310.20"),  # 1,240.80 / 4
        "per_client_completing": D("413.60"),  # 1,240.80 / 3
        "per_goal_achieved": D("177.26"),  # 1,240.80 / 7 = 177.2571...
    }


def test_time_given_is_valued_at_role_rates_and_kept_apart_from_direct_costs():
    summary = summarise(WORKED)
    by_role = {
        row.label: (row.hours, row.value, row.unvalued_hours) for row in summary.indirect_by_role
    }
    # GP champion: 3.5 + 1.25 = 4.75 h x £80 = £380; pain team 2 h x £40 = £80;
    # other: 1 h with no rate, counted as hours but not valued.
    assert by_role == {
        "GP champion": (D("4.75"), D("380.00"), D("0")),
        "Chronic pain team clinician": (D("2"), D("80.00"), D("0")),
        "Other": (D("1"), D("0"), D("1")),
    }
    by_activity = {row.label: row.value for row in summary.indirect_by_activity}
    # case consultation 3.5 x 80 = 280; GP education 1.25 x 80 = 100; supervision 2 x 40 = 80
    assert by_activity == {
        "Case consultation": D("280.00"),
        "Supervision": D("80.00"),
        "Training delivery": D("0"),
        "GP education": D("100.00"),
    }
    assert summary.indirect_total == D("460.00")
    # 1,240.80 direct + 460.00 time given
    assert summary.economic_total == D("1700.80")


def test_there_is_no_unit_cost_without_anything_to_divide_by():
    summary = summarise(inputs(session_minutes={A: 60}))
    assert summary.direct_total == D("30.00")  # 1 h x 1.5 x £20
    assert all(unit.cost is None for unit in summary.unit_costs.values())


def test_nothing_recorded_is_told_apart_from_a_cost_of_nothing():
    empty = summarise(inputs())
    assert not any(category.recorded for category in empty.categories)
    assert not empty.direct_recorded
    assert not empty.indirect_recorded
    assert not any(row.recorded for row in (*empty.indirect_by_role, *empty.indirect_by_activity))

    # Items recorded as costing nothing, and an hour given at a rate of nothing.
    free = summarise(
        inputs(
            cost_items={"venues": D("0"), "training": D("0")},
            indirect_hours={("gp_champion", "gp_education"): D("1")},
            role_rates={"gp_champion": D("0")},
        )
    )
    recorded = {category.label: (category.recorded, category.cost) for category in free.categories}
    assert recorded == {
        "Health trainer time": (False, D("0")),
        "Supervision": (False, D("0")),
        "Training": (True, D("0.00")),
        "Venues": (True, D("0.00")),
        "Materials": (False, D("0")),
        "Other": (False, D("0")),
    }
    assert free.direct_recorded
    assert free.direct_costed
    assert free.direct_total == 0
    by_role = {row.label: (row.recorded, row.value) for row in free.indirect_by_role}
    assert by_role == {
        "GP champion": (True, D("0.00")),
        "Chronic pain team clinician": (False, D("0")),
        "Other": (False, D("0")),
    }
    assert free.indirect_recorded


def test_time_nobody_has_a_cost_for_is_recorded_but_not_costed():
    summary = summarise(inputs(session_minutes={C: 60}))
    trainer_time_category = summary.categories[0]
    assert trainer_time_category.recorded
    assert not trainer_time_category.costed
    assert summary.direct_recorded
    assert not summary.direct_costed


def test_each_line_is_rounded_once_so_categories_add_up_to_the_total():
    # Three trainers at 1 minute each: 1 / 60 x 1.5 x £18.50 = £0.4625 -> £0.46 each
    summary = summarise(
        inputs(
            session_minutes={A: 1, B: 1, P: 1},
            hourly_costs={A: D("18.50"), B: D("18.50"), P: D("18.50")},
        )
    )
    assert summary.by_category["Health trainer time"] == D("1.38")
    assert summary.direct_total == sum(summary.by_category.values())
    assert money(D("0.005")) == D("0.01")


# The same figures, read from the database.

PERIOD = Period(date(2026, 4, 1), date(2027, 3, 31))
IN_PERIOD = date(2026, 10, 12)
BEFORE_PERIOD = date(2026, 3, 1)


def _trainer(programme, name, hourly_cost=None):
    membership = MembershipFactory(
        programme=programme, role=Role.HEALTH_TRAINER, user__full_name=name
    )
    TrainerProfile.objects.create(
        membership=membership,
        programme=programme,
        trainer=membership.user,
        hourly_cost=hourly_cost,
    )
    return membership.user


def _session(trainer, programme, minutes, on=IN_PERIOD, attendance="attended"):
    starts = timezone.make_aware(datetime.combine(on, datetime.min.time()) + timedelta(hours=10))
    appointment = AppointmentFactory(
        episode=accepted_episode(trainer, programme), starts_at=starts, attendance=attendance
    )
    SessionRecord.objects.create(
        appointment=appointment, duration_minutes=minutes, recorded_by=trainer
    )
    return appointment


def _supervision(programme, supervisor, trainers, minutes, on=IN_PERIOD):
    session = SupervisionSession.objects.create(
        programme=programme,
        supervisor=supervisor,
        held_on=on,
        duration_minutes=minutes,
        format="group",
    )
    session.trainers.set(trainers)
    return session


@pytest.fixture
def recorded(world):
    """The worked case above, recorded in the home programme, with records outside the
    period and in another programme that must not be counted."""
    programme = world.programme
    ann = _trainer(programme, "Ann", D("20"))
    bea = _trainer(programme, "Bea", D("18.50"))
    cal = _trainer(programme, "Cal")
    sam = world.people[Role.SUPERVISOR]
    pat = _trainer(programme, "Pat", D("30"))
    # Ann's 120 minutes over two sessions (one client completes with 2 goals achieved and
    # 1 partly); Bea 45; Cal 60; and what is not counted.
    first = _session(ann, programme, 90)
    _session(ann, programme, 30)
    _session(bea, programme, 45)
    _session(cal, programme, 60)
    _session(ann, programme, 600 - 120, on=BEFORE_PERIOD)  # before the period
    _session(bea, programme, 45, attendance="did_not_attend")  # not attended
    Discharge.objects.create(
        programme=programme,
        episode=first.episode,
        discharged_on=IN_PERIOD,
        reason="completed",
        discharged_by=ann,
    )
    for status in ("achieved", "achieved", "partly_achieved", "not_achieved"):
        GoalFactory(episode=first.episode, final_status=status, created_by=ann)
    # Sam: 90 minutes with Ann and Cal; Pat: 60 minutes with Ann.
    _supervision(programme, sam, [ann, cal], 90)
    _supervision(programme, pat, [ann], 60)
    _supervision(programme, pat, [ann], 60, on=BEFORE_PERIOD)
    course = Course.objects.create(programme=programme, title="CB skills", cost=D("500"))
    for held_on in (IN_PERIOD, IN_PERIOD + timedelta(days=7)):
        course_session = CourseSession.objects.create(course=course, held_on=held_on, hours=3)
        course_session.attendees.set([ann, cal])
    # A course first held before the period is not counted.
    old = Course.objects.create(programme=programme, title="Old course", cost=D("999"))
    CourseSession.objects.create(course=old, held_on=BEFORE_PERIOD, hours=1)
    for category, amount in (("venues", "250"), ("materials", "49.99"), ("training", "100")):
        CostItem.objects.create(
            programme=programme,
            category=category,
            incurred_on=IN_PERIOD,
            amount=D(amount),
            description=category,
        )
    CostItem.objects.create(
        programme=programme,
        category="venues",
        incurred_on=BEFORE_PERIOD,
        amount=D("1000"),
        description="last year",
    )
    BudgetLine.objects.create(
        programme=programme,
        funding_source="Public health grant",
        amount=D("1000"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    BudgetLine.objects.create(
        programme=programme,
        funding_source="Last year's grant",
        amount=D("5000"),
        period_start=date(2025, 4, 1),
        period_end=date(2026, 3, 31),
    )
    for role, activity, hours in (
        ("gp_champion", "case_consultation", "3.5"),
        ("gp_champion", "gp_education", "1.25"),
        ("pain_team", "supervision", "2"),
        ("other", "training_delivery", "1"),
    ):
        IndirectTime.objects.create(
            programme=programme,
            person="Dr Jones",
            role=role,
            given_on=IN_PERIOD,
            hours=D(hours),
            activity=activity,
            recorded_by=sam,
        )
    RoleRate.objects.create(programme=programme, role="gp_champion", hourly_rate=D("80"))
    RoleRate.objects.create(programme=programme, role="pain_team", hourly_rate=D("40"))
    # Referrals received in the period: the 5 episodes made above plus 5 more.
    for _ in range(5):
        ReferralFactory(practice=world.people[Role.REFERRER].memberships.get().organisation)
    # Another programme's records.
    other = world.other_programme
    stranger = _trainer(other, "Stranger", D("1000"))
    _session(stranger, other, 480)
    CostItem.objects.create(
        programme=other, category="other", incurred_on=IN_PERIOD, amount=D("1"), description="x"
    )
    return {"ann": ann, "cal": cal, "sam": sam}


def test_the_cost_metrics_read_the_records_of_the_period(world, recorded):
    figures = compute(COST_IDS, world.programme, PERIOD)
    # The worked case: 80.81 + 140.00 + 720.00 + 250.00 + 49.99
    assert figures["cost.direct_total"] == D("1240.80")
    assert figures["cost.by_category"]["Supervision"] == D("140.00")
    # Only the line overlapping the period
    assert figures["cost.budget_total"] == D("1000.00")
    assert figures["cost.indirect_total"] == D("460.00")
    # Each session above is its own episode: 4 seen in the period, 1 not attended and 1
    # seen only before the period; all 6 referrals were received in the period.
    facts = cost_inputs(world.programme, PERIOD)
    assert (facts.clients_seen, facts.clients_completing, facts.goals_achieved) == (4, 1, 3)
    assert facts.referrals == 11  # 6 episodes and 5 more, all received 1 October 2026
    assert figures["cost.per_referral"] == D("112.80")  # 1,240.80 / 11
    assert figures["cost.per_client_seen"] == D("310.20")  # 1,240.80 / 4
    assert figures["cost.per_client_completing"] == D("1240.80")  # 1,240.80 / 1
    assert figures["cost.per_goal_achieved"] == D("413.60")  # 1,240.80 / 3


def test_the_allowance_comes_from_the_programmes_settings(world, recorded):
    WorkforceSettings.objects.filter(programme=world.programme).update(
        admin_travel_allowance_percent=0
    )
    figures = compute(["cost.by_category"], world.programme, PERIOD)
    # Ann 2 h x £20 = £40.00; Bea 0.75 h x £18.50 = £13.875 -> £13.88
    assert figures["cost.by_category"]["Health trainer time"] == D("53.88")


def test_a_trainer_without_an_hourly_cost_is_listed_as_not_costed(world, recorded):
    summary, _ = cost_figures(world.programme, PERIOD)
    assert {line.description for _, line in summary.not_costed} == {
        "Cal",
        "Cal, supervised",
        "Cal, attending",
    }


def test_every_cost_metric_is_registered_with_a_definition():
    for metric_id in (
        "cost.direct_total",
        "cost.indirect_total",
        "cost.budget_total",
        "cost.by_category",
        "cost.per_referral",
        "cost.per_client_seen",
        "cost.per_client_completing",
        "cost.per_goal_achieved",
    ):
        assert metric_id in REGISTRY
        assert len(REGISTRY[metric_id].definition) > 60


def test_the_costs_page_figures_are_the_registrys(world, recorded):
    _, figures = cost_figures(world.programme, PERIOD)
    assert figures == compute(COST_IDS, world.programme, PERIOD)


def test_the_number_of_queries_does_not_grow_with_the_records(world, recorded):
    programme = world.programme

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compute(COST_IDS, programme, PERIOD)
        return len(captured)

    few = queries()
    for n in range(15):
        trainer = _trainer(programme, f"Extra {n}", D("15") if n % 2 else None)
        _session(trainer, programme, 30 + n)
        _supervision(programme, recorded["sam"], [trainer, recorded["ann"]], 45)
        IndirectTime.objects.create(
            programme=programme,
            person=f"Dr {n}",
            role="gp_champion",
            given_on=IN_PERIOD,
            hours=D("1"),
            activity="gp_education",
            recorded_by=recorded["sam"],
        )
        CostItem.objects.create(
            programme=programme,
            category="materials",
            incurred_on=IN_PERIOD,
            amount=D("3"),
            description="leaflets",
        )
    assert queries() == few
    with CaptureQueriesContext(connection) as captured:
        cost_figures(programme, PERIOD)
    # One fetch of the inputs serves every cost metric.
    assert len(captured) == few // len(COST_IDS)


def test_a_group_session_costs_the_trainers_time_once(world):
    """Six clients in one 90-minute group: the trainer spent 90 minutes, not 540."""
    from healthtrainer.accounts.roles import Role
    from healthtrainer.casework.services import SessionDetails, session_record_save
    from healthtrainer.core.period import Period
    from healthtrainer.evaluation.metrics import cost_inputs
    from healthtrainer.tests.factories import AppointmentFactory, accepted_episode, past

    trainer = world.people[Role.HEALTH_TRAINER]
    starts = past(2)
    for _ in range(6):
        episode = accepted_episode(trainer, world.programme)
        session_record_save(
            actor=trainer,
            appointment=AppointmentFactory(episode=episode, starts_at=starts, mode="group"),
            details=SessionDetails(duration_minutes=90, techniques=[], topics=[]),
        )
    one_to_one = accepted_episode(trainer, world.programme)
    session_record_save(
        actor=trainer,
        appointment=AppointmentFactory(episode=one_to_one, starts_at=past(1)),
        details=SessionDetails(duration_minutes=45, techniques=[], topics=[]),
    )
    assert cost_inputs(world.programme, Period()).session_minutes[trainer.pk] == 90 + 45
