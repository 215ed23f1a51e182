"""The companion's section of the report: its tables in exact figures, worked by hand in
`companion_data`; the same hidden and protected when published; a programme without the
companion told so in words; and as many queries for many clients as for few."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from healthtrainer.accounts.roles import Role
from healthtrainer.core.period import Period
from healthtrainer.core.tests.test_charts_layout import assert_labels_read
from healthtrainer.evaluation.disclosure import SUPPRESSED, Disclosure
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.companion import NO_COMPANION
from healthtrainer.evaluation.report.formats import as_csv, as_json, as_xlsx
from healthtrainer.evaluation.report.output import printable_html
from healthtrainer.evaluation.tests.companion_data import (
    TODAY,
    companion_programme,
    many_companion_clients,
)
from healthtrainer.evaluation.tests.test_disclosure_attack import narrowed
from healthtrainer.tests.factories import accepted_episode

PERIOD = Period(date(2026, 9, 1), date(2026, 10, 31))
IMD = "IMD quintile (national; 1 is the most deprived)"
AGE = "Age band at referral"
ETHNIC = "Ethnic category"


def _table(report, table_id):
    return next(table for table in report.tables if table.id == table_id)


def _rows(report, table_id):
    return {
        row[:2] if row[0] in (IMD, AGE, ETHNIC) else row[0]: row
        for row in _table(report, table_id).rows
    }


@pytest.fixture
def trainer(world):
    return world.people[Role.HEALTH_TRAINER]


@pytest.fixture
def exact(world, trainer):
    with time_machine.travel(TODAY, tick=False):
        companion_programme(world.programme, trainer)
        return build_report(world.programme, PERIOD, Disclosure.EXACT)


def test_uptake_diary_and_check_ins_for_everyone(exact):
    assert _table(exact, "companion-uptake").rows == [
        ("Invited, of accepted referrals", 4, 6, Decimal("66.7")),
        ("Used it in the last 14 days, of those invited", 2, 4, Decimal("50.0")),
    ]
    assert _table(exact, "companion-diary").rows == [
        ("Clients with an entry in at least half their weeks, of those invited", 3, 4, 75),
        ("Weeks with an entry, of weeks open", 7, 13, Decimal("53.8")),
    ]
    assert _table(exact, "companion-goal-check-ins").rows == [
        ("Clients answering at least one, of those invited", 3, 4, 75),
        ("Weeks with an answer, of weeks open", 4, 13, Decimal("30.8")),
    ]


def test_strategies_month_by_month_after_discharge(exact):
    table = _table(exact, "companion-strategies-by-month")
    assert table.rows == [
        ("Month of discharge", 2, 2, 100),
        ("1 month after", 2, 1, 50),
        ("2 months after", 1, 1, 100),
        ("3 months after", 0, 0, None),
        ("All months (a client once a month)", 5, 4, 80),
    ]
    assert table.chart is not None


def test_each_figure_by_imd_quintile_age_band_and_ethnic_category(exact):
    invited = _rows(exact, "companion-invited-by-subgroup")
    assert invited[(IMD, "Quintile 1")][2:] == (3, 3, 100)
    assert invited[(IMD, "Quintile 3")][2:] == (0, 1, 0)
    assert invited[(IMD, "Not known")][2:] == (0, 0, None)
    assert invited[(AGE, "35 to 49")][2:] == (2, 3, Decimal("66.7"))
    assert invited[(ETHNIC, "Black or Black British: African")][2:] == (1, 2, 50)
    assert invited["Everyone"][2:] == (4, 6, Decimal("66.7"))
    active = _rows(exact, "companion-active-by-subgroup")
    assert active[(IMD, "Quintile 1")][2:] == (2, 3, Decimal("66.7"))
    assert active[(AGE, "65 and over")][2:] == (1, 2, 50)
    assert active[(ETHNIC, "Not recorded")][2:] == (1, 1, 100)
    diary = _rows(exact, "companion-diary-by-subgroup")
    assert diary[(IMD, "Quintile 5")][2:] == (0, 1, 0)
    assert diary[(AGE, "65 and over")][2:] == (2, 2, 100)
    assert diary[(ETHNIC, "White: British")][2:] == (2, 2, 100)
    goals = _rows(exact, "companion-goal-check-ins-by-subgroup")
    assert goals[(IMD, "Quintile 1")][2:] == (3, 3, 100)
    assert goals[(AGE, "35 to 49")][2:] == (1, 2, 50)
    assert goals[(ETHNIC, "Black or Black British: African")][2:] == (0, 1, 0)
    weeks = _rows(exact, "companion-goal-weeks-by-subgroup")
    assert weeks[(IMD, "Quintile 1")][2:] == (4, 10, 40)
    assert weeks[(AGE, "65 and over")][2:] == (3, 9, Decimal("33.3"))
    assert weeks[(ETHNIC, "Not recorded")][2:] == (1, 1, 100)
    strategies = _rows(exact, "companion-strategies-by-subgroup")
    assert strategies[(IMD, "Quintile 5")][2:] == (1, 2, 50)
    assert strategies[(AGE, "65 and over")][2:] == (3, 3, 100)
    assert strategies[(ETHNIC, "Black or Black British: African")][2:] == (1, 2, 50)
    assert strategies["Everyone"][2:] == (4, 5, 80)
    # Every group of each subgroup is listed, empty or not.
    assert len(_table(exact, "companion-invited-by-subgroup").rows) == 6 + 5 + 19 + 1


def test_accepted_clients_by_subgroup_are_the_equity_tables_own_cells(exact):
    engaged = _rows(exact, "equity-engaged")
    invited = _rows(exact, "companion-invited-by-subgroup")
    assert engaged[(IMD, "Quintile 1")][3] == invited[(IMD, "Quintile 1")][3] == 3
    sources = _table(exact, "companion-invited-by-subgroup").sources
    assert "count:flow.accepted.imd_quintile.Quintile 1" in {
        source for row in sources for source in row
    }


def test_follow_up_answers_say_which_came_from_the_client(exact):
    assert _table(exact, "follow-up-answers-by-source").rows == [
        ("Asked by the trainer", 0, 0, 1, 1, Decimal("33.3")),
        ("The client's own check-in, confirmed by the trainer", 1, 1, 0, 2, Decimal("66.7")),
        ("All sources", 1, 1, 1, 3, 100),
    ]


def test_the_section_is_in_every_format(exact):
    ids = [table.id for table in exact.sections[3].tables]
    assert exact.sections[3].title == "The client companion"
    assert ids[0] == "companion-uptake"
    assert set(ids) <= set(as_json(exact)["tables"])
    lines = list(csv.DictReader(io.StringIO(as_csv(exact, "companion-uptake"))))
    assert (lines[0]["row"], lines[0]["column"], lines[0]["value"]) == (
        "Invited, of accepted referrals",
        "Number",
        "4",
    )
    book = load_workbook(io.BytesIO(as_xlsx(exact)))
    assert any(title.endswith("companion-uptake") for title in book.sheetnames)


def test_its_charts_keep_their_labels_apart_and_inside(exact):
    html = printable_html(exact)
    section = html.split('id="client-companion"', 1)[1].split('id="resources"', 1)[0]
    pictures = re.findall(r"<svg\b.*?</svg>", section, flags=re.S)
    assert len(pictures) == 7
    for picture in pictures:
        assert_labels_read(picture, [])


def test_published_small_groups_and_everything_derived_from_them_are_hidden(world, trainer):
    with time_machine.travel(TODAY, tick=False):
        companion_programme(world.programme, trainer)
        report = build_report(world.programme, PERIOD, Disclosure.PUBLISHED)
    # 4 invited of 6 accepted: both are 1 to 7, so neither they, their percentage nor any
    # group of them is shown.
    assert _table(report, "companion-uptake").rows[0] == (
        "Invited, of accepted referrals",
        SUPPRESSED,
        SUPPRESSED,
        SUPPRESSED,
    )
    for row in _table(report, "companion-invited-by-subgroup").rows:
        assert row[2:] == (SUPPRESSED, SUPPRESSED, SUPPRESSED), row
    assert narrowed(report) == {}


def test_published_a_small_group_beside_a_large_one_cannot_be_worked_out(world, trainer):
    with time_machine.travel(TODAY, tick=False):
        many_companion_clients(world.programme, trainer, 20, decile=1)
        many_companion_clients(world.programme, trainer, 2, offset=20, decile=10)
        report = build_report(world.programme, PERIOD, Disclosure.PUBLISHED)
    invited = _rows(report, "companion-invited-by-subgroup")
    assert invited[(IMD, "Quintile 5")][2] == SUPPRESSED
    assert invited[(IMD, "Quintile 5")][4] == SUPPRESSED
    # Quintile 1 (20) and everyone (22) are both 20 when rounded: one of them must hide,
    # or a reader would know quintile 5 is 1 to 4.
    assert SUPPRESSED in (invited[(IMD, "Quintile 1")][2], invited["Everyone"][2])
    assert narrowed(report) == {}


def test_a_programme_without_the_companion_says_so_rather_than_showing_zeros(
    world, trainer, client_as
):
    for _ in range(9):
        accepted_episode(trainer, world.programme)
    report = build_report(world.programme, Period(), Disclosure.PUBLISHED)
    section = next(section for section in report.sections if section.id == "client-companion")
    uptake = _table(report, "companion-uptake")
    assert (uptake.rows, uptake.empty) == ([], NO_COMPANION)
    assert [table.id for table in section.tables] == [
        "companion-uptake",
        "follow-up-answers-by-source",
    ]
    page = client_as(Role.PROGRAMME_MANAGER).get(
        reverse("evaluation:report", args=[world.programme.slug])
    )
    text = page.content.decode()
    assert "has been invited to the companion yet" in text
    assert "The client companion" in text
    book = load_workbook(io.BytesIO(as_xlsx(report)))
    sheet = next(sheet for sheet in book.worksheets if sheet.title.endswith("companion-uptake"))
    assert sheet["A4"].value == NO_COMPANION


def test_the_companion_figures_make_as_many_queries_for_many_clients_as_for_few(world, trainer):
    def queries_with(count, offset):
        many_companion_clients(
            world.programme, trainer, count, offset=offset, decile=offset % 10 + 1
        )
        with CaptureQueriesContext(connection) as captured:
            report = build_report(world.programme, Period(), Disclosure.EXACT)
        return len(captured), report

    with time_machine.travel(TODAY, tick=False):
        few, _ = queries_with(3, 0)
        many, report = queries_with(120, 3)
    assert _table(report, "companion-uptake").rows[0][1:3] == (123, 123)
    assert few == many
