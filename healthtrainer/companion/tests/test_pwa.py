"""The companion as an installable app: its manifest, and a service worker whose scope is
the companion, which keeps only static files and the new-entry page."""

import json
import re
import uuid

from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.companion.models import DiaryEntry
from healthtrainer.companion.pwa_views import precached


def test_the_manifest_names_the_companion_and_its_icons(client):
    response = client.get(reverse("companion:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert response["Cache-Control"] == "no-cache"
    manifest = response.json()
    assert (manifest["start_url"], manifest["scope"]) == ("/my/", "/my/")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#005eb8"
    assert manifest["short_name"]
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def _script(client) -> str:
    response = client.get(reverse("companion:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    # Checked for a new version at each visit, never kept stale by a cache.
    assert response["Cache-Control"] == "no-cache"
    # Served from /my/, its scope is the companion by default: no wider scope is allowed.
    assert "Service-Worker-Allowed" not in response
    return response.content.decode()


def test_the_service_worker_is_served_from_the_companion_and_keeps_only_the_diary_form(client):
    script = _script(client)
    assert 'const SCOPE = "/my/";' in script
    assert 'const DIARY_FORM = "/my/diary/new/";' in script
    assert 'const SIGN_IN = "/my/sign-in/";' in script
    assert 'const STATIC_PREFIX = "/static/";' in script
    assert not re.search(r"__[A-Z_]+__", script)
    # The only page put in a cache is the entry page.
    assert script.count("cache.put(") == 2
    assert "cache.put(DIARY_FORM, response)" in script


def test_the_service_worker_keeps_every_static_file_a_companion_page_loads(signed_in):
    script = _script(signed_in)
    kept = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", script).group(1))
    assert kept == precached()
    page = signed_in.get(reverse("companion:diary_new")).content.decode()
    loaded = set(re.findall(r'(?:href|src|data-[a-z-]+)="(/static/[^"]+)"', page))
    assert loaded
    assert loaded <= set(kept)


def test_a_new_worker_version_comes_with_new_static_files(client, settings):
    before = _script(client)
    settings.STATIC_URL = "/static/v2/"
    after = _script(client)
    version = re.compile(r'const VERSION = "(\w+)";')
    assert version.search(before).group(1) != version.search(after).group(1)


def test_client_pages_link_the_manifest_and_the_offline_diary(signed_in, episode):
    page = signed_in.get(reverse("companion:diary_new")).content.decode()
    assert 'rel="manifest"' in page
    assert 'id="companion-offline"' in page
    assert 'data-diary-page="/my/diary/"' in page
    assert f'data-owner="{episode.client_id}"' in page
    assert 'data-time-zone="Europe/London"' in page
    assert "data-diary-entry" in page
    assert 'id="companion-offline-status"' in page
    assert "Saved on this phone. It will be sent when you are back online." in page
    diary = signed_in.get(reverse("companion:diary")).content.decode()
    assert "Not sent yet" in diary
    sign_out = signed_in.get(reverse("companion:sign_out")).content.decode()
    assert "data-sign-out" in sign_out


def test_staff_pages_and_sign_in_do_not(client, client_as):
    page = client_as(Role.HEALTH_TRAINER).get("/", follow=True).content.decode()
    assert 'rel="manifest"' not in page
    assert 'rel="manifest"' not in client.get(reverse("companion:sign_in")).content.decode()


def test_an_entry_sent_again_from_the_phone_is_kept_once(signed_in):
    """What the offline diary sends: the form's fields, form-encoded, with its key."""
    key = str(uuid.uuid4())
    now = timezone.localtime()
    fields = {
        "key": key,
        "pain": "6",
        "recorded_date": f"{now:%Y-%m-%d}",
        "recorded_time": f"{now:%H:%M}",
    }
    for _ in range(2):
        response = signed_in.post(reverse("companion:diary_new"), fields, follow=True)
        assert response.redirect_chain[-1][0] == reverse("companion:diary")
    assert DiaryEntry.objects.filter(key=key).count() == 1
