"""Demo casework: months of appointments, sessions, goals, discharges and follow-ups, so
that every casework page has something to show. Made through the casework services, so
every write is audited as a real one would be.

The referrals loaded by `load_demo_referrals` are all from the last few weeks, too recent
for a discharge or a follow-up, so an earlier cohort of accepted referrals is received
here first, through the referral services.

Loaded once: a programme that already has appointments is left as it is, so nothing a
demo user has recorded since is changed or added to. The community directory is filled
in by name, whatever else the programme holds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.casework import services
from healthtrainer.casework.models import (
    Appointment,
    CbTechnique,
    ClientStrategy,
    CommunityResource,
    FollowUp,
    Goal,
    Strategy,
)
from healthtrainer.casework.vocabulary import (
    Attendance,
    DischargeReason,
    GoalStatus,
    Mode,
    Topic,
)
from healthtrainer.clients.models import ReminderPreference
from healthtrainer.demo.casework_plans import (
    COMPLETED,
    DIRECTORY,
    FINAL_STATUSES,
    GOALS,
    GROUP_VENUE,
    MAINTAINED,
    MODES,
    NEXT_STEPS,
    NOTES,
    PLANS,
    REVIEW_NOTES,
    SEED,
    SUSTAINED,
    TIMES,
    VENUES,
    EpisodePlan,
    EscalationPlan,
)
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status


@transaction.atomic
def load_demo_casework(
    programme: Programme, *, trainer: User, supervisor: User, manager: User, today: date
) -> int:
    """Give the programme's accepted referrals their casework; return how many episodes
    were filled in (none when the programme already has appointments)."""
    directory = _load_directory(programme, manager=manager)
    if Appointment.objects.filter(programme=programme).exists():
        return 0
    episodes = (
        Referral.objects.filter(programme=programme, status=Status.ACCEPTED)
        .select_related("client", "programme")
        .order_by("received_date", "id")
    )
    demo = _DemoCasework(
        rng=random.Random(SEED),  # noqa: S311 - made-up data, not a secret
        today=today,
        trainer=trainer,
        supervisor=supervisor,
        directory=directory,
        techniques=list(CbTechnique.objects.filter(programme=programme, is_active=True)),
        strategies=list(Strategy.objects.filter(programme=programme, is_active=True)),
    )
    filled = 0
    for index, episode in enumerate(episodes):
        plan = PLANS[index % len(PLANS)]
        if index >= len(PLANS):
            # Escalations and signposting tell one client's story: told once.
            plan = replace(plan, escalation=None, signposts=())
        demo.episode(episode, plan, phone=f"07700 900{100 + index:03d}")
        filled += 1
    return filled


def _load_directory(programme: Programme, *, manager: User) -> dict[str, CommunityResource]:
    existing = {
        resource.name: resource
        for resource in CommunityResource.objects.filter(programme=programme)
    }
    for name, category, area, contact, opening_times, description in DIRECTORY:
        if name in existing:
            continue
        existing[name] = services.community_resource_save(
            actor=manager,
            resource=CommunityResource(
                programme=programme,
                name=name,
                category=category,
                area=area,
                contact=contact,
                opening_times=opening_times,
                description=description,
            ),
            changed_fields=["name", "category", "area", "contact", "opening_times", "description"],
        )
    return existing


@dataclass
class _DemoCasework:
    rng: random.Random
    today: date
    trainer: User
    supervisor: User
    directory: dict[str, CommunityResource]
    techniques: list[CbTechnique]
    strategies: list[Strategy]
    goals_finished: int = 0
    strategies_followed_up: int = 0

    def episode(self, episode: Referral, plan: EpisodePlan, *, phone: str) -> None:
        self._contact_preferences(episode, plan, phone=phone)
        start = episode.first_contact_date or episode.received_date
        past, upcoming = self._schedule(start, plan.visits)
        last_attended = max((n for n, (_, letter) in enumerate(past) if letter == "A"), default=-1)
        discharging = bool(plan.discharge) and upcoming is None and last_attended >= 0
        strategies = self.rng.sample(
            self.strategies, k=min(self.rng.randint(1, 3), len(self.strategies))
        )
        goals: list[Goal] = []
        finals: dict[int, str] = {}
        sessions = 0
        for position, (day, letter) in enumerate(past):
            appointment = self._book(episode, day, first=sessions == 0)
            if letter != "A":
                self._mark(appointment, letter)
                continue
            is_last = discharging and position == last_attended
            reviews = []
            if goals and (sessions == 2 or is_last):
                for goal in goals:
                    status = self._review_status(finals[goal.pk], final=is_last)
                    reviews.append(
                        services.GoalReviewEntry(
                            goal_id=goal.pk, status=status, note=REVIEW_NOTES.get(status, "")
                        )
                    )
            # One strategy taken up at each session after the first, until the client has
            # the ones they chose.
            taken_up = strategies[sessions - 1 : sessions] if sessions >= 1 else []
            services.session_record_save(
                actor=self.trainer,
                appointment=appointment,
                details=self._session_details(plan, first=sessions == 0),
                reviews=reviews,
                strategies=taken_up,
                now=appointment.starts_at + timedelta(hours=2),
            )
            if sessions == 0:
                goals = self._set_goals(episode, appointment, day)
                finals = {goal.pk: self._final_status(plan, n) for n, goal in enumerate(goals)}
            if sessions == 1:
                for kind, name in plan.signposts:
                    resource = self.directory.get(name)
                    if resource is not None:
                        services.signposting_record(
                            actor=self.trainer,
                            episode=episode,
                            kind=kind,
                            resource=resource,
                            signposted_on=day,
                        )
            if plan.escalation and sessions == plan.escalation.at_session:
                self._escalate(episode, plan.escalation)
            sessions += 1
        if upcoming is not None:
            self._book(episode, upcoming, first=sessions == 0)
        if discharging:
            self._discharge(episode, plan, last_visit=past[-1][0], finals=finals)

    def _schedule(self, start: date, visits: str) -> tuple[list[tuple[date, str]], date | None]:
        """Fortnightly appointments from the week after first contact, on weekdays. The
        first one that falls today or later is booked and still to come; no more follow."""
        past: list[tuple[date, str]] = []
        day = start + timedelta(days=5)
        for letter in visits:
            if letter == "B" or day >= self.today:
                upcoming = max(day, self.today + timedelta(days=self.rng.randint(2, 6)))
                return past, _weekday_on_or_after(upcoming)
            past.append((_weekday_on_or_before(day), letter))
            day += timedelta(days=14 + self.rng.randint(-2, 2))
        return past, None

    def _book(self, episode: Referral, day: date, *, first: bool) -> Appointment:
        mode = Mode.FACE_TO_FACE if first else self.rng.choice(MODES)
        venue = ""
        if mode == Mode.FACE_TO_FACE:
            venue = self.rng.choice(VENUES)
        elif mode == Mode.GROUP:
            venue = GROUP_VENUE
        starts_at = timezone.make_aware(datetime.combine(day, self.rng.choice(TIMES)))
        return services.appointment_book(
            actor=self.trainer, episode=episode, starts_at=starts_at, mode=mode, venue=venue
        )

    def _mark(self, appointment: Appointment, letter: str) -> None:
        attendance, when = {
            "D": (Attendance.DID_NOT_ATTEND, timedelta(minutes=30)),
            # Cancellations are phoned through the afternoon before.
            "C": (Attendance.CANCELLED_BY_CLIENT, -timedelta(hours=18)),
            "T": (Attendance.CANCELLED_BY_TRAINER, -timedelta(hours=18)),
        }[letter]
        services.appointment_record_attendance(
            actor=self.trainer,
            appointment=appointment,
            attendance=attendance,
            now=appointment.starts_at + when,
        )

    def _session_details(self, plan: EpisodePlan, *, first: bool) -> services.SessionDetails:
        rng = self.rng
        topics = rng.sample(plan.themes, k=rng.randint(1, min(3, len(plan.themes))))
        if first:
            # The first session is the assessment: pain always comes up and goals are set.
            topics = [Topic.PAIN, *(topic for topic in topics if topic != Topic.PAIN)]
            named = [t for t in self.techniques if t.name in {"Goal setting", "Action planning"}]
            techniques = named or self.techniques[:1]
        else:
            techniques = rng.sample(self.techniques, k=rng.randint(1, min(4, len(self.techniques))))
        notes = " ".join(rng.choice(NOTES[topic]) for topic in topics if topic in NOTES)
        return services.SessionDetails(
            duration_minutes=rng.randrange(50, 65, 5) if first else rng.randrange(30, 65, 5),
            techniques=techniques,
            topics=list(topics),
            notes=notes,
            next_steps=rng.choice(NEXT_STEPS),
            gp_visits_last_3_months=rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5, 6)) if first else None,
        )

    def _set_goals(self, episode: Referral, appointment: Appointment, day: date) -> list[Goal]:
        chosen = self.rng.sample(GOALS, k=self.rng.randint(1, 3))
        return [
            services.goal_set(
                actor=self.trainer,
                episode=episode,
                details=services.GoalDetails(
                    description=description,
                    domain=domain,
                    confidence=self.rng.randint(3, 9),
                    how_often=how_often,
                    when=when,
                ),
                set_on=day,
                appointment=appointment,
            )
            for description, domain, how_often, when in chosen
        ]

    def _final_status(self, plan: EpisodePlan, index: int) -> str:
        if plan.discharge == DischargeReason.DISENGAGED:
            # Some progress on the first goal before the client stopped coming.
            return GoalStatus.PARTLY_ACHIEVED if index == 0 else GoalStatus.NOT_ACHIEVED
        status = FINAL_STATUSES[self.goals_finished % len(FINAL_STATUSES)]
        self.goals_finished += 1
        return status

    def _review_status(self, final_status: str, *, final: bool) -> str:
        """A goal's status at a review: its final one at the last session before discharge,
        a step short of it earlier on."""
        if final:
            return final_status
        if final_status == GoalStatus.ACHIEVED:
            return GoalStatus.PARTLY_ACHIEVED
        return final_status

    def _escalate(self, episode: Referral, plan: EscalationPlan) -> None:
        escalation = services.escalation_raise(
            actor=self.trainer, episode=episode, category=plan.category, details=plan.details
        )
        if plan.state in {"acknowledged", "resolved"}:
            services.escalation_acknowledge(actor=self.supervisor, escalation=escalation)
        if plan.state == "resolved":
            services.escalation_resolve(
                actor=self.supervisor, escalation=escalation, resolution=plan.resolution
            )

    def _discharge(
        self, episode: Referral, plan: EpisodePlan, *, last_visit: date, finals: dict[int, str]
    ) -> None:
        # A client who stops coming is given a fortnight and a few calls before discharge.
        wait = self.rng.randint(8, 14) if plan.discharge == DischargeReason.DISENGAGED else 0
        discharged_on = min(last_visit + timedelta(days=wait + self.rng.randint(1, 5)), self.today)
        services.episode_discharge(
            actor=self.trainer,
            episode=episode,
            discharged_on=discharged_on,
            reason=plan.discharge,
            final_statuses=finals,
            notes="Completed the sessions offered and has a plan to carry on."
            if plan.discharge == COMPLETED
            else "No reply to three calls and a letter after two missed appointments.",
        )
        follow_up = FollowUp.objects.get(episode=episode)
        # Follow-ups due in the last week are left for the trainer to make.
        if follow_up.due_on > self.today - timedelta(days=7):
            return
        self._follow_up(follow_up, plan, finals=finals)

    def _follow_up(self, follow_up: FollowUp, plan: EpisodePlan, *, finals: dict[int, str]) -> None:
        contacted_on = min(follow_up.due_on + timedelta(days=self.rng.randint(0, 5)), self.today)
        if not plan.follow_up_reached:
            answers = services.FollowUpAnswers(
                contacted_on=contacted_on,
                reached=False,
                notes="Three calls on different days and a voicemail; no answer.",
            )
        else:
            first_session = (
                Appointment.objects.filter(
                    episode=follow_up.episode, attendance=Attendance.ATTENDED
                )
                .select_related("session_record")
                .first()
            )
            at_start = 0
            if first_session is not None:
                at_start = first_session.session_record.gp_visits_last_3_months or 0
            maintained: dict[int, str] = {}
            for taken_up in ClientStrategy.objects.filter(episode=follow_up.episode):
                maintained[taken_up.pk] = MAINTAINED[self.strategies_followed_up % len(MAINTAINED)]
                self.strategies_followed_up += 1
            answers = services.FollowUpAnswers(
                contacted_on=contacted_on,
                reached=True,
                gp_visits_last_3_months=max(0, at_start - self.rng.choice((0, 1, 1, 2, 3))),
                notes="Still using what was learnt; the pain is there but is managed better.",
                strategies_maintained=maintained,
                goals_sustained={pk: SUSTAINED[status] for pk, status in finals.items()},
            )
        services.follow_up_record(actor=self.trainer, follow_up=follow_up, answers=answers)

    def _contact_preferences(self, episode: Referral, plan: EpisodePlan, *, phone: str) -> None:
        client = episode.client
        if client is None:
            return
        email = client.email
        if plan.reminders_by == ReminderPreference.EMAIL and not email:
            email = f"{client.given_name}.{client.family_name}@example.com".lower()
        services.client_contact_preferences_update(
            actor=self.trainer,
            client=client,
            phone=client.phone or phone,
            email=email,
            reminders_by=plan.reminders_by,
        )


def _weekday_on_or_before(day: date) -> date:
    """The Friday before a weekend day; any other day as it is."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _weekday_on_or_after(day: date) -> date:
    """The Monday after a weekend day; any other day as it is."""
    return day + timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)
