import json
import os
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest

ROOT = Path(__file__).resolve().parents[3]

API_KEY = f"healthtrainer_live-{uuid4()}-{uuid4()}"
TEMPLATE_VARIABLES = [
    "NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS",
    "NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL",
    "NOTIFY_TEMPLATE_FOLLOW_UP_REMINDER_SMS",
    "NOTIFY_TEMPLATE_FOLLOW_UP_REMINDER_EMAIL",
    "NOTIFY_TEMPLATE_PASSWORD_RESET_EMAIL",
    "NOTIFY_TEMPLATE_COMPANION_INVITATION_SMS",
    "NOTIFY_TEMPLATE_COMPANION_INVITATION_EMAIL",
    "NOTIFY_TEMPLATE_COMPANION_SIGN_IN_CODE_SMS",
    "NOTIFY_TEMPLATE_COMPANION_SIGN_IN_CODE_EMAIL",
    "NOTIFY_TEMPLATE_COMPANION_CHECK_IN_PROMPT_SMS",
    "NOTIFY_TEMPLATE_COMPANION_CHECK_IN_PROMPT_EMAIL",
    "NOTIFY_TEMPLATE_COMPANION_CHECK_IN_QUESTION_SMS",
    "NOTIFY_TEMPLATE_COMPANION_CHECK_IN_NOT_UNDERSTOOD_SMS",
]
NOTIFY = {
    "NOTIFIER": "govuk_notify",
    "NOTIFY_API_KEY": API_KEY,
    "SERVICE_URL": "https://healthtrainer.example.nhs.uk",
    **{variable: str(uuid4()) for variable in TEMPLATE_VARIABLES},
}


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the real settings module in a fresh process, as the service does at start-up."""
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from healthtrainer.config import settings as s; "
            "print(json.dumps([s.NOTIFIER, s.NOTIFY_TEMPLATES, s.REMINDER_HOURS_BEFORE]))",
        ],
        cwd=ROOT,
        env={**clean, "DEBUG": "true", "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_outbox_needs_no_notify_settings():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    notifier, templates, hours = json.loads(result.stdout)
    assert notifier == "outbox"
    assert templates["appointment_reminder"] == {"sms": "", "email": ""}
    assert hours == 24


def test_govuk_notify_reads_a_template_id_per_template_and_channel():
    result = load_settings(**NOTIFY, REMINDER_HOURS_BEFORE="48")
    assert result.returncode == 0, result.stderr
    notifier, templates, hours = json.loads(result.stdout)
    assert notifier == "govuk_notify"
    assert templates == {
        "appointment_reminder": {
            "sms": NOTIFY["NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS"],
            "email": NOTIFY["NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL"],
        },
        "follow_up_reminder": {
            "sms": NOTIFY["NOTIFY_TEMPLATE_FOLLOW_UP_REMINDER_SMS"],
            "email": NOTIFY["NOTIFY_TEMPLATE_FOLLOW_UP_REMINDER_EMAIL"],
        },
        "password_reset": {"email": NOTIFY["NOTIFY_TEMPLATE_PASSWORD_RESET_EMAIL"]},
        "companion_invitation": {
            "sms": NOTIFY["NOTIFY_TEMPLATE_COMPANION_INVITATION_SMS"],
            "email": NOTIFY["NOTIFY_TEMPLATE_COMPANION_INVITATION_EMAIL"],
        },
        "companion_sign_in_code": {
            "sms": NOTIFY["NOTIFY_TEMPLATE_COMPANION_SIGN_IN_CODE_SMS"],
            "email": NOTIFY["NOTIFY_TEMPLATE_COMPANION_SIGN_IN_CODE_EMAIL"],
        },
        "companion_check_in_prompt": {
            "sms": NOTIFY["NOTIFY_TEMPLATE_COMPANION_CHECK_IN_PROMPT_SMS"],
            "email": NOTIFY["NOTIFY_TEMPLATE_COMPANION_CHECK_IN_PROMPT_EMAIL"],
        },
        "companion_check_in_question": {
            "sms": NOTIFY["NOTIFY_TEMPLATE_COMPANION_CHECK_IN_QUESTION_SMS"]
        },
        "companion_check_in_not_understood": {
            "sms": NOTIFY["NOTIFY_TEMPLATE_COMPANION_CHECK_IN_NOT_UNDERSTOOD_SMS"]
        },
    }
    assert hours == 48


def test_an_unknown_notifier_stops_start_up():
    result = load_settings(NOTIFIER="carrier_pigeon")
    assert result.returncode != 0
    assert "NOTIFIER must be outbox or govuk_notify" in result.stderr


@pytest.mark.parametrize("key", ["", "not-a-notify-key"])
def test_govuk_notify_without_a_proper_api_key_stops_start_up(key):
    result = load_settings(**{**NOTIFY, "NOTIFY_API_KEY": key})
    assert result.returncode != 0
    assert "NOTIFY_API_KEY" in result.stderr


@pytest.mark.parametrize("variable", TEMPLATE_VARIABLES)
def test_govuk_notify_without_a_template_id_stops_start_up_naming_it(variable):
    result = load_settings(**{**NOTIFY, variable: ""})
    assert result.returncode != 0
    assert f"{variable} is required when NOTIFIER is govuk_notify" in result.stderr


def test_a_template_id_that_is_not_a_notify_id_stops_start_up():
    variable = TEMPLATE_VARIABLES[0]
    result = load_settings(**{**NOTIFY, variable: "appointment reminder"})
    assert result.returncode != 0
    assert f"{variable} must be a Notify template id" in result.stderr


def test_a_reminder_window_under_an_hour_stops_start_up():
    result = load_settings(REMINDER_HOURS_BEFORE="0")
    assert result.returncode != 0
    assert "REMINDER_HOURS_BEFORE" in result.stderr


@pytest.mark.parametrize("url", ["healthtrainer.example.nhs.uk", "https://a.example/x y"])
def test_govuk_notify_without_the_service_s_address_stops_start_up(url):
    result = load_settings(**{**NOTIFY, "SERVICE_URL": url})
    assert result.returncode != 0
    assert "SERVICE_URL" in result.stderr
