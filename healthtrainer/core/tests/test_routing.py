"""Reports read from the replica when there is one; writes and migrations never go there."""

from __future__ import annotations

import pytest
from django.db import connection

from healthtrainer.core import routing
from healthtrainer.core.period import Period
from healthtrainer.core.routing import ReportsRouter, reading_reports
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.report import build_report


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "reports": dict(settings.DATABASES["default"])}


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_with_two_aliases_report_reads_go_to_the_replica_and_writes_never_do(with_replica):
    router = ReportsRouter()
    assert router.db_for_read(None) is None
    with reading_reports():
        assert router.db_for_read(None) == "reports"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None
    assert router.allow_migrate("default", "referrals") is True
    assert router.allow_migrate("reports", "referrals") is False


def test_without_a_replica_reports_read_from_the_primary():
    with reading_reports():
        assert ReportsRouter().db_for_read(None) == "default"
    assert routing.reports_database() == "default"


def test_every_query_of_a_report_is_a_report_read(world):
    flags = []

    def record(execute, sql, params, many, context):
        flags.append(routing._reading_reports.get())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        build_report(world.programme, Period(), Disclosure.PUBLISHED)
    assert flags
    assert all(flags)


@pytest.mark.django_db
def test_postgresql_connections_open_with_the_planner_settings_of_adr_23():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('random_page_cost')")
        assert cursor.fetchone() == ("off", "1.1")
