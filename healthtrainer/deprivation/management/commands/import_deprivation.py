from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthtrainer.core.progress import ProgressBar
from healthtrainer.deprivation.importers import (
    DATASETS,
    DatasetError,
    count_data_rows,
    import_dataset,
)


class Command(BaseCommand):
    help = (
        "Import deprivation reference data: File 7 of the English Indices of Deprivation "
        "(iod2019 or iod2025), or postcode LSOAs from the ONS Postcode Directory or the NSPL "
        "(postcodes). Importing a file again updates what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", choices=DATASETS, help="what the file holds")
        parser.add_argument("path", type=Path, help="the CSV file, UTF-8")
        parser.add_argument(
            "--quiet", action="store_true", help="do not show the progress bar on stderr"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        bar = None
        if not options["quiet"]:
            bar = ProgressBar(
                lambda text: self.stderr.write(text, style_func=lambda plain: plain, ending=""),
                total=count_data_rows(path),
            )
        try:
            result = import_dataset(options["dataset"], path, progress=bar)
        except DatasetError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        finally:
            if bar is not None:
                bar.finish()
        self.stdout.write(self.style.SUCCESS(result.summary))
