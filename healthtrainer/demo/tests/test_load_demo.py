from io import StringIO

from django.core.management import call_command

from healthtrainer.clients.models import Client
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
