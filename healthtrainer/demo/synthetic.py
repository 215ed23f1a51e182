"""A synthetic dataset of any size, for measuring the service at scale.

Programmes with GP practices, health trainers and a supervisor; people referred with the
usual outcomes (deprivation skewed to the most deprived areas, a few still waiting for
triage), a client record for each one accepted; sessions with CB techniques (most
episodes 3 to 6), goals with their review and final status, SWEMWBS at baseline, exit and
follow-up, discharges and follow-ups, with the most recent episodes still open; monthly
supervision with fidelity ratings, and the programme's budget, rates, costs and indirect
time. Deterministic for a seed. Written a batch of people at a time by `RowWriter` (COPY
on PostgreSQL), so memory stays flat however many are made; the rows are set as recorded,
as an import sets them (ADR 14), not replayed through the services.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import (
    Appointment,
    CbTechnique,
    Discharge,
    FollowUp,
    Goal,
    GoalReview,
    SessionRecord,
)
from healthtrainer.clients.models import Client
from healthtrainer.core.audit import audit_record
from healthtrainer.core.bulk_rows import Row, RowWriter
from healthtrainer.imports.setup import programme_setup
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
from healthtrainer.referrals.triage import OPEN
from healthtrainer.workforce.models import (
    BudgetLine,
    CostItem,
    FidelityItem,
    FidelityRating,
    IndirectTime,
    RoleRate,
    SupervisionSession,
)

BATCH = 2000
CLIENTS_PER_TRAINER = 250
PRACTICES_PER_PROGRAMME = 12
# Deciles 1 to 10: the most deprived areas are referred most.
DECILE_WEIGHTS = (20, 18, 14, 11, 9, 8, 7, 6, 4, 3)
OUTCOMES = (
    ("received", 2),
    ("contact_attempted", 1),
    ("accepted", 67),
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
DAYS = 730
# Episodes whose last session falls after this day are still open.
END = START + timedelta(days=DAYS - 60)
PERSON = ("given_name", "family_name", "date_of_birth", "sex")
SYNTHETIC_PASSWORD = None  # synthetic staff cannot sign in


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


class ProgrammeBuilder:
    """Fills one programme: its practices, supervisor, lists and trainers, then its people
    in batches. `number` keeps practice codes apart between programmes."""

    def __init__(self, rng: random.Random, programme: Programme, number: int) -> None:
        self.rng = rng
        self.programme = programme
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
        self.supervisor = self._member(f"supervisor@{self.programme.slug}", Role.SUPERVISOR)

    def ensure_trainers(self, clients: int) -> None:
        wanted = max(2, -(-clients // CLIENTS_PER_TRAINER))
        for index in range(len(self.trainers), wanted):
            self.trainers.append(
                self._member(f"trainer-{index}@{self.programme.slug}", Role.HEALTH_TRAINER)
            )

    def _member(self, name: str, role: Role) -> User:
        email = f"{name}.synthetic.invalid"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, SYNTHETIC_PASSWORD, full_name=name
        )
        Membership.objects.get_or_create(
            user=user, programme=self.programme, defaults={"role": role}
        )
        return user

    def supervision_and_costs(self, writer: RowWriter) -> None:
        """A month's supervision for every trainer, with fidelity ratings; the budget, role
        rates, monthly costs and the indirect time of GP champions and the pain team."""
        rng, programme = self.rng, self.programme
        items = list(FidelityItem.objects.filter(programme=programme))
        months = [START + timedelta(days=30 * month + 14) for month in range(DAYS // 30)]
        sessions = [
            {
                "programme_id": programme.pk,
                "supervisor_id": self.supervisor.pk,
                "held_on": held_on,
                "duration_minutes": 90,
                "format": "group",
            }
            for held_on in months
        ]
        writer.insert(SupervisionSession, sessions)
        writer.insert(
            SupervisionSession.trainers.through,
            [
                {"supervisionsession_id": session["id"], "user_id": trainer.pk}
                for session in sessions
                for trainer in self.trainers
            ],
        )
        writer.insert(
            FidelityRating,
            [
                {
                    "session_id": session["id"],
                    "trainer_id": trainer.pk,
                    "item_id": item.pk,
                    "value": rng.choices(range(7), (1, 2, 4, 8, 14, 12, 6))[0],
                }
                for session in sessions
                for trainer in self.trainers
                for item in items
            ],
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(
                programme=programme,
                funding_source="Clinical commissioning",
                amount=Decimal(60 * len(self.trainers) * 1000),
                period_start=START + timedelta(days=365 * year),
                period_end=START + timedelta(days=365 * year + 364),
            )
            for year in range(DAYS // 365)
        )
        RoleRate.objects.bulk_create(
            RoleRate(programme=programme, role=role, hourly_rate=Decimal(rate))
            for role, rate in (("gp_champion", "110"), ("pain_team", "65"), ("other", "30"))
        )
        CostItem.objects.bulk_create(
            CostItem(
                programme=programme,
                category=category,
                incurred_on=month,
                amount=Decimal(rng.randint(100, 900)),
                description=f"Synthetic {category}",
            )
            for month in months
            for category in ("venues", "materials")
        )
        IndirectTime.objects.bulk_create(
            IndirectTime(
                programme=programme,
                person=person,
                role=role,
                given_on=month,
                hours=Decimal(rng.randint(1, 6)),
                activity=activity,
                recorded_by=self.supervisor,
            )
            for month in months
            for person, role, activity in (
                ("GP champion", "gp_champion", "gp_education"),
                ("Pain team clinician", "pain_team", "supervision"),
            )
        )

    def batch(self, writer: RowWriter, first: int, size: int, counts: Counts) -> None:
        rng, programme = self.rng, self.programme
        referral_ids = writer.ids(Referral, size)
        people = []
        for n, referral_id in enumerate(referral_ids):
            outcome = _pick(rng, OUTCOMES)
            waiting = outcome in OPEN
            received = START + timedelta(
                days=rng.randrange(DAYS - 30, DAYS) if waiting else rng.randrange(0, DAYS - 30)
            )
            people.append(
                {
                    "id": referral_id,
                    "programme_id": programme.pk,
                    "reference": f"S-{first + n:08d}",
                    "practice_id": rng.choice(self.practices).pk,
                    "received_date": received,
                    "given_name": f"Given{first + n}",
                    "family_name": f"Synthetic{first + n}",
                    "date_of_birth": date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60)),
                    "sex": rng.choice(("female", "female", "male")),
                    "ethnic_category": rng.choice("AAAAAAABCHJMNR"),
                    "employment_status": _pick(rng, EMPLOYMENT),
                    "pain_duration_months": rng.randint(12, 240),
                    "consent_given": True,
                    "imd_decile": rng.choices(range(1, 11), DECILE_WEIGHTS)[0],
                    "imd_edition": "recorded",
                    "lsoa_code": f"E0100{rng.randrange(0, 9999):04d}",
                    "status": outcome,
                    "first_contact_date": None
                    if outcome == "received"
                    else received + timedelta(days=rng.randint(1, 20)),
                }
            )
        accepted = [person for person in people if person["status"] == "accepted"]
        for person, client_id in zip(accepted, writer.ids(Client, len(accepted)), strict=True):
            person["client_id"] = client_id
            person["assigned_trainer_id"] = rng.choice(self.trainers).pk
        writer.write(
            Client,
            (
                {
                    "id": person["client_id"],
                    "programme_id": programme.pk,
                    **{key: person[key] for key in PERSON},
                }
                for person in accepted
            ),
        )
        counts.referrals += writer.write(Referral, people)
        counts.clients += len(accepted)
        self._casework(writer, accepted, counts)

    def _casework(self, writer: RowWriter, episodes: list[Row], counts: Counts) -> None:
        rng = self.rng
        appointments: list[Row] = []
        for episode in episodes:
            attended = rng.choices(range(9), SESSION_WEIGHTS)[0]
            day = episode["first_contact_date"] + timedelta(days=7)
            held = 0
            episode["sessions"] = []
            while held < attended:
                attendance = rng.choices(("attended", "did_not_attend", "cancelled"), (85, 10, 5))[
                    0
                ]
                appointment = {
                    "programme_id": self.programme.pk,
                    "episode_id": episode["id"],
                    "trainer_id": episode["assigned_trainer_id"],
                    "starts_at": datetime.combine(day, time(10), tzinfo=UTC),
                    "mode": rng.choice(("face_to_face", "telephone", "home_visit")),
                    "attendance": attendance,
                }
                appointments.append(appointment)
                if attendance == "attended":
                    held += 1
                    episode["sessions"].append(appointment)
                day += timedelta(days=7)
            episode["last_day"] = day
        counts.appointments += writer.insert(Appointment, appointments)
        sessions_held = [a for episode in episodes for a in episode["sessions"]]
        records = [
            {
                "appointment_id": appointment["id"],
                "duration_minutes": rng.choice((30, 45, 60)),
                "recorded_by_id": appointment["trainer_id"],
            }
            for appointment in sessions_held
        ]
        writer.insert(SessionRecord, records)
        links = [
            {"sessionrecord_id": record["id"], "cbtechnique_id": technique.pk}
            for record in records
            for technique in rng.sample(self.techniques, rng.randint(0, 2))
        ]
        writer.insert(SessionRecord.techniques.through, links)
        self._outcomes(writer, episodes, counts)

    def _outcomes(self, writer: RowWriter, episodes: list[Row], counts: Counts) -> None:
        rng, programme = self.rng, self.programme.pk
        goals, reviews, discharges, follow_ups, responses = [], [], [], [], []
        for episode in [episode for episode in episodes if episode["sessions"]]:
            last_day: date = episode["last_day"]
            started = episode["first_contact_date"] + timedelta(days=7)
            still_open = last_day > END
            for _ in range(rng.randint(1, 3)):
                final = "" if still_open else _pick(rng, FINALS)
                goal = {
                    "programme_id": programme,
                    "episode_id": episode["id"],
                    "description": "A goal of the client's own",
                    "domain": rng.choice(("activity", "pacing", "sleep", "mood", "social")),
                    "set_on": started,
                    "status": final or "in_progress",
                    "final_status": final,
                    "created_by_id": episode["assigned_trainer_id"],
                }
                goals.append(goal)
                if final and final != "not_reviewed":
                    reviews.append((goal, last_day, final, episode["assigned_trainer_id"]))
            before = rng.randint(12, 24)
            responses.append(self._swemwbs(episode, "baseline", before, started))
            if still_open:
                continue
            completed = len(episode["sessions"]) >= 3
            discharges.append(
                {
                    "programme_id": programme,
                    "episode_id": episode["id"],
                    "discharged_on": last_day,
                    "reason": "completed" if completed else "disengaged",
                    "discharged_by_id": episode["assigned_trainer_id"],
                }
            )
            if not completed:
                continue
            after = min(35, before + rng.randint(-2, 6))
            responses.append(self._swemwbs(episode, "exit", after, last_day))
            reached = rng.random() < 0.8
            follow_ups.append(
                {
                    "programme_id": programme,
                    "episode_id": episode["id"],
                    "due_on": last_day + timedelta(days=90),
                    "contacted_on": last_day + timedelta(days=92) if reached else None,
                    "reached": reached,
                    "maintaining_strategies": _pick(rng, (("yes", 45), ("partly", 35), ("no", 20)))
                    if reached
                    else "",
                    "gp_visits_last_3_months": rng.randint(0, 4) if reached else None,
                }
            )
            if reached:
                later = min(35, after + rng.randint(-3, 2))
                responses.append(
                    self._swemwbs(episode, "follow_up", later, last_day + timedelta(days=92))
                )
        counts.goals += writer.insert(Goal, goals)
        writer.insert(
            GoalReview,
            [
                {"goal_id": goal["id"], "reviewed_on": on, "status": status, "reviewed_by_id": by}
                for goal, on, status, by in reviews
            ],
        )
        writer.insert(Discharge, discharges)
        writer.insert(FollowUp, follow_ups)
        counts.questionnaires += writer.insert(QuestionnaireResponse, responses)

    def _swemwbs(self, episode: Row, timepoint: str, raw: int, on: date) -> Row:
        return {
            "programme_id": self.programme.pk,
            "episode_id": episode["id"],
            "instrument_id": self.instrument.pk,
            "timepoint": timepoint,
            "completed_on": on,
            "total": self.conversion[raw],
            "raw_total": raw,
            "source": Source.IMPORT.value,
        }


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
    writer = RowWriter()
    counts = Counts()
    done = 0
    for number in range(1, programmes + 1):
        share = clients // programmes + (1 if number <= clients % programmes else 0)
        with transaction.atomic():
            programme = programme_setup(
                actor=None,
                fields={
                    "slug": f"synthetic-{number:03d}",
                    "name": f"Synthetic programme {number}",
                    "projected_referrals": 1000,
                    "start_date": START,
                },
            )
            builder = ProgrammeBuilder(rng, programme, number)
            builder.ensure_trainers(share)
            builder.supervision_and_costs(writer)
            counts.programmes += 1
        for first in range(0, share, BATCH):
            size = min(BATCH, share - first)
            with transaction.atomic():
                builder.batch(writer, done, size, counts)
            done += size
            if progress is not None:
                progress(done)
    audit_record(
        actor=None,
        action="demo.synthetic_data.generated",
        changed_fields=["programmes", "clients"],
    )
    if connection.vendor == "postgresql":
        # Statistics and the visibility map for the new rows now, not when autovacuum
        # next passes (in the middle of what is measured next). VACUUM cannot run inside
        # a transaction, as in a test: there, statistics only.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return counts
