"""A programme manager's page of networks: which the programme shares with, and what; join
one by choosing the aspects to share, or withdraw."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from healthtrainer.accounts.access import ProgrammeRequest, programme_view
from healthtrainer.accounts.roles import Permission
from healthtrainer.core.forms import add_service_errors
from healthtrainer.network.models import Aspect, Network, NetworkMembership
from healthtrainer.network.services import network_join, network_withdraw
from healthtrainer.programmes.models import Programme


class JoinForm(forms.Form):
    network = forms.ModelChoiceField(
        label="Network",
        queryset=Network.objects.all(),
        error_messages={"required": "Choose a network", "invalid_choice": "Choose a network"},
    )
    aspects = forms.MultipleChoiceField(
        label="What the programme shares",
        choices=Aspect.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only counts under published disclosure control are ever shown to the "
        "network: never a client, and never an exact count.",
        error_messages={"required": "Choose at least one aspect to share"},
    )


@programme_view(Permission.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def programme_networks(request: ProgrammeRequest, programme: Programme) -> HttpResponse:
    memberships = NetworkMembership.objects.for_programme(programme).select_related(
        "network", "consented_by", "withdrawn_by"
    )
    form = JoinForm(request.POST or None)
    if request.method == "POST" and "withdraw" in request.POST:
        chosen = memberships.filter(pk=request.POST["withdraw"], withdrawn_at__isnull=True)
        membership = chosen.first() if request.POST["withdraw"].isdigit() else None
        if membership is None:
            raise Http404("No such membership")
        network_withdraw(actor=request.user, membership=membership)
        messages.success(request, f"The programme has left {membership.network}.")
        return redirect("network:programme_networks", programme.slug)
    if request.method == "POST" and form.is_valid():
        try:
            network_join(
                actor=request.user,
                network=form.cleaned_data["network"],
                programme=programme,
                aspects=form.cleaned_data["aspects"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The programme has joined {form.cleaned_data['network']}.")
            return redirect("network:programme_networks", programme.slug)
    return render(
        request,
        "network/programme_networks.jinja",
        {
            "programme": programme,
            "memberships": memberships,
            "form": form,
            "aspect_labels": dict(Aspect.choices),
        },
    )
