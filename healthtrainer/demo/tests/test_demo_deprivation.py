import pytest

from healthtrainer.core.models import AuditEvent
from healthtrainer.demo.deprivation import load_demo_deprivation
from healthtrainer.deprivation.lookup import deprivation_for_postcode, local_quintiles
from healthtrainer.deprivation.models import LsoaDeprivation, PostcodeLsoa

pytestmark = pytest.mark.django_db


def counts():
    return [
        LsoaDeprivation.objects.filter(edition="iod2019").count(),
        LsoaDeprivation.objects.filter(edition="iod2025").count(),
        PostcodeLsoa.objects.count(),
        AuditEvent.objects.count(),
    ]


def test_the_demo_lookup_loads_both_editions_and_the_postcodes():
    load_demo_deprivation()

    iod2019, iod2025, postcodes, events = counts()
    assert (
        40
        <= LsoaDeprivation.objects.filter(
            edition="iod2019", local_authority_code="E08000019"
        ).count()
        <= 45
    )
    assert iod2019 >= 50
    assert iod2025 >= 50
    assert postcodes >= 100
    assert events == 3
    assert PostcodeLsoa.objects.filter(postcode__startswith="S").count() == postcodes


def test_every_demo_postcode_has_a_deprivation_in_both_editions():
    load_demo_deprivation()

    for postcode in PostcodeLsoa.objects.values_list("postcode", flat=True):
        for edition in ("iod2019", "iod2025"):
            assert deprivation_for_postcode(postcode, edition=edition) is not None, postcode


def test_the_demo_sheffield_lsoas_lean_to_the_most_deprived_deciles():
    load_demo_deprivation()

    sheffield = LsoaDeprivation.objects.filter(edition="iod2019", local_authority_code="E08000019")
    # Half in national quintile 1, against a fifth of England.
    assert sheffield.filter(imd_decile__lte=2).count() >= sheffield.count() / 2
    assert set(local_quintiles("E08000019", "iod2019").values()) == {1, 2, 3, 4, 5}


def test_loading_the_demo_lookup_twice_changes_nothing_and_writes_no_audit_events():
    load_demo_deprivation()
    first = counts()
    values = sorted(LsoaDeprivation.objects.values_list("edition", "lsoa_code", "imd_rank"))

    load_demo_deprivation()

    assert counts() == first
    assert sorted(LsoaDeprivation.objects.values_list("edition", "lsoa_code", "imd_rank")) == values


def test_the_demo_lookup_repairs_a_changed_row():
    load_demo_deprivation()
    row = LsoaDeprivation.objects.filter(edition="iod2025").first()
    LsoaDeprivation.objects.filter(pk=row.pk).update(imd_decile=10, imd_rank=33000)

    load_demo_deprivation()

    row.refresh_from_db()
    assert row.imd_rank != 33000
