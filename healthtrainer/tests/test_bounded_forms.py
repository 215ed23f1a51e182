"""Pages given numbers no column holds, digits of other scripts, and archives that unpack
far beyond their size: each answers with its own message, never a server error."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import SessionRecord
from healthtrainer.imports import files as workbook_files
from healthtrainer.imports.tests.workbooks import csv_bytes, referrals, table, write_xlsx
from healthtrainer.qualitative import services as qualitative
from healthtrainer.qualitative import text
from healthtrainer.qualitative.models import Coding, Document
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import AppointmentFactory, accepted_episode, coded_interview
from healthtrainer.workforce.models import CourseSession
from healthtrainer.workforce.services.training import CourseDetails, course_create

TOO_LARGE_FOR_ANY_COLUMN = "99999999999999999999999"
# A digit, but not an ASCII one, which Python's int() refuses while str.isdigit() allows it.
SUPERSCRIPT_TWO = "\u00b2"
NOT_A_CHOICE = "is not one of the available choices"


def _qualitative(world, name, *args):
    return reverse(f"qualitative:{name}", args=[world.programme.slug, *args])


@pytest.fixture
def interview(world):
    manager, evaluator = world.people[Role.PROGRAMME_MANAGER], world.people[Role.EVALUATOR]
    return coded_interview(world.programme, analyst=manager, coders=[manager, evaluator], label="A")


@pytest.mark.parametrize("key", [TOO_LARGE_FOR_ANY_COLUMN, SUPERSCRIPT_TWO])
def test_coding_with_a_code_id_no_column_holds_is_a_form_error(world, client_as, interview, key):
    document, code, _ = interview
    codings = Coding.objects.count()

    response = client_as(Role.EVALUATOR).post(
        _qualitative(world, "coding_add", document.pk),
        {"codes": [str(code.pk), key], "start": "0", "end": "5", "version": document.version},
    )

    # The document page answers a refused coding with 400, its form errors shown.
    assert response.status_code == 400
    assert NOT_A_CHOICE in response.content.decode()
    assert Coding.objects.count() == codings


@pytest.mark.parametrize("key", [TOO_LARGE_FOR_ANY_COLUMN, SUPERSCRIPT_TWO])
@pytest.mark.parametrize("field", ["documents", "codes"])
def test_agreement_asked_for_ids_no_column_holds_is_a_form_error(
    world, client_as, interview, field, key
):
    document, code, _ = interview
    manager = world.people[Role.PROGRAMME_MANAGER]
    query = {
        "first": manager.pk,
        "second": world.people[Role.EVALUATOR].pk,
        "documents": [document.pk],
        "codes": [code.pk],
    }
    query[field] = [*query[field], key]

    response = client_as(Role.EVALUATOR).get(_qualitative(world, "agreement"), query)

    assert response.status_code == 200
    assert NOT_A_CHOICE in response.content.decode()


def _arabic_indic(number: int) -> str:
    return "".join(chr(0x0660 + int(digit)) for digit in str(number))


@pytest.mark.parametrize(
    "spelling",
    [_arabic_indic, lambda pk: f"\u0660{pk}", lambda pk: f" {pk}", lambda pk: f"{pk}\u00b2"],
    ids=["arabic-indic", "arabic-indic-zero-first", "space-first", "superscript-last"],
)
def test_the_side_by_side_view_takes_coders_by_their_ascii_number_only(
    world, client_as, interview, spelling
):
    document, _, _ = interview
    first = world.people[Role.PROGRAMME_MANAGER].pk
    second = world.people[Role.EVALUATOR].pk
    address = _qualitative(world, "compare", document.pk)
    evaluator = client_as(Role.EVALUATOR)
    assert evaluator.get(address, {"first": spelling(first), "second": second}).status_code == 404
    assert evaluator.get(address, {"first": first, "second": second}).status_code == 200


def test_a_framework_cell_quoting_an_id_no_column_holds_is_a_form_error(
    world, client_as, interview
):
    document, _, (coding, _) = interview
    theme = qualitative.theme_save(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        name="Pacing",
        description="",
        aspect="",
    )

    response = client_as(Role.EVALUATOR).post(
        _qualitative(world, "framework_cell", document.participant_id, theme.pk),
        {"summary": "Paces", "quotes": [str(coding.pk), TOO_LARGE_FOR_ANY_COLUMN]},
    )

    assert response.status_code == 200
    assert NOT_A_CHOICE in response.content.decode()


@pytest.mark.parametrize("field", ["techniques", "strategies"])
@pytest.mark.parametrize("key", [TOO_LARGE_FOR_ANY_COLUMN, SUPERSCRIPT_TWO])
def test_a_session_ticking_an_id_no_column_holds_is_a_form_error(world, client_as, field, key):
    trainer = world.people[Role.HEALTH_TRAINER]
    episode = accepted_episode(trainer, world.programme)
    appointment = AppointmentFactory(episode=episode, starts_at=timezone.now() - timedelta(days=1))

    response = client_as(Role.HEALTH_TRAINER).post(
        reverse("casework:session", args=[world.programme.slug, appointment.pk]),
        {"duration_minutes": "40", field: [key]},
    )

    assert response.status_code == 200
    assert NOT_A_CHOICE in response.content.decode()
    assert not SessionRecord.objects.exists()


def test_a_course_session_attended_by_an_id_no_column_holds_is_a_form_error(world, client_as):
    manager = world.people[Role.PROGRAMME_MANAGER]
    course = course_create(
        actor=manager,
        programme=world.programme,
        details=CourseDetails(title="CB skills", cost=Decimal("0")),
    )
    held_on = timezone.localdate() - timedelta(days=1)

    response = client_as(Role.PROGRAMME_MANAGER).post(
        reverse("workforce:training_session_new", args=[world.programme.slug, course.pk]),
        {
            "held_on[day]": held_on.day,
            "held_on[month]": held_on.month,
            "held_on[year]": held_on.year,
            "hours": "2",
            "attendees": [world.people[Role.HEALTH_TRAINER].pk, TOO_LARGE_FOR_ANY_COLUMN],
        },
    )

    assert response.status_code == 200
    assert "Choose only health trainers of this programme" in response.content.decode()
    assert not CourseSession.objects.exists()


# Archives ------------------------------------------------------------------------------------


def _docx_unpacking_to(size: int) -> bytes:
    """A Word document whose one paragraph unpacks to `size` bytes of text, written in
    chunks so the test never holds it whole."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as xml,
    ):
        xml.write(
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
            b'2006/main"><w:body><w:p><w:r><w:t>'
        )
        chunk = b"a" * (1024 * 1024)
        for _ in range(size // len(chunk)):
            xml.write(chunk)
        xml.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def test_a_docx_that_unpacks_far_beyond_the_limit_is_refused_with_the_forms_message(
    world, client_as, monkeypatch
):
    monkeypatch.setattr(text, "MAX_DOCX_UNPACKED_BYTES", 4 * 1024 * 1024)
    upload = _docx_unpacking_to(60 * 1024 * 1024)
    assert len(upload) < text.MAX_BYTES
    participant = qualitative.participant_save(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        details=qualitative.ParticipantDetails(
            label="Client A",
            role="client",
            consent_given=True,
            consent_recorded_on=timezone.localdate(),
        ),
    )

    response = client_as(Role.EVALUATOR).post(
        _qualitative(world, "document_new"),
        {
            "participant": participant.pk,
            "kind": "interview",
            "title": "Interview 1",
            "upload": SimpleUploadedFile("interview.docx", upload),
        },
    )

    assert response.status_code == 200
    assert "The document is too large once unpacked" in response.content.decode()
    assert not Document.objects.exists()


def _import(client, world, name, content):
    return client.post(
        reverse("imports:upload", args=[world.programme.slug]),
        {"workbook": SimpleUploadedFile(name, content)},
    )


def _zip_bytes(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_workbook_zip_of_too_many_entries_is_refused_with_the_imports_message(world, client_as):
    entries = {"referrals.csv": csv_bytes(table(referrals(2)))}
    # Skipped as the litter of a Mac's archiver, yet each is an entry to be listed.
    entries |= {f"__MACOSX/._{n}": b"" for n in range(workbook_files.MAX_ENTRIES)}

    response = _import(client_as(Role.PROGRAMME_MANAGER), world, "history.zip", _zip_bytes(entries))

    assert response.status_code == 200
    assert "too large once unpacked" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_workbook_zip_with_a_damaged_sheet_is_refused_with_the_imports_message(world, client_as):
    sheet = csv_bytes(table(referrals(2)))
    archive = bytearray(_zip_bytes({"referrals.csv": sheet}, zipfile.ZIP_STORED))
    start = archive.index(sheet)
    archive[start + len(sheet) // 2] ^= 0xFF

    response = _import(client_as(Role.PROGRAMME_MANAGER), world, "history.zip", bytes(archive))

    assert response.status_code == 200
    assert "the .zip is damaged" in response.content.decode()
    assert not Referral.objects.exists()


def test_an_xlsx_whose_shared_strings_unpack_beyond_their_share_is_refused(
    world, client_as, settings, tmp_path
):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    shared_strings_limit = (
        settings.IMPORT_MAX_BYTES
        * workbook_files.UNPACKED_SIZE_FACTOR
        // workbook_files.SHARED_STRINGS_SHARE
    )
    plain = zipfile.ZipFile(write_xlsx(tmp_path / "w.xlsx", {"referrals": table(referrals(2))}))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in plain.infolist():
            content = plain.read(entry)
            if entry.filename == "[Content_Types].xml" and b"sharedStrings" not in content:
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                    b"</Types>",
                )
            if entry.filename != "xl/sharedStrings.xml":
                bomb.writestr(entry, content)
        with bomb.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            strings.write(b"<si><t>a</t></si>" * (2 * shared_strings_limit // 17))
            strings.write(b"</sst>")
    upload = buffer.getvalue()
    assert len(upload) < settings.IMPORT_MAX_BYTES

    response = _import(client_as(Role.PROGRAMME_MANAGER), world, "history.xlsx", upload)

    assert response.status_code == 200
    assert "too large once unpacked" in response.content.decode()
    assert not Referral.objects.exists()
