"""The network's figures downloaded as a spreadsheet and a PDF, beside JSON and CSV: the
same tables, each read audited, and none for anyone but the network's analysts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from healthtrainer.accounts.roles import Role
from healthtrainer.core.models import AuditEvent
from healthtrainer.network.figures import figures_of, tables
from healthtrainer.network.printable import printable_html

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(analyst, network, fmt, **query):
    return analyst.get(reverse("network:network_download", args=[network.slug, fmt]), query)


def test_the_page_links_every_download(analyst, network):
    page = analyst.get(reverse("network:network", args=[network.slug])).content.decode()
    for fmt in ("pdf", "xlsx", "json"):
        assert reverse("network:network_download", args=[network.slug, fmt]) in page
    assert "figures.csv?table=referrals-by-month" in page


def test_the_spreadsheet_has_a_sheet_per_table_with_numbers_as_numbers(analyst, network):
    response = _download(analyst, network, "xlsx")
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="yorkshire.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    ids = [table.id for table in tables(figures_of(network))]
    assert book.sheetnames == ["About", *ids]
    goals = [list(row) for row in book["goals"].iter_rows(values_only=True)]
    assert goals[0][0].startswith("Built from each programme's published counts")
    assert goals[1][0] == "Goals achieved or partly achieved"
    assert goals[2] == [
        "Programme",
        "Numerator",
        "Denominator",
        "Percentage",
        "Against the limits",
        "Every goal's final status (of those discharged, %)",
    ]
    leeds = next(row for row in goals if row[0] == "Leeds")
    # Nobody discharged yet: no share of final statuses to give, an empty cell.
    assert leeds == ["Leeds", 35, 40, 87.5, "Outside 99.8%", None]
    assert [type(value) for value in leeds[1:4]] == [int, int, float]
    # Each programme has one accepted referral: hidden in the completeness table as "*".
    completeness = {row[0]: row for row in book["completeness"].iter_rows(values_only=True)}
    assert completeness["Whitby"][1] == "*"


def test_the_pdf_holds_each_chart_with_its_table_and_summary(analyst, network):
    html = printable_html(figures_of(network))
    for table in tables(figures_of(network)):
        assert f'id="{table.id}-title"' in html
    # Goals (the one outcome with figures here), crude and adjusted for case-mix, and
    # referrals by month; each programme's one accepted referral is hidden, so the
    # network's month has no completions to chart.
    assert html.count('<svg class="app-chart"') == 3
    assert 'aria-labelledby="chart-goals-achieved-or-partly-achieved-title' in html
    assert "The network&#39;s figure is 55.4%" in html or "The network's figure is 55.4%" in html
    assert "Outside the 95% limits: Leeds (87.5%, beyond 99.8%)." in html
    assert "Too few to show: Whitby." in html
    assert '<th scope="row">Leeds</th><td class="nhsuk-table__cell--numeric">35</td>' in html

    response = _download(analyst, network, "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="yorkshire.pdf"'
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    first = reader.pages[0]
    # A4, a page for the contents and one for each table.
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    assert len(reader.pages) >= 1 + len(tables(figures_of(network)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Published figures \u2013 Yorkshire" in reader.pages[1].extract_text()
    assert "Goals achieved or partly achieved" in text
    assert "Leeds" in text
    assert f"Page 2 of {len(reader.pages)}" in text


def test_json_and_csv_hold_the_month_by_month_completion_table(analyst, network):
    body = _download(analyst, network, "json").json()
    assert body["tables"]["completed-by-month"]["columns"][:2] == ["Month", "Completed"]
    response = _download(analyst, network, "csv", table="completed-by-month")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().startswith("Month,Completed,Mean,")


@pytest.mark.parametrize(
    ("fmt", "query", "action"),
    [
        ("json", {}, "network.figures.exported_json"),
        ("csv", {"table": "goals"}, "network.figures.exported_csv"),
        ("xlsx", {}, "network.figures.exported_xlsx"),
    ],
)
def test_each_download_is_audited(analyst, network, fmt, query, action):
    assert _download(analyst, network, fmt, **query).status_code == 200
    event = AuditEvent.objects.get(action=action)
    assert (event.object_type, event.object_id) == ("network.network", str(network.pk))
    assert event.actor is not None


def test_viewing_the_page_is_audited(analyst, network):
    analyst.get(reverse("network:network", args=[network.slug]))
    assert AuditEvent.objects.filter(action="network.figures.viewed").count() == 1


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_nobody_else_downloads_them(network, client_as, fmt):
    url = reverse("network:network_download", args=[network.slug, fmt])
    for persona in (Role.PROGRAMME_MANAGER, Role.EVALUATOR):
        assert client_as(persona).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="network.figures").exists()
