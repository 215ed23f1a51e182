import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import Goal
from healthtrainer.conftest import sign_in
from healthtrainer.core.models import AuditEvent
from healthtrainer.imports.models import PendingWorkbook
from healthtrainer.imports.tests.workbooks import (
    csv_bytes,
    programme_sheet,
    referral,
    referrals,
    table,
    write_xlsx,
    write_zip,
)
from healthtrainer.measures.models import ProgrammeInstrument
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import MembershipFactory


@pytest.fixture
def manager(client_as):
    return client_as(Role.PROGRAMME_MANAGER)


def upload_url(world):
    return reverse("imports:upload", args=[world.programme.slug])


def confirm_url(world):
    return reverse("imports:confirm", args=[world.programme.slug])


def xlsx(tmp_path, sheets, name="history.xlsx"):
    path = write_xlsx(tmp_path / name, sheets)
    return SimpleUploadedFile(name, path.read_bytes())


def token_in(page):
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_the_upload_page_offers_a_file_input(world, manager):
    page = manager.get(upload_url(world)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page
    assert 'accept=".xlsx,.zip"' in page
    assert "<code>referral_id</code>" in page


def test_the_task_is_on_the_managers_home_page(world, manager):
    home = manager.get(reverse("accounts:programme_home", args=[world.programme.slug]))
    assert "Import a workbook" in home.content.decode()


def test_an_invalid_workbook_shows_every_problem_and_imports_nothing(world, manager, tmp_path):
    rows = [
        referral(referral_id="A"),
        referral(referral_id="B", nhs_number="943 476 5918"),
        referral(referral_id="C", outcome="lost", sex="f"),
    ]

    response = manager.post(
        upload_url(world), {"workbook": xlsx(tmp_path, {"referrals": table(rows)})}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "nhsuk-error-summary" in page
    assert "history.xlsx has 3 problems. Nothing has been imported" in page
    assert 'href="#problems"' in page
    table_html = page[page.index('id="problems"') :]
    cells = re.findall(r'<td class="nhsuk-table__cell[^"]*">([^<]*)</td>', table_html)
    assert cells[:4] == [
        "referrals",
        "3",
        "nhs_number",
        "This is not a valid NHS number: check each digit",
    ]
    assert cells[4:7] == ["referrals", "4", "sex"]
    assert cells[8:11] == ["referrals", "4", "outcome"]
    assert "Upload the corrected workbook" in page
    assert not Referral.objects.exists()
    assert not PendingWorkbook.objects.exists()


def test_a_valid_workbook_is_confirmed_then_imported(world, manager, tmp_path):
    sheets = {
        "programme": programme_sheet(slug=world.programme.slug),
        "referrals": table(referrals(3)),
    }

    response = manager.post(upload_url(world), {"workbook": xlsx(tmp_path, sheets)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Check the import" in page
    assert "Import 3 referrals" in page
    assert "C88001" in page
    assert not Referral.objects.exists()
    assert PendingWorkbook.objects.count() == 1

    report = manager.post(confirm_url(world), {"token": token_in(page)}, follow=True)

    text = report.content.decode()
    assert report.status_code == 200
    assert "Workbook imported" in text
    assert Referral.objects.filter(programme=world.programme).count() == 3
    assert not PendingWorkbook.objects.exists()
    event = AuditEvent.objects.get(action="referrals.workbook.imported")
    assert event.actor == world.people[Role.PROGRAMME_MANAGER]


def test_a_token_works_once(world, manager, tmp_path):
    page = manager.post(
        upload_url(world), {"workbook": xlsx(tmp_path, {"referrals": table(referrals(1))})}
    ).content.decode()
    token = token_in(page)
    manager.post(confirm_url(world), {"token": token})

    again = manager.post(confirm_url(world), {"token": token}, follow=True)

    assert "already been imported, or has expired" in again.content.decode()
    assert Referral.objects.count() == 1


def test_the_upload_waits_in_the_database_so_a_new_session_of_the_uploader_can_confirm(
    world, manager, tmp_path, client
):
    page = manager.post(
        upload_url(world), {"workbook": xlsx(tmp_path, {"referrals": table(referrals(2))})}
    ).content.decode()
    pending = PendingWorkbook.objects.get()
    assert pending.token_hash != token_in(page)

    # As another app server would: nothing shared with the first but the database.
    elsewhere = sign_in(client, world.people[Role.PROGRAMME_MANAGER])
    report = elsewhere.post(confirm_url(world), {"token": token_in(page)}, follow=True)

    assert "Workbook imported" in report.content.decode()
    assert Referral.objects.count() == 2


def test_another_managers_session_cannot_confirm_an_upload(world, manager, tmp_path, client):
    page = manager.post(
        upload_url(world), {"workbook": xlsx(tmp_path, {"referrals": table(referrals(1))})}
    ).content.decode()
    colleague = MembershipFactory(programme=world.programme, role=Role.PROGRAMME_MANAGER).user
    other = sign_in(client, colleague)

    response = other.post(confirm_url(world), {"token": token_in(page)})

    assert response.status_code == 302
    assert not Referral.objects.exists()


@pytest.mark.parametrize("token", ["../../etc/passwd", "", "x" * 10])
def test_a_made_up_token_is_refused(world, manager, token):
    response = manager.post(confirm_url(world), {"token": token})
    assert response.status_code == 302
    assert response.url == upload_url(world)


def test_a_zip_of_csv_files_is_accepted(world, manager, tmp_path):
    path = write_zip(tmp_path / "history.zip", {"referrals": table(referrals(2))}, bom=True)

    page = manager.post(
        upload_url(world), {"workbook": SimpleUploadedFile("history.zip", path.read_bytes())}
    ).content.decode()

    assert "Import 2 referrals" in page


def test_a_file_that_is_too_large_is_refused_without_being_kept(world, manager, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.csv", csv_bytes(table(referrals(5))))

    page = manager.post(upload_url(world), {"workbook": upload}).content.decode()

    assert "The selected file is 1 KB: it must be 1 KB or smaller" in page
    assert not PendingWorkbook.objects.exists()


def test_no_file_gets_a_clear_message(world, manager):
    page = manager.post(upload_url(world), {}).content.decode()
    assert "Select the workbook to upload" in page
    assert "<title>Error: " in page


def test_a_workbook_for_another_programme_is_refused(world, manager, tmp_path):
    sheets = {"programme": programme_sheet(slug="elsewhere"), "referrals": table(referrals(1))}

    page = manager.post(upload_url(world), {"workbook": xlsx(tmp_path, sheets)}).content.decode()

    assert "This workbook is for the programme elsewhere" in page
    assert not Referral.objects.exists()


def test_a_file_with_nothing_new_offers_no_import_button(world, manager, tmp_path):
    sheets = {"referrals": table(referrals(1))}
    page = manager.post(upload_url(world), {"workbook": xlsx(tmp_path, sheets)}).content.decode()
    manager.post(confirm_url(world), {"token": token_in(page)})

    again = manager.post(
        upload_url(world), {"workbook": xlsx(tmp_path, sheets, name="again.xlsx")}
    ).content.decode()

    assert "There is nothing to import" in again
    assert 'name="token"' not in again


def test_uploads_older_than_a_day_are_removed_at_the_next_upload(world, manager, tmp_path):
    stale = PendingWorkbook.objects.create(
        programme=world.programme,
        uploaded_by=world.people[Role.PROGRAMME_MANAGER],
        token_hash="a" * 64,
        name="old.xlsx",
        content=b"old patient data",
    )
    PendingWorkbook.objects.filter(pk=stale.pk).update(
        uploaded_at=timezone.now() - timedelta(hours=25)
    )

    manager.post(
        upload_url(world), {"workbook": xlsx(tmp_path, {"referrals": table(referrals(1))})}
    )

    assert not PendingWorkbook.objects.filter(pk=stale.pk).exists()


def test_an_upload_imports_the_episode_sheets_but_not_the_programme_settings(
    world, manager, tmp_path
):
    sheets = {
        "programme": programme_sheet(
            slug=world.programme.slug, primary_wellbeing_instrument="swemwbs"
        ),
        "referrals": table(referrals(1, outcome="accepted")),
        "goals": [
            ["referral_id", "goal_id", "set_date", "description", "final_status"],
            ["H-0001", "G1", "2011-05-02", "Walk to the shops", "achieved"],
        ],
    }
    page = manager.post(upload_url(world), {"workbook": xlsx(tmp_path, sheets)}).content.decode()
    assert "Goals: 1 rows checked." in page

    report = manager.post(
        confirm_url(world), {"token": token_in(page)}, follow=True
    ).content.decode()

    assert "Goals: 1 created, 0 updated, 0 unchanged." in report
    assert Goal.objects.get(reference="G1").final_status == "achieved"
    assert not ProgrammeInstrument.objects.filter(programme=world.programme, is_primary=True)

    again = manager.post(
        upload_url(world), {"workbook": xlsx(tmp_path, sheets, name="again.xlsx")}
    ).content.decode()
    assert 'name="token"' in again


def test_a_long_workbook_lists_its_first_rows_and_counts_the_rest(
    world, manager, tmp_path, monkeypatch
):
    monkeypatch.setattr("healthtrainer.imports.report.LISTED", 2)
    page = manager.post(
        upload_url(world), {"workbook": xlsx(tmp_path, {"referrals": table(referrals(5))})}
    ).content.decode()

    assert "Import 5 referrals" in page
    assert "The table lists the first 2 rows; the other 3 are counted above." in page
