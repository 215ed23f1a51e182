"""The JSON API: status, tokens and permissions, referral status, caseload, metrics and
the report; its OpenAPI document and docs page."""

from __future__ import annotations

import re

from django.test import Client as HttpClient
from django.urls import reverse

from healthtrainer.accounts.roles import Permission, Role
from healthtrainer.background.tests.workers import DATABASE_BACKEND, run_queued
from healthtrainer.interop.services import api_client_create
from healthtrainer.tests.factories import GoalFactory, ReferralFactory, accepted_episode


def _api(programme, *permissions):
    _, token = api_client_create(
        actor=None, programme=programme, name="System", permissions=permissions
    )
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_status_check_reports_the_database(client, db):
    response = client.get(reverse("api:status"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.request["PATH_INFO"] == "/api/v1/status"


def test_the_openapi_document_and_its_docs_page_need_no_cdn(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert {
        "/api/v1/status",
        "/api/v1/referrals/{referral_id}",
        "/api/v1/metrics/{metric_id}",
    } <= set(schema["paths"])
    page = client.get("/api/docs")
    text = page.content.decode()
    assert page.status_code == 200
    assert "GET /api/v1/caseload" in text
    # Nothing on the page is loaded from another site: every script and style is our own.
    assert not re.findall(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', text)


def test_a_call_needs_a_token_and_the_permission(world):
    assert HttpClient().get("/api/v1/metrics").status_code == 401
    assert (
        HttpClient(HTTP_AUTHORIZATION="Bearer htk_nope").get("/api/v1/metrics").status_code == 401
    )
    assert (
        _api(world.programme, Permission.RECORD_REFERRAL).get("/api/v1/metrics").status_code == 403
    )


def test_referral_status_is_read_within_the_clients_programme(world, other_programme):
    practice = world.people[Role.REFERRER].memberships.get().organisation
    referral = ReferralFactory(practice=practice, received_date=world.programme.created_at.date())
    api = _api(world.programme, Permission.RECORD_REFERRAL)
    body = api.get(f"/api/v1/referrals/{referral.pk}").json()
    assert (body["reference"], body["status"], body["contact_attempts"]) == (
        referral.reference,
        "received",
        0,
    )
    listed = api.get("/api/v1/referrals", {"status": "received"}).json()
    assert [item["id"] for item in listed] == [referral.pk]
    assert api.get("/api/v1/referrals", {"status": "nonsense"}).status_code == 400
    outsider = _api(other_programme, Permission.RECORD_REFERRAL)
    assert outsider.get(f"/api/v1/referrals/{referral.pk}").status_code == 404


def test_the_caseload_is_given_in_figures_per_trainer(world):
    episode = accepted_episode(world.people[Role.HEALTH_TRAINER], world.programme)
    GoalFactory(episode=episode)
    rows = _api(world.programme, Permission.VIEW_CASELOAD).get("/api/v1/caseload").json()
    assert rows == [
        {
            "trainer": world.people[Role.HEALTH_TRAINER].full_name,
            "clients_in_care": 1,
            "goals_in_progress": 1,
            "open_escalations": 0,
            "without_next_appointment": 1,
        }
    ]
    assert episode.client.family_name not in str(rows)


def test_metrics_are_read_by_id_as_published(world):
    practice = world.people[Role.REFERRER].memberships.get().organisation
    for _ in range(13):
        ReferralFactory(practice=practice)
    api = _api(world.programme, Permission.VIEW_EVALUATION)
    listed = {item["id"] for item in api.get("/api/v1/metrics").json()}
    assert "referral.pct_most_deprived_quintile" in listed
    total = api.get("/api/v1/metrics/referral.count").json()
    assert (total["value"], total["disclosure"]) == (15, "published")
    assert api.get("/api/v1/metrics/referral.by_month").status_code == 404
    bad = api.get("/api/v1/metrics/referral.count", {"start": "2026-02-01", "end": "2026-01-01"})
    assert bad.status_code == 400
    report = api.get("/api/v1/evaluation").json()
    assert report["metrics"]["referral.count"]["value"] == 15


def test_an_export_is_asked_for_built_in_the_background_and_collected(world, settings):
    settings.TASKS = DATABASE_BACKEND
    practice = world.people[Role.REFERRER].memberships.get().organisation
    for _ in range(9):
        ReferralFactory(practice=practice)
    api = _api(world.programme, Permission.VIEW_EVALUATION)
    asked = api.post(
        "/api/v1/exports", {"kind": "evaluation", "format": "json"}, content_type="application/json"
    )
    assert asked.status_code == 202
    job = asked.json()
    assert (job["state"], job["file"]) == ("queued", None)
    assert api.get(f"/api/v1/exports/{job['id']}/file").status_code == 409
    run_queued()
    done = api.get(f"/api/v1/exports/{job['id']}").json()
    assert done["state"] == "done"
    report = api.get(done["file"]).json()
    assert (report["disclosure"], report["metrics"]["referral.count"]["value"]) == (
        "published",
        10,
    )


def test_exports_are_refused_without_the_permission_or_with_a_bad_format(world, other_programme):
    evaluation_only = _api(world.programme, Permission.VIEW_EVALUATION)
    research = evaluation_only.post(
        "/api/v1/exports", {"kind": "research", "format": "csv"}, content_type="application/json"
    )
    assert research.status_code == 403
    bad = evaluation_only.post(
        "/api/v1/exports", {"kind": "evaluation", "format": "docx"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "comes as html, pdf, csv, xlsx, json, not docx" in bad.json()["detail"]
    job = evaluation_only.post(
        "/api/v1/exports", {"kind": "evaluation", "format": "csv"}, content_type="application/json"
    ).json()
    other = _api(other_programme, Permission.VIEW_EVALUATION)
    assert other.get(f"/api/v1/exports/{job['id']}").status_code == 404


def test_a_nul_character_in_a_search_is_refused(world):
    api = _api(world.programme, Permission.RECORD_REFERRAL)
    assert api.get("/api/v1/referrals", {"identifier": "sys|A\x00"}).status_code == 422
    assert api.get("/api/v1/referrals", {"status": "re\x00ceived"}).status_code == 422
