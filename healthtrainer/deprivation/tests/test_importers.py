from decimal import Decimal

import pytest

from healthtrainer.core.models import AuditEvent
from healthtrainer.deprivation.importers import (
    AUDIT_ACTION,
    IMD_DECILE,
    IMD_RANK,
    DatasetError,
    count_data_rows,
    import_dataset,
)
from healthtrainer.deprivation.models import LsoaDeprivation, PostcodeLsoa
from healthtrainer.deprivation.tests.files import lsoa, write_file7, write_onspd

pytestmark = pytest.mark.django_db

THREE_LSOAS = [
    lsoa("E01007321", 1200, 1, score="61.482"),
    lsoa("E01007322", 15000, 5),
    lsoa("E01007323", 32000, 10, score="2.004"),
]


def lsoa_rows(edition):
    return sorted(
        LsoaDeprivation.objects.filter(edition=edition).values_list(
            "lsoa_code",
            "lsoa_name",
            "local_authority_code",
            "local_authority_name",
            "imd_score",
            "imd_rank",
            "imd_decile",
        )
    )


def postcode_rows():
    return sorted(PostcodeLsoa.objects.values_list("postcode", "lsoa2011_code", "lsoa2021_code"))


def test_an_iod2019_file_7_is_imported_with_its_edition_and_the_other_columns_ignored(tmp_path):
    path = write_file7(tmp_path / "File_7.csv", "iod2019", THREE_LSOAS)

    result = import_dataset("iod2019", path)

    assert (result.rows_read, result.rows_written, result.rows_new) == (3, 3, 3)
    assert lsoa_rows("iod2019") == [
        ("E01007321", "Sheffield 7321A", "E08000019", "Sheffield", Decimal("61.482"), 1200, 1),
        ("E01007322", "Sheffield 7322A", "E08000019", "Sheffield", Decimal("30.125"), 15000, 5),
        ("E01007323", "Sheffield 7323A", "E08000019", "Sheffield", Decimal("2.004"), 32000, 10),
    ]
    assert lsoa_rows("iod2025") == []


def test_an_iod2025_file_7_is_imported_with_its_edition(tmp_path):
    path = write_file7(
        tmp_path / "File_7_IoD2025.csv",
        "iod2025",
        [lsoa("E01033264", 77, 1, local_authority=("E08000019", "Sheffield"))],
    )

    import_dataset("iod2025", path)

    row = LsoaDeprivation.objects.get()
    assert (row.edition, row.lsoa_code, row.imd_rank, row.imd_decile) == (
        "iod2025",
        "E01033264",
        77,
        1,
    )


def test_both_editions_of_one_lsoa_are_kept_side_by_side(tmp_path):
    import_dataset("iod2019", write_file7(tmp_path / "a.csv", "iod2019", [lsoa("E01007321", 9, 1)]))
    import_dataset(
        "iod2025", write_file7(tmp_path / "b.csv", "iod2025", [lsoa("E01007321", 5000, 2)])
    )

    assert sorted(LsoaDeprivation.objects.values_list("edition", "lsoa_code", "imd_decile")) == [
        ("iod2019", "E01007321", 1),
        ("iod2025", "E01007321", 2),
    ]


def test_an_onspd_file_is_imported_with_both_lsoa_codes_terminated_postcodes_included(tmp_path):
    path = write_onspd(
        tmp_path / "ONSPD.csv",
        [
            ("S1 2HE", "E01033264", "E01033264", ""),
            ("S2 4QT", "E01007321", "E01035010", "201906"),
            ("S10 1AB", "E01008001", "", ""),
        ],
    )

    result = import_dataset("postcodes", path)

    assert result.rows_read == 3
    assert postcode_rows() == [
        ("S1 2HE", "E01033264", "E01033264"),
        ("S10 1AB", "E01008001", ""),
        ("S2 4QT", "E01007321", "E01035010"),
    ]


def test_an_nspl_file_with_only_2021_lsoas_leaves_the_2011_codes_as_they_were(tmp_path):
    import_dataset(
        "postcodes", write_onspd(tmp_path / "a.csv", [("S2 4QT", "E01007321", "E01007321", "")])
    )
    only_2021 = write_onspd(
        tmp_path / "NSPL.csv",
        [("S2 4QT", "", "E01035010", ""), ("S3 7RB", "", "E01035011", "")],
        lsoa_columns=("lsoa21",),
    )

    import_dataset("postcodes", only_2021)

    assert postcode_rows() == [
        ("S2 4QT", "E01007321", "E01035010"),
        ("S3 7RB", "", "E01035011"),
    ]


def test_postcodes_are_stored_normalised(tmp_path):
    import_dataset("postcodes", write_onspd(tmp_path / "a.csv", [("s2  4qt", "E01007321", "", "")]))

    assert PostcodeLsoa.objects.get().postcode == "S2 4QT"


def test_importing_the_same_files_twice_leaves_the_same_rows(tmp_path):
    file7 = write_file7(tmp_path / "f7.csv", "iod2019", THREE_LSOAS)
    onspd = write_onspd(tmp_path / "pd.csv", [("S1 2HE", "E01007321", "E01007321", "")])
    import_dataset("iod2019", file7)
    import_dataset("postcodes", onspd)
    first = (lsoa_rows("iod2019"), postcode_rows(), LsoaDeprivation.objects.count())

    again = import_dataset("iod2019", file7)
    import_dataset("postcodes", onspd)

    assert (lsoa_rows("iod2019"), postcode_rows(), LsoaDeprivation.objects.count()) == first
    assert (again.rows_read, again.rows_written, again.rows_new) == (3, 3, 0)


def test_a_changed_row_is_updated_on_import(tmp_path):
    import_dataset("iod2019", write_file7(tmp_path / "a.csv", "iod2019", THREE_LSOAS))
    import_dataset(
        "postcodes", write_onspd(tmp_path / "p.csv", [("S1 2HE", "E01007321", "E01007321", "")])
    )
    corrected = [*THREE_LSOAS[:2], lsoa("E01007323", 31000, 9, score="3.500", name="Renamed")]

    import_dataset("iod2019", write_file7(tmp_path / "b.csv", "iod2019", corrected))
    import_dataset(
        "postcodes", write_onspd(tmp_path / "q.csv", [("S1 2HE", "E01007321", "E01035999", "")])
    )

    assert lsoa_rows("iod2019")[2] == (
        "E01007323",
        "Renamed",
        "E08000019",
        "Sheffield",
        Decimal("3.500"),
        31000,
        9,
    )
    assert LsoaDeprivation.objects.count() == 3
    assert postcode_rows() == [("S1 2HE", "E01007321", "E01035999")]


def test_a_row_repeated_in_one_file_is_imported_once_with_its_last_values(tmp_path):
    path = write_onspd(
        tmp_path / "a.csv",
        [("S1 2HE", "E01000001", "", ""), ("S1 2HE", "E01000002", "", "")],
    )

    import_dataset("postcodes", path)

    assert postcode_rows() == [("S1 2HE", "E01000002", "")]


@pytest.mark.parametrize("dataset", ["iod2019", "postcodes"])
def test_a_file_with_a_byte_order_mark_is_accepted(tmp_path, dataset):
    if dataset == "postcodes":
        path = write_onspd(tmp_path / "a.csv", [("S1 2HE", "E01007321", "", "")], bom=True)
    else:
        path = write_file7(tmp_path / "a.csv", "iod2019", THREE_LSOAS, bom=True)

    assert import_dataset(dataset, path).rows_new >= 1


def test_a_file_7_missing_required_columns_is_refused_with_their_names(tmp_path):
    path = write_file7(
        tmp_path / "a.csv",
        "iod2019",
        THREE_LSOAS,
        without=("LSOA name (2011)", IMD_DECILE),
    )

    with pytest.raises(DatasetError) as refused:
        import_dataset("iod2019", path)

    assert '"LSOA name (2011)"' in str(refused.value)
    assert f'"{IMD_DECILE}"' in str(refused.value)
    assert IMD_RANK not in str(refused.value)
    assert not LsoaDeprivation.objects.exists()


def test_a_file_7_of_the_other_edition_is_refused_naming_the_right_one(tmp_path):
    path = write_file7(tmp_path / "a.csv", "iod2025", THREE_LSOAS)

    with pytest.raises(DatasetError, match="import it as iod2025"):
        import_dataset("iod2019", path)


def test_a_postcode_file_without_an_lsoa_column_is_refused(tmp_path):
    path = write_onspd(tmp_path / "a.csv", [("S1 2HE", "", "", "")], lsoa_columns=())

    with pytest.raises(DatasetError, match=r'"lsoa11".*"lsoa21"'):
        import_dataset("postcodes", path)


def test_a_file_with_a_header_but_no_rows_is_refused(tmp_path):
    path = write_onspd(tmp_path / "a.csv", [])

    with pytest.raises(DatasetError, match="no data rows"):
        import_dataset("postcodes", path)

    assert not AuditEvent.objects.filter(action=AUDIT_ACTION).exists()


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("")

    with pytest.raises(DatasetError, match="empty"):
        import_dataset("iod2019", path)


def test_a_bad_decile_aborts_with_the_line_number_and_leaves_nothing_loaded(tmp_path):
    rows = [lsoa(f"E0100{n:04d}", n, 1) for n in range(1, 6)]
    rows.append(lsoa("E01009999", 32000, 11))
    path = write_file7(tmp_path / "a.csv", "iod2019", rows)

    # Batches of two, so earlier rows have been written before the bad one is read.
    with pytest.raises(DatasetError, match=r"^Line 7: the IMD decile is 11; it must be 1 to 10"):
        import_dataset("iod2019", path, batch_size=2)

    assert not LsoaDeprivation.objects.exists()
    assert not AuditEvent.objects.filter(action=AUDIT_ACTION).exists()


def test_a_non_numeric_rank_aborts_with_the_line_number(tmp_path):
    path = write_file7(tmp_path / "a.csv", "iod2019", [*THREE_LSOAS, lsoa("E01000009", "n/a", 3)])

    with pytest.raises(DatasetError, match=r"^Line 5: the IMD rank is 'n/a', not a whole number"):
        import_dataset("iod2019", path)


def test_a_re_import_that_fails_keeps_the_rows_loaded_before(tmp_path):
    import_dataset("iod2019", write_file7(tmp_path / "a.csv", "iod2019", THREE_LSOAS))
    before = lsoa_rows("iod2019")
    bad = [lsoa("E01007321", 1, 1), lsoa("E01007322", 2, 0)]

    with pytest.raises(DatasetError, match="Line 3"):
        import_dataset("iod2019", write_file7(tmp_path / "b.csv", "iod2019", bad))

    assert lsoa_rows("iod2019") == before


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "a.csv"
    write_file7(path, "iod2019", [lsoa("E01007321", 9, 1, name="Sheffield 001A")])
    path.write_bytes(path.read_bytes().replace(b"Sheffield 001A", b"Sheffi\xe9ld"))

    with pytest.raises(DatasetError, match="not UTF-8"):
        import_dataset("iod2019", path)


def test_one_audit_event_is_written_per_import_with_no_programme_or_target(tmp_path):
    import_dataset("iod2019", write_file7(tmp_path / "a.csv", "iod2019", THREE_LSOAS))
    import_dataset("postcodes", write_onspd(tmp_path / "p.csv", [("S1 2HE", "E01007321", "", "")]))

    events = list(AuditEvent.objects.filter(action=AUDIT_ACTION).order_by("id"))
    assert len(events) == 2
    assert all(
        (event.actor, event.programme, event.object_type) == (None, None, "") for event in events
    )
    assert "imd_decile" in events[0].changed_fields
    assert events[1].changed_fields == ["lsoa2011_code", "lsoa2021_code", "postcode"]


def test_progress_is_reported_after_each_batch_up_to_the_last_row(tmp_path):
    rows = [lsoa(f"E0100{n:04d}", n, 1) for n in range(1, 6)]
    reported = []

    import_dataset(
        "iod2019",
        write_file7(tmp_path / "a.csv", "iod2019", rows),
        progress=reported.append,
        batch_size=2,
    )

    assert reported == [2, 4, 5]


def test_data_rows_are_counted_without_the_header_with_or_without_a_final_line_end(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"a,b\r\n1,2\r\n3,4\r\n")
    assert count_data_rows(path) == 2
    path.write_bytes(b"a,b\n1,2\n3,4")
    assert count_data_rows(path) == 2
