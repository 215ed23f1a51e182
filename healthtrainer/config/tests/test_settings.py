import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from healthtrainer.config.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]

PRODUCTION_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "healthtrainer.config.settings",
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-secret-key-that-is-long-enough-to-pass-the-check-0123",
    "ALLOWED_HOSTS": "healthtrainer.example.nhs.uk",
    "DATABASE_URL": "sqlite:///:memory:",
    "STATIC_MANIFEST": "true",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Only what a server would have: none of the test run's own overrides leak in.
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENVIRONMENT, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_hashes_passwords_with_argon2():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    )
    assert result.stdout.strip().endswith("Argon2PasswordHasher"), result.stderr


def test_the_demo_cannot_be_loaded_outside_demo_mode():
    result = run_manage("load_demo")
    assert result.returncode != 0
    assert "DEMO_MODE" in result.stderr


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (lambda: env_bool("HT_TEST_VALUE", default=False), "maybe", "true or false"),
        (lambda: env_int("HT_TEST_VALUE", default=1), "ten", "whole number"),
        (lambda: env_str("HT_TEST_VALUE"), "", "required"),
    ],
)
def test_a_bad_environment_value_fails_loudly_naming_the_variable(
    monkeypatch, reader, value, message
):
    monkeypatch.setenv("HT_TEST_VALUE", value)
    with pytest.raises(ImproperlyConfigured, match=message) as error:
        reader()
    assert "HT_TEST_VALUE" in str(error.value)


def test_environment_readers_parse_good_values(monkeypatch):
    monkeypatch.setenv("HT_TEST_VALUE", "Yes")
    assert env_bool("HT_TEST_VALUE", default=False) is True
    monkeypatch.setenv("HT_TEST_VALUE", " a.example, b.example ,")
    assert env_list("HT_TEST_VALUE", default=[]) == ["a.example", "b.example"]
    monkeypatch.delenv("HT_TEST_VALUE")
    assert env_int("HT_TEST_VALUE", default=7) == 7


def test_pages_carry_a_content_security_policy_without_inline_script(client, db):
    response = client.get(reverse("accounts:sign_in"))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()
    assert response.headers["X-Frame-Options"] == "DENY"


def test_static_files_collect_with_hashed_names_for_production(tmp_path):
    result = run_manage("collectstatic", "--no-input", STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    for name in ("core/nhsuk.css", "core/app.mjs", "nhsuk/nhsuk-frontend.min.js"):
        assert f'"{name}"' in manifest
    page = run_manage(
        "shell",
        "-c",
        "from django.test import Client; "
        "print(Client(HTTP_HOST='healthtrainer.example.nhs.uk')"
        ".get('/sign-in/', secure=True).content.decode())",
        STATIC_ROOT=str(tmp_path),
    )
    assert 'data-nhsuk-frontend="/static/nhsuk/nhsuk-frontend.min.' in page.stdout, page.stderr
