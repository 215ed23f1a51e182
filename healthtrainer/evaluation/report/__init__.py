"""The evaluation report: built once from the metric registry, shown in every format."""

from healthtrainer.evaluation.report.build import build_report
from healthtrainer.evaluation.report.content import Report

__all__ = ["Report", "build_report"]
