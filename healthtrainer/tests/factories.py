from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import (
    Appointment,
    ClientStrategy,
    CommunityResource,
    Escalation,
    Goal,
    Strategy,
)
from healthtrainer.clients.models import Client
from healthtrainer.core.models import AuditEvent
from healthtrainer.imports.setup import programme_setup
from healthtrainer.programmes.models import Organisation, OrganisationKind, Programme
from healthtrainer.qualitative import services as qualitative
from healthtrainer.referrals.models import Referral

PASSWORD = "correct-horse-battery-staple"
# What setting up a programme audits (`imports/setup.py`): a test counting its own events
# leaves these out.
PROGRAMME_SETUP_ACTIONS = (
    "programmes.programme.created",
    "casework.cbtechnique.seeded",
    "casework.strategy.seeded",
    "workforce.settings.created",
    "workforce.satisfactionitem.seeded",
    "workforce.fidelityitem.seeded",
)


def events_after_setup() -> Any:
    """The audit events a test wrote, without those of setting its programmes up."""
    return AuditEvent.objects.exclude(action__in=PROGRAMME_SETUP_ACTIONS)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    projected_referrals = 90

    @classmethod
    def _create(cls, model_class: type[Programme], *args: Any, **kwargs: Any) -> Programme:
        """Set up as every programme is, with its standard lists (`imports/setup.py`)."""
        return programme_setup(actor=None, fields=kwargs)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    programme = factory.SubFactory(ProgrammeFactory)
    kind = OrganisationKind.COMMUNITY_ORGANISATION
    name = factory.Sequence(lambda n: f"Organisation {n}")


class PracticeFactory(OrganisationFactory):
    kind = OrganisationKind.GP_PRACTICE
    name = factory.Sequence(lambda n: f"Practice {n}")
    ods_code = factory.Sequence(lambda n: f"Y{n:05d}")
    registered_list_size = 8000


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    role = Role.HEALTH_TRAINER


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    programme = factory.SubFactory(ProgrammeFactory)
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = date(1960, 3, 27)
    sex = "female"


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral as received from a practice, eligible and waiting for triage."""

    class Meta:
        model = Referral

    practice = factory.SubFactory(PracticeFactory)
    programme = factory.SelfAttribute("practice.programme")
    reference = factory.Sequence(lambda n: f"T-{n:05d}")
    received_date = date(2026, 10, 1)
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = date(1960, 3, 27)
    sex = "female"
    pain_duration_months = 24
    consent_given = True


def accepted_episode(trainer: User, programme: Programme, **client_fields: object) -> Referral:
    """An accepted referral assigned to `trainer`, with its client: one episode of casework."""
    client = ClientFactory(programme=programme, **client_fields)
    practice = PracticeFactory(programme=programme)
    return ReferralFactory(
        practice=practice,
        client=client,
        status="accepted",
        assigned_trainer=trainer,
        first_contact_date=date(2026, 10, 5),
        given_name=client.given_name,
        family_name=client.family_name,
    )


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    episode = factory.SubFactory(ReferralFactory, status="accepted")
    programme = factory.SelfAttribute("episode.programme")
    trainer = factory.SelfAttribute("episode.assigned_trainer")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    mode = "telephone"


def past(days: int = 1) -> datetime:
    return timezone.now() - timedelta(days=days)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    episode = factory.SubFactory(ReferralFactory, status="accepted")
    programme = factory.SelfAttribute("episode.programme")
    description = factory.Sequence(lambda n: f"Walk to the park {n} times a week")
    confidence = 7
    domain = "activity"
    set_on = date(2026, 10, 10)
    created_by = factory.SelfAttribute("episode.assigned_trainer")


class ClientStrategyFactory(factory.django.DjangoModelFactory):
    """A strategy of the episode's programme (one seeded with it) that the client took up."""

    class Meta:
        model = ClientStrategy

    episode = factory.SubFactory(ReferralFactory, status="accepted")
    programme = factory.SelfAttribute("episode.programme")
    strategy = factory.LazyAttribute(
        lambda taken_up: (
            Strategy.objects.filter(programme=taken_up.programme).order_by("position").first()
        )
    )
    adopted_on = date(2026, 10, 10)
    recorded_by = factory.SelfAttribute("episode.assigned_trainer")


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Escalation

    episode = factory.SubFactory(ReferralFactory, status="accepted")
    programme = factory.SelfAttribute("episode.programme")
    category = "red_flag"
    details = "New numbness in both legs."
    raised_by = factory.SelfAttribute("episode.assigned_trainer")


class CommunityResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityResource

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Walking group {n}")
    category = "physical_activity"
    area = "Ladywood"


def collect(programme: Programme, code: str, *, follow_up: bool = False, primary: bool = False):
    """Have the programme collect an instrument at baseline and exit (and follow-up)."""
    from healthtrainer.measures import services as measures
    from healthtrainer.measures.models import Instrument

    measures.instruments_sync()
    instrument = Instrument.objects.get(code=code)
    manager = Membership.objects.filter(programme=programme, role=Role.PROGRAMME_MANAGER).first()
    measures.programme_instrument_save(
        actor=manager.user if manager else None,
        programme=programme,
        instrument=instrument,
        at_baseline=True,
        at_exit=True,
        at_follow_up=follow_up,
        is_primary=primary,
    )
    return instrument


def coded_interview(
    programme: Programme,
    *,
    analyst: User,
    coders: list[User],
    label: str,
    client: Client | None = None,
    kind: str = "interview",
) -> tuple[Any, Any, list[Any]]:
    """A consented participant's document with its first word coded by each coder: the
    document, the code and the codings."""
    participant = qualitative.participant_save(
        actor=analyst,
        programme=programme,
        details=qualitative.ParticipantDetails(
            label=f"Client {label}",
            role="client",
            client=client,
            consent_given=True,
            consent_recorded_on=timezone.localdate(),
        ),
    )
    document = qualitative.document_create(
        actor=analyst,
        participant=participant,
        kind=kind,
        title=f"{kind.replace('_', ' ').capitalize()} {label}",
        text="Pacing made the difference.",
        source_name="pasted",
        replacements=[],
    )
    code = qualitative.code_save(
        actor=analyst, programme=programme, details=qualitative.CodeDetails(name=f"Pacing {label}")
    )
    codings = [
        qualitative.coding_add(
            actor=coder, document=document, codes=[code], start=0, end=6, version=1
        )[0]
        for coder in coders
    ]
    return document, code, codings
