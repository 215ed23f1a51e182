from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from healthtrainer.deprivation.models import (
    EDITIONS_NEWEST_FIRST,
    Edition,
    LsoaDeprivation,
    PostcodeLsoa,
)

pytestmark = pytest.mark.django_db


def lsoa(**overrides):
    fields = {
        "edition": Edition.IOD2019,
        "lsoa_code": "E01007321",
        "lsoa_name": "Sheffield 001A",
        "local_authority_code": "E08000019",
        "local_authority_name": "Sheffield",
        "imd_score": Decimal("41.250"),
        "imd_rank": 2000,
        "imd_decile": 1,
    } | overrides
    return LsoaDeprivation(**fields)


@pytest.mark.parametrize("decile", [0, 11])
def test_the_database_refuses_a_decile_outside_one_to_ten(decile):
    with pytest.raises(IntegrityError), transaction.atomic():
        lsoa(imd_decile=decile).save()


def test_the_database_refuses_a_rank_of_zero():
    with pytest.raises(IntegrityError), transaction.atomic():
        lsoa(imd_rank=0).save()


def test_an_lsoa_is_ranked_once_per_edition():
    lsoa().save()
    lsoa(edition=Edition.IOD2025).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        lsoa().save()


def test_a_postcode_has_one_row():
    PostcodeLsoa.objects.create(postcode="S1 2HE", lsoa2011_code="E01007321")
    with pytest.raises(IntegrityError), transaction.atomic():
        PostcodeLsoa.objects.create(postcode="S1 2HE", lsoa2021_code="E01035010")


def test_every_edition_is_in_the_newest_first_order_once():
    assert sorted(EDITIONS_NEWEST_FIRST) == sorted(Edition)
    assert EDITIONS_NEWEST_FIRST[0] == Edition.IOD2025
