"""The demo network: twelve synthetic programmes in one region, joined by consent, with an
analyst to read it. One programme drifts (its referrals fall away and fewer complete in
its last eight months) and one has thin data (no questionnaires, no employment status),
so that the SPC chart, the funnel plots and the completeness table each show what they
are for."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F

from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import Role
from healthtrainer.casework.models import Discharge
from healthtrainer.casework.vocabulary import DischargeReason
from healthtrainer.demo.programmes import DEMO_PASSWORD
from healthtrainer.demo.synthetic import generate
from healthtrainer.measures.models import QuestionnaireResponse
from healthtrainer.network.models import Aspect, Network
from healthtrainer.network.services import analyst_add, network_join
from healthtrainer.network.snapshots import snapshots_refresh
from healthtrainer.programmes.models import Programme
from healthtrainer.referrals.models import Referral

DEMO_NETWORK = "demo-region"
ANALYST_EMAIL = "analyst@example.com"
LEAD_EMAIL = "regional-lead@example.com"
PROGRAMMES, CLIENTS_EACH = 12, 90
DRIFT_MONTHS = 8


def load_demo_network(*, administrator: User) -> Network | None:
    """Make the network once; None if it is there already."""
    if Network.objects.filter(slug=DEMO_NETWORK).exists():
        return None
    generate(programmes=PROGRAMMES, clients=PROGRAMMES * CLIENTS_EACH, seed=22)
    programmes = list(Programme.objects.filter(slug__startswith="synthetic-").order_by("slug"))
    drifting, thin = programmes[0], programmes[-1]
    _drift(drifting)
    _thin(thin)
    network = Network.objects.create(
        name="Demo region",
        slug=DEMO_NETWORK,
        description="Twelve synthetic programmes; one drifts and one has thin data.",
    )
    lead = _person(LEAD_EMAIL, "Regional lead (demo)")
    for programme in programmes:
        Membership.objects.get_or_create(
            user=lead, programme=programme, defaults={"role": Role.PROGRAMME_MANAGER}
        )
    # Read again: a person's permissions are worked out once per object.
    lead = User.objects.get(pk=lead.pk)
    for programme in programmes:
        network_join(actor=lead, network=network, programme=programme, aspects=Aspect.values)
    # The figures the network reads, made now rather than by the worker's first run, so
    # the demo's network page shows them as soon as `make run` serves it.
    snapshots_refresh(programmes)
    analyst_add(
        actor=administrator, network=network, user=_person(ANALYST_EMAIL, "Network analyst (demo)")
    )
    return network


def _person(email: str, name: str) -> User:
    found = User.objects.filter(email=email).first()
    return found or User.objects.create_user(email, DEMO_PASSWORD, full_name=name)


def _drift(programme: Programme) -> None:
    """Most of the last months' referrals moved a year back, and half their completions
    recorded as declined: a fall in referrals and in completion the charts should find."""
    latest = Referral.objects.filter(programme=programme).order_by("-received_date").first()
    if latest is None:
        return
    since = latest.received_date - timedelta(days=30 * DRIFT_MONTHS)
    recent = Referral.objects.filter(programme=programme, received_date__gt=since)
    moved = [pk for index, pk in enumerate(recent.values_list("pk", flat=True)) if index % 3]
    Referral.objects.filter(pk__in=moved).update(received_date=F("received_date") - timedelta(365))
    kept = Discharge.objects.filter(
        programme=programme, episode__received_date__gt=since, reason=DischargeReason.COMPLETED
    )
    halved = [pk for index, pk in enumerate(kept.values_list("pk", flat=True)) if index % 2]
    Discharge.objects.filter(pk__in=halved).update(reason=DischargeReason.DECLINED_FURTHER)


def _thin(programme: Programme) -> None:
    """Records kept thinly: no questionnaires and no employment status."""
    QuestionnaireResponse.objects.filter(programme=programme).delete()
    Referral.objects.filter(programme=programme).update(employment_status="")
