"""The demo network: twelve programmes sharing everything, in which the drifting one shows
a special cause, the thin one shows thin records, and the analyst can read it."""

import time
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from healthtrainer.accounts.models import User
from healthtrainer.conftest import ADMINISTRATOR, sign_in
from healthtrainer.demo.network import ANALYST_EMAIL, load_demo_network
from healthtrainer.network.completeness import completeness
from healthtrainer.network.models import NetworkMembership
from healthtrainer.network.monthly import monthly
from healthtrainer.network.services import networks_analysed_by


def test_the_demo_network_shows_what_each_chart_is_for(world):
    started = time.monotonic()
    network = load_demo_network(administrator=world.people[ADMINISTRATOR])
    took = time.monotonic() - started
    programmes = [item.programme for item in NetworkMembership.objects.current()]
    assert len(programmes) == 12
    assert networks_analysed_by(User.objects.get(email=ANALYST_EMAIL)) == [network]
    drifting = next(p for p in programmes if p.slug == "synthetic-001")
    signals = {item.programme.slug for item in monthly(programmes).programme_signals}
    assert "synthetic-001" in signals, (signals, drifting)
    by_slug = {record.programme.slug: record for record in completeness(programmes)}
    assert by_slug["synthetic-012"].baseline == 0
    assert by_slug["synthetic-002"].baseline > 50
    assert load_demo_network(administrator=world.people[ADMINISTRATOR]) is None
    print(f"demo network loaded in {took:.1f} s")


def test_the_analyst_reads_the_demo_network(world, client):
    network = load_demo_network(administrator=world.people[ADMINISTRATOR])
    analyst = sign_in(client, User.objects.get(email=ANALYST_EMAIL))
    page = analyst.get(reverse("network:network", args=[network.slug])).content.decode()
    assert "Synthetic programme 1:" in page
    assert "Complete records, by programme (%)" in page


def test_the_command_says_where_to_look(world):
    out = StringIO()
    call_command("load_demo_network", stdout=out)
    assert "/networks/ as analyst@example.com" in out.getvalue()
