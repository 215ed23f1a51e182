"""Every casework and measures page of the demo opens for the people who use it: the demo
has records at every stage, so this reaches states a fresh test database does not."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from healthtrainer.accounts.models import User
from healthtrainer.casework.models import Appointment, Escalation, Goal
from healthtrainer.conftest import sign_in
from healthtrainer.referrals.models import Referral

SLUG = "sheffield-pilot"


@pytest.fixture
def demo_loaded(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=StringIO())


def casework_urls() -> list[str]:
    urls = [reverse(f"casework:{name}", args=[SLUG]) for name in ("caseload", "escalations")]
    urls.append(reverse("casework:directory", args=[SLUG]))
    urls.append(reverse("measures:due", args=[SLUG]))
    for episode in Referral.objects.filter(programme__slug=SLUG, status="accepted"):
        for name in ("episode", "book", "goal_new", "discharge", "follow_up", "signpost"):
            urls.append(reverse(f"casework:{name}", args=[SLUG, episode.pk]))
        urls.append(reverse("casework:timeline", args=[SLUG, episode.client_id]))
        urls.append(reverse("casework:contact_preferences", args=[SLUG, episode.client_id]))
        urls.append(reverse("measures:episode", args=[SLUG, episode.pk]))
        for code, timepoint in (("swemwbs", "baseline"), ("phq9", "exit")):
            urls.append(reverse("measures:record", args=[SLUG, episode.pk, code, timepoint]))
    for appointment in Appointment.objects.filter(programme__slug=SLUG):
        for name in ("rebook", "attendance", "session"):
            urls.append(reverse(f"casework:{name}", args=[SLUG, appointment.pk]))
    for goal in Goal.objects.filter(programme__slug=SLUG):
        for name in ("goal_edit", "goal_review"):
            urls.append(reverse(f"casework:{name}", args=[SLUG, goal.pk]))
    for escalation in Escalation.objects.filter(programme__slug=SLUG):
        urls.append(reverse("casework:escalation", args=[SLUG, escalation.pk]))
    return urls


@pytest.mark.parametrize("email", ["trainer@example.com", "supervisor@example.com"])
def test_every_demo_casework_page_opens(demo_loaded, email):
    browser = sign_in(Client(), User.objects.get(email=email))
    urls = casework_urls()
    assert len(urls) > 100
    failures = [
        (url, status) for url in urls if (status := browser.get(url).status_code) not in (200, 302)
    ]
    assert not failures
