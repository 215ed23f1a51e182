"""Demo workforce records, so that every workforce page has something to show: the health
trainer's profile, the courses she attended and her surveys of them, monthly supervision
with CB-fidelity ratings and actions, time given by GP champions and the pain team, the
rates it is valued at, the budget and the direct costs. Made through the workforce
services, so every write is audited as a real one would be.

The programme is one set up with its lists (`imports/setup.py`): the demo rates against
its own satisfaction and fidelity items and CB techniques.

Loaded once: a programme that already has a supervision session is left as it is, so
nothing a demo user has recorded since is changed or added to.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import CbTechnique
from healthtrainer.casework.vocabulary import Attendance
from healthtrainer.demo.workforce_plan import (
    BUDGET_AMOUNT,
    BUDGET_SOURCE,
    CB_COMMENT,
    CB_COURSE,
    CB_RATINGS,
    CB_SESSIONS,
    INDIRECT_TIME,
    MI_COURSE,
    MI_RATINGS,
    MI_SESSIONS,
    PROFILE,
    ROLE_RATES,
    SEED,
    SUPERVISION_ACTION_DAYS,
    SUPERVISION_PLAN,
    TRAINER,
    VENUE,
    VENUE_MONTHS,
)
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status
from healthtrainer.workforce.models import (
    Course,
    FidelityItem,
    SatisfactionItem,
    SupervisionAction,
    SupervisionSession,
)
from healthtrainer.workforce.services import resources, supervision, training
from healthtrainer.workforce.services.setup import settings_for
from healthtrainer.workforce.vocabulary import (
    CostCategory,
    SupervisionFormat,
    SurveyStage,
)


@transaction.atomic
def load_demo_workforce(
    programme: Programme, *, manager: User, supervisor: User, trainer: User, today: date
) -> int:
    """Give the programme its workforce records; return how many were written (none when
    the programme already has a supervision session)."""
    if SupervisionSession.objects.filter(programme=programme).exists():
        return 0
    demo = _DemoWorkforce(
        rng=random.Random(SEED),  # noqa: S311 - made-up data, not a secret
        programme=programme,
        manager=manager,
        supervisor=supervisor,
        trainer=trainer,
        today=today,
    )
    demo.load_profile()
    demo.load_training()
    demo.load_supervision()
    demo.load_resources()
    return demo.written


@dataclass
class _DemoWorkforce:
    rng: random.Random
    programme: Programme
    manager: User
    supervisor: User
    trainer: User
    today: date
    written: int = 0

    def ago(self, days: int) -> date:
        """A weekday about `days` ago, never after today."""
        return _weekday_on_or_before(self.today - timedelta(days=days))

    def load_profile(self) -> None:
        supervision.trainer_profile_save(
            actor=self.manager,
            membership=self.trainer.memberships.get(programme=self.programme),
            fields={"start_date": self.ago(305), **PROFILE},
        )
        self.written += 1

    # Training ------------------------------------------------------------------------

    def load_training(self) -> None:
        cb_course = self._course(CB_COURSE, CB_SESSIONS)
        mi_course = self._course(MI_COURSE, MI_SESSIONS)
        cb_first, cb_last = self._session_days(cb_course)
        _, mi_last = self._session_days(mi_course)
        self._satisfaction(cb_course, cb_last + timedelta(days=2), CB_RATINGS, comments=CB_COMMENT)
        self._satisfaction(mi_course, mi_last + timedelta(days=1), MI_RATINGS)
        stages = (
            (SurveyStage.BEFORE_TRAINING, cb_first - timedelta(days=7), (3, 5), cb_course),
            (SurveyStage.AFTER_TRAINING, cb_last + timedelta(days=3), (6, 8), cb_course),
            (SurveyStage.LATER, self.ago(90), (7, 9), None),
        )
        techniques = CbTechnique.objects.for_programme(self.programme).filter(is_active=True)
        for stage, day, (low, high), course in stages:
            training.confidence_survey_record(
                actor=self.trainer,
                programme=self.programme,
                stage=stage,
                completed_on=min(day, self.today),
                answers={technique.pk: self.rng.randint(low, high) for technique in techniques},
                course=course,
            )
            self.written += 1

    def _course(
        self, details: training.CourseDetails, sessions: tuple[tuple[int, Decimal], ...]
    ) -> Course:
        course = training.course_create(
            actor=self.manager, programme=self.programme, details=details
        )
        self.written += 1
        for days, hours in sessions:
            training.course_session_add(
                actor=self.manager,
                course=course,
                held_on=self.ago(days),
                hours=hours,
                attendees=[self.trainer],
            )
            self.written += 1
        return course

    def _session_days(self, course: Course) -> tuple[date, date]:
        days = [session.held_on for session in course.sessions.all()]
        return min(days), max(days)

    def _satisfaction(
        self, course: Course, day: date, ratings: tuple[int, ...], *, comments: str = ""
    ) -> None:
        items = SatisfactionItem.objects.for_programme(self.programme).filter(is_active=True)
        training.satisfaction_submit(
            actor=self.trainer,
            course=course,
            answers={item.pk: ratings[index % len(ratings)] for index, item in enumerate(items)},
            comments=comments,
            today=min(day, self.today),
        )
        self.written += 1

    # Supervision ---------------------------------------------------------------------

    def load_supervision(self) -> None:
        scale = settings_for(self.programme)
        low, high = scale.fidelity_scale_min, scale.fidelity_scale_max
        items = list(FidelityItem.objects.for_programme(self.programme).filter(is_active=True))
        count = len(SUPERVISION_PLAN)
        for index, (days, concern, actions) in enumerate(SUPERVISION_PLAN):
            held_on = self.ago(days)
            session = supervision.supervision_record(
                actor=self.supervisor,
                programme=self.programme,
                trainers=[self.trainer],
                held_on=held_on,
                duration_minutes=self.rng.choice((45, 50, 60)),
                format=SupervisionFormat.ONE_TO_ONE,
                cases=self._cases_seen_before(held_on),
                concerns=concern,
            )
            self.written += 1
            # From around 3 to around 5 on the default 0 to 6 scale, wherever it is set.
            mean = 3 + 2 * index / (count - 1)
            ratings = {}
            for item in items:
                value = (mean + self.rng.choice((-1, 0, 0, 0, 1))) / 6
                ratings[item.pk] = max(low, min(high, round(low + value * (high - low))))
            if items:
                supervision.fidelity_rate(
                    actor=self.supervisor, session=session, trainer=self.trainer, ratings=ratings
                )
                self.written += 1
            for description, owner, outcome in actions:
                self._action(
                    session,
                    description,
                    owner=self.trainer if owner == TRAINER else self.supervisor,
                    outcome=outcome,
                )

    def _cases_seen_before(self, held_on: date) -> list[Referral]:
        """One or two of the clients the trainer saw in the five weeks before the session;
        failing that, of the latest accepted before it."""
        accepted = Referral.objects.filter(
            Q(discharge__isnull=True) | Q(discharge__discharged_on__gte=held_on),
            programme=self.programme,
            status=Status.ACCEPTED,
            received_date__lt=held_on,
        )
        seen = accepted.filter(
            appointments__trainer=self.trainer,
            appointments__attendance=Attendance.ATTENDED,
            appointments__starts_at__gte=_start_of(held_on - timedelta(days=35)),
            appointments__starts_at__lt=_start_of(held_on),
        ).distinct()
        episodes = list(seen.order_by("received_date", "id")) or list(
            accepted.order_by("-received_date", "-id")[:2]
        )
        if not episodes:
            return []
        return self.rng.sample(episodes, min(len(episodes), self.rng.randint(1, 2)))

    def _action(
        self, session: SupervisionSession, description: str, *, owner: User, outcome: str
    ) -> None:
        due_on = session.held_on + timedelta(days=SUPERVISION_ACTION_DAYS)
        if outcome == "open":
            # Still to do: due after today, however long ago the session was.
            due_on = max(due_on, self.today + timedelta(days=14))
        action: SupervisionAction = supervision.supervision_action_add(
            actor=self.supervisor,
            session=session,
            description=description,
            owner=owner,
            due_on=due_on,
        )
        self.written += 1
        if outcome == "done":
            completed_on = session.held_on + timedelta(days=self.rng.randint(5, 25))
            supervision.supervision_action_complete(
                actor=self.supervisor, action=action, completed_on=min(completed_on, self.today)
            )
            self.written += 1

    # Resources and costs -------------------------------------------------------------

    def load_resources(self) -> None:
        resources.role_rates_update(
            actor=self.manager,
            programme=self.programme,
            rates=ROLE_RATES,
        )
        self.written += len(ROLE_RATES)
        for days, person, role, activity, hours, notes in INDIRECT_TIME:
            resources.indirect_time_record(
                actor=self.manager,
                programme=self.programme,
                person=person,
                role=role,
                given_on=self.ago(days),
                hours=hours,
                activity=activity,
                notes=notes,
            )
            self.written += 1
        start, end = _budget_period(self.programme, self.today)
        resources.budget_line_save(
            actor=self.manager,
            programme=self.programme,
            funding_source=BUDGET_SOURCE,
            amount=BUDGET_AMOUNT,
            period_start=start,
            period_end=end,
        )
        self.written += 1
        for incurred_on in _month_ends(self.today, VENUE_MONTHS):
            self._cost(
                CostCategory.VENUES,
                incurred_on,
                Decimal(self.rng.randrange(60, 91, 5)),
                f"Room hire for client sessions at {VENUE}, {incurred_on:%B %Y}",
            )
        self._cost(
            CostCategory.MATERIALS,
            self.ago(250),
            Decimal("240.00"),
            "Printed client workbooks and pain diaries",
        )
        self._cost(
            CostCategory.TRAINING,
            self.ago(CB_SESSIONS[0][0]),
            Decimal("150.00"),
            "Training room for the CB approaches course",
        )

    def _cost(self, category: str, incurred_on: date, amount: Decimal, description: str) -> None:
        resources.cost_item_record(
            actor=self.manager,
            programme=self.programme,
            category=category,
            incurred_on=incurred_on,
            amount=amount,
            description=description,
        )
        self.written += 1


def _budget_period(programme: Programme, today: date) -> tuple[date, date]:
    """The grant funds the programme's whole run, so every cost the demo records is set
    against it, on the Costs page and in the evaluation alike. A programme without dates
    is funded for the programme year (1 April to 31 March) that contains `today`."""
    if programme.start_date and programme.end_date:
        return programme.start_date, programme.end_date
    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return start, date(start.year + 1, 3, 31)


def _month_ends(today: date, count: int) -> list[date]:
    """The last weekday of each of the `count` months before today's, oldest first."""
    ends = []
    first = today.replace(day=1)
    for _ in range(count):
        end = first - timedelta(days=1)
        ends.append(_weekday_on_or_before(end))
        first = end.replace(day=1)
    return ends[::-1]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _weekday_on_or_before(day: date) -> date:
    """Friday for a Saturday or Sunday; the day itself otherwise."""
    return day - timedelta(days=max(0, day.weekday() - 4))
