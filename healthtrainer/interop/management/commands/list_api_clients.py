from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from healthtrainer.interop.models import ApiClient


class Command(BaseCommand):
    help = "List the API clients, with their programme, permissions and state."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", metavar="SLUG")

    def handle(self, *args: Any, **options: Any) -> None:
        clients = ApiClient.objects.select_related("programme").order_by("programme__slug", "pk")
        if options["programme"]:
            clients = clients.filter(programme__slug=options["programme"])
        for client in clients:
            if client.revoked_at:
                state = f"revoked {client.revoked_at:%Y-%m-%d}"
            elif not client.is_active:
                state = f"expired {client.expires_at:%Y-%m-%d}"
            elif client.expires_at:
                state = f"active until {client.expires_at:%Y-%m-%d}"
            else:
                state = "active"
            self.stdout.write(
                f"{client.pk}\t{client.programme.slug}\t{client.name}\t…{client.token_hint}\t"
                f"{','.join(client.permissions)}\t{state}"
            )
