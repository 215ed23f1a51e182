from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthtrainer.companion.check_in_messages import replies_fetch
from healthtrainer.notifications.models import OutboxReply
from healthtrainer.notifications.notifier import OUTBOX, OutboxNotifier


class Command(BaseCommand):
    help = (
        "Pretend a client texted the service (outbox only, for development): the reply is "
        "handled as a received text would be, and any answer sent back is in the outbox."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("from_number", help="the client's mobile number")
        parser.add_argument("content", help='what they texted, e.g. "1"')

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.NOTIFIER != OUTBOX:
            raise CommandError("Replies can only be made up with NOTIFIER=outbox.")
        OutboxReply.objects.create(from_number=options["from_number"], content=options["content"])
        handled = replies_fetch(notifier=OutboxNotifier())
        self.stdout.write(f"{handled} reply handled; `show_outbox` shows any answer sent back.")
