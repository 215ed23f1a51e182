from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.cache import patch_cache_control

from healthtrainer.api.api import api
from healthtrainer.api.docs import api_docs
from healthtrainer.core import errors


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever a page links; send them to the static icon
    that every page links, so they get it rather than a 404. Temporary, because the
    static file's hashed name changes with each release: cached for a day only."""
    response = HttpResponseRedirect(static("nhsuk/assets/images/favicon.ico"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


urlpatterns = [
    path("", include("healthtrainer.accounts.urls")),
    path("", include("healthtrainer.programmes.urls")),
    path("", include("healthtrainer.referrals.urls")),
    path("", include("healthtrainer.clients.urls")),
    path("", include("healthtrainer.casework.urls")),
    path("", include("healthtrainer.measures.urls")),
    path("", include("healthtrainer.workforce.urls")),
    path("", include("healthtrainer.evaluation.urls")),
    path("", include("healthtrainer.qualitative.urls")),
    path("", include("healthtrainer.interop.urls")),
    path("", include("healthtrainer.interop.urls_admin")),
    path("api/docs", api_docs, name="api_docs"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", api.urls),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
