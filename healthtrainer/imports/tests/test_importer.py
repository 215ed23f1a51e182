from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from healthtrainer.accounts.roles import Role
from healthtrainer.clients.models import Client
from healthtrainer.core.models import AuditEvent
from healthtrainer.deprivation.models import LsoaDeprivation, PostcodeLsoa
from healthtrainer.imports.importer import (
    REFERRAL_ACTION,
    WORKBOOK_ACTION,
    import_programme_workbook,
    import_referrals,
    plan_import,
)
from healthtrainer.imports.referral_values import RECORDED_EDITION
from healthtrainer.imports.tests.workbooks import (
    programme_sheet,
    referral,
    referrals,
    table,
    write_folder,
)
from healthtrainer.imports.workbook import read_workbook
from healthtrainer.programmes.models import Organisation, OrganisationKind, Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status
from healthtrainer.tests.factories import (
    ClientFactory,
    MembershipFactory,
    OrganisationFactory,
    PracticeFactory,
    ReferralFactory,
    events_after_setup,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(programme):
    return MembershipFactory(programme=programme, role=Role.PROGRAMME_MANAGER).user


@pytest.fixture
def load(tmp_path):
    """Write rows (and other sheets) as a folder of CSV files and read it back."""
    count = [0]

    def make(rows, **sheets):
        count[0] += 1
        folder = write_folder(tmp_path / f"w{count[0]}", {"referrals": table(rows), **sheets})
        return read_workbook(folder, today=date(2026, 11, 1))

    return make


def run(manager, programme, workbook, **options):
    return import_referrals(actor=manager, programme=programme, workbook=workbook, **options)


def test_rows_become_referrals_with_a_practice_made_for_an_unknown_ods_code(
    load, manager, programme
):
    report = run(manager, programme, load(referrals(2)))

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.written
    first = Referral.objects.get(programme=programme, reference="H-0001")
    assert first.status == Status.DECLINED
    assert (first.given_name, first.family_name, first.date_of_birth) == (
        "Person1",
        "Lovelace",
        date(1960, 3, 27),
    )
    assert (first.postcode, first.ethnic_category, first.employment_status) == ("S1 2HE", "A", "04")
    assert (first.pain_sites, first.help_wanted) == ("lower back; knees", "Walking further")
    assert first.first_contact_date == date(2011, 4, 20)
    assert (first.source, first.referred_by, first.assigned_trainer, first.client) == (
        "gp",
        None,
        None,
        None,
    )
    practice = Organisation.objects.get(programme=programme, ods_code="C88001")
    assert (practice.kind, practice.name) == (OrganisationKind.GP_PRACTICE, "C88001")
    assert first.practice == practice
    assert report.practices_created == ["C88001"]


def test_every_created_referral_is_audited_and_the_import_once_as_a_whole(load, manager, programme):
    run(manager, programme, load(referrals(2)))

    events = events_after_setup().filter(programme=programme)
    imported = events.filter(action=REFERRAL_ACTION)
    assert imported.count() == 2
    assert "nhs_number" in imported.first().changed_fields
    assert all(event.actor == manager for event in events)
    assert events.filter(action=WORKBOOK_ACTION).count() == 1
    assert events.filter(action="programmes.organisation.created").count() == 1
    assert "Lovelace" not in str(list(events.values_list("changed_fields", flat=True)))


def test_one_bad_row_among_good_ones_imports_nothing(load, manager, programme):
    rows = [*referrals(3), referral(referral_id="BAD", nhs_number="943 476 5918")]

    report = run(manager, programme, load(rows))

    assert not report.is_valid
    assert [(p.row, p.column) for p in report.problems] == [(5, "nhs_number")]
    assert not report.written
    assert not Referral.objects.exists()
    assert not Organisation.objects.filter(ods_code="C88001").exists()
    assert not events_after_setup().exists()


def test_importing_the_same_file_again_changes_nothing_and_writes_no_audit_events(
    load, manager, programme
):
    rows = [*referrals(3), referral(referral_id="H-0009", outcome="accepted")]
    run(manager, programme, load(rows))
    events = AuditEvent.objects.count()
    before = list(Referral.objects.order_by("pk").values())

    again = run(manager, programme, load(rows))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert AuditEvent.objects.count() == events
    assert list(Referral.objects.order_by("pk").values()) == before
    assert Client.objects.count() == 1
    assert Organisation.objects.filter(ods_code="C88001").count() == 1


def test_a_changed_row_updates_its_referral_and_audits_the_changed_fields(load, manager, programme):
    rows = referrals(2)
    run(manager, programme, load(rows))
    rows[1] = {**rows[1], "family_name": "Byron", "outcome": "withdrawn"}

    report = run(manager, programme, load(rows))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    changed = Referral.objects.get(reference="H-0002")
    assert (changed.family_name, changed.status) == ("Byron", Status.WITHDRAWN)
    event = AuditEvent.objects.filter(action=REFERRAL_ACTION).order_by("-pk").first()
    assert event.object_id == str(changed.pk)
    assert event.changed_fields == ["family_name", "status"]
    assert report.changes[1].fields == ("family_name", "status")


def test_a_blank_optional_cell_keeps_what_the_referral_already_has(load, manager, programme):
    run(manager, programme, load([referral()]))
    Referral.objects.update(phone="0114 000 0000")

    report = run(manager, programme, load([referral(ethnic_category="", pain_sites="")]))

    found = Referral.objects.get()
    assert report.unchanged == 1
    assert (found.ethnic_category, found.pain_sites, found.phone) == (
        "A",
        "lower back; knees",
        "0114 000 0000",
    )


def test_a_referral_recorded_in_the_service_is_updated_by_its_reference(load, manager, programme):
    practice = PracticeFactory(programme=programme, ods_code="C88001", name="Parkside")
    existing = ReferralFactory(practice=practice, reference="H-0001")
    other_programme_referral = ReferralFactory(reference="H-0001")

    report = run(manager, programme, load([referral(outcome="accepted")]))

    existing.refresh_from_db()
    assert report.updated == 1
    assert report.practices_created == []
    assert (existing.status, existing.given_name, existing.practice) == (
        Status.ACCEPTED,
        "Ada",
        practice,
    )
    assert existing.client is not None
    assert existing.assigned_trainer is None
    other_programme_referral.refresh_from_db()
    assert other_programme_referral.given_name != "Ada"


def test_an_accepted_row_links_the_one_matching_client_or_creates_one(load, manager, programme):
    known = ClientFactory(programme=programme, nhs_number="9434765919")
    rows = [
        referral(referral_id="A", outcome="accepted"),
        referral(referral_id="B", outcome="accepted", nhs_number="", given_name="Grace"),
        referral(referral_id="C", outcome="accepted", nhs_number="", given_name="Grace"),
    ]

    report = run(manager, programme, load(rows))

    by_reference = {r.reference: r for r in Referral.objects.select_related("client")}
    assert by_reference["A"].client == known
    assert by_reference["B"].client == by_reference["C"].client
    assert by_reference["B"].client.given_name == "Grace"
    assert (report.clients_created, report.clients_linked) == (1, 2)
    assert AuditEvent.objects.filter(action="clients.client.created").count() == 1


def test_an_accepted_referral_still_needs_a_client():
    with pytest.raises(IntegrityError):
        ReferralFactory(status=Status.ACCEPTED, client=None)


def test_an_lsoa_and_decile_given_together_are_kept_as_recorded(load, manager, programme):
    rows = [referral(lsoa_code="E01007321", imd_decile="2")]
    run(manager, programme, load(rows))
    found = Referral.objects.get()
    assert (found.lsoa_code, found.imd_decile, found.imd_edition) == (
        "E01007321",
        2,
        RECORDED_EDITION,
    )


def lsoa(code, decile, edition="iod2019"):
    return LsoaDeprivation.objects.create(
        edition=edition,
        lsoa_code=code,
        lsoa_name=code,
        local_authority_code="E08000019",
        local_authority_name="Sheffield",
        imd_score=Decimal("10.000"),
        imd_rank=100,
        imd_decile=decile,
    )


def test_an_lsoa_alone_is_looked_up_and_otherwise_the_postcode_is(load, manager, programme):
    lsoa("E01000001", 3)
    lsoa("E01000002", 7)
    PostcodeLsoa.objects.create(postcode="S1 2HE", lsoa2011_code="E01000002")
    rows = [
        referral(referral_id="A", lsoa_code="E01000001"),
        referral(referral_id="B"),
        referral(referral_id="C", postcode="S9 9ZZ"),
        referral(referral_id="D", postcode=""),
        referral(referral_id="E", lsoa_code="E01999999"),
    ]

    run(manager, programme, load(rows))

    found = {
        r.reference: (r.lsoa_code, r.imd_decile, r.imd_edition) for r in Referral.objects.all()
    }
    assert found == {
        "A": ("E01000001", 3, "iod2019"),
        "B": ("E01000002", 7, "iod2019"),
        "C": ("", None, ""),
        "D": ("", None, ""),
        "E": ("E01999999", None, ""),
    }


def test_an_ods_code_of_an_organisation_that_is_not_a_practice_is_a_problem(
    load, manager, programme
):
    OrganisationFactory(programme=programme, ods_code="C88001", name="Pain team")

    report = run(manager, programme, load(referrals(2)))

    assert [(p.row, p.column) for p in report.problems] == [
        (2, "practice_ods_code"),
        (3, "practice_ods_code"),
    ]
    assert "not a GP practice" in report.problems[0].message
    assert not Referral.objects.exists()


def test_a_programme_sheet_for_another_programme_is_refused(load, manager, programme):
    workbook = load([referral()], programme=programme_sheet(slug="elsewhere"))

    report = run(manager, programme, workbook)

    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("programme", 2, "slug")]
    assert not Referral.objects.exists()


def test_progress_is_reported_at_the_start_every_so_many_rows_and_at_the_end(
    load, manager, programme
):
    reported = []
    run(
        manager,
        programme,
        load(referrals(5)),
        progress=lambda done, total: reported.append((done, total)),
        progress_every=2,
    )
    assert reported == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_the_plan_counts_what_the_import_would_do_and_writes_nothing(load, manager, programme):
    run(manager, programme, load(referrals(2)))
    rows = [*referrals(2), *referrals(3)[2:]]
    rows[0] = {**rows[0], "sex": "male"}
    events = AuditEvent.objects.count()

    plan = plan_import(programme=programme, workbook=load(rows))

    assert (plan.created, plan.updated, plan.unchanged, plan.written) == (1, 1, 1, False)
    assert Referral.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_reimporting_an_unchanged_file_takes_the_same_queries_however_long_it_is(
    load, manager, programme
):
    def queries(count):
        rows = referrals(count, postcode="", outcome="declined")
        run(manager, programme, load(rows))
        workbook = load(rows)
        with CaptureQueriesContext(connection) as captured:
            report = run(manager, programme, workbook)
        assert report.unchanged == count
        return len(captured)

    assert queries(5) == queries(40)


def test_writes_take_a_constant_number_of_queries_per_row(load, programme, other_programme):
    def queries(programme, count):
        workbook = load(referrals(count, postcode="", outcome="declined"))
        with CaptureQueriesContext(connection) as captured:
            run(None, programme, workbook)
        return len(captured)

    small, large = queries(programme, 5), queries(other_programme, 25)
    assert large - small <= 2 * 20


def test_the_command_import_creates_the_programme_its_sheet_names(load):
    workbook = load(
        referrals(1),
        programme=programme_sheet(slug="riverside", name="Riverside", projected_referrals="120"),
    )

    report = import_programme_workbook(actor=None, workbook=workbook)

    programme = Programme.objects.get(slug="riverside")
    assert (programme.name, programme.projected_referrals) == ("Riverside", 120)
    assert report.programme_created
    assert Referral.objects.get().programme == programme
    assert AuditEvent.objects.filter(action="programmes.programme.created").count() == 1


def test_the_command_import_updates_the_programme_its_sheet_names(load, programme):
    workbook = load(
        referrals(1), programme=programme_sheet(slug=programme.slug, name="Renamed programme")
    )

    report = import_programme_workbook(actor=None, workbook=workbook)

    programme.refresh_from_db()
    assert programme.name == "Renamed programme"
    assert (report.programme_created, report.programme_changed) == (False, ["name"])


def test_without_a_programme_sheet_the_command_import_needs_an_existing_programme(load, programme):
    workbook = load(referrals(1))

    assert [
        p.message for p in import_programme_workbook(actor=None, workbook=workbook).problems
    ] == ["Name the programme to import into."]
    assert [
        p.message
        for p in import_programme_workbook(actor=None, workbook=workbook, slug="nowhere").problems
    ] == ["There is no programme nowhere."]
    report = import_programme_workbook(actor=None, workbook=workbook, slug=programme.slug)
    assert (report.created, report.programme) == (1, programme)


def test_a_dry_run_of_a_new_programme_writes_nothing(load):
    workbook = load(referrals(2), programme=programme_sheet(slug="riverside"))

    report = import_programme_workbook(actor=None, workbook=workbook, dry_run=True)

    assert (report.created, report.written, report.programme_created) == (2, False, True)
    assert report.practices_created == ["C88001"]
    assert not Programme.objects.filter(slug="riverside").exists()
    assert not events_after_setup().exists()


def test_a_programme_change_is_undone_when_the_referrals_are_refused(load):
    programme = Programme.objects.create(slug="riverside", name="Riverside")
    OrganisationFactory(programme=programme, ods_code="C88001")
    workbook = load(referrals(1), programme=programme_sheet(slug="riverside", name="Renamed"))

    report = import_programme_workbook(actor=None, workbook=workbook)

    assert [(p.sheet, p.column) for p in report.problems] == [("referrals", "practice_ods_code")]
    programme.refresh_from_db()
    assert programme.name == "Riverside"
    assert not events_after_setup().exists()


def test_a_programme_sheet_that_disagrees_with_the_slug_given_is_refused(load, programme):
    workbook = load(referrals(1), programme=programme_sheet(slug="riverside"))

    report = import_programme_workbook(actor=None, workbook=workbook, slug=programme.slug)

    assert [(p.sheet, p.column) for p in report.problems] == [("programme", "slug")]
    assert not Programme.objects.filter(slug="riverside").exists()
