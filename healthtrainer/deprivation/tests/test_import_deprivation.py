from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from healthtrainer.deprivation.models import LsoaDeprivation, PostcodeLsoa
from healthtrainer.deprivation.tests.files import lsoa, write_file7, write_onspd

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_deprivation", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_file_7_shows_progress_and_prints_a_summary(tmp_path):
    path = write_file7(
        tmp_path / "f7.csv", "iod2025", [lsoa("E01000001", 3, 1), lsoa("E01000002", 4, 1)]
    )

    out, err = run("iod2025", str(path))

    assert out.strip() == (
        "Imported iod2025 (English Indices of Deprivation 2025): "
        "2 rows read, 2 created or updated, of which 2 new."
    )
    assert err.startswith("\r[")
    assert "2 / 2 rows  100.0%" in err
    assert "rows/s" in err
    assert err.endswith("\n")
    assert LsoaDeprivation.objects.filter(edition="iod2025").count() == 2


def test_quiet_silences_the_progress_bar_but_not_the_summary(tmp_path):
    path = write_onspd(tmp_path / "pd.csv", [("S1 2HE", "E01000001", "E01000001", "")])

    out, err = run("postcodes", str(path), "--quiet")

    assert err == ""
    assert "1 rows read, 1 created or updated, of which 1 new." in out
    assert PostcodeLsoa.objects.filter(postcode="S1 2HE").exists()


def test_a_bad_file_is_reported_as_an_error_and_nothing_is_imported(tmp_path):
    path = write_file7(
        tmp_path / "f7.csv", "iod2019", [lsoa("E01000001", 3, 1), lsoa("E01000002", 4, 12)]
    )

    with pytest.raises(CommandError, match=r"Line 3: the IMD decile is 12.*Nothing was imported"):
        run("iod2019", str(path), "--quiet")

    assert not LsoaDeprivation.objects.exists()


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run("postcodes", str(tmp_path / "absent.csv"))


def test_an_unknown_dataset_is_refused(tmp_path):
    path = write_onspd(tmp_path / "pd.csv", [("S1 2HE", "E01000001", "", "")])
    with pytest.raises(CommandError, match="invalid choice"):
        run("iod2015", str(path))
