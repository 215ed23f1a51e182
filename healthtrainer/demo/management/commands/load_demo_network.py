from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from healthtrainer.accounts.models import User
from healthtrainer.demo.network import ANALYST_EMAIL, load_demo_network
from healthtrainer.demo.programmes import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo network: twelve synthetic programmes in one region, joined by "
        "consent, one drifting and one with thin data, and an analyst to read it. Run "
        "after load_demo (whose administrator names the analyst); loads once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        administrator = User.objects.filter(is_site_administrator=True, is_active=True).first()
        if administrator is None:
            raise CommandError("Run load_demo first: the demo's administrator names the analyst.")
        network = load_demo_network(administrator=administrator)
        if network is None:
            self.stdout.write("The demo network is already loaded.")
        self.stdout.write(
            f"A network of programmes: /networks/ as {ANALYST_EMAIL} ({DEMO_PASSWORD})."
        )
