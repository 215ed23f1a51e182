"""The qualitative pages: scoping, pseudonymised text, coding and its refusals, uploads,
the codebook through the web, agreement and exports."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.core.models import AuditEvent
from healthtrainer.qualitative import services
from healthtrainer.qualitative.agreement import NOTHING_LEFT, NOTHING_LEFT_POOLED
from healthtrainer.qualitative.models import Code, Coding, Document
from healthtrainer.tests.factories import MembershipFactory, accepted_episode

TEXT = "Jane Smith told Dr Patel that pacing helped. Pacing helped her walk again."


@pytest.fixture
def manager(world):
    return world.people[Role.PROGRAMME_MANAGER]


def _participant(world, label="Client A", client=None, consent=True):
    return services.participant_save(
        actor=world.people[Role.PROGRAMME_MANAGER],
        programme=world.programme,
        details=services.ParticipantDetails(
            label=label,
            role="client",
            client=client,
            consent_given=consent,
            consent_recorded_on=timezone.localdate() if consent else None,
        ),
    )


@pytest.fixture
def document(world, manager):
    episode = accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)
    return services.document_create(
        actor=manager,
        participant=_participant(world, client=episode.client),
        kind="case_study",
        title="Case study A",
        text=TEXT,
        source_name="pasted",
        replacements=[("Jane Smith", "Client A"), ("Patel", "GP 1")],
    )


@pytest.fixture
def pacing(world, manager):
    return services.code_save(
        actor=manager, programme=world.programme, details=services.CodeDetails(name="Pacing")
    )


def _url(world, name, *args):
    return reverse(f"qualitative:{name}", args=[world.programme.slug, *args])


def test_a_trainer_reads_documents_about_their_own_clients_only(world, document, client_as):
    trainer = client_as(Role.HEALTH_TRAINER)
    assert trainer.get(_url(world, "document", document.pk)).status_code == 200
    other_trainer = MembershipFactory(programme=world.programme, role=Role.HEALTH_TRAINER).user
    other = services.document_create(
        actor=world.people[Role.PROGRAMME_MANAGER],
        participant=_participant(
            world, "Client B", accepted_episode(other_trainer, world.programme).client
        ),
        kind="case_study",
        title="Case study B",
        text="Another story.",
        source_name="pasted",
        replacements=[],
    )
    assert trainer.get(_url(world, "document", other.pk)).status_code == 404
    listed = trainer.get(_url(world, "documents")).content.decode()
    assert "Case study A" in listed
    assert "Case study B" not in listed


def test_evaluators_see_the_pseudonymised_copy_only(world, document, client_as):
    evaluator = client_as(Role.EVALUATOR)
    page = evaluator.get(_url(world, "document", document.pk)).content.decode()
    assert "Client A told Dr GP 1" in page
    assert "Jane Smith" not in page
    assert "Patel" not in page
    assert evaluator.get(_url(world, "original", document.pk)).status_code == 403
    original = client_as(Role.PROGRAMME_MANAGER).get(_url(world, "original", document.pk))
    assert "Jane Smith told Dr Patel" in original.content.decode()
    assert AuditEvent.objects.filter(action="qualitative.document.original_viewed").exists()
    assert AuditEvent.objects.filter(action="qualitative.document.viewed").count() == 1


def test_a_document_needs_the_participants_consent(world, manager):
    with pytest.raises(ValidationError, match="consent"):
        services.document_create(
            actor=manager,
            participant=_participant(world, consent=False),
            kind="interview",
            title="Interview",
            text="Words",
            source_name="pasted",
            replacements=[],
        )


def _code(client, world, document, **data):
    payload = {"version": document.version, **data}
    return client.post(_url(world, "coding_add", document.pk), payload)


def test_selected_or_typed_words_are_coded_with_coder_and_time(world, document, pacing, client_as):
    evaluator = client_as(Role.EVALUATOR)
    start = document.analysis_text.index("pacing helped")
    response = _code(
        evaluator,
        world,
        document,
        codes=[pacing.pk],
        start=start,
        end=start + len("pacing helped"),
        quote="pacing helped",
    )
    assert response.status_code == 302
    # By keyboard: the words typed, the second time they appear.
    _code(evaluator, world, document, codes=[pacing.pk], quote="helped", occurrence=2)
    codings = list(Coding.objects.order_by("start"))
    assert [coding.quote for coding in codings] == ["pacing helped", "helped"]
    assert codings[1].start == document.analysis_text.rindex("helped")
    assert {coding.coder for coding in codings} == {world.people[Role.EVALUATOR]}
    # Overlapping codings are allowed.
    _code(evaluator, world, document, codes=[pacing.pk], quote="Pacing helped her")
    assert Coding.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": 5, "end": 9999}, "must lie within the document"),
        ({"quote": "not in the text"}, "Those words are not in the document"),
        ({"quote": "helped", "occurrence": 3}, "do not appear 3 times"),
        ({}, "Select text in the document"),
    ],
)
def test_a_coding_outside_the_document_is_refused(
    world, document, pacing, client_as, data, message
):
    response = _code(client_as(Role.EVALUATOR), world, document, codes=[pacing.pk], **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Coding.objects.exists()


def test_a_coding_made_after_the_document_changed_is_refused(
    world, document, pacing, client_as, manager
):
    services.document_pseudonymise(
        actor=manager, document=document, replacements=[("Jane Smith", "Client Z")]
    )
    response = _code(client_as(Role.EVALUATOR), world, document, codes=[pacing.pk], start=0, end=5)
    assert response.status_code == 400
    assert "The document has changed since you opened it" in response.content.decode()
    assert not Coding.objects.exists()


def test_the_analysis_copy_cannot_change_once_coded(world, document, pacing, manager):
    services.coding_add(actor=manager, document=document, codes=[pacing], start=0, end=5, version=1)
    with pytest.raises(ValidationError, match="has been coded"):
        services.document_pseudonymise(actor=manager, document=document, replacements=[])


def _docx(text):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return out.getvalue()


def test_an_upload_is_read_pseudonymised_and_stored(world, client_as):
    participant = _participant(world)
    response = client_as(Role.EVALUATOR).post(
        _url(world, "document_new"),
        {
            "participant": participant.pk,
            "kind": "interview",
            "title": "Interview 1",
            "upload": SimpleUploadedFile("interview.docx", _docx("Ann Jones liked the group")),
            "replacements": "Ann Jones = Client C",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.analysis_text == "Client C liked the group"
    assert document.source_name == "interview.docx"


def test_a_bad_upload_gets_a_message_and_nothing_is_stored(world, client_as):
    response = client_as(Role.EVALUATOR).post(
        _url(world, "document_new"),
        {
            "participant": _participant(world).pk,
            "kind": "interview",
            "title": "Interview 1",
            "upload": SimpleUploadedFile("interview.pdf", b"%PDF-1.4"),
        },
    )
    assert "must be a .txt, .md or .docx file" in response.content.decode()
    assert not Document.objects.exists()


def test_the_codebook_round_trips_through_qdc_on_the_web(
    world, other_programme, pacing, manager, client_as
):
    child = services.code_save(
        actor=manager,
        programme=world.programme,
        details=services.CodeDetails(name="Over-doing it", parent=pacing, definition="Boom"),
    )
    client = client_as(Role.PROGRAMME_MANAGER)
    exported = client.get(_url(world, "codebook_export", "qdc")).content
    Code.objects.filter(pk=child.pk).update(definition="Changed here")
    response = client.post(
        _url(world, "codebook"),
        {"add": "codebook", "codebook": SimpleUploadedFile("book.qdc", exported)},
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.definition, child.parent) == ("Boom", pacing)
    assert Code.objects.filter(programme=world.programme).count() == 2


def _row(page, code):
    """The cells of a code's row in the agreement table, as text."""
    row = next(part for part in page.split("<tr") if f">{code}</th>" in part)
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    ]


def test_agreement_and_the_side_by_side_view(world, document, pacing, manager, client_as):
    evaluator = world.people[Role.EVALUATOR]
    services.coding_add(
        actor=manager, document=document, codes=[pacing], start=0, end=10, version=1
    )
    services.coding_add(
        actor=evaluator, document=document, codes=[pacing], start=5, end=15, version=1
    )
    client = client_as(Role.EVALUATOR)
    page = client.get(
        _url(world, "agreement"),
        {
            "first": manager.pk,
            "second": evaluator.pk,
            "documents": [document.pk],
            "codes": [pacing.pk],
        },
    ).content.decode()
    # Pacing is the only code: [0, 15) compared, 5 / 5 / 5 / 0. Agreement 5/15 = 33.3%,
    # positive 10 / (10 + 5 + 5) = 50.0%; no "neither", so kappa is undefined, with why.
    assert "15 characters compared" in page
    assert _row(page, "Pacing") == [
        "Both 5",
        "First only 5",
        "Second only 5",
        "Neither 0",
        "Agreement (%) 33.3",
        "Positive agreement (%) 50.0",
        f"Cohen's kappa {NOTHING_LEFT}",
    ]
    assert NOTHING_LEFT_POOLED in page
    compare = client.get(
        _url(world, "compare", document.pk), {"first": manager.pk, "second": evaluator.pk}
    ).content.decode()
    assert compare.count("app-differs") == 2


def test_a_code_has_the_same_agreement_alone_and_beside_others(
    world, document, pacing, manager, client_as
):
    evaluator = world.people[Role.EVALUATOR]
    boom = services.code_save(
        actor=manager, programme=world.programme, details=services.CodeDetails(name="Boom")
    )
    for coder, start, end in ((manager, 0, 10), (evaluator, 5, 15)):
        services.coding_add(
            actor=coder, document=document, codes=[pacing], start=start, end=end, version=1
        )
        services.coding_add(
            actor=coder, document=document, codes=[boom], start=15, end=30, version=1
        )
    client = client_as(Role.EVALUATOR)

    def compare(codes):
        return client.get(
            _url(world, "agreement"),
            {
                "first": manager.pk,
                "second": evaluator.pk,
                "documents": [document.pk],
                "codes": [code.pk for code in codes],
            },
        ).content.decode()

    # [0, 30) compared whichever codes are shown. Pacing 5 / 5 / 5 / 15: agreement 20/30 =
    # 66.7%, positive 10/20 = 50.0%; a = b = 10, E = 100 + 400 = 500,
    # kappa (30*20 - 500) / (900 - 500) = 100/400 = 0.25.
    # Boom 15 / 0 / 0 / 15: E = 225 + 225 = 450, kappa (900 - 450) / (900 - 450) = 1.
    # Pooled: (100 + 450) / (400 + 450) = 550/850 = 0.65; pacing alone pools to 0.25.
    pacing_row = [
        "Both 5",
        "First only 5",
        "Second only 5",
        "Neither 15",
        "Agreement (%) 66.7",
        "Positive agreement (%) 50.0",
        "Cohen's kappa 0.25",
    ]
    alone = compare([pacing])
    beside = compare([pacing, boom])
    assert "30 characters compared" in alone
    assert "30 characters compared" in beside
    assert _row(alone, "Pacing") == _row(beside, "Pacing") == pacing_row
    assert _row(beside, "Boom")[-1] == "Cohen's kappa 1.00"
    assert re.search(r"Pooled kappa\s*</dt>\s*<dd[^>]*>\s*0.25", alone)
    assert re.search(r"Pooled kappa\s*</dt>\s*<dd[^>]*>\s*0.65", beside)


def test_the_agreement_form_starts_ready_to_compare(world, document, pacing, manager, client_as):
    evaluator = world.people[Role.EVALUATOR]
    boom = services.code_save(
        actor=manager, programme=world.programme, details=services.CodeDetails(name="Boom")
    )
    for coder in (manager, evaluator):
        services.coding_add(
            actor=coder, document=document, codes=[pacing], start=0, end=10, version=1
        )
    client = client_as(Role.EVALUATOR)
    page = client.get(_url(world, "agreement")).content.decode()
    first, second = sorted([manager, evaluator], key=lambda person: person.full_name)
    assert re.search(rf'name="first".*?value="{first.pk}" selected', page, flags=re.S)
    assert re.search(rf'name="second".*?value="{second.pk}" selected', page, flags=re.S)
    for code in (pacing, boom):
        assert re.search(rf'name="codes" type="checkbox" value="{code.pk}" checked', page)
    assert "There is a problem" not in page
    # Ticking a document is all the first Compare needs.
    answer = client.get(
        _url(world, "agreement"),
        {
            "first": first.pk,
            "second": second.pk,
            "documents": [document.pk],
            "codes": [pacing.pk, boom.pk],
        },
    ).content.decode()
    assert "There is a problem" not in answer
    assert "Agreement by code" in answer


def test_coded_segments_export_the_pseudonymised_words(world, document, pacing, manager, client_as):
    services.coding_add(
        actor=manager, document=document, codes=[pacing], start=0, end=20, version=1
    )
    response = client_as(Role.EVALUATOR).get(_url(world, "segments_export", "csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["code"], row["quote"], row["participant"]) for row in rows] == [
        ("Pacing", document.analysis_text[:20], "Client A")
    ]
    assert "Jane" not in response.content.decode()


def test_evaluators_cannot_link_a_participant_to_a_named_client(world, client_as):
    episode = accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)
    name = episode.client.family_name
    page = client_as(Role.EVALUATOR).get(_url(world, "participants")).content.decode()
    assert name not in page
    assert 'name="client"' not in page
    assert (
        name in client_as(Role.PROGRAMME_MANAGER).get(_url(world, "participants")).content.decode()
    )


def test_with_one_coder_the_agreement_page_says_so_instead_of_a_form_that_must_fail(
    world, document, pacing, manager, client_as
):
    services.coding_add(
        actor=manager, document=document, codes=[pacing], start=0, end=10, version=1
    )
    page = client_as(Role.EVALUATOR).get(_url(world, "agreement")).content.decode()
    assert "Agreement needs two people who have coded text in this programme; one has" in page
    assert 'name="first"' not in page
