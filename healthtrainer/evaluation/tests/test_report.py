"""The evaluation report: one set of figures, under disclosure control, in every format."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from healthtrainer.accounts.roles import ADMINISTRATOR, Role
from healthtrainer.casework.models import Appointment, FollowUp, Goal
from healthtrainer.clients.models import Client
from healthtrainer.core.models import AuditEvent
from healthtrainer.core.period import Period
from healthtrainer.core.tests.test_charts_layout import assert_labels_read
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.metrics import REGISTRY, compute
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.formats import as_csv, as_json, as_xlsx
from healthtrainer.evaluation.report.output import pdf, printable_html
from healthtrainer.measures.models import Instrument, QuestionnaireResponse
from healthtrainer.qualitative import services as qualitative
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import PracticeFactory, ReferralFactory, collect


def _referrals(programme, count, *, decile=1, employment="04", received=date(2011, 5, 3)):
    practice = PracticeFactory(programme=programme, registered_list_size=5000)
    for _ in range(count):
        ReferralFactory(
            practice=practice,
            imd_decile=decile,
            employment_status=employment,
            received_date=received,
        )


@pytest.fixture
def thirteen(world):
    """13 referrals: 9 from quintile 1 and long-term sick, 4 from quintile 5 and employed."""
    _referrals(world.programme, 9)
    _referrals(world.programme, 4, decile=10, employment="01")
    return world.programme


def test_exact_headlines_are_the_registry_figures(thirteen):
    report = build_report(thirteen, Period(), Disclosure.EXACT)
    figures = compute(
        ["referral.count", "referral.pct_most_deprived_quintile", "flow.referred"],
        thirteen,
        Period(),
    )
    assert report.metrics["referral.count"].value == figures["referral.count"] == 13
    deprived = report.metrics["referral.pct_most_deprived_quintile"]
    ratio = figures["referral.pct_most_deprived_quintile"]
    assert (deprived.value, deprived.numerator, deprived.denominator) == (
        ratio.percentage,
        ratio.numerator,
        ratio.denominator,
    )
    assert report.metrics["flow.referred"].value == figures["flow.referred"]


def test_published_figures_round_counts_and_hide_small_ones(thirteen):
    report = build_report(thirteen, Period(), Disclosure.PUBLISHED)
    assert report.metrics["referral.count"].value == 15
    employed = report.metrics["referral.pct_employed"]
    # 4 of 13 employed: 4 is hidden, so the percentage is too.
    assert (employed.numerator, employed.denominator, employed.value) == ("*", 15, "*")
    deprived = report.metrics["referral.pct_most_deprived_quintile"]
    # 9 of 13 becomes 10 of 15: 66.7%, from the rounded counts.
    assert (deprived.numerator, deprived.denominator, str(deprived.value)) == (10, 15, "66.7")
    flow = next(table for table in report.tables if table.id == "flow")
    assert flow.rows[0][1] == 15
    assert "Published figures" in report.disclosure_statement


def test_an_empty_programme_reports_no_data_without_errors(world):
    report = build_report(world.programme, Period(), Disclosure.PUBLISHED)
    assert report.metrics["goals.pct_achieved_or_partly"].value is None
    assert report.metrics["referral.count"].value == 0
    assert as_json(report)["metrics"]["goals.pct_achieved_or_partly"]["value"] is None
    assert "Goals achieved or partly achieved" in printable_html(report)
    assert "no data" in printable_html(report)
    assert pdf(report)[:5] == b"%PDF-"


def _clients_with_outcomes(programme, trainer, count, offset):
    """`count` accepted clients, each with a session, a goal, a follow-up and well-being
    before and after: bulk-made, so that 1,000 are quick to build."""
    practice = PracticeFactory(programme=programme, registered_list_size=8000)
    instrument = Instrument.objects.get(code="swemwbs")
    clients = Client.objects.bulk_create(
        Client(
            programme=programme,
            given_name=f"Given{offset + n}",
            family_name="Family",
            date_of_birth=date(1950 + n % 40, 1, 1),
            sex="female" if n % 2 else "male",
        )
        for n in range(count)
    )
    episodes = Referral.objects.bulk_create(
        Referral(
            programme=programme,
            practice=practice,
            reference=f"Q-{offset + n}",
            received_date=date(2011, 1 + n % 12, 1 + n % 28),
            given_name=client.given_name,
            family_name=client.family_name,
            date_of_birth=client.date_of_birth,
            sex=client.sex,
            pain_duration_months=24,
            imd_decile=1 + n % 10,
            employment_status=["01", "04", "ZZ"][n % 3],
            ethnic_category="A",
            status="accepted",
            client=client,
            assigned_trainer=trainer,
            first_contact_date=date(2011, 1 + n % 12, 1 + n % 28),
        )
        for n, client in enumerate(clients)
    )
    Appointment.objects.bulk_create(
        Appointment(
            programme=programme,
            episode=episode,
            trainer=trainer,
            starts_at=timezone.make_aware(datetime(2011, 6, 1, 10)),
            mode="telephone",
            attendance="attended",
        )
        for episode in episodes
    )
    Goal.objects.bulk_create(
        Goal(
            programme=programme,
            episode=episode,
            description="Walk",
            domain="activity",
            set_on=date(2011, 6, 1),
            final_status=["achieved", "not_achieved"][n % 2],
        )
        for n, episode in enumerate(episodes)
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            programme=programme,
            episode=episode,
            due_on=date(2011, 12, 1),
            contacted_on=date(2011, 12, 1),
            reached=True,
            maintaining_strategies="yes",
            gp_visits_last_3_months=n % 3,
        )
        for n, episode in enumerate(episodes)
    )
    QuestionnaireResponse.objects.bulk_create(
        QuestionnaireResponse(
            programme=programme,
            episode=episode,
            instrument=instrument,
            timepoint=timepoint,
            completed_on=date(2011, 7, 1),
            total=total,
            source="import",
        )
        for episode in episodes
        for timepoint, total in (("baseline", 17.43), ("exit", 19.25))
    )


def test_the_report_runs_the_same_queries_for_10_and_for_1000_clients(world):
    collect(world.programme, "swemwbs", primary=True)
    trainer = world.people[Role.HEALTH_TRAINER]

    def queries_with(count, offset):
        _clients_with_outcomes(world.programme, trainer, count, offset)
        with CaptureQueriesContext(connection) as captured:
            report = build_report(world.programme, Period(), Disclosure.EXACT)
        return len(captured), report

    few, _ = queries_with(10, 0)
    many, report = queries_with(990, 10)
    assert report.metrics["referral.count"].value == 1000
    assert report.metrics["wellbeing.n_paired"].value == 1000
    assert few == many


def test_json_has_each_metric_with_its_value_numerator_denominator_and_definition(thirteen):
    data = as_json(build_report(thirteen, Period(date(2011, 1, 1)), Disclosure.PUBLISHED))
    assert data["programme"] == thirteen.slug
    assert data["period"] == {"from": "2011-01-01", "to": None}
    assert data["disclosure"] == "published"
    deprived = data["metrics"]["referral.pct_most_deprived_quintile"]
    assert deprived["value"] == pytest.approx(66.7)
    assert (deprived["numerator"], deprived["denominator"]) == (10, 15)
    assert "national quintile 1" in deprived["definition"]
    json.dumps(data)


def test_csv_and_xlsx_state_the_disclosure_on_every_line_and_sheet(thirteen):
    report = build_report(thirteen, Period(), Disclosure.PUBLISHED)
    rows = list(csv.DictReader(io.StringIO(as_csv(report))))
    assert rows
    assert {row["disclosure"] for row in rows} == {"published"}
    month = [row for row in rows if row["table"] == "Referrals by month"]
    assert next((row["row"], row["column"], row["value"]) for row in month) == (
        "May 2011",
        "Referrals",
        "15",
    )
    only_goals = list(csv.DictReader(io.StringIO(as_csv(report, "goals"))))
    assert {row["table"] for row in only_goals} == {"Goals by final status"}
    book = load_workbook(io.BytesIO(as_xlsx(report)))
    assert len(book.sheetnames) == len(report.tables) + 1
    for sheet in book.worksheets:
        assert sheet["A1"].value == report.disclosure_statement


def test_the_pdf_is_a4_with_contents_page_numbers_date_and_the_headline_figures(thirteen):
    report = build_report(thirteen, Period(), Disclosure.PUBLISHED)
    reader = PdfReader(io.BytesIO(pdf(report)))
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Contents" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert f"Generated {report.generated_at:%d %B %Y}" in text
    assert "Published figures" in text
    assert "66.7%" in text
    assert "Referrals received 15" in text
    for page in reader.pages:
        assert "Published figures" in page.extract_text()


def _page(client, programme, **query):
    return client.get(reverse("evaluation:report", args=[programme.slug]), query)


def test_an_evaluator_sees_published_figures_only(thirteen, client_as):
    page = _page(client_as(Role.EVALUATOR), thirteen, disclosure="exact")
    text = page.content.decode()
    assert page.status_code == 200
    assert "You can only see published figures" in text
    assert "Published figures:" in text
    download = client_as(Role.EVALUATOR).get(
        reverse("evaluation:report_download", args=[thirteen.slug, "json"]),
        {"disclosure": "exact"},
    )
    assert download.status_code == 400
    assert download["Content-Type"].startswith("text/html")
    assert "You can only see published figures" in download.content.decode()


@pytest.mark.parametrize("persona", [Role.PROGRAMME_MANAGER, ADMINISTRATOR])
def test_managers_and_administrators_may_choose_exact_figures(thirteen, client_as, persona):
    client = client_as(persona)
    assert "Exact figures" in _page(client, thirteen, disclosure="exact").content.decode()
    download = client.get(
        reverse("evaluation:report_download", args=[thirteen.slug, "json"]),
        {"disclosure": "exact"},
    )
    assert json.loads(download.content)["metrics"]["referral.count"]["value"] == 13


def test_downloads_default_to_published_and_are_audited(thirteen, client_as):
    client = client_as(Role.PROGRAMME_MANAGER)
    download = client.get(reverse("evaluation:report_download", args=[thirteen.slug, "json"]))
    assert json.loads(download.content)["disclosure"] == "published"
    assert "evaluation-" in download["Content-Disposition"]
    event = AuditEvent.objects.get(action="evaluation.report.exported_json")
    assert event.programme == thirteen
    assert event.changed_fields == ["published"]


def test_unknown_formats_and_tables_are_not_found(thirteen, client_as):
    client = client_as(Role.PROGRAMME_MANAGER)
    assert client.get(f"/p/{thirteen.slug}/evaluation/report.doc").status_code == 404
    missing = client.get(
        reverse("evaluation:report_download", args=[thirteen.slug, "csv"]), {"table": "nope"}
    )
    assert missing.status_code == 404


def test_the_command_writes_each_format(thirteen, tmp_path):
    target = tmp_path / "report.json"
    call_command(
        "evaluation_report",
        "--programme",
        thirteen.slug,
        "--from",
        "2011-01-01",
        "--to",
        "2011-12-31",
        "--format",
        "json",
        "--output",
        str(target),
    )
    data = json.loads(target.read_text())
    assert data["disclosure"] == "published"
    assert data["period"] == {"from": "2011-01-01", "to": "2011-12-31"}
    call_command(
        "evaluation_report",
        "--programme",
        thirteen.slug,
        "--format",
        "xlsx",
        "--disclosure",
        "exact",
        "--output",
        str(tmp_path / "report.xlsx"),
    )
    assert load_workbook(tmp_path / "report.xlsx")["About"]["B4"].value == "exact"
    with pytest.raises(CommandError, match="no programme"):
        call_command("evaluation_report", "--programme", "nope", "--format", "json")


def test_chosen_quotes_appear_pseudonymised_in_their_aspects_section(world):
    manager = world.people[Role.PROGRAMME_MANAGER]
    participant = qualitative.participant_save(
        actor=manager,
        programme=world.programme,
        details=qualitative.ParticipantDetails(
            label="GP 1", role="gp", consent_given=True, consent_recorded_on=date(2026, 11, 1)
        ),
    )
    document = qualitative.document_create(
        actor=manager,
        participant=participant,
        kind="interview",
        title="GP interview",
        text="Dr Patel said referring was quick.",
        source_name="pasted",
        replacements=[("Patel", "GP 1")],
    )
    theme = qualitative.theme_save(
        actor=manager,
        programme=world.programme,
        name="Easy referral",
        description="",
        aspect="gp_referral",
    )
    code = qualitative.code_save(
        actor=manager,
        programme=world.programme,
        details=qualitative.CodeDetails(name="Quick", theme=theme),
    )
    (coding,) = qualitative.coding_add(
        actor=manager, document=document, codes=[code], start=0, end=33, version=1
    )
    qualitative.coding_choose_for_report(actor=manager, coding=coding, chosen=True)
    report = build_report(world.programme, Period(), Disclosure.PUBLISHED)
    referral = next(section for section in report.sections if section.id == "gp-referral")
    quotes = next(table for table in referral.tables if table.id == "quotes-gp-referral")
    assert quotes.rows == [("Easy referral", "GP 1 (GP)", "Dr GP 1 said referring was quick.")]
    assert "Patel" not in json.dumps(as_json(report))
    lines = list(csv.DictReader(io.StringIO(as_csv(report, "quotes-gp-referral"))))
    assert [(line["row"], line["column"]) for line in lines] == [
        ("Easy referral", "Who"),
        ("Easy referral", "In their words"),
    ]
    assert all(
        not table.id.startswith("quotes")
        for section in report.sections[1:]
        for table in section.tables
    )


def _visible_text(html: str) -> str:
    without_scripts = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", without_scripts)


def test_the_report_page_names_figures_in_words_never_by_metric_id(thirteen, client_as):
    text = _visible_text(_page(client_as(Role.PROGRAMME_MANAGER), thirteen).content.decode())
    shown = [metric_id for metric_id in REGISTRY if re.search(rf"\b{re.escape(metric_id)}\b", text)]
    assert not shown
    assert "Referrals received" in text


def test_every_chart_in_the_printed_report_keeps_its_labels_apart_and_inside(thirteen):
    html = printable_html(build_report(thirteen, Period(), Disclosure.PUBLISHED))
    pictures = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(pictures) >= 3
    for picture in pictures:
        assert_labels_read(picture, [])
