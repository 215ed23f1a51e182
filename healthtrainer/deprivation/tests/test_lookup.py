import random
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthtrainer.deprivation.lookup import (
    Deprivation,
    deprivation_for_lsoa,
    deprivation_for_postcode,
    local_quintile,
    local_quintiles,
    national_quintile,
    newest_loaded_edition,
    normalise_postcode,
    quintile_of_position,
)
from healthtrainer.deprivation.models import LsoaDeprivation, PostcodeLsoa

SHEFFIELD = "E08000019"
ROTHERHAM = "E08000018"


def ranked(edition, code, rank, decile, authority=SHEFFIELD):
    return LsoaDeprivation.objects.create(
        edition=edition,
        lsoa_code=code,
        lsoa_name=f"LSOA {code}",
        local_authority_code=authority,
        local_authority_name="Somewhere",
        imd_score=Decimal("20.000"),
        imd_rank=rank,
        imd_decile=decile,
    )


@pytest.fixture
def both_editions(db):
    """S1 2HE lies in E01007321 on the 2011 boundaries and in E01035010 on the 2021 ones."""
    ranked("iod2019", "E01007321", 900, 1)
    ranked("iod2025", "E01035010", 9000, 3)
    PostcodeLsoa.objects.create(
        postcode="S1 2HE", lsoa2011_code="E01007321", lsoa2021_code="E01035010"
    )


@pytest.mark.parametrize(
    ("decile", "quintile"),
    [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (8, 4), (9, 5), (10, 5)],
)
def test_the_national_quintile_pairs_the_deciles(decile, quintile):
    assert national_quintile(decile) == quintile


@pytest.mark.parametrize("not_a_decile", [0, 11, -1])
def test_a_national_quintile_is_refused_for_a_number_that_is_not_a_decile(not_a_decile):
    with pytest.raises(ValueError, match="1 to 10"):
        national_quintile(not_a_decile)


@given(st.integers(1, 10), st.integers(1, 10))
def test_the_national_quintile_never_falls_as_the_decile_rises(decile, other):
    low, high = sorted((decile, other))
    assert national_quintile(low) <= national_quintile(high)


@given(st.integers(1, 10))
def test_each_decile_shares_its_national_quintile_with_exactly_one_neighbour(decile):
    quintile = national_quintile(decile)
    sharing = [d for d in range(1, 11) if national_quintile(d) == quintile]
    assert 1 <= quintile <= 5
    assert len(sharing) == 2
    assert decile in sharing
    assert sharing[1] - sharing[0] == 1


def test_the_national_quintiles_cover_one_to_five_with_two_deciles_each():
    assert Counter(national_quintile(d) for d in range(1, 11)) == dict.fromkeys(range(1, 6), 2)


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("s12he", "S1 2HE"),
        (" s1  2he ", "S1 2HE"),
        ("S1 2HE", "S1 2HE"),
        ("sw1a1aa", "SW1A 1AA"),
        ("S10\t1AB", "S10 1AB"),
    ],
)
def test_postcodes_are_normalised_to_upper_case_with_one_space_before_the_inward_code(
    written, normalised
):
    assert normalise_postcode(written) == normalised


def test_a_postcode_in_any_spelling_finds_its_lsoa(both_editions):
    assert deprivation_for_postcode("s12he", edition="iod2019") == Deprivation(
        edition="iod2019",
        lsoa_code="E01007321",
        imd_decile=1,
        national_quintile=1,
        local_authority_code=SHEFFIELD,
    )


def test_an_unknown_postcode_has_no_deprivation(both_editions):
    assert deprivation_for_postcode("S9 9ZZ") is None
    assert deprivation_for_postcode("not a postcode") is None
    assert deprivation_for_postcode("") is None


def test_each_edition_takes_the_lsoa_on_its_own_boundaries(both_editions):
    assert deprivation_for_postcode("S1 2HE", edition="iod2019").lsoa_code == "E01007321"
    in_2025 = deprivation_for_postcode("S1 2HE", edition="iod2025")
    assert (in_2025.lsoa_code, in_2025.imd_decile, in_2025.national_quintile) == (
        "E01035010",
        3,
        2,
    )


def test_without_an_edition_the_newest_loaded_edition_is_used(db):
    PostcodeLsoa.objects.create(
        postcode="S1 2HE", lsoa2011_code="E01007321", lsoa2021_code="E01035010"
    )
    assert newest_loaded_edition() is None
    assert deprivation_for_postcode("S1 2HE") is None

    ranked("iod2019", "E01007321", 900, 1)
    assert deprivation_for_postcode("S1 2HE").edition == "iod2019"

    ranked("iod2025", "E01035010", 9000, 3)
    assert deprivation_for_postcode("S1 2HE").edition == "iod2025"


def test_without_an_edition_a_postcode_with_no_2021_lsoa_does_not_fall_back_to_2019(
    both_editions,
):
    PostcodeLsoa.objects.create(postcode="S2 4QT", lsoa2011_code="E01007321")

    assert deprivation_for_postcode("S2 4QT") is None
    assert deprivation_for_postcode("S2 4QT", edition="iod2019").edition == "iod2019"


def test_an_unknown_edition_is_refused(both_editions):
    with pytest.raises(ValueError, match="Unknown edition"):
        deprivation_for_postcode("S1 2HE", edition="iod2015")


def test_a_postcode_lookup_takes_at_most_three_queries(
    both_editions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        assert deprivation_for_postcode("s1 2he") is not None
    with django_assert_max_num_queries(3):
        assert deprivation_for_postcode("S9 9ZZ") is None


def test_a_postcode_lookup_for_a_named_edition_takes_one_query(
    both_editions, django_assert_num_queries
):
    with django_assert_num_queries(1):
        deprivation_for_postcode("S1 2HE", edition="iod2025")


def test_an_lsoa_is_found_in_the_edition_asked_for_or_the_newest_that_ranks_it(db):
    ranked("iod2019", "E01007321", 900, 1)
    ranked("iod2025", "E01007321", 4000, 2)
    ranked("iod2019", "E01007999", 30000, 10)

    assert deprivation_for_lsoa("E01007321", edition="iod2019").imd_decile == 1
    assert deprivation_for_lsoa("e01007321").edition == "iod2025"
    assert deprivation_for_lsoa("E01007999").edition == "iod2019"
    assert deprivation_for_lsoa("E01007999", edition="iod2025") is None
    assert deprivation_for_lsoa("E01000000") is None


@pytest.fixture
def ten_lsoas(db):
    """A made-up authority of 10 LSOAs, created out of rank order, with neighbours around."""
    ranks = [500, 100, 30000, 2500, 7000, 12000, 9000, 20000, 15000, 26000]
    for number, rank in enumerate(ranks):
        ranked("iod2019", f"E0100000{number}", rank, min(rank // 3285 + 1, 10))
    ranked("iod2019", "E01099999", 50, 1, authority=ROTHERHAM)
    ranked("iod2025", "E01088888", 60, 1)
    return ranks


def test_local_quintiles_split_the_authority_into_fifths_by_rank(ten_lsoas):
    assert local_quintiles(SHEFFIELD, "iod2019") == {
        "E01000001": 1,  # rank 100
        "E01000000": 1,  # rank 500
        "E01000003": 2,  # rank 2500
        "E01000004": 2,  # rank 7000
        "E01000006": 3,  # rank 9000
        "E01000005": 3,  # rank 12000
        "E01000008": 4,  # rank 15000
        "E01000007": 4,  # rank 20000
        "E01000009": 5,  # rank 26000
        "E01000002": 5,  # rank 30000
    }


def test_a_local_quintile_is_counted_in_the_database_and_agrees_with_local_quintiles(
    ten_lsoas, django_assert_max_num_queries
):
    expected = local_quintiles(SHEFFIELD, "iod2019")
    for code, quintile in expected.items():
        with django_assert_max_num_queries(2):
            assert local_quintile(code, SHEFFIELD, "iod2019") == quintile


def test_an_lsoa_outside_the_authority_or_edition_has_no_local_quintile(ten_lsoas):
    assert local_quintile("E01099999", SHEFFIELD, "iod2019") is None
    assert local_quintile("E01000001", SHEFFIELD, "iod2025") is None
    assert local_quintiles(SHEFFIELD, "iod2025") == {"E01088888": 3}


def test_local_quintiles_take_one_query(ten_lsoas, django_assert_num_queries):
    with django_assert_num_queries(1):
        local_quintiles(SHEFFIELD, "iod2019")


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 3, 7, 12, 23])
def test_local_quintiles_of_any_size_agree_one_by_one_and_differ_in_size_by_at_most_one(size):
    shuffled = random.Random(size).sample(range(1, 32845), size)
    for number, rank in enumerate(shuffled):
        ranked("iod2025", f"E0110{number:04d}", rank, 5)

    quintiles = local_quintiles(SHEFFIELD, "iod2025")

    assert {code: local_quintile(code, SHEFFIELD, "iod2025") for code in quintiles} == quintiles
    by_rank = [quintiles[f"E0110{shuffled.index(rank):04d}"] for rank in sorted(shuffled)]
    assert by_rank == sorted(by_rank)
    sizes = Counter(by_rank)
    assert max(sizes.values()) - min(sizes.values()) <= 1


def test_lsoas_that_share_a_rank_are_ordered_by_code(db):
    for code in ["E01000003", "E01000001", "E01000002", "E01000004", "E01000005"]:
        ranked("iod2019", code, 42, 1)

    assert local_quintiles(SHEFFIELD, "iod2019") == {
        "E01000001": 1,
        "E01000002": 2,
        "E01000003": 3,
        "E01000004": 4,
        "E01000005": 5,
    }
    assert local_quintile("E01000004", SHEFFIELD, "iod2019") == 4


@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
def test_a_position_s_quintile_is_the_same_counted_from_either_end(count_and_position):
    count, position = count_and_position
    quintile = quintile_of_position(position, count)
    assert 1 <= quintile <= 5
    assert quintile_of_position(count - 1 - position, count) == 6 - quintile


@given(st.integers(1, 2000))
def test_quintile_groups_rise_in_order_and_differ_in_size_by_at_most_one(count):
    quintiles = [quintile_of_position(position, count) for position in range(count)]
    assert quintiles == sorted(quintiles)
    sizes = [quintiles.count(q) for q in range(1, 6)]
    assert max(sizes) - min(sizes) <= 1
    if count >= 5:
        assert set(quintiles) == {1, 2, 3, 4, 5}


def test_a_lone_lsoa_is_in_the_middle_quintile():
    assert quintile_of_position(0, 1) == 3
