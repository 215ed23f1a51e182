import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthtrainer.core.progress import ProgressBar
from healthtrainer.demo.synthetic import generate


class Command(BaseCommand):
    help = (
        "Make a synthetic dataset for measuring the service at scale: programmes, practices, "
        "trainers, M people referred (a client record for each one accepted), sessions, "
        "goals, questionnaires, discharges, follow-ups, supervision and costs. "
        "The same seed makes the same data. Into an empty database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programmes", type=int, required=True, metavar="N")
        parser.add_argument(
            "--clients", type=int, required=True, metavar="M", help="people referred"
        )
        parser.add_argument("--seed", type=int, default=1, metavar="S")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        bar = ProgressBar(
            lambda text: self.stderr.write(text, style_func=lambda plain: plain, ending=""),
            total=options["clients"],
            unit="people",
        )
        started = time.monotonic()
        try:
            counts = generate(
                programmes=options["programmes"],
                clients=options["clients"],
                seed=options["seed"],
                progress=None if options["quiet"] else bar,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        finally:
            if not options["quiet"]:
                bar.finish()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{counts.programmes:,} programmes, {counts.clients:,} clients, "
            f"{counts.referrals:,} referrals, {counts.appointments:,} appointments, "
            f"{counts.goals:,} goals, {counts.questionnaires:,} questionnaires "
            f"in {seconds:.1f} s ({counts.referrals / max(seconds, 0.001):,.0f} people/s)."
        )
