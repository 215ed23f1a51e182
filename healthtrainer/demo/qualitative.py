"""Demo qualitative analysis: a GP interview, a trainer interview and a client case study,
a small codebook with themes for each aspect of the evaluation, codings by the programme
manager and the evaluator (so that agreement has two coders to compare), a framework
cell and quotes chosen for the report. Made through the services, so every write is
audited.

Loaded once: a programme that already has participants is left as it is.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from healthtrainer.accounts.models import User
from healthtrainer.clients.models import Client
from healthtrainer.programmes.models import Programme
from healthtrainer.qualitative import services
from healthtrainer.qualitative.models import Participant
from healthtrainer.referrals.triage import Status

THEMES = (
    ("Referral made easy", "gp_referral", "What helped or held back GPs in referring."),
    ("Using CB in sessions", "cb_use", "How trainers put CB approaches into practice."),
    ("Taking charge of pain", "client_outcomes", "Clients managing pain in their own way."),
    ("Time and support", "resources", "Whether the programme had what it needed."),
)
CODES = (
    ("Quick referral", "Referral made easy", "A referral that took little time", ""),
    ("Trust in trainers", "Referral made easy", "GPs trusting lay trainers with patients", ""),
    ("Goal setting", "Using CB in sessions", "Setting goals with, not for, clients", ""),
    ("Pacing", "Taking charge of pain", "Spreading activity out", "I stop before it hurts"),
    ("Supervision helps", "Time and support", "Supervision giving trainers confidence", ""),
)
# (label, role, kind, title, text, names replaced, (code, words coded) ...)
DemoDocument = tuple[str, str, str, str, str, list[tuple[str, str]], tuple[tuple[str, str], ...]]
DOCUMENTS: tuple[DemoDocument, ...] = (
    (
        "GP 1",
        "gp",
        "interview",
        "Interview with a GP champion",
        "Dr Sarah Patel: Referring took two minutes on the form. I trust the trainers because "
        "the pain team supervises them, and my patients come back more hopeful.",
        [("Sarah Patel", "GP 1"), ("Patel", "GP 1")],
        (("Quick referral", "Referring took two minutes on the form"),),
    ),
    (
        "Trainer 1",
        "trainer",
        "interview",
        "Interview with a health trainer",
        "Hana: At first I set goals for people. Supervision showed me how to set goals with "
        "them instead, and now they own them.",
        [("Hana", "Trainer 1")],
        (
            ("Goal setting", "set goals with them instead, and now they own them"),
            ("Supervision helps", "Supervision showed me how"),
        ),
    ),
    (
        "Client A",
        "client",
        "case_study",
        "Case study: learning to pace",
        "Client A used to do everything on good days and pay for it for a week. With her "
        "trainer she learned pacing: I stop before it hurts, and I walk to the shops again.",
        [],
        (("Pacing", "I stop before it hurts, and I walk to the shops again"),),
    ),
)


@transaction.atomic
def load_demo_qualitative(
    programme: Programme, *, manager: User, evaluator: User, trainer: User, today: date
) -> int:
    """Give the programme its qualitative analysis; return how many documents were
    added (none when the programme already has participants)."""
    if Participant.objects.filter(programme=programme).exists():
        return 0
    themes = {
        name: services.theme_save(
            actor=manager, programme=programme, name=name, description=description, aspect=aspect
        )
        for name, aspect, description in THEMES
    }
    codes = {
        name: services.code_save(
            actor=manager,
            programme=programme,
            details=services.CodeDetails(
                name=name, definition=definition, example=example, theme=themes[theme]
            ),
        )
        for name, theme, definition, example in CODES
    }
    client = (
        Client.objects.filter(referrals__programme=programme, referrals__status=Status.ACCEPTED)
        .order_by("referrals__received_date", "pk")
        .first()
    )
    for label, role, kind, title, text, replacements, codings in DOCUMENTS:
        participant = services.participant_save(
            actor=manager,
            programme=programme,
            details=services.ParticipantDetails(
                label=label,
                role=role,
                client=client if role == "client" else None,
                trainer=trainer if role == "trainer" else None,
                consent_given=True,
                consent_recorded_on=today,
            ),
        )
        document = services.document_create(
            actor=manager,
            participant=participant,
            kind=kind,
            title=title,
            text=text,
            source_name="pasted",
            replacements=replacements,
        )
        for code, words in codings:
            start = document.analysis_text.index(words)
            for coder, end in ((manager, start + len(words)), (evaluator, start + len(words) - 4)):
                (coding,) = services.coding_add(
                    actor=coder,
                    document=document,
                    codes=[codes[code]],
                    start=start,
                    end=end,
                    version=document.version,
                )
                if coder == manager:
                    services.coding_choose_for_report(actor=manager, coding=coding, chosen=True)
                    if role == "client":
                        services.framework_cell_save(
                            actor=manager,
                            participant=participant,
                            theme=themes["Taking charge of pain"],
                            summary="Learned to pace her activity and walks to the shops again.",
                            quotes=[coding],
                        )
    return len(DOCUMENTS)
