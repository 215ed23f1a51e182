"""The demo's client companion: one client of the demo trainer, invited, who signs in
with the demo's own mobile number (codes land in the outbox, shown on the code page), with
a month of their own use behind it: a diary two or three times a day, pacing a walk,
weekly goal check-ins and a setback plan written with their trainer."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import CheckInVia, CheckInView, ClientStrategy, Goal
from healthtrainer.casework.services.check_ins import goal_check_in
from healthtrainer.clients.models import Client
from healthtrainer.companion.diary import DiaryDetails, diary_entry_add
from healthtrainer.companion.models import CompanionAccess, Mood, PacingPlan, SignInBy, Sleep
from healthtrainer.companion.services import companion_invite
from healthtrainer.companion.setback import SetbackDetails, setback_plan_save
from healthtrainer.notifications.notifier import OutboxNotifier
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status

# A number Ofcom keeps for drama: it belongs to nobody.
DEMO_CLIENT_PHONE = "07700 900001"
DEMO_DAYS = 30
PACED_ACTIVITY = "Walking"


def load_demo_companion(programme: Programme, *, trainer: User, sign_in_url: str) -> Client | None:
    """Invite the trainer's client with the most appointments; None if already done or
    the trainer has no client."""
    if CompanionAccess.objects.for_programme(programme).exists():
        return None
    episode = (
        Referral.objects.for_programme(programme)
        .filter(
            assigned_trainer=trainer,
            status=Status.ACCEPTED,
            client__isnull=False,
            discharge__isnull=True,
        )
        .annotate(booked=Count("appointments"))
        .order_by("-booked", "pk")
        .first()
    )
    if episode is None or episode.client is None:
        return None
    client = episode.client
    client.phone = DEMO_CLIENT_PHONE
    client.save(update_fields=["phone"])
    companion_invite(
        actor=trainer,
        episode=episode,
        sign_in_by=SignInBy.SMS,
        notifier=OutboxNotifier(),
        sign_in_url=sign_in_url,
    )
    _a_month_of_use(episode, client, trainer)
    return client


def _a_month_of_use(episode: Referral, client: Client, trainer: User) -> None:
    """What a month of the companion leaves: made through the same services as a client's
    own use, with a fixed seed so every demo is the same."""
    rng = random.Random(21)  # noqa: S311 (demo data, not a secret)
    today = timezone.localdate()
    first = today - timedelta(days=DEMO_DAYS - 1)
    PacingPlan.objects.create(
        programme=episode.programme,
        episode=episode,
        activity=PACED_ACTIVITY,
        bad_day_minutes=20,
        baseline_percent=episode.programme.pacing_baseline_percent,
        weekly_increase_percent=episode.programme.pacing_weekly_increase_percent,
        started_on=first,
    )
    strategies = list(ClientStrategy.objects.filter(episode=episode))
    for offset in range(DEMO_DAYS):
        day = first + timedelta(days=offset)
        pain = max(0, min(10, 7 - offset // 8 + rng.randint(-1, 1)))
        for hour in sorted(rng.sample([9, 13, 18, 21], rng.choice([2, 2, 3]))):
            moment = timezone.make_aware(datetime.combine(day, time(hour, rng.randint(0, 59))))
            if moment > timezone.now():
                continue
            walked = hour == 13
            diary_entry_add(
                client=client,
                episode=episode,
                key=uuid.UUID(int=rng.getrandbits(128)),
                details=DiaryDetails(
                    recorded_for=moment,
                    pain=pain,
                    activity=PACED_ACTIVITY if walked else "",
                    activity_minutes=16 + offset // 7 * 2 if walked else None,
                    mood=rng.choice([Mood.LOW, Mood.OKAY, Mood.OKAY, Mood.GOOD]),
                    sleep=rng.choice([Sleep.BADLY, Sleep.OKAY, Sleep.WELL]) if hour == 9 else None,
                    strategies_used=strategies[: rng.randint(0, 2)],
                ),
            )
    for goal in Goal.objects.filter(episode=episode, final_status=""):
        for weeks_ago, view in ((3, CheckInView.NOT_YET), (2, CheckInView.PARTLY), (1, None)):
            answered = timezone.now() - timedelta(weeks=weeks_ago)
            goal_check_in(
                goal=goal,
                view=view or rng.choice([CheckInView.PARTLY, CheckInView.ACHIEVED]),
                via=CheckInVia.COMPANION,
                now=answered,
            )
    setback_plan_save(
        episode=episode,
        details=SetbackDetails(
            early_signs="Stiff shoulders in the morning, and I stop going out.",
            what_helps="Heat pack, a slower day with short walks, ringing my sister.",
            who_to_contact="My health trainer on the service number; my GP if it lasts a week.",
        ),
        expected_version=0,
        actor=trainer,
    )
