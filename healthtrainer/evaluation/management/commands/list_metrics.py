from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from healthtrainer.evaluation.metrics import REGISTRY, Metric

ROOT = Path(__file__).resolve().parents[4]


def where(metric: Metric) -> str:
    """The file and line that define the metric, from the repository's root."""
    path = Path(metric.compute.__code__.co_filename).resolve().relative_to(ROOT)
    return f"{path}:{metric.line}"


def markdown_table() -> str:
    """Every metric as the Markdown table docs/evaluation.md holds, in id order."""
    lines = [
        "| id | what it is | which records a period counts | defined in |",
        "|---|---|---|---|",
    ]
    for metric_id, metric in sorted(REGISTRY.items()):
        lines.append(
            f"| `{metric_id}` | **{metric.title}.** {metric.definition} | {metric.period} "
            f"| `{where(metric).split(':')[0]}` |"
        )
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = (
        "List every metric of the evaluation: its id, where it is defined (file:line), its "
        "definition and which records a reporting period counts for it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--markdown", action="store_true", help="print the table docs/evaluation.md holds"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["markdown"]:
            self.stdout.write(markdown_table(), ending="")
            return
        for metric_id, metric in sorted(REGISTRY.items()):
            self.stdout.write(f"{metric_id}  {where(metric)}")
            self.stdout.write(f"    {metric.title}. {metric.definition}")
            self.stdout.write(f"    Period: {metric.period}.")
