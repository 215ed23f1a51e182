import subprocess
from io import StringIO

import pytest
from django.conf import settings as settings_module
from django.core.management import CommandError, call_command
from django.utils import timezone

from healthtrainer.casework.models import GoalCheckIn
from healthtrainer.clients.models import Client
from healthtrainer.companion.models import CompanionAccess, DiaryEntry, PacingPlan, SetbackPlan
from healthtrainer.core.models import AuditEvent
from healthtrainer.deprivation.models import LsoaDeprivation, PostcodeLsoa
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


def counts():
    return [
        model.objects.count()
        for model in (Referral, Client, LsoaDeprivation, PostcodeLsoa, AuditEvent)
    ]


def test_the_demo_command_loads_everything_once(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=StringIO())
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first


def test_the_demo_has_referrals_at_each_stage_of_triage(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=StringIO())
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {Status.RECEIVED, Status.CONTACT_ATTEMPTED, Status.ACCEPTED} <= statuses
    assert Status.NOT_ELIGIBLE in statuses
    assert Referral.objects.filter(imd_decile__isnull=False).exists()
    assert Referral.objects.filter(imd_decile__isnull=True).exists(), "an unknown postcode"


def test_the_demo_client_has_a_month_of_their_companion(db, settings):
    settings.DEMO_MODE = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    access = CompanionAccess.objects.get()
    assert "07700 900001" in out.getvalue()
    entries = DiaryEntry.objects.filter(episode__client=access.client)
    days = {timezone.localtime(entry.recorded_for).date() for entry in entries}
    assert len(days) >= 28
    assert entries.count() >= 2 * len(days) - 1
    assert GoalCheckIn.objects.filter(goal__episode__client=access.client).count() >= 3
    assert PacingPlan.objects.filter(episode__client=access.client).exists()
    assert SetbackPlan.objects.filter(episode__client=access.client).exists()


def test_the_sign_in_address_follows_the_port_the_demo_is_served_on(db, settings):
    settings.DEMO_MODE = True
    out = StringIO()
    call_command("load_demo", "--port", "8123", stdout=out)
    assert "Sign in at http://127.0.0.1:8123 as:" in out.getvalue()


def test_a_port_that_is_not_a_number_is_refused_in_words(db, settings):
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="not a port"):
        call_command("load_demo", "--port", "80a", stdout=StringIO())


def test_make_run_passes_its_port_to_the_demo_and_the_server():
    plan = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "PORT=8123"],  # noqa: S607
        cwd=settings_module.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "load_demo --port 8123" in plan
    assert "runserver 127.0.0.1:8123" in plan
