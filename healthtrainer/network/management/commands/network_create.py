from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from healthtrainer.accounts.models import User
from healthtrainer.network.models import Network
from healthtrainer.network.services import analyst_add


class Command(BaseCommand):
    help = (
        "Make a network of programmes (a region, or the whole country), or name an analyst "
        "of one: `network_create Yorkshire --analyst a@example.nhs.uk --by admin@example.nhs.uk`."
        " Programmes join it from their own Networks page, by their manager's consent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the network's name")
        parser.add_argument("--description", default="")
        parser.add_argument("--analyst", action="append", default=[], metavar="EMAIL")
        parser.add_argument("--by", metavar="EMAIL", help="the administrator naming analysts")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        if not name:
            raise CommandError("Give the network a name.")
        network, created = Network.objects.get_or_create(
            slug=slugify(name)[:60], defaults={"name": name, "description": options["description"]}
        )
        self.stdout.write(f"{'Made' if created else 'Found'} the network {network.name}.")
        if not options["analyst"]:
            return
        administrator = User.objects.filter(
            email__iexact=options["by"] or "", is_site_administrator=True, is_active=True
        ).first()
        if administrator is None:
            raise CommandError("Name analysts --by an administrator's email address.")
        for email in options["analyst"]:
            person = User.objects.filter(email__iexact=email, is_active=True).first()
            if person is None:
                raise CommandError(f"No active account has the email address {email}.")
            analyst_add(actor=administrator, network=network, user=person)
            self.stdout.write(f"{person.email} analyses {network.name}.")
