"""Pages under load: gunicorn with two workers on 127.0.0.1, as deployed (debug off,
persistent database connections), and wrk in a second process playing simulated users,
each one signed in and pausing between pages as a person does.

The floor is the smallest signed-in page of the same app (the sign-out confirmation):
every middleware, the session, the second factor and the layout, and nothing else.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.test import Client as HttpClient
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.figure import Figure
from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import Role
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral

WORKERS = 2
# A person reads a page before asking for the next: half a second to a second and a half.
THINK_MS = (500, 1500)
WRK_SCRIPT = """
local paths = {%(paths)s}
local headers = {["Cookie"] = "%(cookie)s", ["X-Forwarded-Proto"] = "https"}
request = function()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
delay = function()
  return math.random(%(think_min)d, %(think_max)d)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d\\n", latency:percentile(50),
    latency:percentile(95), summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class Page:
    name: str
    paths: list[str]
    user: User
    target: str = ""


def _signed_in_cookie(user: User) -> str:
    """A session cookie for `user`, second factor included, as after signing in."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Benchmark", defaults={"confirmed": True}
    )
    client = HttpClient()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _manager(programme: Programme) -> User:
    email = f"bench-manager@{programme.slug}.synthetic.invalid"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, None, full_name="Benchmark manager"
    )
    Membership.objects.get_or_create(
        user=user, programme=programme, defaults={"role": Role.PROGRAMME_MANAGER}
    )
    return user


def pages(programme: Programme) -> list[Page]:
    """The pages measured: a trainer's caseload and clients, the triage queue and the
    referral dashboard of `programme`, with the floor first."""
    busiest = (
        Referral.objects.filter(programme=programme, status="accepted")
        .values("assigned_trainer")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise RuntimeError(f"{programme.slug} has no accepted referral to measure with.")
    trainer = User.objects.get(pk=busiest["assigned_trainer"])
    manager = _manager(programme)
    slug = programme.slug
    clients = Referral.objects.filter(
        programme=programme, assigned_trainer=trainer, client__isnull=False
    ).values_list("client_id", flat=True)[:200]
    return [
        Page("Floor: the smallest signed-in page", [reverse("accounts:sign_out")], manager),
        Page(
            "Caseload (a trainer's own clients)",
            [reverse("casework:caseload", args=[slug])],
            trainer,
            "p95 < 150 ms",
        ),
        Page(
            "Client timeline",
            [reverse("casework:timeline", args=[slug, pk]) for pk in clients],
            trainer,
            "p95 < 150 ms",
        ),
        Page("Triage queue", [reverse("referrals:triage", args=[slug])], manager, "p95 < 150 ms"),
        Page(
            "Referral dashboard (programme)",
            [reverse("evaluation:referral_dashboard", args=[slug])],
            manager,
            "p95 < 1 s",
        ),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(database_url: str) -> Iterator[str]:
    """gunicorn serving the app as deployed; yields its base address."""
    port = _free_port()
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "STATIC_MANIFEST": "false",
        "PSEUDONYMISATION_KEY": secrets.token_urlsafe(32),
    }
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and the app's module
        [
            sys.executable,
            "-m",
            "gunicorn",
            "healthtrainer.config.wsgi",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{port}",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(base: str, server: subprocess.Popen[str]) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise RuntimeError(
                f"gunicorn stopped: {server.stderr.read()[-500:] if server.stderr else ''}"
            )
        try:
            _get(base, "/api/v1/status", cookie="")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 20 seconds.")


def _check(base: str, path: str, cookie: str) -> None:
    """Refuse to measure a page that does not answer 200 to this user: a redirect to sign
    in would be measured as a fast page."""
    answered, at = _get(base, path, cookie)
    if answered != 200 or at != base + path:
        raise RuntimeError(f"{path} answered {answered} at {at}")


def _get(base: str, path: str, cookie: str) -> tuple[int, str]:
    """GET through the load balancer's eyes: HTTPS ended in front of the app."""
    request = urllib.request.Request(  # noqa: S310 - our server
        base + path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.geturl()


def _wrk(base: str, page: Page, users: int, seconds: int) -> tuple[float, float, int]:
    cookie = _signed_in_cookie(page.user)
    for path in page.paths[:3]:
        _check(base, path, cookie)
    script = WRK_SCRIPT % {
        "paths": ", ".join(f'"{path}"' for path in page.paths),
        "cookie": cookie,
        "think_min": THINK_MS[0],
        "think_max": THINK_MS[1],
    }
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "users.lua"
        lua.write_text(script)
        done = subprocess.run(  # noqa: S603 - wrk, found on PATH, with our script
            [
                str(shutil.which("wrk")),
                "--threads=2",
                f"--connections={users}",
                f"--duration={seconds}s",
                "--timeout=10s",
                f"--script={lua}",
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+)", done.stdout)
    if found is None:
        raise RuntimeError(f"wrk printed no result: {done.stdout[-500:]} {done.stderr[-500:]}")
    p50, p95, requests, bad_status, socket_errors = (int(value) for value in found.groups())
    if bad_status or socket_errors:
        raise RuntimeError(
            f"{page.name}: {bad_status} answers not 2xx/3xx and {socket_errors} socket errors"
        )
    return p50 / 1000, p95 / 1000, requests


def pages_under_load(programme: Programme, users: int, seconds: int) -> list[Figure]:
    if shutil.which("wrk") is None:
        raise RuntimeError("Pages under load need wrk: apt-get install -y wrk")
    measured = pages(programme)
    figures = []
    with gunicorn(os.environ["DATABASE_URL"]) as base:
        results = [(page, *_wrk(base, page, users, seconds)) for page in measured]
    floor_p50, floor_p95 = results[0][1], results[0][2]
    for page, p50, p95, requests in results:
        label = f"{page.name}, {users} users ({requests:,} requests)"
        figures.append(Figure(f"{label}: p50", p50, "ms", floor=floor_p50))
        figures.append(Figure(f"{label}: p95", p95, "ms", floor=floor_p95, target=page.target))
    return figures
