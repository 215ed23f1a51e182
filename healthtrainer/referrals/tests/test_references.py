"""Referral references: R-00001, R-00002, … within a programme, never one already taken."""

from __future__ import annotations

import pytest

from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.references import references_catch_up
from healthtrainer.referrals.tests.test_services import receive
from healthtrainer.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def test_references_count_on_from_the_highest_the_programme_already_has(world):
    ReferralFactory(programme=world.programme, reference="R-00041")
    ReferralFactory(programme=world.programme, reference="T-00900")

    assert [receive(world).reference for _ in range(2)] == ["R-00042", "R-00043"]


def test_a_reference_written_without_the_numbering_is_skipped(world):
    assert receive(world).reference == "R-00001"
    # As a workbook import writes the references its file gives.
    ReferralFactory(programme=world.programme, reference="R-00002")
    ReferralFactory(programme=world.programme, reference="R-00003")

    assert receive(world).reference == "R-00004"
    assert Referral.objects.filter(programme=world.programme).count() == 4


def test_catching_up_moves_the_numbering_past_references_written_without_it(world):
    assert receive(world).reference == "R-00001"
    ReferralFactory(programme=world.programme, reference="R-00500")

    references_catch_up(world.programme)

    assert receive(world).reference == "R-00501"


def test_each_programme_numbers_its_own_referrals(world):
    receive(world)
    ReferralFactory(programme=world.other_programme, reference="R-00077")

    assert receive(world).reference == "R-00002"
