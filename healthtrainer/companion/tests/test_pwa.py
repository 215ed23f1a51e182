"""The companion as an installable app: its manifest, and a service worker whose scope is
the companion, which keeps only static files and the new-entry page."""

from django.urls import reverse

from healthtrainer.accounts.roles import Role


def test_the_manifest_names_the_companion_and_its_icons(client):
    response = client.get(reverse("companion:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["start_url"], manifest["scope"]) == ("/my/", "/my/")
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_the_service_worker_is_served_from_the_companion_and_keeps_only_the_diary_form(client):
    response = client.get(reverse("companion:service_worker"))
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert 'const DIARY_FORM = "/my/diary/new/";' in script
    assert 'const STATIC_PREFIX = "/static/";' in script
    assert "__" not in script.split("const CACHE")[1].split("self.addEventListener")[0]


def test_client_pages_link_the_manifest_and_the_offline_diary(signed_in):
    page = signed_in.get(reverse("companion:diary_new")).content.decode()
    assert 'rel="manifest"' in page
    assert 'id="companion-offline"' in page
    assert "data-diary-entry" in page
    assert 'id="companion-offline-status"' in page


def test_staff_pages_do_not(client_as):
    page = client_as(Role.HEALTH_TRAINER).get("/", follow=True).content.decode()
    assert 'rel="manifest"' not in page
