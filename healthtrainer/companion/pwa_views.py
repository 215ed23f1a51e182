"""The companion as an app a client can add to their home screen: its web app manifest,
and its service worker, which lets a diary entry be written with no connection."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

SERVICE_WORKER = (Path(__file__).parent / "service_worker.js").read_text()

ICON_SIZES = (192, 512)

# The static files every companion page loads (layout.jinja), kept on the phone when the
# service worker is installed, so that the entry page looks and works as it should offline
# even if the client never opened it online.
PAGE_STATIC_FILES = (
    "core/nhsuk.css",
    "core/app.css",
    "core/app.mjs",
    "core/tables.mjs",
    "nhsuk/nhsuk-frontend.min.js",
    "nhsuk/assets/images/favicon.ico",
    "nhsuk/assets/images/favicon.svg",
    "django_htmx/htmx-2.min.js",
    "companion/offline.mjs",
)


def precached() -> list[str]:
    """Their addresses as pages name them: hashed, in production, by their contents."""
    icons = [f"companion/icon-{size}.png" for size in ICON_SIZES]
    return [static(name) for name in (*PAGE_STATIC_FILES, *icons)]


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    home = reverse("companion:home")
    response = JsonResponse(
        {
            "id": home,
            "name": f"{settings.SERVICE_NAME}: your plan",
            "short_name": "Your plan",
            "start_url": home,
            "scope": home,
            "display": "standalone",
            "background_color": "#f0f4f5",
            "theme_color": "#005eb8",
            "icons": [
                {
                    "src": static(f"companion/icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                }
                for size in ICON_SIZES
            ],
        },
        content_type="application/manifest+json",
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    files = precached()
    places = {
        "__STATIC_URL__": settings.STATIC_URL,
        "__SCOPE__": reverse("companion:home"),
        "__DIARY_FORM__": reverse("companion:diary_new"),
        "__SIGN_IN__": reverse("companion:sign_in"),
    }
    # A new deployment's static files have new names: a new version of the worker, which
    # phones install in place of the old, throwing away the files it kept.
    version = hashlib.sha256(json.dumps([SERVICE_WORKER, files, places]).encode()).hexdigest()[:12]
    script = SERVICE_WORKER.replace("__VERSION__", version).replace(
        "__PRECACHE__", json.dumps(files)
    )
    for placeholder, value in places.items():
        script = script.replace(placeholder, value)
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    # Browsers check for a new worker on each visit; no-cache makes that check real.
    response["Cache-Control"] = "no-cache"
    return response
