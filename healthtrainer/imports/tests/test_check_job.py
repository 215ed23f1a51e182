"""A large upload is checked in the background: its page shows what importing it would
do, or every problem, and only its uploader can import it from there."""

import re

import pytest
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.background.models import BackgroundJob, JobKind, JobState
from healthtrainer.background.tests.workers import (
    DATABASE_BACKEND,
    run_worker_process,
)
from healthtrainer.conftest import sign_in
from healthtrainer.imports.models import PendingWorkbook
from healthtrainer.imports.tests.test_views import confirm_url, upload_url, xlsx
from healthtrainer.imports.tests.workbooks import referral, referrals, table
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import MembershipFactory


@pytest.fixture
def manager(client_as, settings):
    settings.IN_REQUEST_MAX_UPLOAD_BYTES = 100
    return client_as(Role.PROGRAMME_MANAGER)


def _job_page(client, world, job):
    return client.get(reverse("background:job", args=[world.programme.slug, job.pk]))


def _checked_in(page):
    return re.search(r'name="checked" value="([^"]+)"', page).group(1)


def test_a_large_upload_is_checked_in_the_background_then_imported_from_its_page(
    world, manager, tmp_path
):
    upload = manager.post(
        upload_url(world), {"workbook": xlsx(tmp_path, {"referrals": table(referrals(3))})}
    )
    check = BackgroundJob.objects.get()
    assert upload.status_code == 302
    assert upload.url == reverse("background:job", args=[world.programme.slug, check.pk])
    assert (check.kind, check.state) == (JobKind.WORKBOOK_CHECK, JobState.FINISHED)
    page = _job_page(manager, world, check).content.decode()
    assert "The workbook has no problems" in page
    assert "Import 3 referrals" in page
    assert not Referral.objects.exists()

    imported = manager.post(confirm_url(world), {"checked": _checked_in(page)}, follow=True)
    assert "Workbook imported" in imported.content.decode()
    assert Referral.objects.count() == 3
    assert not PendingWorkbook.objects.exists()


def test_only_the_uploader_can_import_what_was_checked(world, manager, tmp_path, client):
    manager.post(
        upload_url(world), {"workbook": xlsx(tmp_path, {"referrals": table(referrals(2))})}
    )
    check = BackgroundJob.objects.get()
    colleague = MembershipFactory(programme=world.programme, role=Role.PROGRAMME_MANAGER).user
    other = sign_in(client, colleague)
    assert _job_page(other, world, check).status_code == 200  # a manager may follow it
    refused = other.post(confirm_url(world), {"checked": str(check.pk)}, follow=True)
    assert "has already been imported, or has expired" in refused.content.decode()
    assert manager.post(confirm_url(world), {"checked": "not-a-job"}).status_code == 302
    assert not Referral.objects.exists()
    assert PendingWorkbook.objects.count() == 1


def test_a_large_upload_with_problems_lists_them_all_and_is_not_kept(world, manager, tmp_path):
    rows = [referral(referral_id="H-1", received_date="not a date"), referral(referral_id="H-1")]
    manager.post(upload_url(world), {"workbook": xlsx(tmp_path, {"referrals": table(rows)})})
    check = BackgroundJob.objects.get()
    assert check.state == JobState.FAILED
    page = _job_page(manager, world, check).content.decode()
    assert "Problems were found in the workbook" in page
    assert len(check.outcome["problems"]) >= 2
    assert not PendingWorkbook.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_checks_the_queued_upload(world, manager, tmp_path, settings):
    settings.TASKS = DATABASE_BACKEND
    manager.post(
        upload_url(world), {"workbook": xlsx(tmp_path, {"referrals": table(referrals(2))})}
    )
    check = BackgroundJob.objects.get()
    assert check.state == JobState.QUEUED
    run_worker_process()
    check.refresh_from_db()
    assert check.state == JobState.FINISHED, check.error
    assert check.outcome["total"] == 2
