"""The synthetic dataset: plausible, and the same for a seed."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from healthtrainer.casework.models import Appointment, GoalReview
from healthtrainer.clients.models import Client
from healthtrainer.demo.synthetic import generate
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.referrals.models import Referral
from healthtrainer.workforce.models import CostItem, FidelityRating, SupervisionSession


def _fingerprint():
    return (
        list(
            Referral.objects.order_by("reference").values_list("reference", "status", "imd_decile")
        ),
        Appointment.objects.count(),
    )


def _generated(seed):
    with transaction.atomic():
        generate(programmes=2, clients=300, seed=seed)
        fingerprint = _fingerprint()
        transaction.set_rollback(True)
    return fingerprint


@pytest.mark.django_db
def test_a_seed_always_makes_the_same_data_and_another_seed_other_data():
    first = _generated(7)
    assert first == _generated(7)
    assert first != _generated(8)


@pytest.mark.django_db
def test_the_data_is_plausible():
    generate(programmes=2, clients=1000, seed=3)
    deciles = Counter(Referral.objects.values_list("imd_decile", flat=True))
    assert deciles[1] + deciles[2] > 2 * (deciles[9] + deciles[10])
    accepted = Referral.objects.filter(status="accepted").count()
    assert 600 < accepted < 800
    attended = Counter(
        Appointment.objects.filter(attendance="attended").values_list("episode", flat=True)
    )
    typical = sum(1 for count in attended.values() if 3 <= count <= 6)
    assert typical > len(attended) / 2
    assert Client.objects.count() == accepted
    assert SupervisionSession.objects.exists()
    assert FidelityRating.objects.exists()
    assert CostItem.objects.exists()
    assert GoalReview.objects.exists()
    timepoints = set(QuestionnaireResponse.objects.values_list("timepoint", flat=True))
    assert timepoints == {"baseline", "exit", "follow_up"}
    assert Referral.objects.filter(status="received").exists()
    assert sorted(
        {referral.programme.slug for referral in Referral.objects.select_related("programme")}
    ) == [
        "synthetic-001",
        "synthetic-002",
    ]


@pytest.mark.django_db
def test_the_command_reports_what_it_made_and_refuses_a_second_run():
    out = StringIO()
    call_command(
        "generate_synthetic", "--programmes", "1", "--clients", "50", "--quiet", stdout=out
    )
    made = out.getvalue()
    assert "1 programmes, " in made
    assert ", 50 referrals" in made
    with pytest.raises(CommandError, match="already has synthetic programmes"):
        call_command("generate_synthetic", "--programmes", "1", "--clients", "5", "--quiet")
