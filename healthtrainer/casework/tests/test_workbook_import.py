"""The whole programme workbook: referrals with their sessions, goals, questionnaires,
discharges and follow-ups, imported all or nothing, idempotently, every problem listed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from healthtrainer.casework.models import Appointment, Discharge, FollowUp, Goal, SessionRecord
from healthtrainer.casework.services import programme_lists_seed
from healthtrainer.core.period import Period
from healthtrainer.evaluation.metrics import Ratio, compute
from healthtrainer.imports.tests.workbooks import (
    programme_sheet,
    referrals,
    table,
    write_folder,
)
from healthtrainer.measures.models import ProgrammeInstrument, QuestionnaireResponse
from healthtrainer.measures.services import instruments_sync
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral

pytestmark = pytest.mark.django_db

SESSIONS = ["referral_id", "date", "attendance", "mode", "duration_minutes", "cb_techniques"]
GOALS = ["referral_id", "goal_id", "set_date", "domain", "description", "final_status"]
MEASURES = ["referral_id", "instrument", "timepoint", "date", "total_score"]
DISCHARGES = ["referral_id", "date", "reason"]
FOLLOW_UPS = [
    "referral_id",
    "date",
    "contacted",
    "maintaining_strategies",
    "gp_visits_last_3_months",
]


def sheets(**changes):
    """Two accepted referrals with their records, and one declined."""
    rows = referrals(3, outcome="accepted")
    rows[2]["outcome"] = "declined"
    workbook = {
        "programme": programme_sheet(
            slug="pilot", name="Pilot", primary_wellbeing_instrument="swemwbs"
        ),
        "referrals": table(rows),
        "sessions": [
            SESSIONS,
            [
                "H-0001",
                "2011-05-02",
                "attended",
                "face_to_face",
                "45",
                "goal_setting;activity_pacing",
            ],
            ["H-0001", "2011-05-09", "did_not_attend", "", "", ""],
            ["H-0001", "2011-05-16", "attended", "telephone", "30", ""],
            ["H-0002", "2011-05-03", "attended", "", "", ""],
        ],
        "goals": [
            GOALS,
            ["H-0001", "G1", "2011-05-02", "activity", "Walk to the shops", "achieved"],
            ["H-0001", "G2", "2011-05-02", "sleep", "Sleep through", "not_achieved"],
            ["H-0002", "G3", "2011-05-03", "", "Swim weekly", "partly_achieved"],
        ],
        "measures": [
            MEASURES,
            ["H-0001", "swemwbs", "baseline", "2011-05-02", "17.43"],
            ["H-0001", "swemwbs", "exit", "2011-07-01", "21.54"],
        ],
        "discharges": [DISCHARGES, ["H-0001", "2011-07-01", "completed"]],
        "follow_ups": [
            FOLLOW_UPS,
            ["H-0001", "2011-09-01", "no", "", ""],
            ["H-0001", "2011-09-08", "yes", "yes", "1"],
        ],
    }
    workbook.update(changes)
    return workbook


def run(path):
    out, err = StringIO(), StringIO()
    call_command("import_programme", str(path), "--quiet", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def instruments():
    instruments_sync()


def test_every_sheet_is_imported_and_counted_by_the_evaluation(tmp_path):
    out, _ = run(write_folder(tmp_path / "w", sheets()))
    programme = Programme.objects.get(slug="pilot")
    assert "Sessions: 4 created, 0 updated, 0 unchanged." in out
    assert "Goals: 3 created, 0 updated, 0 unchanged." in out
    assert "Questionnaires: 2 created, 0 corrected, 0 unchanged." in out
    assert "Follow-ups: 1 created" in out
    first = Referral.objects.get(reference="H-0001")
    assert first.appointments.filter(attendance="attended").count() == 2
    record = SessionRecord.objects.get(appointment__episode=first, duration_minutes=45)
    assert sorted(record.techniques.values_list("code", flat=True)) == [
        "activity_pacing",
        "goal_setting",
    ]
    assert Discharge.objects.get(episode=first).reason == "completed"
    follow_up = FollowUp.objects.get(episode=first)
    assert (follow_up.reached, follow_up.maintaining_strategies) == (True, "yes")
    assert ProgrammeInstrument.objects.get(
        programme=programme, is_primary=True
    ).instrument.code == ("swemwbs")
    figures = compute(
        [
            "goals.pct_achieved_or_partly",
            "flow.engaged",
            "wellbeing.n_paired",
            "wellbeing.mean_change",
        ],
        programme,
        Period(),
    )
    assert figures["goals.pct_achieved_or_partly"] == Ratio(2, 3)
    assert figures["flow.engaged"] == 1
    assert figures["wellbeing.n_paired"] == 1
    assert figures["wellbeing.mean_change"] == pytest.approx(4.11)


def test_importing_again_changes_only_what_changed(tmp_path):
    run(write_folder(tmp_path / "first", sheets()))
    changed = sheets()
    changed["goals"][3][5] = "achieved"
    changed["measures"][2][4] = "22.35"
    out, _ = run(write_folder(tmp_path / "second", changed))
    assert "Sessions: 0 created, 0 updated, 4 unchanged." in out
    assert "Goals: 0 created, 1 updated, 2 unchanged." in out
    assert "Questionnaires: 0 created, 1 corrected, 1 unchanged." in out
    assert Appointment.objects.count() == 4
    assert Goal.objects.get(reference="G3").final_status == "achieved"
    assert QuestionnaireResponse.objects.filter(is_current=True).count() == 2
    assert QuestionnaireResponse.objects.count() == 3


def test_every_problem_in_every_sheet_is_listed_and_nothing_is_imported(tmp_path):
    bad = sheets()
    bad["sessions"].append(["H-0003", "2011-05-02", "attended", "", "", ""])
    bad["sessions"].append(["H-0009", "2011-05-02", "attended", "", "", ""])
    bad["sessions"].append(["H-0002", "2011-05-05", "maybe", "", "", ""])
    bad["goals"].append(["H-0002", "G1", "2011-05-02", "", "Again", ""])
    bad["measures"].append(["H-0002", "swemwbs", "baseline", "2011-05-02", "40"])
    bad["follow_ups"].append(["H-0002", "2011-09-01", "no", "yes", ""])
    path = write_folder(tmp_path / "w", bad)
    err = StringIO()
    with pytest.raises(CommandError, match="6 problems: nothing was imported"):
        call_command("import_programme", str(path), "--quiet", stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    expected = [
        "sessions, row 6, referral_id: Referral H-0003 was not accepted",
        "sessions, row 7, referral_id: The referral ID H-0009 is not in the referrals sheet",
        "sessions, row 8, attendance: The attendance must be",
        "goals, row 5, goal_id: The goal ID G1 is also on row 2",
        "measures, row 4, total_score: The Short Warwick-Edinburgh Mental Wellbeing Scale",
        "follow_ups, row 4, contacted: A follow-up",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)
    assert not Referral.objects.exists()


def test_a_problem_found_while_writing_undoes_the_referrals_too(tmp_path):
    # The programme exists, with its CB techniques; "yoga" is not one of them.
    programme = Programme.objects.create(slug="pilot", name="Pilot")
    programme_lists_seed(actor=None, programme=programme)
    bad = sheets()
    bad["sessions"][1][5] = "goal_setting;yoga"
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem: nothing was imported"):
        call_command(
            "import_programme",
            str(write_folder(tmp_path / "w", bad)),
            "--quiet",
            stdout=StringIO(),
            stderr=err,
        )
    assert "yoga is not one of the programme's CB techniques" in err.getvalue()
    assert not Referral.objects.exists()
    assert not Appointment.objects.exists()
