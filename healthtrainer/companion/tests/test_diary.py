"""The diary: entries with every part optional, kept once however often they are sent,
refused for impossible moments and scores, corrected and deleted by the client, and read
back as days for the charts."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthtrainer.companion.diary import DiaryDetails, diary_days, diary_entry_add
from healthtrainer.companion.models import DiaryEntry
from healthtrainer.core.models import AuditEvent


def _add(episode, **details):
    moment = details.pop("recorded_for", timezone.now())
    return diary_entry_add(
        client=episode.client,
        episode=episode,
        key=details.pop("key", uuid.uuid4()),
        details=DiaryDetails(recorded_for=moment, **details),
    )


def _post(client, **fields):
    now = timezone.localtime()
    data = {
        "key": str(uuid.uuid4()),
        "recorded_date": now.date().isoformat(),
        "recorded_time": now.strftime("%H:%M"),
        **fields,
    }
    return client.post(reverse("companion:diary_new"), data)


def test_a_pain_score_and_save_is_a_whole_entry(signed_in, episode):
    response = _post(signed_in, pain="6")
    assert response.status_code == 302
    entry = DiaryEntry.objects.get()
    assert (entry.pain, entry.episode, entry.note) == (6, episode, "")
    event = AuditEvent.objects.get(action="companion.diary_entry.added")
    assert (event.client_actor_id, event.changed_fields) == (
        episode.client_id,
        ["pain", "recorded_for"],
    )


def test_the_same_entry_sent_twice_is_kept_once(signed_in):
    key = str(uuid.uuid4())
    _post(signed_in, key=key, pain="4")
    again = _post(signed_in, key=key, pain="4")
    assert again.status_code == 302
    assert DiaryEntry.objects.count() == 1


def test_a_long_note_is_kept_whole(signed_in):
    note = "Walked to the end of the road.\n" * 500
    _post(signed_in, note=note)
    assert DiaryEntry.objects.get().note == note.strip()


@pytest.mark.parametrize(
    ("details", "field", "words"),
    [
        ({"pain": 11}, "pain", "from 0 (no pain) to 10"),
        ({"pain": -1}, "pain", "from 0 (no pain) to 10"),
        ({}, "pain", "Record at least one thing"),
        ({"pain": 3, "recorded_for_days": -1}, "recorded_for", "not in the future"),
        ({"pain": 3, "recorded_for_days": 3650}, "recorded_for", "last 90 days"),
        ({"activity_minutes": 0}, "activity_minutes", "how many minutes"),
    ],
)
def test_impossible_entries_are_refused_in_words(episode, details, field, words):
    days = details.pop("recorded_for_days", 0)
    with pytest.raises(ValidationError) as refused:
        _add(episode, recorded_for=timezone.now() - timedelta(days=days), **details)
    assert words in " ".join(refused.value.message_dict[field])
    assert not DiaryEntry.objects.exists()


def test_the_page_says_what_is_wrong_and_keeps_what_was_typed(signed_in):
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    page = _post(signed_in, pain="5", note="Kept", recorded_date=future).content.decode()
    assert "not in the future" in page
    assert "Kept" in page
    assert not DiaryEntry.objects.exists()


def test_the_client_corrects_and_deletes_an_entry(signed_in):
    _post(signed_in, pain="8", note="Bad morning")
    entry = DiaryEntry.objects.get()
    url = reverse("companion:diary_entry", args=[entry.pk])
    assert "Bad morning" in signed_in.get(url).content.decode()
    moment = timezone.localtime(entry.recorded_for)
    signed_in.post(
        url,
        {
            "key": str(entry.key),
            "pain": "7",
            "note": "Bad morning, better by lunch",
            "recorded_date": moment.date().isoformat(),
            "recorded_time": moment.strftime("%H:%M"),
        },
    )
    entry.refresh_from_db()
    assert (entry.pain, entry.note) == (7, "Bad morning, better by lunch")
    corrected = AuditEvent.objects.get(action="companion.diary_entry.corrected")
    assert "pain" in corrected.changed_fields
    signed_in.post(url, {"delete": "1"})
    assert not DiaryEntry.objects.exists()
    assert AuditEvent.objects.filter(action="companion.diary_entry.deleted").count() == 1


def test_the_diary_page_shows_the_chart_and_its_table(signed_in, episode):
    now = timezone.now()
    for days_ago, pains in [(0, [4, 6]), (2, [8])]:
        for pain in pains:
            _add(episode, pain=pain, recorded_for=now - timedelta(days=days_ago))
    page = signed_in.get(reverse("companion:diary"), {"days": "7"}).content.decode()
    assert "<svg" in page
    assert "Pain over the last 7 days" in page
    assert ">5.0<" in page  # today's average, in the table
    assert AuditEvent.objects.filter(action="companion.diary.viewed").count() == 1


def test_days_are_read_in_one_query_whatever_the_diary_s_length(episode, django_assert_num_queries):
    now = timezone.now()
    for days_ago in range(20):
        _add(episode, pain=days_ago % 11, recorded_for=now - timedelta(days=days_ago))
    with django_assert_num_queries(1):
        days = diary_days(episode, days=30)
    assert len(days) == 20
    with django_assert_num_queries(1):
        assert len(diary_days(episode, days=7)) == 7
