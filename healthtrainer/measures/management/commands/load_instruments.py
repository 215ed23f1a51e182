from typing import Any

from django.core.management.base import BaseCommand

from healthtrainer.measures.services import instruments_sync


class Command(BaseCommand):
    help = (
        "Bring the instrument table in line with the instrument definition files "
        "(idempotent; run after each deployment)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        instruments = instruments_sync()
        names = ", ".join(instrument.code for instrument in instruments)
        self.stdout.write(f"{len(instruments)} instruments loaded: {names}.")
