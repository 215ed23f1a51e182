from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from healthtrainer.accounts.models import User
from healthtrainer.accounts.roles import role_label
from healthtrainer.companion.models import CompanionAccess
from healthtrainer.demo.casework import load_demo_casework
from healthtrainer.demo.companion import DEMO_CLIENT_PHONE, load_demo_companion
from healthtrainer.demo.deprivation import load_demo_deprivation
from healthtrainer.demo.measures import load_demo_measures
from healthtrainer.demo.pilot_2011 import load_pilot_2011
from healthtrainer.demo.programmes import DEMO_PASSWORD, load_demo
from healthtrainer.demo.qualitative import load_demo_qualitative
from healthtrainer.demo.referrals import load_demo_referrals
from healthtrainer.demo.workforce import load_demo_workforce
from healthtrainer.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Load the demo programme, one demo user per role, synthetic deprivation data, "
        "demo referrals, their casework, outcome measures and workforce records, and a past "
        "programme imported from a generated workbook, and a qualitative analysis (idempotent)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--port",
            type=_port,
            default=8000,
            help="The port the demo is served on, for the sign-in address printed at the end.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "The demo has published passwords: set DEMO_MODE=true (or DEBUG=true) to load it."
            )
        people = load_demo()
        load_demo_deprivation()
        programme = Programme.objects.get(slug="sheffield-pilot")
        manager = User.objects.get(email="manager@example.com")
        trainer = User.objects.get(email="trainer@example.com")
        supervisor = User.objects.get(email="supervisor@example.com")
        today = timezone.localdate()
        load_demo_referrals(programme, manager=manager, trainer=trainer)
        load_demo_casework(
            programme, trainer=trainer, supervisor=supervisor, manager=manager, today=today
        )
        load_demo_measures(programme, manager=manager, trainer=trainer)
        load_pilot_2011(actor=manager)
        load_demo_qualitative(
            programme,
            manager=manager,
            evaluator=User.objects.get(email="evaluator@example.com"),
            trainer=trainer,
            today=today,
        )
        load_demo_workforce(
            programme, manager=manager, supervisor=supervisor, trainer=trainer, today=today
        )
        address = f"http://127.0.0.1:{options['port']}"
        companion_client = load_demo_companion(
            programme, trainer=trainer, sign_in_url=f"{address}/my/sign-in/"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo programme ready. Sign in at {address} as:"))
        for person in people:
            self.stdout.write(f"  {role_label(person.role):<32} {person.email:<26} {DEMO_PASSWORD}")
            for slug, role, _ in person.programme_roles[1:]:
                self.stdout.write(f"    and {role_label(role).lower()} in {slug}")
        if companion_client is not None or CompanionAccess.objects.exists():
            self.stdout.write(
                f"A client's own companion: {address}/my/sign-in/ with {DEMO_CLIENT_PHONE}; "
                "the demo sends no messages, so the code page shows the code."
            )
        if not settings.REQUIRE_MFA:
            self.stdout.write("Two-factor sign-in is off for the demo (REQUIRE_MFA=false).")


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ArgumentTypeError(f"{text!r} is not a port: give a number from 1 to 65535.")
    return int(text)
