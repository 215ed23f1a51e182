from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from healthtrainer.notifications.models import OutboxMessage


class Command(BaseCommand):
    help = (
        "Show the newest messages in the outbox: what the outbox notifier (NOTIFIER=outbox, "
        "the default in development and tests) stored instead of sending."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--last", type=int, default=20, metavar="N", help="how many messages (default 20)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        newest = OutboxMessage.objects.order_by("-created_at", "-id")[: options["last"]]
        messages = list(reversed(newest))
        if not messages:
            self.stdout.write("The outbox is empty.")
            return
        for message in messages:
            self.stdout.write(
                f"{message.created_at:%Y-%m-%d %H:%M} {message.channel} to {message.to} "
                f"{message.template} {message.reference} "
                f"{json.dumps(message.personalisation, sort_keys=True)}"
            )
