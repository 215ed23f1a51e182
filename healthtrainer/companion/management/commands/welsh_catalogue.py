from __future__ import annotations

import shutil
import subprocess
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from healthtrainer.companion.catalogue import (
    CATALOGUE,
    COMPILED,
    marked_messages,
    merged,
    read_catalogue,
    write_catalogue,
)


class Command(BaseCommand):
    help = (
        "Bring the companion's Welsh catalogue up to date with the words marked for "
        "translation (keeping the Welsh it has), list those still without Welsh, and "
        "compile it for the service with GNU gettext's msgfmt."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        kept = read_catalogue()
        messages = merged(marked_messages(), kept)
        write_catalogue(messages)
        dropped = {message.key for message in kept} - {message.key for message in messages}
        for msgid, _plural in sorted(dropped):
            self.stdout.write(f"No longer used, taken out: {msgid!r}")
        missing = [message for message in messages if not message.translated]
        for message in missing:
            self.stdout.write(f"Needs Welsh: {message.msgid!r}")
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            raise CommandError(
                "msgfmt (GNU gettext) is needed to compile the catalogue: install it, e.g. "
                "'apt-get install gettext'."
            )
        # What Django's compilemessages runs, on this one catalogue; --check-format makes
        # a translation whose %(name)s placeholders differ from the English an error.
        subprocess.run(  # noqa: S603 (a fixed program and this project's own files)
            [msgfmt, "--check-format", "-o", str(COMPILED), str(CATALOGUE)], check=True
        )
        self.stdout.write(
            f"{len(messages)} entries, {len(missing)} without Welsh; compiled to {COMPILED.name}."
        )
