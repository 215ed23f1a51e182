"""On one day, a client's timeline follows their path: referral before discharge."""

from datetime import date, datetime, time

from django.utils import timezone

from healthtrainer.casework.timeline import Event, in_order


def at(day: date, hour: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_events_of_one_day_follow_the_clients_path_whatever_their_names_sort_as():
    day = date(2026, 11, 2)
    events = [
        Event(at(day), "Follow-up", "Follow-up: client reached"),
        Event(at(day), "Discharge", "Discharged"),
        Event(at(day, 14), "Session", "Session: attended"),
        Event(at(day), "Measure", "PHQ-9 at exit"),
        Event(at(day), "Referral", "Referral R-1 received"),
        Event(at(date(2026, 11, 1), 23), "Escalation", "Escalation: red flag"),
    ]
    assert [event.kind for event in in_order(events)] == [
        "Escalation",
        "Referral",
        "Session",
        "Measure",
        "Discharge",
        "Follow-up",
    ]
