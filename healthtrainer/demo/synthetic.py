"""A synthetic dataset of any size, for measuring the service at scale.

Programmes with GP practices and health trainers; referrals with the usual outcomes
(deprivation skewed to the most deprived areas, most episodes of 3 to 6 sessions);
sessions with CB techniques, goals with their final status, SWEMWBS before and after,
discharges and follow-ups. Deterministic for a seed. Written with batched bulk inserts,
a batch of clients at a time, so memory stays flat however many are made; the rows are
set as recorded, as an import sets them (ADR 14), not replayed through the services.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import (
    Appointment,
    CbTechnique,
    Discharge,
    FollowUp,
    Goal,
    SessionRecord,
)
from healthtrainer.casework.services.lists import programme_lists_seed
from healthtrainer.clients.models import Client
from healthtrainer.core.audit import audit_record
from healthtrainer.measures.definitions import load_definitions
from healthtrainer.measures.models import (
    Instrument,
    ProgrammeInstrument,
    QuestionnaireResponse,
    Source,
)
from healthtrainer.measures.services import instruments_sync
from healthtrainer.programmes.models import Organisation, OrganisationKind, Programme
from healthtrainer.referrals.models import Referral

BATCH = 2000
CLIENTS_PER_TRAINER = 250
PRACTICES_PER_PROGRAMME = 12
# Deciles 1 to 10: the most deprived areas are referred most.
DECILE_WEIGHTS = (20, 18, 14, 11, 9, 8, 7, 6, 4, 3)
OUTCOMES = (
    ("accepted", 70),
    ("declined", 10),
    ("unable_to_contact", 10),
    ("not_eligible", 5),
    ("withdrawn", 5),
)
# Sessions attended per accepted episode, 0 to 8: mostly 3 to 6.
SESSION_WEIGHTS = (6, 6, 8, 16, 18, 18, 14, 8, 6)
FINALS = (("achieved", 40), ("partly_achieved", 35), ("not_achieved", 20), ("not_reviewed", 5))
EMPLOYMENT = (("01", 20), ("02", 8), ("04", 40), ("05", 8), ("06", 14), ("08", 5), ("ZZ", 5))
START = date(2024, 1, 1)
SYNTHETIC_PASSWORD = None  # synthetic trainers cannot sign in


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


@dataclass
class Counts:
    programmes: int = 0
    clients: int = 0
    referrals: int = 0
    appointments: int = 0
    goals: int = 0
    questionnaires: int = 0


class _Programme:
    """One synthetic programme: its practices, trainers and lists, then its clients in
    batches."""

    def __init__(self, rng: random.Random, number: int) -> None:
        self.rng = rng
        self.programme, _ = Programme.objects.get_or_create(
            slug=f"synthetic-{number:03d}",
            defaults={
                "name": f"Synthetic programme {number}",
                "projected_referrals": 1000,
                "start_date": START,
            },
        )
        programme_lists_seed(actor=None, programme=self.programme)
        self.techniques = list(CbTechnique.objects.filter(programme=self.programme))
        self.practices = [
            Organisation.objects.get_or_create(
                programme=self.programme,
                ods_code=f"S{number:03d}{index:02d}",
                defaults={
                    "kind": OrganisationKind.GP_PRACTICE,
                    "name": f"Synthetic practice {number}-{index}",
                    "registered_list_size": rng.randint(3000, 15000),
                    "is_gp_champion": index % 4 == 0,
                },
            )[0]
            for index in range(PRACTICES_PER_PROGRAMME)
        ]
        self.instrument = Instrument.objects.get(code="swemwbs")
        ProgrammeInstrument.objects.get_or_create(
            programme=self.programme, instrument=self.instrument, defaults={"is_primary": True}
        )
        self.conversion = load_definitions()["swemwbs"].conversion
        self.trainers: list[User] = []

    def ensure_trainers(self, clients: int) -> None:
        wanted = max(2, -(-clients // CLIENTS_PER_TRAINER))
        for index in range(len(self.trainers), wanted):
            email = f"trainer-{index}@{self.programme.slug}.synthetic.invalid"
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                email, SYNTHETIC_PASSWORD, full_name=f"Trainer {index} ({self.programme.slug})"
            )
            Membership.objects.get_or_create(
                user=user, programme=self.programme, defaults={"role": Role.HEALTH_TRAINER}
            )
            self.trainers.append(user)

    def batch(self, first: int, size: int, counts: Counts) -> None:
        rng, programme = self.rng, self.programme
        clients = Client.objects.bulk_create(
            Client(
                programme=programme,
                given_name=f"Given{first + n}",
                family_name=f"Synthetic{first + n}",
                date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60)),
                sex=rng.choice(("female", "female", "male")),
            )
            for n in range(size)
        )
        referrals = []
        for n, client in enumerate(clients):
            outcome = _pick(rng, OUTCOMES)
            received = START + timedelta(days=rng.randrange(0, 700))
            referrals.append(
                Referral(
                    programme=programme,
                    reference=f"S-{first + n:08d}",
                    practice=rng.choice(self.practices),
                    received_date=received,
                    given_name=client.given_name,
                    family_name=client.family_name,
                    date_of_birth=client.date_of_birth,
                    sex=client.sex,
                    ethnic_category=rng.choice("AAAAAAABCHJMNR"),
                    employment_status=_pick(rng, EMPLOYMENT),
                    pain_duration_months=rng.randint(12, 240),
                    consent_given=True,
                    imd_decile=rng.choices(range(1, 11), DECILE_WEIGHTS)[0],
                    imd_edition="recorded",
                    lsoa_code=f"E0100{rng.randrange(0, 9999):04d}",
                    status=outcome,
                    first_contact_date=received + timedelta(days=rng.randint(1, 20)),
                    assigned_trainer=rng.choice(self.trainers) if outcome == "accepted" else None,
                    client=client if outcome == "accepted" else None,
                )
            )
        referrals = Referral.objects.bulk_create(referrals)
        counts.clients += len(clients)
        counts.referrals += len(referrals)
        self._casework([r for r in referrals if r.status == "accepted"], counts)

    def _casework(self, episodes: list[Referral], counts: Counts) -> None:
        rng = self.rng
        appointments: list[Appointment] = []
        plans: dict[int, tuple[int, date]] = {}
        for episode in episodes:
            attended = rng.choices(range(9), SESSION_WEIGHTS)[0]
            day = (episode.first_contact_date or episode.received_date) + timedelta(days=7)
            held = 0
            while held < attended:
                attendance = rng.choices(("attended", "did_not_attend", "cancelled"), (85, 10, 5))[
                    0
                ]
                appointments.append(
                    Appointment(
                        programme=self.programme,
                        episode=episode,
                        trainer_id=episode.assigned_trainer_id,
                        starts_at=timezone.make_aware(datetime.combine(day, time(10))),
                        mode=rng.choice(("face_to_face", "telephone", "home_visit")),
                        attendance=attendance,
                    )
                )
                held += attendance == "attended"
                day += timedelta(days=7)
            plans[episode.pk] = (attended, day)
        appointments = Appointment.objects.bulk_create(appointments, batch_size=BATCH)
        records = SessionRecord.objects.bulk_create(
            (
                SessionRecord(appointment=appointment, duration_minutes=rng.choice((30, 45, 60)))
                for appointment in appointments
                if appointment.attendance == "attended"
            ),
            batch_size=BATCH,
        )
        through = SessionRecord.techniques.through
        through.objects.bulk_create(
            (
                through(sessionrecord_id=record.pk, cbtechnique_id=technique.pk)
                for record in records
                for technique in rng.sample(self.techniques, rng.randint(0, 2))
            ),
            batch_size=BATCH,
        )
        counts.appointments += len(appointments)
        self._outcomes(episodes, plans, counts)

    def _outcomes(
        self, episodes: list[Referral], plans: dict[int, tuple[int, date]], counts: Counts
    ) -> None:
        rng = self.rng
        goals, discharges, follow_ups, responses = [], [], [], []
        for episode in episodes:
            attended, last_day = plans[episode.pk]
            if not attended:
                continue
            started = (episode.first_contact_date or episode.received_date) + timedelta(days=7)
            for _ in range(rng.randint(1, 3)):
                final = _pick(rng, FINALS)
                goals.append(
                    Goal(
                        programme=self.programme,
                        episode=episode,
                        description="A goal of the client's own",
                        domain=rng.choice(("activity", "pacing", "sleep", "mood", "social")),
                        set_on=started,
                        status=final,
                        final_status=final,
                    )
                )
            completed = attended >= 3
            discharges.append(
                Discharge(
                    programme=self.programme,
                    episode=episode,
                    discharged_on=last_day,
                    reason="completed" if completed else "disengaged",
                )
            )
            if not completed:
                continue
            reached = rng.random() < 0.8
            follow_ups.append(
                FollowUp(
                    programme=self.programme,
                    episode=episode,
                    due_on=last_day + timedelta(days=90),
                    contacted_on=last_day + timedelta(days=92) if reached else None,
                    reached=reached,
                    maintaining_strategies=_pick(rng, (("yes", 45), ("partly", 35), ("no", 20)))
                    if reached
                    else "",
                    gp_visits_last_3_months=rng.randint(0, 4) if reached else None,
                )
            )
            before = rng.randint(12, 24)
            after = min(35, before + rng.randint(-2, 6))
            for timepoint, raw, on in (("baseline", before, started), ("exit", after, last_day)):
                responses.append(
                    QuestionnaireResponse(
                        programme=self.programme,
                        episode=episode,
                        instrument=self.instrument,
                        timepoint=timepoint,
                        completed_on=on,
                        total=self.conversion[raw],
                        raw_total=raw,
                        source=Source.IMPORT,
                    )
                )
        Goal.objects.bulk_create(goals, batch_size=BATCH)
        Discharge.objects.bulk_create(discharges, batch_size=BATCH)
        FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH)
        QuestionnaireResponse.objects.bulk_create(responses, batch_size=BATCH)
        counts.goals += len(goals)
        counts.questionnaires += len(responses)


def generate(
    *,
    programmes: int,
    clients: int,
    seed: int = 1,
    progress: Callable[[int], Any] | None = None,
) -> Counts:
    """`clients` clients spread evenly over `programmes` programmes; `progress` is told
    how many clients are made so far."""
    if programmes < 1 or clients < 0:
        raise ValueError("Make at least one programme, and no negative number of clients.")
    if Programme.objects.filter(slug__startswith="synthetic-").exists():
        raise ValueError(
            "This database already has synthetic programmes: generate into an empty one, so "
            "that a seed always makes the same data."
        )
    rng = random.Random(seed)  # noqa: S311 - made-up people, not a secret
    instruments_sync()
    counts = Counts()
    done = 0
    for number in range(1, programmes + 1):
        share = clients // programmes + (1 if number <= clients % programmes else 0)
        with transaction.atomic():
            builder = _Programme(rng, number)
            builder.ensure_trainers(share)
            counts.programmes += 1
        for first in range(0, share, BATCH):
            size = min(BATCH, share - first)
            with transaction.atomic():
                builder.batch(done, size, counts)
            done += size
            if progress is not None:
                progress(done)
    audit_record(
        actor=None,
        action="demo.synthetic_data.generated",
        changed_fields=["programmes", "clients"],
    )
    return counts
