"""Pages and FHIR ingest under load: gunicorn with two workers on 127.0.0.1, as deployed
(debug off, threaded workers, persistent database connections), and wrk in a second
process playing simulated users, each signed in and pausing between pages as a person
does, or systems sending referrals as fast as they are taken.

The floor is the smallest signed-in page of the same app (the sign-out confirmation):
every middleware, the session, the second factor and the layout, and nothing else.
"""

from __future__ import annotations

import json
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
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.test import Client as HttpClient
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.fhir import referral_sender, service_request
from bench.figure import Figure
from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import Role
from healthtrainer.interop.models import ReferralIdentifier
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.references import next_reference, references_catch_up

WORKERS = 2
THREADS = 2
# A person reads a page before asking for the next: half a second to a second and a half.
THINK_MS = (500, 1500)
# Every script ends by printing its figures on one line for _wrk to read.
WRK_RESULT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", latency:percentile(50),
    latency:percentile(95), summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
"""
USERS_SCRIPT = """
local paths = {%(paths)s}
local headers = {["Cookie"] = "%(cookie)s", ["X-Forwarded-Proto"] = "https"}
request = function()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
delay = function()
  return math.random(%(think_min)d, %(think_max)d)
end
"""
# Each connection of each thread sends referrals with identifiers of its own.
SENDERS_SCRIPT = """
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end
local sent = 0
local template = [==[%(body)s]==]
local headers = {["Authorization"] = "Bearer %(token)s", ["X-Forwarded-Proto"] = "https",
  ["Content-Type"] = "application/fhir+json", ["Prefer"] = "return=minimal"}
request = function()
  sent = sent + 1
  local body = template:gsub("IDENTIFIER", "%(run)s-" .. thread_number .. "-" .. sent)
  return wrk.format("POST", "%(path)s", headers, body)
end
"""


@dataclass(frozen=True)
class Load:
    p50_ms: float
    p95_ms: float
    requests: int
    per_second: float


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
def gunicorn(database_url: str, settings_module: str = "") -> Iterator[str]:
    """gunicorn serving the app as deployed; yields its base address. `settings_module`
    (bench.settings) adds the benchmark's floor views to the app's URLs."""
    port = _free_port()
    environment = {
        **os.environ,
        **({"DJANGO_SETTINGS_MODULE": settings_module} if settings_module else {}),
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
            # Threads, so that a connection kept open between a user's pages does not hold
            # a worker (a sync worker waits on it, as behind no proxy it must).
            "--worker-class=gthread",
            f"--threads={THREADS}",
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


def _wrk(base: str, script: str, connections: int, seconds: int, what: str) -> Load:
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "load.lua"
        lua.write_text(script + WRK_RESULT)
        done = subprocess.run(  # noqa: S603 - wrk, found on PATH, with our script
            [
                str(shutil.which("wrk")),
                # wrk needs a connection for each of its threads.
                f"--threads={min(2, connections)}",
                f"--connections={connections}",
                f"--duration={seconds}s",
                "--timeout=10s",
                f"--script={lua}",
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", done.stdout)
    if found is None:
        raise RuntimeError(f"wrk printed no result: {done.stdout[-500:]} {done.stderr[-500:]}")
    p50, p95, requests, duration, bad_status, socket_errors = (int(v) for v in found.groups())
    if bad_status or socket_errors:
        raise RuntimeError(
            f"{what}: {bad_status} answers not 2xx/3xx and {socket_errors} socket errors"
        )
    return Load(p50 / 1000, p95 / 1000, requests, requests / (duration / 1_000_000))


def _users(base: str, page: Page, users: int, seconds: int) -> Load:
    cookie = _signed_in_cookie(page.user)
    for path in page.paths[:3]:
        _check(base, path, cookie)
    script = USERS_SCRIPT % {
        "paths": ", ".join(f'"{path}"' for path in page.paths),
        "cookie": cookie,
        "think_min": THINK_MS[0],
        "think_max": THINK_MS[1],
    }
    return _wrk(base, script, users, seconds, page.name)


def _senders(base: str, programme: Programme, senders: int, seconds: int, path: str) -> Load:
    """Send referrals to `path` with `senders` systems at once, and check that every one
    answered was recorded (by the identifiers of this run, so that the runs one gunicorn
    serves are told apart)."""
    token, practice_code = referral_sender(programme)
    run = uuid.uuid4().hex[:8]
    script = SENDERS_SCRIPT % {
        "body": json.dumps(service_request(programme, practice_code, "IDENTIFIER")),
        "token": token,
        "run": run,
        "path": path,
    }
    load = _wrk(base, script, senders, seconds, f"FHIR ingest ({path})")
    # Requests still in flight when wrk stops are recorded but not counted by wrk.
    time.sleep(1)
    made = ReferralIdentifier.objects.filter(
        programme=programme, value__startswith=f"{run}-"
    ).count()
    if not load.requests <= made <= load.requests + senders:
        raise RuntimeError(f"{load.requests:,} referrals answered but {made:,} recorded.")
    return load


def _require_wrk() -> None:
    if shutil.which("wrk") is None:
        raise RuntimeError(
            "The load measurements need wrk: install it, e.g. 'apt-get install wrk'."
        )


def fhir_ingest_under_load(
    programme: Programme, senders: Sequence[int], seconds: int
) -> list[Figure]:
    """Referrals sent as fast as gunicorn takes them by each number of systems at once,
    against the floor: the same rows written by one hand-written statement a referral,
    through the same gunicorn and middleware (bench/ingest_floor.py)."""
    _require_wrk()
    practice = programme.organisations.gp_practices().first()
    if practice is None:
        raise RuntimeError(f"{programme.slug} has no GP practice to refer from.")
    with transaction.atomic():
        next_reference(programme)  # the floor numbers from the programme's sequence too
    floor_path = f"/bench/floor/fhir-ingest/{programme.pk}/{practice.pk}"
    figures = []
    with gunicorn(os.environ["DATABASE_URL"], "bench.settings") as base:
        for count in senders:
            real = _senders(base, programme, count, seconds, "/fhir/R4/ServiceRequest")
            # The floor numbers from the programme's sequence: past what the real run wrote.
            references_catch_up(programme)
            floor = _senders(base, programme, count, seconds, floor_path)
            figures.append(
                Figure(
                    f"FHIR ServiceRequest ingest, {count} sender{'s' if count > 1 else ''} to "
                    f"gunicorn ({real.requests:,} referrals; p95 {real.p95_ms:.0f} ms, floor's "
                    f"{floor.p95_ms:.0f} ms)",
                    real.per_second,
                    "referrals/s",
                    floor=floor.per_second,
                    target="at least 400/s with 4 senders" if count == 4 else "",
                )
            )
    return figures


def pages_under_load(programme: Programme, users: int, seconds: int) -> list[Figure]:
    _require_wrk()
    measured = pages(programme)
    with gunicorn(os.environ["DATABASE_URL"]) as base:
        loads = [(page, _users(base, page, users, seconds)) for page in measured]
    floor = loads[0][1]
    figures = []
    for page, load in loads:
        label = f"{page.name}, {users} users ({load.requests:,} requests)"
        figures.append(Figure(f"{label}: p50", load.p50_ms, "ms", floor=floor.p50_ms))
        figures.append(
            Figure(f"{label}: p95", load.p95_ms, "ms", floor=floor.p95_ms, target=page.target)
        )
    return figures
