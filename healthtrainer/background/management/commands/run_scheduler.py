from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from healthtrainer.background.scheduler import enqueue_due


class Command(BaseCommand):
    help = (
        "Queue the periodic tasks (PERIODIC_TASKS: reminders, purges) as each falls due, for "
        "the workers to run. Each is queued once a period even if two schedulers run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=30, help="seconds between looks (default 30)"
        )
        parser.add_argument("--once", action="store_true", help="look once, then stop")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            for task in enqueue_due(timezone.now()):
                self.stdout.write(f"Queued {task}.")
            if options["once"]:
                return
            time.sleep(options["interval"])
