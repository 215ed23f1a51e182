"""The companion as an app a client can add to their home screen: its web app manifest,
and its service worker, which lets a diary entry be written with no connection."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

SERVICE_WORKER = (Path(__file__).parent / "service_worker.js").read_text()


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    home = reverse("companion:home")
    response = JsonResponse(
        {
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
                for size in (192, 512)
            ],
        },
        content_type="application/manifest+json",
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    script = SERVICE_WORKER.replace("__STATIC_URL__", settings.STATIC_URL).replace(
        "__DIARY_FORM__", reverse("companion:diary_new")
    )
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    # Browsers check for a new worker on each visit; no-cache makes that check real.
    response["Cache-Control"] = "no-cache"
    return response
