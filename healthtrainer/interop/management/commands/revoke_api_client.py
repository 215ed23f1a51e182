from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthtrainer.interop.models import ApiClient
from healthtrainer.interop.services import api_client_revoke


class Command(BaseCommand):
    help = "Revoke an API client's token: its next call is refused."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("client_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        client = ApiClient.objects.filter(pk=options["client_id"]).first()
        if client is None:
            raise CommandError(f"There is no API client {options['client_id']}.")
        api_client_revoke(actor=None, client=client)
        self.stdout.write(f"API client {client.pk} ({client.name}) is revoked.")
