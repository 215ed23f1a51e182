"""Resources and costs: each write and its audit event, bad figures refused with nothing
written, another programme's records out of reach, and the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.tests.factories import events_after_setup
from healthtrainer.workforce.models import BudgetLine, CostItem, IndirectTime, RoleRate
from healthtrainer.workforce.services import resources as services

D = Decimal
TODAY = date(2026, 11, 16)


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def manager(world):
    return world.people[Role.PROGRAMME_MANAGER]


@pytest.fixture
def supervisor(world):
    return world.people[Role.SUPERVISOR]


# The resource pages: recording here, valued on the evaluation's pages.
PAGES = (
    "evaluation:time_given",
    "workforce:cost_items",
    "workforce:budget_lines",
    "evaluation:costs",
)


def actions() -> list[str]:
    return list(events_after_setup().order_by("id").values_list("action", flat=True))


def record_time(actor, programme, **changes):
    details = {
        "person": "Dr Jones",
        "role": "gp_champion",
        "given_on": date(2026, 11, 2),
        "hours": D("1.5"),
        "activity": "case_consultation",
    } | changes
    return services.indirect_time_record(actor=actor, programme=programme, **details)


def add_budget_line(actor, programme, **changes):
    details = {
        "funding_source": "Public health grant",
        "amount": D("45000"),
        "period_start": date(2026, 4, 1),
        "period_end": date(2027, 3, 31),
    } | changes
    return services.budget_line_save(actor=actor, programme=programme, **details)


def date_fields(name: str, day: date) -> dict[str, str]:
    return {
        f"{name}[day]": str(day.day),
        f"{name}[month]": str(day.month),
        f"{name}[year]": str(day.year),
    }


class _Tables(HTMLParser):
    """Each table's body rows, as the text of their cells, by the table's caption."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "table":
            self._rows = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and not self._in_head:
            self._rows.append([])
        elif tag in {"th", "td"} and not self._in_head:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag == "caption" and self._caption is not None:
            self.tables[" ".join(" ".join(self._caption).split())] = self._rows
            self._caption = None
        elif tag in {"th", "td"} and self._cell is not None:
            self._rows[-1].append(" ".join(" ".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        for collecting in (self._caption, self._cell):
            if collecting is not None:
                collecting.append(data)


def tables(page: str) -> dict[str, dict[str, str]]:
    """Each table's last cell by its first, by the table's caption."""
    parser = _Tables()
    parser.feed(page)
    return {
        caption: {row[0]: row[-1] for row in rows if len(row) > 1}
        for caption, rows in parser.tables.items()
    }


# Services


def test_recording_time_given_is_audited(world, supervisor):
    entry = record_time(supervisor, world.programme, notes="  Reviewed two cases  ")
    assert entry.recorded_by == supervisor
    event = events_after_setup().get()
    assert (event.action, event.object_id, event.programme) == (
        "workforce.indirect_time.recorded",
        str(entry.pk),
        world.programme,
    )
    assert "hours" in event.changed_fields


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (D("0"), "more than 0"),
        (D("-2"), "more than 0"),
        (D("24.5"), "more than 24 in one day"),
    ],
)
def test_hours_outside_a_day_are_refused_with_nothing_written(world, supervisor, hours, message):
    with pytest.raises(ValidationError, match=message):
        record_time(supervisor, world.programme, hours=hours)
    assert not IndirectTime.objects.exists()
    assert actions() == []


def test_one_person_cannot_give_more_than_24_hours_in_a_day(world, supervisor):
    record_time(supervisor, world.programme, hours=D("20"))
    with pytest.raises(ValidationError, match="already has 20 hours"):
        # The same person, named in another case.
        record_time(supervisor, world.programme, person="dr jones", hours=D("4.5"))
    record_time(supervisor, world.programme, hours=D("4"))
    # Another day, or another programme, is not added in.
    record_time(supervisor, world.programme, hours=D("10"), given_on=date(2026, 11, 3))
    assert IndirectTime.objects.count() == 3


def test_role_rates_are_set_changed_and_removed_with_one_event_each(world, manager):
    programme = world.programme
    services.role_rates_update(
        actor=manager, programme=programme, rates={"gp_champion": D("80"), "pain_team": None}
    )
    services.role_rates_update(
        actor=manager,
        programme=programme,
        rates={"gp_champion": D("80"), "pain_team": D("45.50")},
    )
    services.role_rates_update(
        actor=manager,
        programme=programme,
        rates={"gp_champion": D("85"), "pain_team": None},
    )
    assert dict(RoleRate.objects.values_list("role", "hourly_rate")) == {"gp_champion": D("85")}
    assert actions() == [
        "workforce.role_rate.created",
        "workforce.role_rate.created",
        "workforce.role_rate.updated",
        "workforce.role_rate.removed",
    ]


def test_a_negative_rate_changes_no_rate(world, manager):
    services.role_rates_update(actor=manager, programme=world.programme, rates={"other": D("30")})
    with pytest.raises(ValidationError, match="cannot be negative"):
        services.role_rates_update(
            actor=manager,
            programme=world.programme,
            rates={"gp_champion": D("80"), "other": D("-1")},
        )
    assert dict(RoleRate.objects.values_list("role", "hourly_rate")) == {"other": D("30")}
    assert len(actions()) == 1


def test_budget_lines_are_added_and_changed_with_the_changed_fields_audited(world, manager):
    line = add_budget_line(manager, world.programme)
    add_budget_line(manager, world.programme, line=line, amount=D("50000"))
    # Saving the same figures again writes nothing.
    add_budget_line(manager, world.programme, line=line, amount=D("50000"))
    line.refresh_from_db()
    assert line.amount == D("50000")
    events = list(events_after_setup().order_by("id"))
    assert [event.action for event in events] == [
        "workforce.budget_line.added",
        "workforce.budget_line.updated",
    ]
    assert events[1].changed_fields == ["amount"]


def test_a_budget_period_that_ends_before_it_starts_is_refused(world, manager):
    line = add_budget_line(manager, world.programme)
    with pytest.raises(ValidationError, match="on or after its start"):
        add_budget_line(manager, world.programme, period_end=date(2026, 3, 31))
    with pytest.raises(ValidationError, match="on or after its start"):
        add_budget_line(manager, world.programme, line=line, period_end=date(2026, 3, 31))
    with pytest.raises(ValidationError, match="cannot be negative"):
        add_budget_line(manager, world.programme, line=line, amount=D("-1"))
    line.refresh_from_db()
    assert (line.period_end, line.amount) == (date(2027, 3, 31), D("45000"))
    assert BudgetLine.objects.count() == 1
    assert len(actions()) == 1


def test_another_programmes_budget_line_cannot_be_changed_through_this_one(world, manager):
    line = add_budget_line(manager, world.programme)
    with pytest.raises(ValidationError, match="another programme"):
        add_budget_line(manager, world.other_programme, line=line, amount=D("1"))


def test_cost_items_are_recorded_and_audited_and_never_negative(world, manager):
    item = services.cost_item_record(
        actor=manager,
        programme=world.programme,
        category="venues",
        incurred_on=date(2026, 10, 1),
        amount=D("120"),
        description="Room hire, October",
    )
    with pytest.raises(ValidationError, match="cannot be negative"):
        services.cost_item_record(
            actor=manager,
            programme=world.programme,
            category="materials",
            incurred_on=date(2026, 10, 1),
            amount=D("-5"),
            description="Refund",
        )
    assert list(CostItem.objects.all()) == [item]
    assert actions() == ["workforce.cost_item.recorded"]


# Pages


def test_a_supervisor_records_time_given_and_sees_it_valued(world, client_as, supervisor):
    RoleRate.objects.create(programme=world.programme, role="gp_champion", hourly_rate=D("80"))
    client = client_as(Role.SUPERVISOR)
    response = client.post(
        reverse("workforce:indirect_time_new", args=[world.programme.slug]),
        {
            "person": "Dr Jones",
            "role": "gp_champion",
            **date_fields("given_on", date(2026, 11, 2)),
            "hours": "1.5",
            "activity": "case_consultation",
        },
    )
    assert response.status_code == 302
    entry = IndirectTime.objects.get()
    assert (entry.person, entry.hours, entry.recorded_by) == ("Dr Jones", D("1.5"), supervisor)
    page = client.get(response["Location"]).content.decode()
    assert "Dr Jones" in page
    assert "£120.00" in page  # 1.5 h x £80
    assert "How this is counted" in page


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("-1", "The hours must be more than 0"),
        ("25", "The hours cannot be more than 24 in one day"),
        ("1000", "The hours cannot be more than 24 in one day"),
        ("lots", "Enter the hours as a number"),
    ],
)
def test_bad_hours_are_shown_on_the_form_and_nothing_is_recorded(world, client_as, hours, message):
    response = client_as(Role.SUPERVISOR).post(
        reverse("workforce:indirect_time_new", args=[world.programme.slug]),
        {
            "person": "Dr Jones",
            "role": "gp_champion",
            **date_fields("given_on", date(2026, 11, 2)),
            "hours": hours,
            "activity": "case_consultation",
        },
    )
    assert response.status_code == 200
    # Once in the summary at the top, once beside the field.
    assert response.content.decode().count(message) == 2
    assert not IndirectTime.objects.exists()


def test_more_than_a_day_for_one_person_is_shown_on_the_form(world, client_as, supervisor):
    record_time(supervisor, world.programme, hours=D("23"))
    response = client_as(Role.SUPERVISOR).post(
        reverse("workforce:indirect_time_new", args=[world.programme.slug]),
        {
            "person": "Dr Jones",
            "role": "gp_champion",
            **date_fields("given_on", date(2026, 11, 2)),
            "hours": "2",
            "activity": "gp_education",
        },
    )
    assert "no more than 24 hours can be recorded in one day" in response.content.decode()
    assert IndirectTime.objects.count() == 1


def test_time_given_in_the_future_is_refused(world, client_as):
    response = client_as(Role.SUPERVISOR).post(
        reverse("workforce:indirect_time_new", args=[world.programme.slug]),
        {
            "person": "Dr Jones",
            "role": "gp_champion",
            **date_fields("given_on", date(2026, 12, 2)),
            "hours": "2",
            "activity": "gp_education",
        },
    )
    assert "must be today or in the past" in response.content.decode()
    assert not IndirectTime.objects.exists()


def test_a_manager_sets_role_rates_on_the_page(world, client_as):
    url = reverse("workforce:role_rates", args=[world.programme.slug])
    client = client_as(Role.PROGRAMME_MANAGER)
    response = client.post(url, {"gp_champion": "80", "pain_team": "42.50", "other": ""})
    assert response.status_code == 302
    assert dict(RoleRate.objects.values_list("role", "hourly_rate")) == {
        "gp_champion": D("80"),
        "pain_team": D("42.50"),
    }
    assert 'value="42.50"' in client.get(url).content.decode()
    bad = client.post(url, {"gp_champion": "-80", "pain_team": "", "other": ""})
    assert "cannot be negative" in bad.content.decode()
    assert RoleRate.objects.count() == 2


def test_a_manager_adds_and_changes_a_budget_line(world, client_as):
    slug = world.programme.slug
    client = client_as(Role.PROGRAMME_MANAGER)
    form = {
        "funding_source": "Public health grant",
        "amount": "45000",
        **date_fields("period_start", date(2026, 4, 1)),
        **date_fields("period_end", date(2027, 3, 31)),
    }
    assert client.post(reverse("workforce:budget_line_new", args=[slug]), form).status_code == 302
    line = BudgetLine.objects.get()
    edit = reverse("workforce:budget_line_edit", args=[slug, line.pk])
    assert "Public health grant" in client.get(edit).content.decode()
    response = client.post(edit, form | {"amount": "50000.50"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.amount == D("50000.50")
    assert (
        "£50,000.50" in client.get(reverse("workforce:budget_lines", args=[slug])).content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (date_fields("period_end", date(2026, 3, 31)), "The end of the period must be on or after"),
        ({"amount": "-10"}, "The amount cannot be negative"),
        ({"amount": "12.345"}, "Enter the amount to the nearest penny"),
    ],
)
def test_a_bad_budget_line_is_shown_on_the_form_and_nothing_changes(
    world, client_as, manager, changes, message
):
    line = add_budget_line(manager, world.programme)
    form = {
        "funding_source": "Changed",
        "amount": "1",
        **date_fields("period_start", date(2026, 4, 1)),
        **date_fields("period_end", date(2027, 3, 31)),
    } | changes
    response = client_as(Role.PROGRAMME_MANAGER).post(
        reverse("workforce:budget_line_edit", args=[world.programme.slug, line.pk]), form
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert message in text
    assert "There is a problem" in text
    line.refresh_from_db()
    assert (line.funding_source, line.amount) == ("Public health grant", D("45000"))


def test_a_manager_records_a_cost_item(world, client_as):
    slug = world.programme.slug
    client = client_as(Role.PROGRAMME_MANAGER)
    form = {
        "category": "materials",
        "description": "Pacing leaflets",
        **date_fields("incurred_on", date(2026, 10, 5)),
        "amount": "49.99",
    }
    assert client.post(reverse("workforce:cost_item_new", args=[slug]), form).status_code == 302
    bad = client.post(reverse("workforce:cost_item_new", args=[slug]), form | {"amount": "-3"})
    assert "The amount cannot be negative" in bad.content.decode()
    page = client.get(reverse("workforce:cost_items", args=[slug])).content.decode()
    assert "Pacing leaflets" in page
    assert "£49.99" in page
    assert CostItem.objects.count() == 1


def test_the_costs_page_shows_each_figure_with_its_definition_and_a_chart(
    world, client_as, manager
):
    add_budget_line(manager, world.programme, amount=D("1000"))
    services.cost_item_record(
        actor=manager,
        programme=world.programme,
        category="venues",
        incurred_on=date(2026, 10, 1),
        amount=D("1250"),
        description="Room hire",
    )
    response = client_as(Role.PROGRAMME_MANAGER).get(
        reverse("evaluation:costs", args=[world.programme.slug]),
        {"start": "2026-04-01", "end": "2027-03-31"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "app-chart" in text
    assert "£1,250.00" in text
    assert "Overspent" in text
    assert "\u2212£250.00" in text  # a minus sign, not a hyphen
    for metric_id in (
        "cost.direct_total",
        "cost.budget_total",
        "cost.by_category",
        "cost.indirect_total",
        "cost.per_referral",
        "cost.per_client_seen",
        "cost.per_client_completing",
        "cost.per_goal_achieved",
    ):
        assert f'data-metric="{metric_id}"' in text
        assert f">{metric_id}<" not in text
    assert "Supervision is costed per session" in text
    assert "Total economic cost" in text


def costs_page(client_as, programme, **period: str) -> str:
    response = client_as(Role.PROGRAMME_MANAGER).get(
        reverse("evaluation:costs", args=[programme.slug]), period
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_costs_page_with_nothing_recorded_says_so_rather_than_showing_pounds(world, client_as):
    page = costs_page(client_as, world.programme, start="2026-04-01", end="2027-03-31")
    found = tables(page)
    assert found["Direct costs by category"] == {
        "Health trainer time": "No costs recorded",
        "Supervision": "No costs recorded",
        "Training": "No costs recorded",
        "Venues": "No costs recorded",
        "Materials": "No costs recorded",
        "Other": "No costs recorded",
        "Direct costs": "No costs recorded",
        "Budget": "No budget recorded",
    }
    assert found["Time given, valued at role rates"] == {
        "GP champion": "No time recorded",
        "Chronic pain team clinician": "No time recorded",
        "Other": "No time recorded",
        "Time given, valued at role rates": "No time recorded",
        "Direct costs": "No costs recorded",
        "Total economic cost (direct costs and time given)": "No costs recorded",
    }
    assert set(found["Unit costs"].values()) == {"None to divide by"}
    assert "£0.00" not in page
    assert "Remaining" not in page
    assert "Overspent" not in page
    assert "app-chart" not in page, "no chart of empty bars"
    assert "Venues: No costs recorded" in page
    assert "No costs recorded in this period." in page


def test_costs_and_time_recorded_as_nothing_show_as_0_00(world, client_as, manager):
    services.cost_item_record(
        actor=manager,
        programme=world.programme,
        category="venues",
        incurred_on=date(2026, 10, 1),
        amount=D("0"),
        description="Room lent by the community forum",
    )
    services.role_rates_update(
        actor=manager, programme=world.programme, rates={"gp_champion": D("0")}
    )
    record_time(manager, world.programme)
    # A budget line of the previous year only: none overlaps the period shown.
    add_budget_line(
        manager, world.programme, period_start=date(2025, 4, 1), period_end=date(2026, 3, 31)
    )
    found = tables(costs_page(client_as, world.programme, start="2026-04-01", end="2027-03-31"))
    costs = found["Direct costs by category"]
    assert costs["Venues"] == "£0.00"
    assert costs["Direct costs"] == "£0.00"
    assert costs["Materials"] == "No costs recorded"
    assert costs["Budget"] == "No budget recorded"
    time_given = found["Time given, valued at role rates"]
    assert time_given["GP champion"] == "£0.00"
    assert time_given["Chronic pain team clinician"] == "No time recorded"
    assert time_given["Time given, valued at role rates"] == "£0.00"
    assert time_given["Total economic cost (direct costs and time given)"] == "£0.00"


def test_a_budget_with_no_costs_remains_whole(world, client_as, manager):
    add_budget_line(manager, world.programme, amount=D("1000"))
    costs = tables(costs_page(client_as, world.programme, start="2026-04-01", end="2027-03-31"))[
        "Direct costs by category"
    ]
    assert costs["Budget"] == "£1,000.00"
    assert costs["Direct costs"] == "No costs recorded"
    assert costs["Remaining"] == "£1,000.00"


def test_time_given_not_valued_for_want_of_a_rate_is_not_shown_as_none_recorded(
    world, client_as, manager
):
    record_time(manager, world.programme)
    row = tables(costs_page(client_as, world.programme))["Time given, valued at role rates"]
    assert row["GP champion"] == "£0.00 1.5 hours not valued: no rate set"


def test_the_time_given_page_says_when_no_time_is_recorded(world, client_as, manager):
    client = client_as(Role.PROGRAMME_MANAGER)
    url = reverse("evaluation:time_given", args=[world.programme.slug])
    page = client.get(url).content.decode()
    assert "No time recorded." in page
    assert set(tables(page)["By activity"].values()) == {"No time recorded"}
    assert "£0.00" not in page

    record_time(manager, world.programme, hours=D("2"))
    RoleRate.objects.create(programme=world.programme, role="gp_champion", hourly_rate=D("50"))
    by_activity = tables(client.get(url).content.decode())["By activity"]
    assert by_activity["Case consultation"] == "£100.00"
    assert by_activity["GP education"] == "No time recorded"


def test_the_costs_page_says_which_period_it_shows_and_links_the_evaluation_for_it(
    world, client_as
):
    programme = world.programme
    evaluation = reverse("evaluation:report", args=[programme.slug])
    page = costs_page(client_as, programme)
    assert "What the programme cost, all dates:" in page
    assert f'<a href="{evaluation}">the evaluation report for all dates</a>' in page

    programme.start_date, programme.end_date = date(2026, 4, 1), date(2027, 3, 31)
    programme.save()
    page = costs_page(client_as, programme)
    assert "from 01 April 2026 to 31 March 2027 (the programme's dates)" in page
    assert f'href="{evaluation}?start=2026-04-01&amp;end=2027-03-31"' in page

    page = costs_page(client_as, programme, start="2026-10-01", end="")
    assert "What the programme cost from 01 October 2026:" in page
    assert f'<a href="{evaluation}?start=2026-10-01">the evaluation report for the same' in page


def test_a_bad_period_on_the_costs_page_gets_a_message(world, client_as):
    response = client_as(Role.PROGRAMME_MANAGER).get(
        reverse("evaluation:costs", args=[world.programme.slug]),
        {"start": "2027-04-01", "end": "2026-04-01"},
    )
    assert "The end date must be on or after the start date" in response.content.decode()


# Scoping


def test_another_programmes_budget_line_is_not_found(world, client_as, manager):
    line = add_budget_line(manager, world.other_programme)
    response = client_as(Role.PROGRAMME_MANAGER).get(
        reverse("workforce:budget_line_edit", args=[world.programme.slug, line.pk])
    )
    assert response.status_code == 404
    response = client_as(Role.PROGRAMME_MANAGER).post(
        reverse("workforce:budget_line_edit", args=[world.programme.slug, line.pk]),
        {"funding_source": "Taken", "amount": "1"},
    )
    assert response.status_code == 404
    line.refresh_from_db()
    assert line.funding_source == "Public health grant"


def test_pages_list_only_this_programmes_records(world, client_as, manager):
    record_time(manager, world.other_programme, person="Dr Elsewhere")
    services.cost_item_record(
        actor=manager,
        programme=world.other_programme,
        category="venues",
        incurred_on=date(2026, 10, 1),
        amount=D("1"),
        description="Elsewhere's room",
    )
    add_budget_line(manager, world.other_programme, funding_source="Elsewhere's grant")
    client = client_as(Role.PROGRAMME_MANAGER)
    slug = world.programme.slug
    pages = "".join(client.get(reverse(name, args=[slug])).content.decode() for name in PAGES)
    assert "Elsewhere" not in pages


@pytest.mark.parametrize(
    ("persona", "name", "status"),
    [
        (Role.HEALTH_TRAINER, "evaluation:time_given", 403),
        (Role.SUPERVISOR, "evaluation:time_given", 200),
        (Role.SUPERVISOR, "evaluation:costs", 403),
        (Role.SUPERVISOR, "workforce:role_rates", 403),
        (Role.EVALUATOR, "evaluation:costs", 403),
        ("outsider", "evaluation:costs", 404),
    ],
)
def test_who_reaches_which_page(world, client_as, persona, name, status):
    response = client_as(persona).get(reverse(name, args=[world.programme.slug]))
    assert response.status_code == status


# Query counts


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_make_as_many_queries_for_many_records_as_for_few(
    world, client_as, manager, name
):
    client = client_as(Role.PROGRAMME_MANAGER)
    url = reverse(name, args=[world.programme.slug])

    def add(n: int) -> None:
        for i in range(n):
            record_time(manager, world.programme, person=f"Dr {n}-{i}")
            add_budget_line(manager, world.programme, funding_source=f"Grant {n}-{i}")
            services.cost_item_record(
                actor=manager,
                programme=world.programme,
                category="other",
                incurred_on=date(2026, 10, 1),
                amount=D("2"),
                description=f"Item {n}-{i}",
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add(2)
    few = queries()
    add(20)
    assert queries() == few
