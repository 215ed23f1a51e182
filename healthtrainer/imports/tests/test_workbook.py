import tempfile
import zipfile
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.utils.exceptions import IllegalCharacterError

from healthtrainer.clients.codes import EmploymentStatus, EthnicCategory, Sex
from healthtrainer.core.sizes import size_text
from healthtrainer.imports.format import OUTCOMES, SHEETS
from healthtrainer.imports.tests.workbooks import (
    csv_bytes,
    nhs_number,
    programme_sheet,
    referral,
    referrals,
    table,
    write_folder,
    write_xlsx,
    write_zip,
)
from healthtrainer.imports.workbook import Problem, ReferralRow, read_workbook

TODAY = date(2026, 11, 1)


def read(path, **options):
    return read_workbook(path, today=TODAY, **options)


def where(workbook):
    return [(p.sheet, p.row, p.column) for p in workbook.problems]


def test_a_valid_xlsx_workbook_reads_with_no_problems_and_values_in_their_canonical_form(
    tmp_path,
):
    rows = table([referral(nhs_number="943-476-5919", postcode=" s1 2he ", sex="Female")])
    path = write_xlsx(tmp_path / "w.xlsx", {"referrals": rows})

    workbook = read(path)

    assert workbook.problems == []
    assert list(workbook.referrals) == [
        ReferralRow(
            row=2,
            referral_id="H-0001",
            received_date=date(2011, 4, 18),
            practice_ods_code="C88001",
            nhs_number="9434765919",
            given_name="Ada",
            family_name="Lovelace",
            date_of_birth=date(1960, 3, 27),
            sex="female",
            postcode="S1 2HE",
            ethnic_category="A",
            employment_status="04",
            pain_duration_months=24,
            pain_sites="lower back; knees",
            reason="Walking further",
            outcome="declined",
            first_contact_date=date(2011, 4, 20),
        )
    ]


def test_excel_dates_and_numbers_are_read_as_a_person_typed_them(tmp_path):
    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.title = "referrals"
    row = referral(
        received_date=datetime(2011, 4, 18),
        date_of_birth=date(1960, 3, 27),
        nhs_number=9434765919,
        employment_status=4,
        ethnic_category=99,
        pain_duration_months=24.0,
        referral_id=1001,
        lsoa_code="e01007321",
        imd_decile=3,
    )
    sheet.append(list(row))
    sheet.append(list(row.values()))
    book.save(tmp_path / "w.xlsx")

    workbook = read(tmp_path / "w.xlsx")

    assert workbook.problems == []
    [found] = workbook.referrals
    assert (found.referral_id, found.received_date, found.nhs_number) == (
        "1001",
        date(2011, 4, 18),
        "9434765919",
    )
    assert (found.employment_status, found.ethnic_category, found.pain_duration_months) == (
        "04",
        "99",
        24,
    )
    assert (found.lsoa_code, found.imd_decile) == ("E01007321", 3)


@pytest.mark.parametrize("form", ["xlsx", "folder", "zip", "zip in a folder"])
def test_each_form_of_workbook_gives_the_same_referrals(tmp_path, form):
    sheets = {"programme": programme_sheet(), "referrals": table(referrals(3))}
    path = {
        "xlsx": lambda: write_xlsx(tmp_path / "w.xlsx", sheets),
        "folder": lambda: write_folder(tmp_path / "w", sheets),
        "zip": lambda: write_zip(tmp_path / "w.zip", sheets),
        "zip in a folder": lambda: write_zip(tmp_path / "w.zip", sheets, folder="export/"),
    }[form]()

    workbook = read(path)

    assert workbook.problems == []
    assert [r.referral_id for r in workbook.referrals] == ["H-0001", "H-0002", "H-0003"]
    assert list(workbook.referrals)[2].nhs_number == nhs_number(3)
    assert workbook.programme.slug == "home-programme"


def test_every_bad_cell_is_reported_with_its_row_and_column(tmp_path):
    rows = [
        referral(referral_id="A"),
        referral(referral_id="B", nhs_number="943 476 5918", postcode="S1", sex="f"),
        referral(referral_id="C"),
        referral(
            referral_id="D",
            received_date="18/04/2011",
            date_of_birth="2030-01-01",
            pain_duration_months="-1",
            outcome="maybe",
            ethnic_category="Q",
            employment_status="9",
        ),
        referral(referral_id="E", given_name="", imd_decile="4", first_contact_date="2011-04-01"),
    ]
    path = write_folder(tmp_path / "w", {"referrals": table(rows)})

    workbook = read(path)

    assert where(workbook) == [
        ("referrals", 3, "nhs_number"),
        ("referrals", 3, "sex"),
        ("referrals", 3, "postcode"),
        ("referrals", 5, "received_date"),
        ("referrals", 5, "date_of_birth"),
        ("referrals", 5, "ethnic_category"),
        ("referrals", 5, "employment_status"),
        ("referrals", 5, "pain_duration_months"),
        ("referrals", 5, "outcome"),
        ("referrals", 6, "given_name"),
        ("referrals", 6, "first_contact_date"),
        ("referrals", 6, "imd_decile"),
    ]
    messages = {(p.row, p.column): p.message for p in workbook.problems}
    assert messages[3, "nhs_number"] == "This is not a valid NHS number: check each digit"
    assert messages[3, "sex"] == ('The sex must be one of female, male, other, unknown, not "f"')
    assert messages[5, "received_date"] == (
        'The date received must be a date written like 2011-04-18, not "18/04/2011"'
    )
    assert messages[5, "date_of_birth"] == "The date of birth must be today or in the past"
    assert messages[5, "pain_duration_months"] == "The pain duration in months cannot be negative"
    assert messages[6, "given_name"] == "Enter the given name"
    assert messages[6, "first_contact_date"] == (
        "The first contact date is before the date received"
    )
    assert messages[6, "imd_decile"].startswith("An IMD decile needs the LSOA code")
    assert [r.referral_id for r in workbook.referrals] == ["A", "C"]
    assert not workbook.is_valid


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"date_of_birth": "1890-04-17"}, "date_of_birth", "older than 120 when referred"),
        ({"date_of_birth": "2011-04-19"}, "date_of_birth", "after the date received"),
        ({"received_date": "2011-02-30"}, "received_date", '"2011-02-30" is not a real date'),
        ({"received_date": "2027-01-01"}, "received_date", "today or in the past"),
        ({"pain_duration_months": "2.5"}, "pain_duration_months", "must be a whole number"),
        ({"pain_duration_months": "1201"}, "pain_duration_months", "from 0 to 1200"),
        ({"imd_decile": "0", "lsoa_code": "E01007321"}, "imd_decile", "from 1 to 10"),
        ({"lsoa_code": "S01000001"}, "lsoa_code", "must look like E01007321"),
        ({"practice_ods_code": "C8"}, "practice_ods_code", "must look like C88001"),
        ({"referral_id": "X" * 41}, "referral_id", "longer than 40 characters"),
        ({"outcome": ""}, "outcome", "Enter the outcome"),
    ],
)
def test_each_rule_has_a_plain_message(tmp_path, changes, column, message):
    path = write_folder(tmp_path / "w", {"referrals": table([referral(**changes)])})

    [problem] = read(path).problems

    assert (problem.row, problem.column) == (2, column)
    assert message in problem.message


def test_a_person_of_exactly_120_when_referred_is_accepted(tmp_path):
    rows = table([referral(date_of_birth="1891-04-18", received_date="2011-04-18")])
    assert read(write_folder(tmp_path / "w", {"referrals": rows})).problems == []


def test_a_referral_id_used_twice_is_reported_on_the_later_row_with_the_first(tmp_path):
    rows = [referral(referral_id="A"), referral(referral_id="B"), referral(referral_id="A")]
    path = write_folder(tmp_path / "w", {"referrals": table(rows)})

    workbook = read(path)

    assert workbook.problems == [
        Problem(
            "referrals",
            4,
            "referral_id",
            "The referral ID A is also on row 2: each referral needs its own ID",
        )
    ]


def test_blank_rows_are_skipped_and_rows_keep_the_numbers_a_spreadsheet_shows(tmp_path):
    rows = table([referral(referral_id="A"), referral(referral_id="B", sex="x")])
    rows.insert(2, ["", "", ""])
    path = write_xlsx(tmp_path / "w.xlsx", {"referrals": rows})

    workbook = read(path)

    assert where(workbook) == [("referrals", 4, "sex")]


def test_unknown_and_missing_columns_are_reported_once_on_the_header(tmp_path):
    rows = [{**referral(referral_id=f"A{n}"), "colour": "blue", "Sex": "female"} for n in range(3)]
    for row in rows:
        del row["sex"]
        del row["given_name"]
    path = write_folder(tmp_path / "w", {"referrals": table(rows)})

    workbook = read(path)

    assert sorted(where(workbook)) == [
        ("referrals", 1, "Sex"),
        ("referrals", 1, "colour"),
        ("referrals", 1, "given_name"),
        ("referrals", 1, "sex"),
    ]
    messages = {p.column: p.message for p in workbook.problems}
    assert messages["Sex"] == "Sex is not a column of the referrals sheet: write it as sex."
    assert messages["colour"].startswith("colour is not a column of the referrals sheet")
    assert messages["given_name"] == "The column given_name is missing."
    assert list(workbook.referrals) == []


def test_a_column_named_twice_is_refused(tmp_path):
    rows = table([referral()])
    rows[0].append("sex")
    rows[1].append("male")
    workbook = read(write_folder(tmp_path / "w", {"referrals": rows}))
    assert where(workbook) == [("referrals", 1, "sex")]


def test_a_value_in_a_column_with_no_header_is_refused(tmp_path):
    rows = table([referral()])
    rows[0].append("")
    rows[1].append("stray")
    workbook = read(write_folder(tmp_path / "w", {"referrals": rows}))
    assert where(workbook) == [("referrals", 2, "column S")]


def test_an_unknown_sheet_is_refused_and_a_miscapitalised_one_gets_a_hint(tmp_path):
    sheets = {"referrals": table([referral()]), "notes": [["a"], ["b"]], "Goals": [["x"]]}
    workbook = read(write_xlsx(tmp_path / "w.xlsx", sheets))

    assert [(p.sheet, p.message) for p in workbook.problems] == [
        (
            "notes",
            "notes is not a sheet of the programme workbook: the sheets are programme, "
            "referrals, sessions, goals, measures, discharges, follow_ups. "
            "Rename it or take it out.",
        ),
        ("Goals", "Goals is not a sheet of the programme workbook: rename it goals."),
    ]


def test_a_workbook_without_a_referrals_sheet_is_refused(tmp_path):
    workbook = read(write_xlsx(tmp_path / "w.xlsx", {"programme": programme_sheet()}))
    assert [p.message for p in workbook.problems] == ["The workbook has no referrals sheet."]


def test_episode_sheets_are_read_by_the_apps_that_own_them(tmp_path):
    sheets = {
        "referrals": table([referral()]),
        "sessions": [["referral_id", "date", "attendance"], ["H-0001", "2011-05-01", "x"]],
        "goals": [["referral_id", "goal_id", "set_date", "description", "priority"]],
    }
    workbook = read(write_zip(tmp_path / "w.zip", sheets))

    assert workbook.notes == []
    assert where(workbook) == [("sessions", 2, "attendance"), ("goals", 1, "priority")]


def test_a_csv_that_is_not_utf_8_is_refused_with_a_clear_message(tmp_path):
    rows = table([referral(), referral(referral_id="H-0002", family_name="Brontë")])
    path = tmp_path / "w"
    path.mkdir()
    (path / "referrals.csv").write_bytes(csv_bytes(rows, encoding="cp1252"))

    workbook = read(path)

    assert workbook.problems == [
        Problem(
            "referrals",
            None,
            "",
            "referrals.csv is not UTF-8 text (the first character that is not is on line 3). "
            'Save it as "CSV UTF-8" and upload it again.',
        )
    ]


def test_a_utf_8_byte_order_mark_is_accepted(tmp_path):
    rows = table([referral(family_name="Brontë")])
    workbook = read(write_zip(tmp_path / "w.zip", {"referrals": rows}, bom=True))
    assert workbook.problems == []
    assert next(iter(workbook.referrals)).family_name == "Brontë"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(b"not even a workbook" * 100)

    workbook = read(path, max_bytes=1000)

    assert workbook.problems == [
        Problem(
            "",
            None,
            "",
            "The file is 2 KB: the largest that can be imported is 1 KB. "
            "Split the referrals into smaller workbooks.",
        )
    ]


def test_the_size_limit_comes_from_the_settings(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 10
    path = write_folder(tmp_path / "w", {"referrals": table([referral()])})
    [problem] = read(path).problems
    assert "the largest that can be imported" in problem.message


def test_a_zip_that_unpacks_far_beyond_the_limit_is_refused(tmp_path):
    path = tmp_path / "w.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("referrals.csv", b"a" * 200_000)

    [problem] = read(path, max_bytes=10_000).problems

    assert "too large once unpacked" in problem.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"referral_id,received_date\n", "not an Excel workbook (.xlsx) or a .zip of CSV files"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "must be saved as .xlsx first"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, content, message):
    path = tmp_path / "upload"
    path.write_bytes(content)
    [problem] = read(path).problems
    assert message in problem.message


def test_a_damaged_xlsx_is_refused_with_a_message(tmp_path):
    path = tmp_path / "w.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    [problem] = read(path).problems
    assert problem.message.startswith("The file cannot be read as an Excel workbook")


def test_a_zip_holding_something_other_than_csv_files_is_refused(tmp_path):
    path = tmp_path / "w.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("referrals.csv", csv_bytes(table([referral()])))
        archive.writestr("notes.txt", "hello")
        archive.writestr("__MACOSX/._referrals.csv", "ignored")
    [problem] = read(path).problems
    assert problem.message.startswith("notes.txt is not a CSV file")


def test_the_programme_sheet_is_read_and_checked(tmp_path):
    sheets = {
        "programme": programme_sheet(
            projected_referrals="90",
            local_authority_code="e08000019",
            start_date="2011-04-01",
            end_date="2012-03-31",
        ),
        "referrals": table([referral()]),
    }
    programme = read(write_folder(tmp_path / "w", sheets)).programme
    assert (programme.slug, programme.name, programme.projected_referrals) == (
        "home-programme",
        "Home programme",
        90,
    )
    assert programme.local_authority_code == "E08000019"
    assert (programme.start_date, programme.end_date) == (date(2011, 4, 1), date(2012, 3, 31))


def test_a_programme_sheet_with_two_rows_or_bad_values_is_refused(tmp_path):
    rows = programme_sheet(slug="Home Programme", end_date="2010-01-01", start_date="2011-01-01")
    rows.append(["other", "Other"])
    sheets = {"programme": rows, "referrals": table([referral()])}

    workbook = read(write_folder(tmp_path / "w", sheets))

    assert where(workbook) == [
        ("programme", 2, "slug"),
        ("programme", 2, "end_date"),
        ("programme", 3, ""),
    ]


@pytest.mark.parametrize(
    ("size", "text"),
    [(10, "1 KB"), (300 * 1024, "300 KB"), (20 * 1024 * 1024, "20 MB"), (1572864, "1.5 MB")],
)
def test_sizes_read_as_people_write_them(size, text):
    assert size_text(size) == text


def test_a_problem_reads_as_sheet_row_column_and_message():
    assert str(Problem("referrals", 3, "sex", "Enter the sex")) == (
        "referrals, row 3, sex: Enter the sex"
    )
    assert str(Problem("", None, "", "Too large")) == "file: Too large"


# Properties: any valid row survives writing and reading; junk never raises.

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda text: text.strip() and not text.startswith("="))  # "=…" is a formula
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2026, 10, 1))


@st.composite
def valid_rows(draw):
    received = draw(dates)
    born = draw(st.dates(min_value=date(1910, 1, 1), max_value=date(1990, 1, 1)))
    return {
        "referral_id": draw(texts),
        "received_date": received,
        "practice_ods_code": draw(st.from_regex(r"\A[A-Z0-9]{3,10}\Z")),
        "given_name": draw(texts),
        "family_name": draw(texts),
        "date_of_birth": born,
        "sex": draw(st.sampled_from(Sex.values)),
        "pain_duration_months": draw(st.integers(0, 1200)),
        "outcome": draw(st.sampled_from(OUTCOMES)),
        "nhs_number": nhs_number(draw(st.integers(1, 10**6))),
        "ethnic_category": draw(st.sampled_from(EthnicCategory.values)),
        "employment_status": draw(st.sampled_from(EmploymentStatus.values)),
        "first_contact_date": draw(st.dates(min_value=received, max_value=TODAY)),
        "lsoa_code": f"E01{draw(st.integers(0, 999999)):06d}",
        "imd_decile": draw(st.integers(1, 10)),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=valid_rows(), as_xlsx=st.booleans())
def test_any_valid_row_round_trips_through_a_written_file(row, as_xlsx):
    with tempfile.TemporaryDirectory() as folder:
        sheets = {"referrals": table([row])}
        if as_xlsx:
            path = write_xlsx(Path(folder) / "w.xlsx", sheets)
        else:
            text_rows = [[str(cell) for cell in line] for line in sheets["referrals"]]
            path = write_zip(Path(folder) / "w.zip", {"referrals": text_rows})
        workbook = read(path)
        [found] = workbook.referrals

    assert workbook.problems == []
    assert found.referral_id == " ".join(row["referral_id"].split())
    for name in (
        "received_date",
        "practice_ods_code",
        "date_of_birth",
        "sex",
        "pain_duration_months",
        "outcome",
        "nhs_number",
        "ethnic_category",
        "employment_status",
        "first_contact_date",
        "lsoa_code",
        "imd_decile",
    ):
        assert getattr(found, name) == row[name], name


junk = st.one_of(
    st.text(max_size=50),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    column=st.sampled_from(list(SHEETS["referrals"])),
    value=junk,
    as_xlsx=st.booleans(),
)
def test_junk_in_any_cell_gives_a_problem_or_a_valid_row_never_an_exception(column, value, as_xlsx):
    row = referral(**{column: value})
    with tempfile.TemporaryDirectory() as folder:
        sheets = {"referrals": table([row])}
        path = write_folder(Path(folder) / "w", sheets)
        if as_xlsx and not (isinstance(value, str) and value.startswith("=")):
            with suppress(IllegalCharacterError):  # text a worksheet cannot hold
                path = write_xlsx(Path(folder) / "w.xlsx", sheets)
        workbook = read(path)

    assert len(workbook.referrals) + len({p.row for p in workbook.problems}) == 1
    assert all(p.row == 2 and p.message for p in workbook.problems)


def test_the_referral_rows_are_read_again_from_the_file_not_kept_in_memory(tmp_path):
    path = write_zip(tmp_path / "w.zip", {"referrals": table(referrals(3))})
    workbook = read(path)

    assert len(workbook.referrals) == 3
    assert list(workbook.referrals) == list(workbook.referrals)
    assert not any(isinstance(value, ReferralRow) for value in vars(workbook.referrals).values())
    path.unlink()
    with pytest.raises(FileNotFoundError, match="read from its file"):
        list(workbook.referrals)
