from django.urls import include, path

from healthtrainer.api.api import api
from healthtrainer.api.docs import api_docs
from healthtrainer.core import errors
from healthtrainer.core.favicon import favicon

urlpatterns = [
    path("", include("healthtrainer.accounts.urls")),
    path("", include("healthtrainer.programmes.urls")),
    path("", include("healthtrainer.referrals.urls")),
    path("", include("healthtrainer.imports.urls")),
    path("", include("healthtrainer.background.urls")),
    path("", include("healthtrainer.deprivation.urls")),
    path("", include("healthtrainer.clients.urls")),
    path("", include("healthtrainer.casework.urls")),
    path("", include("healthtrainer.measures.urls")),
    path("", include("healthtrainer.workforce.urls")),
    path("", include("healthtrainer.evaluation.urls")),
    path("", include("healthtrainer.qualitative.urls")),
    path("", include("healthtrainer.companion.urls")),
    path("", include("healthtrainer.network.urls")),
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
