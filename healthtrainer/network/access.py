"""The one way into a network's pages and its figures in the API: the signed-in person must
be one of its analysts; anyone else is told it does not exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase

from healthtrainer.network.models import Network

NetworkView = Callable[..., HttpResponseBase]


def network_analysed(user: Any, slug: str) -> Network | None:
    """The network of this slug if the person is one of its (active) analysts, else None:
    for the pages and the API alike."""
    return Network.objects.filter(
        slug=slug, analysts__user_id=user.pk or 0, analysts__user__is_active=True
    ).first()


def network_view(view: NetworkView) -> NetworkView:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, network_slug: str, *args: Any, **kwargs: Any) -> Any:
        network = network_analysed(request.user, network_slug)
        if network is None:
            raise Http404("No such network")
        return view(request, network, *args, **kwargs)

    return wrapper
