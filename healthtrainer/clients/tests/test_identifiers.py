import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthtrainer.clients.identifiers import (
    InvalidIdentifier,
    format_nhs_number,
    nhs_number_check_digit,
    normalise_nhs_number,
    normalise_postcode,
)

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def reference_check_digit(nine: str) -> int | None:
    """The rule as the NHS Data Dictionary words it, written independently of the code."""
    remainder = sum(int(nine[i]) * (10 - i) for i in range(9)) % 11
    result = 11 - remainder
    return {11: 0, 10: None}.get(result, result)


def test_the_published_example_is_valid():
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    assert format_nhs_number("9434765919") == "943 476 5919"


@given(nine_digits)
def test_the_check_digit_follows_the_modulus_11_rule(nine):
    assert nhs_number_check_digit(nine) == reference_check_digit(nine)


@given(nine_digits)
def test_a_number_with_its_check_digit_is_accepted_in_any_spacing(nine):
    check = reference_check_digit(nine)
    if check is None:
        return
    digits = f"{nine}{check}"
    assert normalise_nhs_number(digits) == digits
    assert normalise_nhs_number(f"{digits[:3]} {digits[3:6]} {digits[6:]}") == digits
    assert normalise_nhs_number(f"{digits[:3]}-{digits[3:6]}-{digits[6:]}") == digits


@given(nine_digits, st.integers(min_value=0, max_value=9))
def test_a_wrong_check_digit_is_refused(nine, last):
    if reference_check_digit(nine) == last:
        return
    with pytest.raises(InvalidIdentifier):
        normalise_nhs_number(f"{nine}{last}")


@given(st.text(max_size=14))
def test_anything_accepted_is_ten_digits_that_pass_the_check(text):
    try:
        digits = normalise_nhs_number(text)
    except InvalidIdentifier:
        return
    assert len(digits) == 10
    assert digits.isdigit()
    assert reference_check_digit(digits[:9]) == int(digits[9])


@pytest.mark.parametrize(
    "value",
    ["", "943476591", "94347659190", "943476591X", "9434765918", "\u00b2" * 10, "943476591\u0669"],
)
def test_malformed_nhs_numbers_are_refused(value):
    with pytest.raises(InvalidIdentifier):
        normalise_nhs_number(value)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("s1 2he", "S1 2HE"),
        ("S12HE", "S1 2HE"),
        ("  sw1a   1aa ", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
    ],
)
def test_postcodes_are_written_one_way(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize("value", ["", "S1", "12345", "S1 2H", "SS11 2HEE", "S1 2HE!", "1S 2HE"])
def test_malformed_postcodes_are_refused(value):
    with pytest.raises(InvalidIdentifier):
        normalise_postcode(value)


outward = st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True)
inward = st.from_regex(r"[0-9][A-Z]{2}", fullmatch=True)


@given(outward, inward, st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_well_formed_postcode_normalises_to_outward_space_inward(out, inn, gap, lower):
    typed = f"{out}{gap}{inn}"
    result = normalise_postcode(typed.lower() if lower else typed)
    assert result == f"{out} {inn}"
    assert normalise_postcode(result) == result
