"""The client's diary: entries written, corrected and deleted by the client, read back as
days for the charts. The rules are here: an entry is for a moment from 90 days ago to
now, pain is 0 to 10, at least one part is filled in, and the same entry sent twice is
kept once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from healthtrainer.casework.models import ClientStrategy
from healthtrainer.clients.models import Client
from healthtrainer.companion.models import DiaryEntry
from healthtrainer.core.audit import audit_record
from healthtrainer.referrals.models import Referral

BACKFILL = timedelta(days=90)
# A phone's clock can run a little ahead of the server's.
CLOCK_SLACK = timedelta(minutes=5)
CHART_SPANS = (7, 30, 90)


@dataclass(frozen=True)
class DiaryDetails:
    recorded_for: datetime
    pain: int | None = None
    activity: str = ""
    activity_minutes: int | None = None
    mood: int | None = None
    sleep: int | None = None
    strategies_used: Sequence[ClientStrategy] = ()
    note: str = ""

    def is_empty(self) -> bool:
        return (
            self.pain is None
            and not self.activity.strip()
            and self.activity_minutes is None
            and self.mood is None
            and self.sleep is None
            and not self.strategies_used
            and not self.note.strip()
        )


def _check(episode: Referral, details: DiaryDetails, now: datetime) -> None:
    problems: dict[str, str] = {}
    if details.recorded_for > now + CLOCK_SLACK:
        problems["recorded_for"] = gettext("The time must be now or earlier, not in the future")
    elif details.recorded_for < now - BACKFILL:
        problems["recorded_for"] = gettext("The diary takes entries from the last 90 days")
    if details.pain is not None and not 0 <= details.pain <= 10:
        problems["pain"] = gettext("Pain is a number from 0 (no pain) to 10 (the worst)")
    if details.activity_minutes is not None and not 0 < details.activity_minutes <= 24 * 60:
        problems["activity_minutes"] = gettext("Enter how many minutes, up to 1,440 (a whole day)")
    if any(chosen.episode_id != episode.pk for chosen in details.strategies_used):
        problems["strategies_used"] = gettext("Choose from your own strategies")
    if not problems and details.is_empty():
        problems["pain"] = gettext(
            "Record at least one thing: your pain, an activity, your mood or a note"
        )
    if problems:
        raise ValidationError(problems)


def _fields(details: DiaryDetails) -> dict[str, object]:
    return {
        "recorded_for": details.recorded_for,
        "pain": details.pain,
        "activity": details.activity.strip(),
        "activity_minutes": details.activity_minutes,
        "mood": details.mood,
        "sleep": details.sleep,
        "note": details.note.strip(),
    }


def diary_entry_add(
    *, client: Client, episode: Referral, key: uuid.UUID, details: DiaryDetails
) -> tuple[DiaryEntry, bool]:
    """Keep the entry; return it and whether it is new. Sent again with the same key, the
    entry kept the first time is returned and nothing changes."""
    existing = DiaryEntry.objects.filter(key=key, episode=episode).first()
    if existing is not None:
        return existing, False
    _check(episode, details, timezone.now())
    try:
        with transaction.atomic():
            entry = DiaryEntry.objects.create(
                programme=episode.programme, episode=episode, key=key, **_fields(details)
            )
            entry.strategies_used.set(details.strategies_used)
            _audit(client, "companion.diary_entry.added", entry, list(_changed(details)))
    except IntegrityError:
        # The same key arrived twice at once: the other request kept it.
        kept = DiaryEntry.objects.filter(key=key, episode=episode).first()
        if kept is None:
            raise ValidationError(
                {"pain": gettext("This entry could not be kept. Try again.")}
            ) from None
        return kept, False
    return entry, True


@transaction.atomic
def diary_entry_correct(*, client: Client, entry: DiaryEntry, details: DiaryDetails) -> DiaryEntry:
    _check(entry.episode, details, timezone.now())
    fields = _fields(details)
    changed = [name for name, value in fields.items() if getattr(entry, name) != value]
    if set(entry.strategies_used.all()) != set(details.strategies_used):
        changed.append("strategies_used")
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    entry.strategies_used.set(details.strategies_used)
    _audit(client, "companion.diary_entry.corrected", entry, changed)
    return entry


@transaction.atomic
def diary_entry_delete(*, client: Client, entry: DiaryEntry) -> None:
    _audit(client, "companion.diary_entry.deleted", entry, [])
    entry.strategies_used.clear()
    entry.delete()


@transaction.atomic
def diary_clear(*, client: Client, episodes: list[Referral]) -> int:
    """Delete every entry of the client's diary, at their request; return how many."""
    entries = DiaryEntry.objects.filter(episode__in=episodes)
    for entry in entries:
        _audit(client, "companion.diary_entry.deleted", entry, [])
    deleted = entries.count()
    entries.delete()
    return deleted


def _changed(details: DiaryDetails) -> list[str]:
    names = [name for name, value in _fields(details).items() if value not in (None, "")]
    return [*names, "strategies_used"] if details.strategies_used else names


def _audit(client: Client, action: str, entry: DiaryEntry, changed: list[str]) -> None:
    audit_record(
        actor=None,
        client_actor=client,
        action=action,
        target=entry,
        programme=entry.programme,
        changed_fields=changed,
    )


@dataclass(frozen=True)
class DiaryDay:
    day: date
    entries: int
    mean_pain: float | None
    activity_minutes: int


def diary_days(episode: Referral, *, days: int, today: date | None = None) -> list[DiaryDay]:
    """Each day of the last `days` with an entry: how many, the mean pain of those that
    say, and the minutes of activity. One query, whatever the diary's length."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    rows = (
        DiaryEntry.objects.filter(episode=episode, recorded_for__date__gte=first)
        .annotate(day=TruncDate("recorded_for"))
        .values("day")
        .annotate(entries=Count("pk"), mean_pain=Avg("pain"), minutes=Sum("activity_minutes"))
        .order_by("day")
    )
    return [
        DiaryDay(
            day=row["day"],
            entries=row["entries"],
            mean_pain=round(row["mean_pain"], 1) if row["mean_pain"] is not None else None,
            activity_minutes=row["minutes"] or 0,
        )
        for row in rows
        if row["day"] <= today
    ]
