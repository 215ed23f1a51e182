"""Every audit action the code writes has words for people."""

import re
from pathlib import Path

import pytest

from healthtrainer.core.audit import audit_record
from healthtrainer.core.audit_labels import action_label, is_labelled, object_type_label

PACKAGE = Path(__file__).resolve().parents[2]
ACTION_LITERAL = re.compile(r'action\s*=\s*"([a-z_]+(?:\.[a-z_]+){2,})"')
CONSTANT_LITERAL = re.compile(r'^[A-Z_]*ACTION[A-Z_]*\s*=\s*"([a-z_]+(?:\.[a-z_]+){2,})"', re.M)
HELPER_CALL = re.compile(r'\baudit\(\s*[a-z_.]+,\s*"([a-z_]+(?:\.[a-z_]+){2,})"')


def written_actions() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        for pattern in (ACTION_LITERAL, CONSTANT_LITERAL, HELPER_CALL):
            found.update(pattern.findall(text))
    return found


def test_the_scan_finds_the_actions_it_should():
    actions = written_actions()
    assert {"referrals.workbook.imported", "casework.goal.set", "clients.client.viewed"} <= actions
    assert len(actions) > 80


def test_every_action_written_in_the_code_has_a_label_that_is_not_its_code():
    unlabelled = sorted(action for action in written_actions() if not is_labelled(action))
    assert not unlabelled
    for action in written_actions():
        label = action_label(action)
        assert "." not in label, (action, label)
        assert "_" not in label, (action, label)


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("referrals.workbook.imported", "Workbook imported"),
        ("workforce.fidelityitem.seeded", "Fidelity item added from the default list"),
        ("evaluation.report.exported_pdf", "Evaluation report exported as PDF"),
        ("referrals.referral.not_eligible", "Referral closed as not eligible"),
    ],
)
def test_labels_read_as_words(action, label):
    assert action_label(action) == label


def test_an_unlabelled_action_is_refused_where_it_is_written(db):
    with pytest.raises(ValueError, match="no label"):
        audit_record(actor=None, action="casework.goal.juggled")


def test_object_types_are_named_by_their_models():
    assert object_type_label("referrals.referral") == "Referral"
    assert object_type_label("nothing.here") == "nothing.here"
