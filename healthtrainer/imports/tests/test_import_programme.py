from io import StringIO

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from healthtrainer.imports.tests.workbooks import (
    programme_sheet,
    referral,
    referrals,
    table,
    write_folder,
    write_xlsx,
)
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import events_after_setup

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_programme", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_workbook_shows_progress_and_prints_a_summary(tmp_path):
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {
            "programme": programme_sheet(slug="riverside", name="Riverside"),
            "referrals": table(referrals(3)),
            "sessions": [["referral_id", "date", "attendance"]],
        },
    )

    out, err = run(str(path))

    assert out.splitlines() == [
        "Created the programme riverside (Riverside).",
        "Added GP practices named by their ODS code: C88001.",
        "Clients: 0 created, 0 linked to an existing client.",
        "Imported 3 referrals: 3 created, 0 updated, 0 unchanged.",
    ]
    assert err.startswith("\r[")
    assert "3 / 3 rows  100.0%" in err
    assert err.endswith("\n")
    assert Referral.objects.filter(programme__slug="riverside").count() == 3


def test_importing_again_reports_everything_unchanged(tmp_path, programme):
    path = write_folder(tmp_path / "w", {"referrals": table(referrals(2))})
    run(str(path), "--programme", programme.slug, "--quiet")

    out, err = run(str(path), "--programme", programme.slug, "--quiet")

    assert err == ""
    assert out.splitlines()[-1] == "Imported 2 referrals: 0 created, 0 updated, 2 unchanged."


def test_every_problem_is_printed_and_nothing_is_imported(tmp_path, programme):
    rows = [referral(referral_id="A"), referral(referral_id="B", sex="f", nhs_number="123")]
    path = write_folder(tmp_path / "w", {"referrals": table(rows)})
    err = StringIO()

    with pytest.raises(CommandError, match=r"^w has 2 problems: nothing was imported\.$"):
        call_command("import_programme", str(path), "--programme", programme.slug, stderr=err)

    assert err.getvalue().splitlines() == [
        "referrals, row 3, nhs_number: Enter an NHS number of 10 digits, like 943 476 5919",
        'referrals, row 3, sex: The sex must be one of female, male, other, unknown, not "f"',
    ]
    assert not Referral.objects.exists()
    assert not events_after_setup().exists()


def test_an_invalid_workbook_exits_with_a_non_zero_status(tmp_path, programme, capsys):
    path = write_folder(tmp_path / "w", {"referrals": table([referral(outcome="lost")])})

    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(
            ["manage.py", "import_programme", str(path), "--programme", programme.slug]
        )

    assert exit_.value.code == 1
    captured = capsys.readouterr().err
    assert "referrals, row 2, outcome:" in captured
    assert "CommandError: w has 1 problem: nothing was imported." in captured


def test_a_dry_run_counts_but_writes_nothing(tmp_path):
    path = write_folder(
        tmp_path / "w",
        {"programme": programme_sheet(slug="riverside"), "referrals": table(referrals(2))},
    )

    out, err = run(str(path), "--dry-run")

    assert out.splitlines() == [
        "Would create the programme riverside (Home programme).",
        "Would add GP practices named by their ODS code: C88001.",
        "Would import 2 referrals: 2 created, 0 updated, 0 unchanged.",
    ]
    assert err == ""
    assert not Programme.objects.filter(slug="riverside").exists()


def test_without_a_programme_sheet_the_programme_must_be_named(tmp_path):
    path = write_folder(tmp_path / "w", {"referrals": table(referrals(1))})
    err = StringIO()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_programme", str(path), stderr=err)

    assert err.getvalue() == "programme: Name the programme to import into.\n"


def test_a_missing_path_is_an_error():
    with pytest.raises(CommandError, match="There is no file or folder at"):
        call_command("import_programme", "/nowhere/at/all.xlsx")
