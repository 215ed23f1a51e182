"""/favicon.ico, which browsers ask for whatever a page links."""

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Sends the browser to the static icon every page links, rather than a 404. The
    redirect is cached for a day only, because the static file's hashed name changes with
    each release."""
    response = HttpResponseRedirect(static("nhsuk/assets/images/favicon.ico"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response
