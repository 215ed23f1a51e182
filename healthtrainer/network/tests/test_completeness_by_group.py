"""Data completeness by group across the network, from each programme's published counts
in each group, in one query whatever the number of programmes; and completeness beside
every outcome it limits, the well-being funnel's included."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.conftest import ADMINISTRATOR, sign_in
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.network.completeness_by_group import completeness_by_group
from healthtrainer.network.models import Network
from healthtrainer.network.services import analyst_add, network_join
from healthtrainer.network.snapshots import snapshots_refresh
from healthtrainer.tests.factories import (
    ClientFactory,
    MembershipFactory,
    PracticeFactory,
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
    collect,
)

OLDER, YOUNGER = date(1960, 3, 27), date(1995, 1, 1)


def _accepted(programme, count, **fields):
    trainer = MembershipFactory(programme=programme, role=Role.HEALTH_TRAINER).user
    practice = PracticeFactory(programme=programme)
    return [
        ReferralFactory(
            practice=practice,
            status="accepted",
            client=ClientFactory(programme=programme),
            assigned_trainer=trainer,
            **fields,
        )
        for _ in range(count)
    ]


def _hull_and_york():
    hull = ProgrammeFactory(name="Hull", slug="hull")
    # 20 older clients from the most deprived fifth, ethnic category not recorded, 10 of
    # them with employment status; 10 younger White British ones from the least deprived
    # fifth, every one with it.
    _accepted(hull, 10, imd_decile=1, date_of_birth=OLDER, employment_status="01")
    _accepted(hull, 10, imd_decile=1, date_of_birth=OLDER, employment_status="")
    _accepted(
        hull, 10, imd_decile=9, date_of_birth=YOUNGER, ethnic_category="A", employment_status="01"
    )
    york = ProgrammeFactory(name="York", slug="york")
    # 12 like Hull's first 20, 3 with employment status (published: "*" of 10); 5 like
    # its last 10, none with it (published: "*" of "*").
    _accepted(york, 3, imd_decile=2, date_of_birth=OLDER, employment_status="01")
    _accepted(york, 9, imd_decile=2, date_of_birth=OLDER, employment_status="")
    _accepted(
        york, 5, imd_decile=10, date_of_birth=YOUNGER, ethnic_category="A", employment_status=""
    )
    return hull, york


def _rows(found):
    return {subgroup.id: {group.label: group for group in subgroup.groups} for subgroup in found}


def test_completeness_by_group_sums_the_programmes_published_counts(world):
    hull, york = _hull_and_york()
    rows = _rows(completeness_by_group([hull, york]))
    most, least = rows["imd_quintile"]["Quintile 1"], rows["imd_quintile"]["Quintile 5"]
    # Most deprived fifth: Hull 10 of 20; York's 3 of 12 are published as "*" of 10, and
    # its hidden complete records count as none: 10 of 30 is 33.3%.
    assert (most.accepted, most.shares["employment"]) == (30, Decimal("33.3"))
    # Least deprived: Hull 10 of 10; York's 5 are hidden, so York is left out: 100.0%.
    assert (least.accepted, least.shares["employment"]) == (10, Decimal("100.0"))
    # Nobody has a baseline questionnaire, and nobody is discharged: nothing to count.
    assert most.shares["baseline"] == Decimal("0.0")
    assert most.shares["exit"] is None
    # An empty group is listed with nothing to count.
    assert (
        rows["imd_quintile"]["Quintile 3"].accepted,
        rows["imd_quintile"]["Quintile 3"].shares["employment"],
    ) == (0, None)
    # The same people by ethnic category and by age band.
    assert rows["ethnic_category"]["White: British"].shares["employment"] == Decimal("100.0")
    assert rows["ethnic_category"]["Not recorded"].shares["employment"] == Decimal("33.3")
    assert rows["age_band"]["18 to 34"].accepted == 10
    assert rows["age_band"]["65 and over"].shares["employment"] == Decimal("33.3")
    assert list(rows["age_band"]) == ["Under 18", "18 to 34", "35 to 49", "50 to 64", "65 and over"]


def test_completeness_by_group_is_one_query_whatever_the_number_of_programmes(world):
    hull, york = _hull_and_york()
    more = [ProgrammeFactory(name=f"Town {number}", slug=f"town-{number}") for number in range(3)]
    for programme in more:
        _accepted(programme, 9, imd_decile=5, employment_status="01")
    counts = []
    for programmes in ([hull, york], [hull, york, *more]):
        with CaptureQueriesContext(connection) as queries:
            completeness_by_group(programmes)
        counts.append(len(queries.captured_queries))
    assert counts == [1, 1]


def test_the_analyst_reads_completeness_by_group_and_beside_the_well_being_funnel(world, client):
    hull, york = _hull_and_york()
    network = Network.objects.create(name="Humber", slug="humber")
    for programme in (hull, york):
        instrument = collect(programme, "wemwbs", primary=True)
        manager = MembershipFactory(programme=programme, role=Role.PROGRAMME_MANAGER).user
        network_join(
            actor=manager,
            network=network,
            programme=programme,
            aspects=["outcomes", "completeness"],
        )
        # The first 10 of each programme's clients with a baseline and an exit.
        for episode in programme.referrals.order_by("pk")[:10]:
            for timepoint, total in (("baseline", 40), ("exit", 43 if programme == hull else 41)):
                QuestionnaireResponse.objects.create(
                    programme=programme,
                    episode=episode,
                    instrument=instrument,
                    timepoint=timepoint,
                    completed_on=date(2026, 11, 2),
                    total=total,
                    source="import",
                )
    # The network reads each programme's figures as last made: made again, by the hourly
    # task, after the questionnaires.
    snapshots_refresh()
    person = UserFactory()
    analyst_add(actor=world.people[ADMINISTRATOR], network=network, user=person)
    page = sign_in(client, person).get(reverse("network:network", args=[network.slug]))
    text = page.content.decode()
    assert "By group, across the network" in text
    assert "over the paired episodes. Paired episodes: episodes referred in the period" in text
    assert "Complete records by group: IMD quintile" in text
    assert "Complete records by group: Ethnic category (%)" in text
    assert "Mean change in well-being: Warwick-Edinburgh" in text
    # Each programme's 10 pairs: Hull up 3, York up 1; the network's mean is 2.0.
    assert "The network's mean change is 2.0 points." in text
    # Beside it, the records it rests on: 10 baseline questionnaires of Hull's 30 accepted
    # (33.3%) and of York's published 15 (66.7%).
    assert "least complete: Hull (33.3%, baseline questionnaire)" in text
    assert "Baseline questionnaire (%)</th><th" in text
    download = client.get(reverse("network:network_download", args=[network.slug, "json"])).json()[
        "tables"
    ]
    assert download["wellbeing-wemwbs"]["columns"] == [
        "Programme",
        "Pairs",
        "Mean change",
        "Against the limits",
        "Baseline questionnaire (of accepted referrals, %)",
        "Exit questionnaire (of those discharged, %)",
    ]
    assert ["Hull", 10, 3.0, "Within", 33.3, ""] in download["wellbeing-wemwbs"]["rows"]
    by_group = download["completeness-by-group"]
    assert by_group["columns"][:3] == ["Subgroup", "Group", "Accepted referrals"]
    # 10 of Hull's 20 and 10 of York's 12 (published 10) in the most deprived fifth have
    # a baseline questionnaire: 20 of 30.
    assert [
        "IMD quintile (national; 1 is the most deprived)",
        "Quintile 1",
        30,
        66.7,
        33.3,
        "",
        "",
        "",
    ] in by_group["rows"]
