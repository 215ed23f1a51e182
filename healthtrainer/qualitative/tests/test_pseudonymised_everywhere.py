"""An evaluator sees no name that a document's replacements hide: not in the text, nor in a
title, participant label, memo, code definition or example, theme description, framework
summary or file name, on any qualitative page or in any export."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from healthtrainer.accounts.roles import Role
from healthtrainer.qualitative import services
from healthtrainer.qualitative.models import Document
from healthtrainer.tests.factories import accepted_episode

NAME = "Sarah Patel"
PSEUDONYM = "Client A"
# The name as typed in each place, in another case than the replacement line names it.
SAID = "sarah PATEL"


@pytest.fixture
def planted(world, client_as):
    """A document uploaded by an evaluator, naming its participant everywhere."""
    manager = world.people[Role.PROGRAMME_MANAGER]
    evaluator = world.people[Role.EVALUATOR]
    episode = accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)
    participant = services.participant_save(
        actor=manager,
        programme=world.programme,
        details=services.ParticipantDetails(
            label=NAME,
            role="client",
            client=episode.client,
            consent_given=True,
            consent_recorded_on=timezone.localdate(),
        ),
    )
    response = client_as(Role.EVALUATOR).post(
        reverse("qualitative:document_new", args=[world.programme.slug]),
        {
            "participant": participant.pk,
            "kind": "interview",
            "title": f"Interview with {SAID}",
            "upload": SimpleUploadedFile(
                f"{NAME} interview.txt", f"{NAME} said pacing helped her walk again.".encode()
            ),
            "replacements": f"{NAME} = {PSEUDONYM}",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert NAME in document.source_name
    theme = services.theme_save(
        actor=evaluator,
        programme=world.programme,
        name="Pacing",
        description=f"What {SAID} and others said about pacing",
        aspect="client_outcomes",
    )
    code = services.code_save(
        actor=evaluator,
        programme=world.programme,
        details=services.CodeDetails(
            name="Pacing helps",
            definition=f"As {SAID} put it, pacing helps",
            example=f"{SAID}: pacing helped her walk again",
            theme=theme,
        ),
    )
    codings = [
        services.coding_add(
            actor=coder,
            document=document,
            codes=[code],
            start=0,
            end=len(PSEUDONYM) + 5,
            version=document.version,
        )[0]
        for coder in (evaluator, manager)
    ]
    for target in ({"document": document}, {"code": code}, {"coding": codings[0]}):
        services.memo_add(actor=evaluator, text=f"{SAID} sounded relieved", **target)
    services.framework_cell_save(
        actor=evaluator,
        participant=participant,
        theme=theme,
        summary=f"{SAID} found pacing the key",
        quotes=codings[:1],
    )
    return world, participant, document, code, codings


def _pages(world, participant, document, code, codings) -> list[tuple[str, dict]]:
    slug = world.programme.slug
    evaluator, manager = codings[0].coder, codings[1].coder
    return [
        (reverse("qualitative:documents", args=[slug]), {}),
        (reverse("qualitative:document", args=[slug, document.pk]), {}),
        (reverse("qualitative:document_new", args=[slug]), {}),
        (reverse("qualitative:participants", args=[slug]), {}),
        (reverse("qualitative:codebook", args=[slug]), {}),
        (reverse("qualitative:code", args=[slug, code.pk]), {}),
        (reverse("qualitative:agreement", args=[slug]), {}),
        (
            reverse("qualitative:agreement", args=[slug]),
            {
                "first": evaluator.pk,
                "second": manager.pk,
                "documents": document.pk,
                "codes": code.pk,
            },
        ),
        (
            reverse("qualitative:compare", args=[slug, document.pk]),
            {"first": evaluator.pk, "second": manager.pk},
        ),
        (reverse("qualitative:framework", args=[slug]), {}),
        (
            reverse("qualitative:framework_cell", args=[slug, participant.pk, code.theme_id]),
            {},
        ),
        (reverse("qualitative:joint", args=[slug]), {}),
        (reverse("qualitative:segments_export", args=[slug, "csv"]), {}),
        (reverse("qualitative:segments_export", args=[slug, "xlsx"]), {}),
        (reverse("qualitative:codebook_export", args=[slug, "csv"]), {}),
        (reverse("qualitative:codebook_export", args=[slug, "qdc"]), {}),
    ]


def _text(address: str, content: bytes) -> str:
    if address.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(content))
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode()


def _mentions_the_name(text: str) -> bool:
    return re.search(r"sarah\W+patel", text, re.IGNORECASE) is not None


def test_an_evaluator_sees_pseudonyms_where_names_were_typed(planted, client_as):
    evaluator = client_as(Role.EVALUATOR)
    for address, query in _pages(*planted):
        response = evaluator.get(address, query)
        assert response.status_code == 200, address
        text = _text(address, response.content)
        assert not _mentions_the_name(text), address
        assert PSEUDONYM in text, address


def test_the_message_after_an_upload_names_the_pseudonym(world, client_as):
    manager = world.people[Role.PROGRAMME_MANAGER]
    participant = services.participant_save(
        actor=manager,
        programme=world.programme,
        details=services.ParticipantDetails(
            label="Client B",
            role="client",
            consent_given=True,
            consent_recorded_on=timezone.localdate(),
        ),
    )
    response = client_as(Role.EVALUATOR).post(
        reverse("qualitative:document_new", args=[world.programme.slug]),
        {
            "participant": participant.pk,
            "kind": "interview",
            "title": f"Interview with {NAME}",
            "pasted": f"{NAME} said pacing helped.",
            "replacements": f"{NAME} = {PSEUDONYM}",
        },
        follow=True,
    )
    text = response.content.decode()
    assert f"Interview with {PSEUDONYM} added" in text
    assert not _mentions_the_name(text)


def test_the_manager_still_reads_the_original_title_and_text(planted, client_as):
    world, _, document, _, _ = planted
    response = client_as(Role.PROGRAMME_MANAGER).get(
        reverse("qualitative:original", args=[world.programme.slug, document.pk])
    )
    text = response.content.decode()
    assert f"Interview with {SAID}" in text
    assert f"{NAME} said pacing helped" in text


def test_a_name_listed_by_a_later_document_is_hidden_in_what_was_written_before(planted, client_as):
    world, participant, _, code, _ = planted
    services.memo_add(
        actor=world.people[Role.EVALUATOR], text="Her brother Tom Patel drove her", code=code
    )
    address = reverse("qualitative:code", args=[world.programme.slug, code.pk])
    evaluator = client_as(Role.EVALUATOR)
    assert "Tom Patel" in evaluator.get(address).content.decode()
    services.document_create(
        actor=world.people[Role.PROGRAMME_MANAGER],
        participant=participant,
        kind="interview",
        title="Second interview",
        text="Tom Patel came too.",
        source_name="pasted",
        replacements=[("Tom Patel", "Relative 1")],
    )
    text = evaluator.get(address).content.decode()
    assert "Tom Patel" not in text
    assert "Her brother Relative 1 drove her" in text


def test_the_report_quotes_name_no_one(planted, client_as):
    world, _, _, _, codings = planted
    services.coding_choose_for_report(actor=codings[0].coder, coding=codings[0], chosen=True)
    evaluator = client_as(Role.EVALUATOR)
    slug = world.programme.slug
    addresses = [reverse("evaluation:report", args=[slug])] + [
        reverse("evaluation:report_download", args=[slug, fmt])
        for fmt in ("html", "csv", "xlsx", "json")
    ]
    for address in addresses:
        response = evaluator.get(address)
        assert response.status_code == 200, address
        text = _text(address, response.content)
        assert PSEUDONYM in text, address
        assert not _mentions_the_name(text), address
