"""The demo programme: made-up organisations and one person per role.

Loading is idempotent: everything is looked up by a natural key first, so a second
run creates nothing, changes nothing and writes no audit events.

The demo programme's referrals, casework, workforce records and costs are dated back from
the day they are loaded (`healthtrainer/demo/`), so its own dates are too
(`demo_dates`): with fixed dates its Costs page, which starts at the programme's dates,
would find none of them. A demo programme that still has the fixed dates an earlier
version gave it is given its dates once, with an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import ADMINISTRATOR, Role
from healthtrainer.core.audit import audit_record
from healthtrainer.imports.setup import programme_setup
from healthtrainer.programmes.models import Organisation, OrganisationKind, Programme
from healthtrainer.programmes.services import programme_update

DEMO_PASSWORD = "health-trainer-demo"

# The programme whose activity is dated back from the day the demo is loaded.
DEMO_SLUG = "sheffield-pilot"
# Its earliest record is the health trainer's start date, about 305 days before the day of
# loading (`healthtrainer/demo/workforce.py`); the programme starts a few weeks earlier
# and runs for a year, as the pilot it is modelled on did, which takes in the appointments
# and supervision actions it books up to three weeks ahead.
STARTS_DAYS_BEFORE_LOADING = 330
# The dates earlier versions gave it, when its activity was already dated from the day
# of loading; a programme still carrying them is given the dates its activity needs.
EARLIER_DATES = (date(2011, 4, 1), date(2012, 3, 31))

PROGRAMMES: list[dict[str, Any]] = [
    {
        "slug": DEMO_SLUG,
        "name": "Sheffield chronic pain Health Trainer pilot (demo)",
        "commissioner": "Sheffield Primary Care Trust",
        "local_authority_code": "E08000019",
        # start_date and end_date: demo_dates(), on the day it is loaded.
        "projected_referrals": 90,
    },
    {
        # A programme that has started and records nothing yet: no dated activity.
        "slug": "riverside-programme",
        "name": "Riverside Health Trainers for pain (demo)",
        "commissioner": "Riverside Integrated Care Board",
        "local_authority_code": "E08000018",
        "start_date": date(2025, 1, 6),
        "projected_referrals": 120,
    },
    {
        # A past programme, generated and imported as a workbook (demo/pilot_2011.py).
        "slug": "sheffield-pilot-2011",
        "name": "Sheffield pilot 2011 (synthetic)",
        "commissioner": "Sheffield Primary Care Trust",
        "local_authority_code": "E08000019",
        "start_date": date(2011, 1, 1),
        "end_date": date(2012, 6, 30),
        "projected_referrals": 90,
    },
]

# (programme slug, kind, name, ODS code, registered list size, GP champion)
ORGANISATIONS = [
    *[
        ("sheffield-pilot-2011", OrganisationKind.GP_PRACTICE, name, code, size, champion)
        for name, code, size, champion in (
            ("Abbeydale Surgery", "C88005", 7200, True),
            ("Burngreave Medical Practice", "C88014", 9100, False),
            ("Castle Street Health Centre", "C88020", 11300, True),
            ("Darnall Road Practice", "C88037", 6800, False),
            ("Ecclesall Group Practice", "C88041", 5400, False),
            ("Firth Park Surgery", "C88062", 8700, False),
            ("Gleadless Valley Practice", "C88078", 10200, False),
            ("Heeley Medical Centre", "C88091", 4900, False),
        )
    ],
    (
        "sheffield-pilot",
        OrganisationKind.GP_PRACTICE,
        "Parkside Medical Centre",
        "Y90001",
        9800,
        True,
    ),
    ("sheffield-pilot", OrganisationKind.GP_PRACTICE, "Valley Road Surgery", "Y90002", 6400, False),
    (
        "sheffield-pilot",
        OrganisationKind.GP_PRACTICE,
        "Northfield Health Centre",
        "Y90003",
        12100,
        True,
    ),
    ("sheffield-pilot", OrganisationKind.GP_PRACTICE, "Hillcrest Practice", "Y90004", 4300, False),
    (
        "sheffield-pilot",
        OrganisationKind.COMMUNITY_ORGANISATION,
        "Eastside Community Health Forum",
        "",
        None,
        False,
    ),
    (
        "sheffield-pilot",
        OrganisationKind.COMMUNITY_ORGANISATION,
        "Northside Wellbeing Trust",
        "",
        None,
        False,
    ),
    (
        "sheffield-pilot",
        OrganisationKind.PAIN_TEAM,
        "Chronic Pain Team, Teaching Hospitals",
        "",
        None,
        False,
    ),
    (
        "sheffield-pilot",
        OrganisationKind.COMMISSIONER,
        "Sheffield Primary Care Trust",
        "",
        None,
        False,
    ),
    (
        "riverside-programme",
        OrganisationKind.GP_PRACTICE,
        "Riverside Surgery",
        "Y91001",
        8100,
        True,
    ),
    (
        "riverside-programme",
        OrganisationKind.COMMUNITY_ORGANISATION,
        "Riverside Community Hub",
        "",
        None,
        False,
    ),
]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: str
    programme_roles: tuple[tuple[str, str, str], ...]  # (slug, role, organisation name)


PEOPLE = [
    DemoPerson(
        "trainer@example.com",
        "Hana Trainer",
        Role.HEALTH_TRAINER,
        (("sheffield-pilot", Role.HEALTH_TRAINER, "Eastside Community Health Forum"),),
    ),
    DemoPerson(
        "supervisor@example.com",
        "Sam Supervisor",
        Role.SUPERVISOR,
        (("sheffield-pilot", Role.SUPERVISOR, "Chronic Pain Team, Teaching Hospitals"),),
    ),
    DemoPerson(
        "manager@example.com",
        "Morgan Manager",
        Role.PROGRAMME_MANAGER,
        (
            ("sheffield-pilot", Role.PROGRAMME_MANAGER, ""),
            ("riverside-programme", Role.EVALUATOR, ""),
            ("sheffield-pilot-2011", Role.PROGRAMME_MANAGER, ""),
        ),
    ),
    DemoPerson(
        "gp@example.com",
        "Dr Gita Referrer",
        Role.REFERRER,
        (("sheffield-pilot", Role.REFERRER, "Parkside Medical Centre"),),
    ),
    DemoPerson(
        "evaluator@example.com",
        "Evan Evaluator",
        Role.EVALUATOR,
        (("sheffield-pilot", Role.EVALUATOR, ""),),
    ),
    DemoPerson("admin@example.com", "Ada Administrator", ADMINISTRATOR, ()),
]


def demo_dates(loaded_on: date) -> dict[str, date]:
    """The demo programme's dates when its activity is loaded on `loaded_on`: a year from
    a few weeks before its earliest record, so about a month after the day of loading."""
    start = loaded_on - timedelta(days=STARTS_DAYS_BEFORE_LOADING)
    try:
        a_year_on = start.replace(year=start.year + 1)
    except ValueError:  # 29 February: a year on is 1 March
        a_year_on = date(start.year + 1, 3, 1)
    return {"start_date": start, "end_date": a_year_on - timedelta(days=1)}


def _mend_earlier_dates(programme: Programme) -> None:
    """Give a demo programme loaded by an earlier version the dates its activity needs.

    Its activity was loaded with it, so it is dated back from the day the programme was
    created, not from today: the dates stay the same however many days later the demo
    is loaded again. Dates a demo user has changed are theirs, and left alone.
    """
    if (programme.start_date, programme.end_date) != EARLIER_DATES:
        return
    for field, value in demo_dates(timezone.localdate(programme.created_at)).items():
        setattr(programme, field, value)
    programme_update(actor=None, programme=programme, changed_fields=["start_date", "end_date"])


@transaction.atomic
def load_demo() -> list[DemoPerson]:
    programmes = {}
    for fields in PROGRAMMES:
        slug = fields["slug"]
        if slug == DEMO_SLUG:
            fields = {**fields, **demo_dates(timezone.localdate())}
        found = Programme.objects.filter(slug=slug).first()
        if found is None:
            programme = programme_setup(actor=None, fields=fields)
        else:
            programme = found
            if slug == DEMO_SLUG:
                _mend_earlier_dates(programme)
        programmes[slug] = programme

    organisations = {}
    for slug, kind, name, ods_code, list_size, champion in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            programme=programmes[slug],
            name=name,
            defaults={
                "kind": kind,
                "ods_code": ods_code,
                "registered_list_size": list_size,
                "is_gp_champion": champion,
            },
        )
        if created:
            audit_record(
                actor=None,
                action="programmes.organisation.created",
                target=organisation,
                programme=organisation.programme,
                changed_fields=[
                    "kind",
                    "name",
                    "ods_code",
                    "registered_list_size",
                    "is_gp_champion",
                ],
            )
        organisations[(slug, name)] = organisation

    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(
                person.email,
                DEMO_PASSWORD,
                full_name=person.full_name,
                is_site_administrator=person.role == ADMINISTRATOR,
            )
            audit_record(
                actor=None,
                action="accounts.user.created",
                target=user,
                changed_fields=["email", "full_name", "password"],
            )
        for slug, role, organisation_name in person.programme_roles:
            membership, created = Membership.objects.get_or_create(
                user=user,
                programme=programmes[slug],
                defaults={
                    "role": role,
                    "organisation": organisations.get((slug, organisation_name)),
                },
            )
            if created:
                audit_record(
                    actor=None,
                    action="accounts.membership.created",
                    target=membership,
                    programme=membership.programme,
                    changed_fields=["role", "organisation", "is_active"],
                )
    return PEOPLE
