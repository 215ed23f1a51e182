"""Every role's home page, and every page with a table, on a 390 px phone: nothing scrolls
sideways and axe finds no serious problem. Home pages and the audit trail are checked at
1280 px too."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from healthtrainer.accounts.models import User
from healthtrainer.background.models import BackgroundJob, JobKind, JobState
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative.models import Document
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.browser import check_accessibility, sign_in, wait_for_scripts

PHONE, DESKTOP = 390, 1280
SHEFFIELD = "/p/sheffield-pilot/"

HOMES = {
    "trainer@example.com": SHEFFIELD,
    "supervisor@example.com": SHEFFIELD,
    "manager@example.com": SHEFFIELD,
    "gp@example.com": SHEFFIELD,
    "evaluator@example.com": SHEFFIELD,
    "admin@example.com": "/programmes/",
}

MANAGER_TABLES = [
    "triage/",
    "caseload/",
    "escalations/",
    "audit/",
    "people/",
    "access-review/",
    "organisations/",
    "evaluation/",
    "evaluation/referrals/",
    "measures/outcomes/",
    "measures/due/",
    "supervision/",
    "trainers/",
    "training/",
    "training/confidence/",
    "resources/costs/",
    "resources/budget/",
    "resources/cost-items/",
    "resources/role-rates/",
    "resources/indirect-time/",
    "qualitative/",
    "qualitative/participants/",
    "qualitative/framework/",
    "qualitative/joint-display/",
    "qualitative/codebook/",
    "qualitative/agreement/",
]


def _open(browser: Browser, live_server, email: str, width: int) -> Page:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 844}
    )
    page = context.new_page()
    sign_in(page, email)
    page.wait_for_load_state()
    return page


def _fits(page: Page, path: str, width: int) -> None:
    page.goto(path)
    wait_for_scripts(page)
    try:
        # The header folds its menu once its script has measured the items.
        page.wait_for_function(
            "document.documentElement.scrollWidth <= window.innerWidth", polling=100, timeout=3000
        )
    except PlaywrightTimeout:
        wide = page.evaluate("document.documentElement.scrollWidth")
        pytest.fail(f"{path} scrolls sideways at {width} px: the page is {wide} px wide")
    check_accessibility(page)


@pytest.mark.browser
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_roles_home_page_fits_without_sideways_scroll(browser, live_server, full_demo, width):
    for email, home in HOMES.items():
        page = _open(browser, live_server, email, width)
        try:
            _fits(page, home, width)
        finally:
            page.context.close()


@pytest.mark.browser
def test_every_page_with_a_table_fits_a_phone(browser, live_server, full_demo):
    failed_import = BackgroundJob.objects.create(
        programme=Programme.objects.get(slug="sheffield-pilot"),
        started_by=User.objects.get(email="manager@example.com"),
        kind=JobKind.WORKBOOK_IMPORT,
        title="Import a-workbook-with-a-long-name-2011-history.xlsx",
        state=JobState.FAILED,
        error="Problems were found when the workbook was imported.",
        outcome={
            "file_name": "a-workbook-with-a-long-name-2011-history.xlsx",
            "problems": [
                {
                    "sheet": "sessions",
                    "row": 12,
                    "column": "cb_techniques",
                    "message": "no_such_technique is not one of the programme's CB techniques",
                }
            ],
        },
    )
    checked = BackgroundJob.objects.create(
        programme=failed_import.programme,
        started_by=failed_import.started_by,
        kind=JobKind.WORKBOOK_CHECK,
        title="Check a-workbook-with-a-long-name-2011-history.xlsx",
        state=JobState.FINISHED,
        outcome={
            "file_name": "a-workbook-with-a-long-name-2011-history.xlsx",
            "pending_id": 0,
            "total": 2,
            "created": 1,
            "updated": 1,
            "unchanged": 0,
            "practices_created": [],
            "sheet_summaries": [],
            "notes": [],
            "received": "03 May 2011 to 05 May 2011",
            "has_programme_sheet": False,
            "changes_shown": 2,
            "changes_not_listed": 0,
            "listed": [
                {"row": 2, "reference": "H-0001", "action": "created", "fields": []},
                {
                    "row": 3,
                    "reference": "H-0002",
                    "action": "updated",
                    "fields": ["received_date", "pain_duration_months", "employment_status"],
                },
            ],
        },
    )
    export = BackgroundJob.objects.create(
        programme=failed_import.programme,
        started_by=failed_import.started_by,
        kind=JobKind.RESEARCH_EXPORT,
        title="Research data (CSV), referrals from 1 Jan 2011 to 31 Dec 2011",
        state=JobState.RUNNING,
        phase="Writing one row per referral",
        rows_done=1000,
        rows_total=4000,
    )
    manager = _open(browser, live_server, "manager@example.com", PHONE)
    try:
        for path in MANAGER_TABLES:
            _fits(manager, SHEFFIELD + path, PHONE)
        for job in (failed_import, checked, export):
            _fits(manager, f"{SHEFFIELD}background/{job.pk}/", PHONE)
    finally:
        manager.context.close()

    trainer_user = User.objects.get(email="trainer@example.com")
    episode = Referral.objects.filter(assigned_trainer=trainer_user, client__isnull=False).first()
    assert episode is not None
    trainer = _open(browser, live_server, "trainer@example.com", PHONE)
    try:
        _fits(trainer, f"{SHEFFIELD}episodes/{episode.pk}/", PHONE)
        _fits(trainer, f"{SHEFFIELD}clients/{episode.client_id}/timeline/", PHONE)
    finally:
        trainer.context.close()

    document = Document.objects.filter(programme__slug="sheffield-pilot").first()
    assert document is not None
    evaluator = _open(browser, live_server, "evaluator@example.com", PHONE)
    try:
        _fits(evaluator, f"{SHEFFIELD}qualitative/documents/{document.pk}/", PHONE)
    finally:
        evaluator.context.close()

    gp = _open(browser, live_server, "gp@example.com", PHONE)
    try:
        _fits(gp, f"{SHEFFIELD}refer/referrals/", PHONE)
    finally:
        gp.context.close()

    for width in (PHONE, DESKTOP):
        administrator = _open(browser, live_server, "admin@example.com", width)
        try:
            _fits(administrator, "/audit/", width)
            _fits(administrator, "/accounts/", width)
            _fits(administrator, "/background/", width)
            _fits(administrator, "/reference/deprivation/", width)
        finally:
            administrator.context.close()
