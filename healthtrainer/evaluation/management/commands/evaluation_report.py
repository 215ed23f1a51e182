import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthtrainer.core.audit import audit_record
from healthtrainer.core.period import Period, period_problems
from healthtrainer.evaluation.disclosure import Disclosure
from healthtrainer.evaluation.report import build_report
from healthtrainer.evaluation.report.output import Format, write
from healthtrainer.programmes.models import Programme


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write it as YYYY-MM-DD"
        ) from error


class Command(BaseCommand):
    help = (
        "Write a programme's evaluation report, for referrals received in a period, as "
        "json, html, pdf, csv or xlsx. Figures are published (small counts hidden, others "
        "rounded) unless --disclosure exact is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", metavar="SLUG", required=True)
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", type=_date)
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", type=_date)
        parser.add_argument("--format", choices=[fmt.value for fmt in Format], required=True)
        parser.add_argument(
            "--disclosure",
            choices=[mode.value for mode in Disclosure],
            default=Disclosure.PUBLISHED.value,
        )
        parser.add_argument(
            "--output",
            metavar="PATH",
            type=Path,
            help="where to write it; standard output if not given",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(slug=options["programme"]).first()
        if programme is None:
            raise CommandError(f"There is no programme with the slug {options['programme']!r}.")
        start, end = options["start"], options["end"]
        problems = period_problems(start, end)
        if problems:
            raise CommandError(" ".join(f"{text}." for text in problems.values()))
        report = build_report(programme, Period(start, end), Disclosure(options["disclosure"]))
        output = write(report, Format(options["format"]))
        audit_record(
            actor=None,
            action=f"evaluation.report.exported_{options['format']}",
            programme=programme,
            changed_fields=[report.disclosure.value],
        )
        path: Path | None = options["output"]
        if path is None:
            sys.stdout.buffer.write(output.content)
            sys.stdout.flush()
            return
        try:
            path.write_bytes(output.content)
        except OSError as error:
            raise CommandError(f"Could not write {path}: {error.strerror}.") from error
        self.stderr.write(
            f"Wrote {path} ({len(output.content):,} bytes, {report.disclosure} figures)."
        )
