"""Small companion data for the evaluation's tests, worked by hand.

"Today" is Wednesday 2 December 2026 (Mondays: 5, 12, 19, 26 October; 2, 9, 16, 23, 30
November). Every episode below was referred on 1 October 2026 and accepted.

- A: IMD quintile 1, 65 and over, White: British. Invited Monday 2 November, still
  seen: 5 weeks open (2 to 30 November), a diary entry in 3 of them, goal check-ins
  answered in 2; a device used on 1 December (active).
- B: quintile 5, 35 to 49, Black or Black British: African. Invited 2 November,
  discharged Friday 20 November: 3 weeks open (2 to 16 November), a diary entry in 1 (one
  more after discharge, not counted), no goal check-in; a device last used 10 November.
- C: quintile 1, 35 to 49, ethnic category not recorded. Invited Monday 23 November, the
  companion closed on Wednesday 25th: 1 week open, with a diary entry and a goal check-in;
  a device used on 25 November (active).
- F: quintile 1, 65 and over, White: British. Invited Monday 5 October, discharged
  Friday 30 October: 4 weeks open (5 to 26 October), a diary entry in 2 (half: it
  counts), a goal check-in in 1; no device.
- D: quintile 3, 65 and over, White: British. Never invited.
- E: quintile 5, 35 to 49, Black or Black British: African. Its companion was closed
  before the referral, so it was not invited: its diary entry and device are not counted.

Strategy check-ins after discharge: B (discharged November) answered in November (no,
partly) and December (no, no); F (discharged October) answered in September (before
discharge: not counted), October (yes), November (yes) and December (partly).

At follow-up: B's strategies were answered no by the trainer and partly from the
client's check-in; F's yes from the client's check-in; E's follow-up did not reach them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.utils import timezone

from healthtrainer.casework.models import (
    CheckInVia,
    ClientStrategy,
    Discharge,
    FollowUp,
    Goal,
    GoalCheckIn,
    Strategy,
    StrategyCheckIn,
    StrategyFollowUp,
)
from healthtrainer.clients.models import Client
from healthtrainer.companion.models import CompanionAccess, CompanionDevice, DiaryEntry
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import (
    ClientStrategyFactory,
    GoalFactory,
    PracticeFactory,
    ReferralFactory,
    accepted_episode,
)

TODAY = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class Episodes:
    a: Referral
    b: Referral
    c: Referral
    d: Referral
    e: Referral
    f: Referral


def _episode(trainer, programme, decile, ethnic, born) -> Referral:
    episode = accepted_episode(trainer, programme)
    episode.imd_decile = decile
    episode.ethnic_category = ethnic
    episode.date_of_birth = born
    episode.received_date = date(2026, 10, 1)
    episode.save(update_fields=["imd_decile", "ethnic_category", "date_of_birth", "received_date"])
    return episode


def invite(episode, trainer, invited: date, closed: date | None = None) -> CompanionAccess:
    return CompanionAccess.objects.create(
        programme=episode.programme,
        client=episode.client,
        sign_in_by="sms",
        contact=f"+4477009{episode.pk:05d}",
        invited_by=trainer,
        invited_at=at(invited),
        closed_at=at(closed) if closed else None,
    )


def device(access, last_used: date) -> CompanionDevice:
    return CompanionDevice.objects.create(
        access=access,
        token_hash=uuid.uuid4().hex,
        label="A phone",
        signed_in_at=access.invited_at,
        last_used_at=at(last_used),
    )


def diary(episode, *days: date) -> None:
    for day in days:
        DiaryEntry.objects.create(
            programme=episode.programme, episode=episode, key=uuid.uuid4(), recorded_for=at(day)
        )


def goal_check_ins(goal, *mondays: date) -> None:
    for monday in mondays:
        GoalCheckIn.objects.create(
            goal=goal,
            week_starting=monday,
            view="partly",
            via=CheckInVia.COMPANION,
            answered_at=at(monday),
        )


def discharge(episode, trainer, on: date) -> None:
    Discharge.objects.create(
        programme=episode.programme,
        episode=episode,
        discharged_on=on,
        reason="completed",
        discharged_by=trainer,
    )


def strategies(episode, *answers: tuple[date, str, str]) -> list:
    """Two strategies taken up; each answer is (month, first strategy's, second's), an
    empty answer meaning none that month."""
    taken = [
        ClientStrategyFactory(episode=episode, strategy=strategy)
        for strategy in Strategy.objects.filter(programme=episode.programme).order_by("position")[
            :2
        ]
    ]
    for month, *maintained in answers:
        for client_strategy, answer in zip(taken, maintained, strict=True):
            if answer:
                StrategyCheckIn.objects.create(
                    client_strategy=client_strategy,
                    month_starting=month,
                    maintained=answer,
                    via=CheckInVia.COMPANION,
                    answered_at=at(month),
                )
    return taken


def follow_up(episode, *answers, reached=True) -> None:
    """A follow-up with each strategy's (client strategy, answer, source)."""
    record = FollowUp.objects.create(
        programme=episode.programme,
        episode=episode,
        due_on=date(2027, 2, 1),
        contacted_on=date(2027, 2, 1) if reached else None,
        reached=reached,
        days_early=0 if reached else None,
    )
    for client_strategy, maintained, source in answers:
        StrategyFollowUp.objects.create(
            follow_up=record, client_strategy=client_strategy, maintained=maintained, source=source
        )


def companion_programme(programme, trainer) -> Episodes:
    a = _episode(trainer, programme, 1, "A", date(1960, 3, 27))
    b = _episode(trainer, programme, 10, "N", date(1990, 1, 1))
    c = _episode(trainer, programme, 2, "", date(1980, 5, 5))
    d = _episode(trainer, programme, 5, "A", date(1960, 3, 27))
    e = _episode(trainer, programme, 10, "N", date(1990, 1, 1))
    f = _episode(trainer, programme, 1, "A", date(1960, 3, 27))

    device(invite(a, trainer, date(2026, 11, 2)), date(2026, 12, 1))
    diary(a, date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 12), date(2026, 11, 27))
    walk, sleep = GoalFactory(episode=a), GoalFactory(episode=a)
    goal_check_ins(walk, date(2026, 11, 9), date(2026, 11, 16))
    goal_check_ins(sleep, date(2026, 11, 16))

    device(invite(b, trainer, date(2026, 11, 2)), date(2026, 11, 10))
    discharge(b, trainer, date(2026, 11, 20))
    diary(b, date(2026, 11, 10), date(2026, 11, 25))
    b_first, b_second = strategies(
        b, (date(2026, 11, 1), "no", "partly"), (date(2026, 12, 1), "no", "no")
    )

    device(invite(c, trainer, date(2026, 11, 23), closed=date(2026, 11, 25)), date(2026, 11, 25))
    diary(c, date(2026, 11, 24))
    goal_check_ins(GoalFactory(episode=c), date(2026, 11, 23))

    invite(f, trainer, date(2026, 10, 5))
    discharge(f, trainer, date(2026, 10, 30))
    diary(f, date(2026, 10, 6), date(2026, 10, 13))
    goal_check_ins(GoalFactory(episode=f), date(2026, 10, 5))
    f_first, _ = strategies(
        f,
        (date(2026, 9, 1), "no", ""),
        (date(2026, 10, 1), "yes", ""),
        (date(2026, 11, 1), "yes", ""),
        (date(2026, 12, 1), "partly", ""),
    )

    device(invite(e, trainer, date(2026, 6, 1), closed=date(2026, 7, 1)), date(2026, 12, 1))
    diary(e, date(2026, 10, 14))
    (e_first,) = strategies(e)[:1]

    follow_up(b, (b_first, "no", "trainer"), (b_second, "partly", "client"))
    follow_up(f, (f_first, "yes", "client"))
    follow_up(e, (e_first, "yes", "trainer"), reached=False)

    # Outside the report: referred before the period, and a referral not accepted.
    earlier = _episode(trainer, programme, 1, "A", date(1960, 3, 27))
    earlier.received_date = date(2026, 8, 15)
    earlier.save(update_fields=["received_date"])
    device(invite(earlier, trainer, date(2026, 11, 2)), date(2026, 12, 1))
    diary(earlier, date(2026, 11, 3))
    ReferralFactory(programme=programme, practice=a.practice, received_date=date(2026, 10, 1))
    return Episodes(a, b, c, d, e, f)


def many_companion_clients(programme, trainer, count: int, offset: int = 0, decile: int = 1):
    """`count` accepted episodes referred on 1 October 2026 whose clients were invited on
    5 October and used every part of the companion: a device, two diary entries and a
    goal check-in in the first week, then discharge on 30 October with a strategy
    answered yes in November and answered again at a follow-up. Bulk-made, so that
    hundreds are quick to build."""
    practice = PracticeFactory(programme=programme)
    strategy = Strategy.objects.filter(programme=programme).order_by("position").first()
    clients = Client.objects.bulk_create(
        Client(
            programme=programme,
            given_name=f"Given{offset + n}",
            family_name="Family",
            date_of_birth=date(1950 + n % 40, 1, 1),
            sex="female",
        )
        for n in range(count)
    )
    episodes = Referral.objects.bulk_create(
        Referral(
            programme=programme,
            practice=practice,
            reference=f"C-{offset + n}",
            received_date=date(2026, 10, 1),
            given_name=client.given_name,
            family_name=client.family_name,
            date_of_birth=client.date_of_birth,
            sex=client.sex,
            pain_duration_months=24,
            imd_decile=decile,
            ethnic_category="A",
            status="accepted",
            client=client,
            assigned_trainer=trainer,
        )
        for n, client in enumerate(clients)
    )
    accesses = CompanionAccess.objects.bulk_create(
        CompanionAccess(
            programme=programme,
            client=client,
            sign_in_by="sms",
            contact=f"+4478{offset + n:09d}",
            invited_by=trainer,
            invited_at=at(date(2026, 10, 5)),
        )
        for n, client in enumerate(clients)
    )
    CompanionDevice.objects.bulk_create(
        CompanionDevice(
            access=access,
            token_hash=uuid.uuid4().hex,
            label="A phone",
            signed_in_at=access.invited_at,
            last_used_at=timezone.now(),
        )
        for access in accesses
    )
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            programme=programme,
            episode=episode,
            key=uuid.uuid4(),
            recorded_for=at(date(2026, 10, day)),
        )
        for episode in episodes
        for day in (6, 7)
    )
    goals = Goal.objects.bulk_create(
        Goal(
            programme=programme,
            episode=episode,
            description="Walk",
            domain="activity",
            set_on=date(2026, 10, 5),
        )
        for episode in episodes
    )
    GoalCheckIn.objects.bulk_create(
        GoalCheckIn(
            goal=goal,
            week_starting=date(2026, 10, 5),
            view="partly",
            via=CheckInVia.SMS,
            answered_at=at(date(2026, 10, 6)),
        )
        for goal in goals
    )
    Discharge.objects.bulk_create(
        Discharge(
            programme=programme,
            episode=episode,
            discharged_on=date(2026, 10, 30),
            reason="completed",
            discharged_by=trainer,
        )
        for episode in episodes
    )
    taken = ClientStrategy.objects.bulk_create(
        ClientStrategy(
            programme=programme,
            episode=episode,
            strategy=strategy,
            adopted_on=date(2026, 10, 10),
            recorded_by=trainer,
        )
        for episode in episodes
    )
    StrategyCheckIn.objects.bulk_create(
        StrategyCheckIn(
            client_strategy=client_strategy,
            month_starting=date(2026, 11, 1),
            maintained="yes",
            via=CheckInVia.COMPANION,
            answered_at=at(date(2026, 11, 2)),
        )
        for client_strategy in taken
    )
    follow_ups = FollowUp.objects.bulk_create(
        FollowUp(
            programme=programme,
            episode=episode,
            due_on=date(2027, 1, 30),
            contacted_on=date(2027, 1, 30),
            reached=True,
            days_early=0,
        )
        for episode in episodes
    )
    StrategyFollowUp.objects.bulk_create(
        StrategyFollowUp(
            follow_up=record, client_strategy=client_strategy, maintained="yes", source="client"
        )
        for record, client_strategy in zip(follow_ups, taken, strict=True)
    )
    return episodes
