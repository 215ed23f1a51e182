"""Every metric is one search away: registered once, in the module its id names, listed by
`manage.py list_metrics`, and in docs/evaluation.md from the same source."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from healthtrainer.evaluation.management.commands.list_metrics import ROOT, markdown_table
from healthtrainer.evaluation.metrics import COST_FIGURES, REGISTRY
from healthtrainer.evaluation.report.build import SECTION_METRICS

START = "<!-- metrics table: manage.py list_metrics --markdown -->\n"
END = "<!-- end of metrics table -->"


def test_every_metric_lives_in_the_module_its_id_names():
    for metric_id, metric in REGISTRY.items():
        assert metric.module == f"healthtrainer.evaluation.metrics.{metric_id.split('.')[0]}"


def test_the_command_lists_every_metric_with_its_file_line_and_period():
    out = StringIO()
    call_command("list_metrics", stdout=out)
    text = out.getvalue()
    for metric_id, metric in REGISTRY.items():
        path, line = f"healthtrainer/evaluation/metrics/{metric_id.split('.')[0]}.py", metric.line
        assert f"{metric_id}  {path}:{line}\n" in text
        source = (ROOT / path).read_text().splitlines()
        assert f'"{metric_id}"' in "\n".join(source[line - 1 : line + 2])
        assert f"Period: {metric.period}." in text


def test_the_report_shows_only_listed_metrics():
    assert set(SECTION_METRICS) <= set(REGISTRY)


def test_docs_list_the_metrics_from_the_same_source():
    docs = (Path(ROOT) / "docs" / "evaluation.md").read_text()
    listed = docs.split(START, 1)[1].split(END, 1)[0]
    assert listed == markdown_table()


def test_each_cost_figure_is_a_cost_metric_and_every_cost_metric_has_one():
    assert set(COST_FIGURES) == {
        metric_id for metric_id in REGISTRY if metric_id.startswith("cost.")
    }
