"""The client's rights: their own copy (PDF, and CSV files in a zip) of everything they may
see, from every episode and no one else's; their earlier episodes; deleting their diary."""

import csv
import io
import uuid
import zipfile
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import Discharge, GoalCheckIn
from healthtrainer.companion.models import DiaryEntry
from healthtrainer.core.models import AuditEvent
from healthtrainer.measures.models import Instrument, QuestionnaireResponse
from healthtrainer.referrals.models import Referral
from healthtrainer.tests.factories import ClientStrategyFactory, GoalFactory, accepted_episode


def _entry(episode, note="", **values):
    return DiaryEntry.objects.create(
        programme=episode.programme,
        episode=episode,
        key=uuid.uuid4(),
        recorded_for=timezone.now() - timedelta(hours=1),
        note=note,
        **values,
    )


def _earlier_episode(episode):
    """An earlier episode of the same client, finished."""
    earlier = Referral.objects.get(pk=episode.pk)
    earlier.pk = None
    earlier.reference = "R-EARLIER"
    earlier.received_date = date(2024, 3, 1)
    earlier.save()
    Discharge.objects.create(
        programme=earlier.programme,
        episode=earlier,
        discharged_on=date(2024, 6, 1),
        reason="completed",
        discharged_by=earlier.assigned_trainer,
    )
    return earlier


def _csv(archive, name):
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_files_hold_every_episode_and_nobody_else(signed_in, episode, world):
    earlier = _earlier_episode(episode)
    GoalFactory(episode=earlier, description="Swim once a week")
    goal = GoalFactory(episode=episode, description="Walk to the shop and back")
    GoalCheckIn.objects.create(
        goal=goal,
        week_starting=date(2026, 11, 30),
        view="partly",
        via="sms",
        answered_at=timezone.now(),
    )
    ClientStrategyFactory(episode=episode)
    _entry(episode, note='=HYPERLINK("http://x")', pain=4)
    QuestionnaireResponse.objects.create(
        programme=episode.programme,
        episode=episode,
        instrument=Instrument.objects.get(code="phq9"),
        timepoint="baseline",
        completed_on=date(2026, 11, 2),
        answers={"1": 2, "2": 1},
        total=3,
        source="paper",
    )
    other = accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)
    GoalFactory(episode=other, description="Someone else's goal")
    _entry(other, note="Someone else's diary")

    response = signed_in.get(reverse("companion:your_data_download", args=["csv"]))

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    goals = _csv(archive, "goals.csv")
    assert {row[1] for row in goals[1:]} == {"Swim once a week", "Walk to the shop and back"}
    check_ins = _csv(archive, "check-ins.csv")
    assert check_ins[1][1:] == [
        "Walk to the shop and back",
        "2026-11-30",
        "Partly",
        "By text message",
    ]
    diary = _csv(archive, "diary.csv")
    assert len(diary) == 2
    assert diary[1][1] == "4"
    assert diary[1][7] == '\'=HYPERLINK("http://x")'
    questionnaires = _csv(archive, "questionnaires.csv")
    assert questionnaires[1][2:5] == ["Baseline (first session)", "2026-11-02", "3.0"]
    assert "PHQ-9" in questionnaires[1][1]
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8-sig")
    assert "Someone else" not in everything
    event = AuditEvent.objects.get(action="companion.record.downloaded")
    assert event.client_actor_id == episode.client_id


def test_the_pdf_holds_the_record(signed_in, episode):
    GoalFactory(episode=episode, description="Walk to the shop and back")
    _entry(episode, note="A better day today", pain=3)

    response = signed_in.get(reverse("companion:your_data_download", args=["pdf"]))

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Walk to the shop and back" in text
    assert "A better day today" in text


def test_an_unknown_format_is_not_found(signed_in):
    assert signed_in.get("/my/your-record.docx").status_code == 404


def test_the_client_sees_their_earlier_times_with_the_service(signed_in, episode):
    _earlier_episode(episode)
    page = signed_in.get(reverse("companion:your_data")).content.decode()
    assert "1 March 2024" in page
    assert "1 June 2024" in page
    assert "(now)" in page


def test_the_client_deletes_their_whole_diary_only_when_they_say_so(signed_in, episode, world):
    for _ in range(3):
        _entry(episode, pain=5)
    other = accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)
    _entry(other, pain=2)
    url = reverse("companion:your_data")

    signed_in.post(url, {})
    assert DiaryEntry.objects.filter(episode=episode).count() == 3

    page = signed_in.post(url, {"confirm": "yes"}, follow=True).content.decode()
    assert "Your diary is deleted: 3 entries." in page
    assert not DiaryEntry.objects.filter(episode=episode).exists()
    assert DiaryEntry.objects.filter(episode=other).count() == 1
    assert AuditEvent.objects.filter(action="companion.diary_entry.deleted").count() == 3
