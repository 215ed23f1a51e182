"""A period names dates people could mean; others are refused in words, never a crash."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from healthtrainer.accounts.roles import Permission, Role
from healthtrainer.core.period import Period, period_problems
from healthtrainer.evaluation.report.gp_referral import months_of
from healthtrainer.interop.services import api_client_create


def test_dates_outside_the_range_are_named_as_the_problem():
    assert period_problems(date(2011, 1, 1), date(2011, 12, 31)) == {}
    assert set(period_problems(date(9999, 12, 31), date(9999, 12, 31))) == {"start", "end"}
    assert set(period_problems(date(1, 1, 1), None)) == {"start"}
    assert period_problems(date(2012, 1, 1), date(2011, 1, 1)) == {
        "end": "The end date must be on or after the start date"
    }


def test_the_months_of_a_report_stop_at_the_last_date_a_period_may_name():
    class Unbounded:
        start_date = None
        end_date = date.max

    months = months_of(Period(date(2099, 11, 1), None), Unbounded(), [])
    assert months == [date(2099, 11, 1), date(2099, 12, 1)]
    assert months_of(Period(date.min, date(1948, 8, 1)), Unbounded(), [])[0] == date(1948, 7, 1)


@pytest.mark.parametrize(
    "name", ["evaluation:report", "evaluation:referral_dashboard", "evaluation:costs"]
)
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_page_asked_for_a_period_at_the_end_of_time_answers_in_words(client_as, world, name, day):
    address = reverse(name, args=[world.programme.slug])
    response = client_as(Role.PROGRAMME_MANAGER).get(address, {"start": day, "end": day})
    assert response.status_code in (200, 400)
    assert "Choose a date from 5 July 1948 to 31 December 2099" in response.content.decode()


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_a_report_file_for_a_period_at_the_end_of_time_is_refused(client_as, world, fmt):
    address = reverse("evaluation:report_download", args=[world.programme.slug, fmt])
    response = client_as(Role.PROGRAMME_MANAGER).get(
        address, {"start": "9999-12-31", "end": "9999-12-31"}
    )
    assert response.status_code == 400


def test_the_api_refuses_a_period_at_the_end_of_time_in_words(world):
    token = api_client_create(
        actor=None,
        programme=world.programme,
        name="Reports",
        permissions=[Permission.VIEW_EVALUATION],
    )[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for address in ("/api/v1/evaluation", "/api/v1/metrics/referral.count"):
        response = api.get(address, {"start": "9999-12-31", "end": "9999-12-31"})
        assert response.status_code == 400
        assert "Choose a date from 5 July 1948" in response.json()["detail"]


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (date(2011, 1, 1), date(2011, 12, 31), "1 Jan 2011 to 31 Dec 2011"),
        (date(2011, 1, 1), None, "from 1 Jan 2011"),
        (None, date(2011, 12, 31), "to 31 Dec 2011"),
        (None, None, "of every date"),
    ],
)
def test_a_period_in_words(start, end, words):
    assert Period(start, end).words() == words
