"""Importing a programme workbook in a real browser: a refused file, then a good one.

Every page of the journey is checked with axe, the problem table and error summary included.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from healthtrainer.imports.tests.workbooks import referral, referrals, table, write_xlsx
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.browser import (
    arrive_at,
    assert_content_security_policy_held,
    check_accessibility,
    choose_sheffield,
    error_summary,
    sign_in,
    submit_empty,
)

UPLOAD = "Import a programme workbook"


@pytest.mark.browser
def test_a_manager_fixes_a_refused_workbook_and_imports_it(page, page_log, full_demo, tmp_path):
    bad = write_xlsx(
        tmp_path / "bad.xlsx",
        {"referrals": table([*referrals(2), referral(referral_id="H-0009", outcome="lost")])},
    )
    good = write_xlsx(tmp_path / "good.xlsx", {"referrals": table(referrals(2))})

    sign_in(page, "manager@example.com")
    choose_sheffield(page)
    page.get_by_role("link", name="Import a workbook").click()
    arrive_at(page, UPLOAD)
    submit_empty(page, "Check the workbook", "Select the workbook to upload")

    page.locator("input[type=file]").set_input_files(bad)
    page.get_by_role("button", name="Check the workbook").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(error_summary(page)).to_contain_text("bad.xlsx has 1 problem")
    problems = page.locator("#problems")
    expect(problems).to_contain_text("The outcome must be one of")
    check_accessibility(page)

    expect(page.get_by_text("Upload the corrected workbook")).to_be_visible()
    page.locator("input[type=file]").set_input_files(good)
    page.get_by_role("button", name="Check the workbook").click()
    arrive_at(page, "Check the import")
    assert not Referral.objects.filter(reference="H-0001").exists()

    page.get_by_role("button", name="Import 2 referrals").click()
    # The import runs as background work; its page follows it to the end.
    arrive_at(page, "Import good.xlsx")
    expect(page.get_by_role("heading", level=2, name="Workbook imported")).to_be_visible()
    assert Referral.objects.filter(reference__in=["H-0001", "H-0002"]).count() == 2
    assert "/background/" in page.url

    assert_content_security_policy_held(page_log)
