from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthtrainer.interop.services import GRANTABLE, api_client_create
from healthtrainer.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Register a system to call the FHIR interface and the JSON API for one programme, "
        "and print its bearer token once: it is stored only as a hash."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", metavar="SLUG", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--permission",
            dest="permissions",
            action="append",
            required=True,
            choices=list(GRANTABLE),
            help="a permission to grant; give it again for each one",
        )
        parser.add_argument("--expires-days", type=int, metavar="N")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(slug=options["programme"]).first()
        if programme is None:
            raise CommandError(f"There is no programme with the slug {options['programme']!r}.")
        try:
            client, token = api_client_create(
                actor=None,
                programme=programme,
                name=options["name"],
                permissions=options["permissions"],
                expires_days=options["expires_days"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(
            f"API client {client.pk} ({client.name}) created for {programme.slug}. "
            "Keep this token now: it cannot be shown again."
        )
        self.stdout.write(token)
