"""Input from outside within bounds: whole numbers, ids chosen in forms, zip archives."""

from __future__ import annotations

import io
import zipfile

import pytest
from django import forms

from healthtrainer.casework.models import CbTechnique
from healthtrainer.core.archives import (
    ArchiveLimits,
    ArchiveTooLarge,
    check_archive,
    open_entry,
    read_entry,
)
from healthtrainer.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from healthtrainer.core.parameters import ID_MAX, bounded_int, parse_id
from healthtrainer.tests.factories import ProgrammeFactory

TOO_LARGE_FOR_ANY_COLUMN = "99999999999999999999999"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7", 7), ("007", 7), (str(ID_MAX), ID_MAX), ("0", 0)],
)
def test_ascii_digits_within_bounds_are_numbers(text, expected):
    assert bounded_int(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        TOO_LARGE_FOR_ANY_COLUMN,
        str(ID_MAX + 1),
        "9" * 5000,
        "\u00b2",  # superscript two
        "\u0661",  # Arabic-Indic one
        "-1",
        "+1",
        " 1",
        "1_000",
        "1.0",
        "",
        None,
        True,
    ],
)
def test_anything_else_is_not_a_number(text):
    assert bounded_int(text) is None


def test_bounds_are_inclusive_and_ids_start_at_one():
    assert bounded_int("5", minimum=5, maximum=5) == 5
    assert bounded_int("6", maximum=5) is None
    assert parse_id("0") is None
    assert parse_id("1") == 1


@pytest.fixture
def techniques(db):
    return CbTechnique.objects.filter(programme=ProgrammeFactory())


@pytest.mark.parametrize("key", [TOO_LARGE_FOR_ANY_COLUMN, str(ID_MAX + 1), "\u00b2", "9" * 5000])
def test_a_key_no_id_column_holds_is_not_a_choice(techniques, key):
    field = BoundedModelMultipleChoiceField(queryset=techniques)

    with pytest.raises(forms.ValidationError) as refused:
        field.clean([str(techniques.first().pk), key])

    assert refused.value.code == "invalid_choice"


def test_a_key_in_another_script_is_not_a_choice_even_when_its_digits_name_one(techniques):
    chosen = techniques.first()
    written_otherwise = str(chosen.pk).translate(ARABIC_INDIC)

    for field, value in (
        (BoundedModelChoiceField(queryset=techniques), written_otherwise),
        (BoundedModelMultipleChoiceField(queryset=techniques), [written_otherwise]),
    ):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(value)
        assert refused.value.code == "invalid_choice"


def test_ids_within_range_are_chosen_as_before(techniques):
    first, second = techniques[:2]

    assert BoundedModelChoiceField(queryset=techniques).clean(str(first.pk)) == first
    chosen = BoundedModelMultipleChoiceField(queryset=techniques).clean([first.pk, second])
    assert set(chosen) == {first, second}
    assert BoundedModelChoiceField(queryset=techniques, required=False).clean("") is None


def _zip(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_an_archive_within_its_limits_is_read():
    archive = _zip({"a.txt": b"a" * 100, "b.txt": b"b"})

    check_archive(archive, ArchiveLimits(entries=2, unpacked_bytes=101))

    assert read_entry(archive, "a.txt", limit=100) == b"a" * 100


def test_an_archive_of_too_many_entries_is_refused_before_unpacking():
    archive = _zip({f"{n}.txt": b"" for n in range(3)})

    with pytest.raises(ArchiveTooLarge):
        check_archive(archive, ArchiveLimits(entries=2, unpacked_bytes=1_000))


def test_an_archive_that_says_it_unpacks_too_large_is_refused_before_unpacking():
    archive = _zip({"a.txt": b"a" * 600, "b.txt": b"b" * 600})

    with pytest.raises(ArchiveTooLarge):
        check_archive(archive, ArchiveLimits(entries=10, unpacked_bytes=1_000))
    with pytest.raises(ArchiveTooLarge):
        open_entry(archive, "a.txt", limit=599)


def test_an_entry_that_unpacks_beyond_what_it_says_is_stopped():
    archive = _zip({"a.txt": b"a" * 10_000})
    archive.getinfo("a.txt").file_size = 100

    with (
        pytest.raises((ArchiveTooLarge, zipfile.BadZipFile)),
        open_entry(archive, "a.txt", limit=100) as stream,
    ):
        stream.read()


def test_damaged_compressed_data_is_a_bad_zip_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", bytes(range(256)) * 40)
    damaged = bytearray(buffer.getvalue())
    start = damaged.index(b"a.txt") + len(b"a.txt")
    damaged[start + 10 : start + 60] = b"\xff" * 50

    with (
        pytest.raises(zipfile.BadZipFile),
        open_entry(zipfile.ZipFile(io.BytesIO(bytes(damaged))), "a.txt", limit=20_000) as stream,
    ):
        stream.read()
