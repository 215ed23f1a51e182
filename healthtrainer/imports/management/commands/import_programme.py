from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthtrainer.core.progress import ProgressBar
from healthtrainer.imports.importer import import_programme_workbook
from healthtrainer.imports.workbook import read_workbook


class Command(BaseCommand):
    help = (
        "Import a programme workbook: an .xlsx file, or a .zip or folder of CSV files named "
        "after the sheets. Its programme sheet names the programme, which is created or "
        "updated; without that sheet, --programme names an existing one. Every problem is "
        "listed and nothing is imported unless the whole file is right. Importing a file "
        "again updates what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the workbook: .xlsx, .zip or a folder")
        parser.add_argument(
            "--programme", metavar="SLUG", help="the programme to import into, by its slug"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but write nothing"
        )
        parser.add_argument(
            "--quiet", action="store_true", help="do not show the progress bar on stderr"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"There is no file or folder at {path}.")
        workbook = read_workbook(path, max_bytes=settings.IMPORT_COMMAND_MAX_BYTES)
        bars: list[ProgressBar] = []

        def progress(done: int, total: int) -> None:
            # Drawn once writing starts, so a refused import shows no bar.
            if not bars:
                bars.append(
                    ProgressBar(
                        lambda text: self.stderr.write(
                            text, style_func=lambda plain: plain, ending=""
                        ),
                        total=total,
                    )
                )
            bars[0](done)

        try:
            report = import_programme_workbook(
                actor=None,
                workbook=workbook,
                slug=options["programme"],
                dry_run=options["dry_run"],
                progress=None if options["quiet"] else progress,
            )
        finally:
            for bar in bars:
                bar.finish()
        for note in report.notes:
            self.stdout.write(note)
        if not report.is_valid:
            for problem in report.problems:
                self.stderr.write(str(problem))
            count = len(report.problems)
            raise CommandError(
                f"{path.name} has {count} problem{'' if count == 1 else 's'}: nothing was imported."
            )
        programme = report.programme
        if programme is not None:
            if report.programme_created:
                verb = "Would create" if options["dry_run"] else "Created"
                self.stdout.write(f"{verb} the programme {programme.slug} ({programme.name}).")
            elif report.programme_changed:
                verb = "Would update" if options["dry_run"] else "Updated"
                self.stdout.write(
                    f"{verb} the programme {programme.slug}: {', '.join(report.programme_changed)}."
                )
        if report.practices_created:
            verb = "Would add" if options["dry_run"] else "Added"
            self.stdout.write(
                f"{verb} GP practices named by their ODS code: "
                f"{', '.join(report.practices_created)}."
            )
        if report.written:
            self.stdout.write(
                f"Clients: {report.clients_created:,} created, "
                f"{report.clients_linked:,} linked to an existing client."
            )
        for line in report.sheet_summaries:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(report.summary))
