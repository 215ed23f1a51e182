import pytest

from healthtrainer.deprivation.words import local_in_words, national_in_words


@pytest.mark.parametrize(
    ("decile", "words"),
    [
        (1, "Most deprived 20% of areas in England (IMD 2025 decile 1)"),
        (2, "Most deprived 20% of areas in England (IMD 2025 decile 2)"),
        (6, "Middle 20% of areas in England (IMD 2025 decile 6)"),
        (10, "Least deprived 20% of areas in England (IMD 2025 decile 10)"),
    ],
)
def test_a_decile_reads_as_the_fifth_of_england_it_falls_in(decile, words):
    assert national_in_words(decile, "iod2025") == words


def test_the_local_fifth_reads_in_words():
    assert (
        local_in_words(4) == "Second least deprived 20% of areas in the programme's local authority"
    )
