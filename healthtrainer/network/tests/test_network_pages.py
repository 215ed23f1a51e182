"""The network analyst's pages: funnel plots of the programmes that share their outcomes,
from published counts only; nobody else sees them, the analyst sees no programme's own
pages, and a programme that withdraws leaves every figure at once."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import Discharge
from healthtrainer.conftest import ADMINISTRATOR, sign_in
from healthtrainer.core.period import Period
from healthtrainer.deprivation.models import LsoaDeprivation
from healthtrainer.evaluation.disclosure import published_count
from healthtrainer.evaluation.metrics.goals import goals_achieved_or_partly
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.network.casemix import NO_BAND, adjusted_funnels, casemix_rows, wellbeing_band
from healthtrainer.network.completeness import completeness
from healthtrainer.network.equity import equity
from healthtrainer.network.figures import figures_of
from healthtrainer.network.models import Network, NetworkMembership, PublishedFigures
from healthtrainer.network.monthly import monthly
from healthtrainer.network.outcomes import OUTCOME_BY_ID, network_funnel
from healthtrainer.network.services import analyst_add, network_join, network_withdraw
from healthtrainer.network.snapshots import published_counts, snapshots_refresh
from healthtrainer.network.tasks import refresh_published_figures
from healthtrainer.network.tests.builders import programme_with_goals
from healthtrainer.programmes.models import Programme
from healthtrainer.tests.factories import (
    ClientFactory,
    MembershipFactory,
    PracticeFactory,
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
    accepted_episode,
    collect,
)

LEEDS_LINK = '<a href="/networks/yorkshire/programmes/leeds/report/">Leeds</a>'


def test_the_analyst_sees_the_funnel_with_the_programmes_outside_named(analyst, network):
    page = analyst.get(reverse("network:network", args=[network.slug])).content.decode()
    assert "Goals achieved or partly achieved" in page
    assert '<svg class="app-chart"' in page
    # As published, Leeds is 35 of 40 and each town 20 of 40: 155 of 280 is 55.4%.
    # Whitby's 3 of 5 are hidden.
    assert "The network's figure is 55.4%" in page
    # Each programme named links to its published report.
    assert f"Outside the 95% limits: {LEEDS_LINK} (87.5%, beyond 99.8%)." in page
    assert "Too few to show: Whitby." in page
    assert "Complete records, by programme (%)" in page
    assert "Reach and outcomes by deprivation, by programme (%)" in page
    assert "Referrals each month" in page
    assert "Completed the programme: adjusted" in page
    assert "Every goal&#39;s final status (%)" in page or "Every goal's final status (%)" in page
    # Every outcome says which records it rests on; where none is discharged there is no
    # share to call least complete.
    assert "It rests on every goal being given its final status at discharge." in page
    assert "least complete" not in page
    assert "No programme sharing its outcomes has a headline well-being questionnaire" in page
    assert "Complete records by group: Age band at referral (%)" in page


def test_every_figure_comes_from_published_counts(network):
    programmes = [item.programme for item in NetworkMembership.objects.current()]
    shown = network_funnel(OUTCOME_BY_ID["goals"], programmes, published_counts(programmes))
    for item in shown.shown:
        exact = goals_achieved_or_partly.compute(item.programme, Period())
        assert item.numerator == published_count(exact.numerator)
        assert item.denominator == published_count(exact.denominator)
    total = sum(item.denominator for item in shown.shown)
    assert shown.funnel.target == pytest.approx(sum(item.numerator for item in shown.shown) / total)


def test_a_programme_joins_the_outcomes_once_its_published_figures_are_made(analyst, network):
    """Until its report is read, a programme is named as being prepared; the hourly task
    brings figures changed since up to date."""
    leeds = Programme.objects.get(slug="leeds")
    PublishedFigures.objects.filter(programme=leeds).delete()
    page = analyst.get(reverse("network:network", args=[network.slug])).content.decode()
    assert "Still being prepared, and not yet in the figures below: Leeds." in page
    assert f"Outside the 95% limits: {LEEDS_LINK}" not in page
    refresh_published_figures.enqueue()
    page = analyst.get(reverse("network:network", args=[network.slug])).content.decode()
    assert "Still being prepared" not in page
    assert f"Outside the 95% limits: {LEEDS_LINK} (87.5%, beyond 99.8%)." in page


def test_a_programme_that_withdraws_leaves_every_figure_at_once(analyst, network):
    leeds = NetworkMembership.objects.get(programme__slug="leeds")
    network_withdraw(actor=leeds.consented_by, membership=leeds)
    page = analyst.get(reverse("network:network", args=[network.slug])).content.decode()
    assert "Leeds" not in page
    assert "7 programmes share" in page


def test_nobody_but_its_analysts_sees_a_network(network, client_as, world):
    for persona in (Role.PROGRAMME_MANAGER, Role.EVALUATOR, ADMINISTRATOR):
        response = client_as(persona).get(reverse("network:network", args=[network.slug]))
        assert response.status_code == 404


def test_the_analyst_reaches_no_programme_page_client_or_exact_figure(analyst, world):
    programme = world.programme
    episode = accepted_episode(world.people[Role.HEALTH_TRAINER], programme)
    for address in (
        reverse("programmes:settings", args=[programme.slug]),
        reverse("casework:episode", args=[programme.slug, episode.pk]),
        reverse("evaluation:report", args=[programme.slug]) + "?mode=exact",
        reverse("evaluation:research_export", args=[programme.slug]),
    ):
        assert analyst.get(address).status_code == 404, address
    assert analyst.get("/api/v1/evaluation").status_code == 401


def test_the_manager_joins_and_withdraws_on_the_programme_s_networks_page(client_as, world):
    network = Network.objects.create(name="Yorkshire", slug="yorkshire")
    manager = client_as(Role.PROGRAMME_MANAGER)
    url = reverse("network:programme_networks", args=[world.programme.slug])
    page = manager.post(url, {"network": network.pk}, follow=True).content.decode()
    assert "Choose at least one aspect to share" in page
    manager.post(url, {"network": network.pk, "aspects": ["outcomes", "equity"]})
    membership = NetworkMembership.objects.current().get()
    assert membership.aspects == ["equity", "outcomes"]
    page = manager.get(url).content.decode()
    assert "Client outcomes" in page
    manager.post(url, {"withdraw": membership.pk})
    assert not NetworkMembership.objects.current().exists()
    assert "Withdrawn" in manager.get(url).content.decode()


def test_the_network_s_month_is_the_sum_of_what_each_programme_shows(world):
    """5 and 40 referrals: the network's month shows 40, the programmes' shown counts
    added, not 45, which set against the 40 shown would give the 5 away."""
    programmes = []
    for name, referrals in (("Small", 5), ("Large", 40)):
        programme = ProgrammeFactory(name=name, slug=name.lower())
        practice = PracticeFactory(programme=programme)
        for _ in range(referrals):
            ReferralFactory(practice=practice, received_date=date(2026, 3, 1))
        programmes.append(programme)
    assert [point.value for point in monthly(programmes).referrals] == [40.0]


def test_month_by_month_the_network_s_referrals_and_a_programme_s_shift(world, client):
    network = Network.objects.create(name="Humber", slug="humber")
    programme = ProgrammeFactory(name="Drifting", slug="drifting")
    manager = MembershipFactory(programme=programme, role=Role.PROGRAMME_MANAGER).user
    practice = PracticeFactory(programme=programme)
    months = [date(2026, month, 1) for month in range(1, 13)] + [date(2027, 1, 1), date(2027, 2, 1)]
    for index, month in enumerate(months):
        for _ in range(20 if index < 6 else 10):
            ReferralFactory(practice=practice, received_date=month)
    network_join(actor=manager, network=network, programme=programme, aspects=["referral"])
    person = UserFactory()
    analyst_add(actor=world.people[ADMINISTRATOR], network=network, user=person)
    page = sign_in(client, person).get(reverse("network:network", args=[network.slug]))
    text = page.content.decode()
    assert "Referrals each month" in text
    report = reverse("network:programme_report", args=[network.slug, programme.slug])
    assert f'<a href="{report}">Drifting</a>: ' in text
    assert "7 points in a row on one side of the mean (from Jul 2026)" in text
    one = client.get(
        reverse("network:network", args=[network.slug]), {"programme": programme.pk}
    ).content.decode()
    assert "Referrals each month: Drifting" in one
    # None of its referrals was accepted: there is no share to chart.
    assert "Completed, by month of referral (%): Drifting" not in one
    by_month = monthly([programme])
    assert [point.value for point in by_month.referrals] == [20.0] * 6 + [10.0] * 8
    assert by_month.referrals[0].mean == pytest.approx(200 / 14)

    url = reverse("network:network", args=[network.slug])
    page = client.post(url, {"month": "July 2026", "what": "New pathway"}).content.decode()
    assert "Enter the month the change started" in page
    client.post(url, {"month": "2026-07", "what": "A new referral pathway"})
    change = network.changes.get()
    assert (change.month, change.declared_by) == (date(2026, 7, 1), person)
    figures = figures_of(network)
    means = {point.mean for point in figures.by_month.referrals}
    assert means == {20.0, 10.0}
    assert not any(point.signals for point in figures.by_month.referrals)
    page = client.get(url).content.decode()
    assert "From July 2026: A new referral pathway" in page


def test_the_page_s_queries_do_not_grow_with_the_programmes(analyst, network, world):
    url = reverse("network:network", args=[network.slug])
    counts = []
    for name, achieved, not_achieved in (("Scarborough", 20, 20), ("Selby", 30, 10)):
        programme, manager = programme_with_goals(name, achieved, not_achieved)
        network_join(
            actor=manager,
            network=network,
            programme=programme,
            aspects=["outcomes", "referral", "completeness"],
        )
        with CaptureQueriesContext(connection) as queries:
            page = analyst.get(url)
        counts.append(len(queries.captured_queries))
    assert "Selby" in page.content.decode()
    assert counts[0] == counts[1]


def test_data_completeness_by_programme_from_published_counts(world):
    programme, _ = programme_with_goals("Goole", 0, 0)
    trainer = MembershipFactory(programme=programme, role=Role.HEALTH_TRAINER).user
    for index in range(20):
        episode = accepted_episode(trainer, programme)
        episode.employment_status = "01" if index < 10 else ""
        episode.save()
    small, _ = programme_with_goals("Howden", 0, 0)
    (goole, howden) = completeness([programme, small])
    # Goole: 21 accepted (20 + the one holding goals), 10 with employment: published 20 and
    # 10, so 50.0%; nobody discharged, so nothing to count for exit.
    assert (goole.employment, goole.baseline, goole.exit) == (Decimal("50.0"), Decimal("0.0"), None)
    # Howden has one accepted referral: hidden.
    assert howden.employment == "*"


def _clients(programme, count, completing, **fields):
    """`count` accepted clients of the programme, the first `completing` of them discharged
    as having completed."""
    trainer = MembershipFactory(programme=programme, role=Role.HEALTH_TRAINER).user
    practice = PracticeFactory(programme=programme)
    for index in range(count):
        episode = ReferralFactory(
            practice=practice,
            status="accepted",
            client=ClientFactory(programme=programme),
            assigned_trainer=trainer,
            **fields,
        )
        if index < completing:
            Discharge.objects.create(
                programme=programme,
                episode=episode,
                discharged_on=date(2026, 11, 1),
                reason="completed",
                discharged_by=trainer,
            )


def test_completion_adjusted_for_case_mix_on_a_two_programme_network(world):
    # As in test_methods: younger clients complete at 18/30 across the network, older at
    # 6/30. North (20 younger, 13 completing; 5 older, 1) expects 13 and shows its 14 as
    # the published 15: 15/13 = 1.15. South (10 younger, 5; 25 older, 5) expects 11 and
    # shows 10: 0.91.
    made = {}
    for name, groups in (
        ("North", ((date(1995, 1, 1), 20, 13), (date(1950, 1, 1), 5, 1))),
        ("South", ((date(1995, 1, 1), 10, 5), (date(1950, 1, 1), 25, 5))),
    ):
        programme = ProgrammeFactory(name=name, slug=name.lower())
        for born, clients, completing in groups:
            _clients(programme, clients, completing, date_of_birth=born, imd_decile=3)
        made[name] = programme
    chosen = [made["North"], made["South"]]
    snapshots_refresh(chosen)
    adjusted = adjusted_funnels(chosen, published_counts(chosen), casemix_rows(chosen))
    completed = next(item for item in adjusted if item.outcome == "completed")
    ratios = {item.programme.name: item.ratio for item in completed.shown}
    assert ratios == {"North": 1.15, "South": 0.91}


def test_case_mix_takes_baseline_well_being_into_account(world):
    """Low baseline (WEMWBS 44 or below) clients complete at 6/30 across the network, high
    (60 or above) at 24/30. North (20 low, 4 completing; 10 high, 8) expects 4 + 8 = 12
    and shows its 12 as the published 10: 0.83. South (10 low, 2; 20 high, 16) expects
    2 + 16 = 18 and shows 20: 1.11. Without the bands both would expect 15: 0.67 and 1.33."""
    made = {}
    for name, groups in (
        ("North", ((40, 20, 4), (62, 10, 8))),
        ("South", ((40, 10, 2), (62, 20, 16))),
    ):
        programme = ProgrammeFactory(name=name, slug=name.lower())
        instrument = collect(programme, "wemwbs", primary=True)
        for total, clients, completing in groups:
            before = set(programme.referrals.values_list("pk", flat=True))
            _clients(programme, clients, completing, date_of_birth=date(1980, 1, 1), imd_decile=3)
            for episode in programme.referrals.exclude(pk__in=before):
                QuestionnaireResponse.objects.create(
                    programme=programme,
                    episode=episode,
                    instrument=instrument,
                    timepoint="baseline",
                    completed_on=date(2026, 10, 1),
                    total=total,
                    source="import",
                )
        made[name] = programme
    chosen = [made["North"], made["South"]]
    snapshots_refresh(chosen)
    adjusted = adjusted_funnels(chosen, published_counts(chosen), casemix_rows(chosen))
    completed = next(item for item in adjusted if item.outcome == "completed")
    assert {item.programme.name: item.ratio for item in completed.shown} == {
        "North": 0.83,
        "South": 1.11,
    }


def test_well_being_bands_by_the_questionnaire_s_cut_points():
    assert [wellbeing_band("wemwbs", total) for total in (14, 44, 45, 59, 60, 70)] == [
        "low",
        "low",
        "middle",
        "middle",
        "high",
        "high",
    ]
    assert [wellbeing_band("swemwbs", total) for total in (7, 20, 20.5, 27.9, 28)] == [
        "low",
        "low",
        "middle",
        "middle",
        "high",
    ]
    assert wellbeing_band("pseq", 30) == wellbeing_band("wemwbs", None) == NO_BAND


def test_equity_core20_reach_against_the_area_and_the_completion_gap(world):
    programme = ProgrammeFactory(name="Barnsley", slug="barnsley", local_authority_code="E08000016")
    for number in range(10):
        LsoaDeprivation.objects.create(
            edition="iod2019",
            lsoa_code=f"E0100{number:04d}",
            lsoa_name=f"Barnsley {number:03d}",
            local_authority_code="E08000016",
            local_authority_name="Barnsley",
            imd_score=Decimal("10.000"),
            imd_rank=1000 + number,
            imd_decile=1 if number < 3 else 6,
        )
    for decile, clients, completing in ((1, 20, 10), (10, 20, 15), (5, 10, 0)):
        _clients(programme, clients, completing, imd_decile=decile)
    (row,) = equity([programme])
    # 20 of 50 clients from Core20 areas; 3 of the area's 10 LSOAs are in Core20.
    assert (row.core20_clients, row.core20_local) == (Decimal("40.0"), Decimal("30.0"))
    # Completed: 10 of 20 most deprived, 15 of 20 least: a gap of 25 points.
    assert (row.completed_most_deprived, row.completed_least_deprived) == (
        Decimal("50.0"),
        Decimal("75.0"),
    )
    assert row.gap == Decimal("25.0")


def test_the_analyst_downloads_the_figures_as_json_and_each_table_as_csv(analyst, network):
    figures = analyst.get(reverse("network:network_download", args=[network.slug, "json"]))
    body = figures.json()
    goals = body["tables"]["goals"]
    assert goals["columns"][:3] == ["Programme", "Numerator", "Denominator"]
    # Beside each figure, how complete the records it rests on are: Leeds has discharged
    # nobody, so there is nothing to count for every goal's final status.
    assert goals["columns"][5] == "Every goal's final status (of those discharged, %)"
    assert ["Leeds", 35, 40, 87.5, "Outside 99.8%", ""] in goals["rows"]
    assert {
        "completeness",
        "completeness-by-group",
        "equity",
        "referrals-by-month",
        "goals-adjusted",
        "strategies-adjusted",
        "engaged-adjusted",
        "completed-adjusted",
    } <= set(body["tables"])
    csv_url = reverse("network:network_download", args=[network.slug, "csv"])
    table = analyst.get(csv_url, {"table": "goals"}).content.decode()
    assert table.splitlines()[0] == (
        "Programme,Numerator,Denominator,Percentage,Against the limits,"
        '"Every goal\'s final status (of those discharged, %)"'
    )
    assert "Leeds,35,40,87.5,Outside 99.8%," in table
    assert analyst.get(csv_url, {"table": "nothing"}).status_code == 404
    assert (
        analyst.get(reverse("network:network_download", args=[network.slug, "txt"])).status_code
        == 404
    )


def test_an_analyst_signing_in_finds_their_networks(analyst, network):
    page = analyst.get(reverse("accounts:home"), follow=True).content.decode()
    assert "Networks you analyse" in page
    assert reverse("network:network", args=[network.slug]) in page
    assert "You do not have access to any programme yet" not in page
