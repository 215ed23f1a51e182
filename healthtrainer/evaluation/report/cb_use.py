"""Report section 2: trainers' use of cognitive behavioural approaches."""

from __future__ import annotations

from typing import Any

from healthtrainer.evaluation.metrics.ratio import Ratio
from healthtrainer.evaluation.report.content import Section, display
from healthtrainer.evaluation.report.figures import Disclose, Interval
from healthtrainer.evaluation.report.tables import columns, table


def _ratio_row(label: str, key: str, ratio: Ratio, disclose: Disclose) -> tuple[Any, ...]:
    return (label, *disclose.ratio(key, ratio))


def _count_note(disclose: Disclose, key: str, n: int, what: str) -> str:
    """A count in a note. It shares no sum with another cell, so protection cannot change
    how it is shown after the note is written."""
    return f"{display(disclose.count(key, n).shown)} {what}"


def cb_use(figures: dict[str, Any], disclose: Disclose) -> Section:
    satisfaction = figures["training.satisfaction"]
    confidence = figures["training.confidence_change"]
    fidelity = figures["fidelity.at_threshold"]
    naming = figures["sessions.pct_naming_a_technique"]
    return Section(
        "cb-use",
        "Trainers' use of CB",
        "The training trainers received and how they rated it, their confidence before and "
        "after, and how faithfully they use cognitive behavioural approaches.",
        [
            table(
                "training-delivered",
                "Training delivered",
                "training.delivered",
                columns("Course", "Sessions", "Hours", "Trainers attending"),
                [
                    (
                        overview.course.title,
                        overview.sessions,
                        overview.hours,
                        disclose.count(
                            f"training.{overview.course.pk}.attendees", overview.attendees
                        ),
                    )
                    for overview in figures["training.delivered"]
                ],
            ),
            table(
                "training-satisfaction",
                "Satisfaction with training",
                "training.satisfaction",
                columns("Statement", "Answers", "Mean (1 to 5)", "Agree or strongly agree (%)"),
                [
                    (
                        item.item.name,
                        n,
                        disclose.statistic(item.mean, n),
                        share,
                    )
                    for item in satisfaction.items
                    for _, n, share in [
                        disclose.ratio(
                            f"training.satisfaction.{item.item.pk}",
                            Ratio(sum(item.distribution[3:]), item.n),
                        )
                    ]
                ],
                note=_count_note(
                    disclose, "training.responses", satisfaction.responses, "responses."
                ),
            ),
            table(
                "training-confidence",
                "Confidence to use each CB technique, before and after training",
                "training.confidence_change",
                columns(
                    "Technique", "Trainers", "Mean before", "Mean after", "Mean change", "95% CI"
                ),
                [
                    (
                        change.technique.name,
                        n,
                        disclose.statistic(change.summary.mean_before, n),
                        disclose.statistic(change.summary.mean_after, n),
                        disclose.statistic(change.summary.mean_change, n),
                        Interval(change.summary.ci_low, change.summary.ci_high, n),
                    )
                    for change in confidence.techniques
                    for n in [
                        disclose.count(
                            f"training.confidence.{change.technique.pk}", change.summary.n
                        )
                    ]
                ],
                note=_count_note(
                    disclose,
                    "training.trainers_paired",
                    confidence.trainers_paired,
                    "trainers with surveys before and after training.",
                ),
            ),
            table(
                "fidelity",
                "Fidelity to CB in supervision and in session records",
                "fidelity.at_threshold",
                columns("Figure", "Number", "Out of", "Percentage"),
                [
                    _ratio_row(
                        "Rated work at or above the threshold of "
                        f"{fidelity.threshold.normalize():f} "
                        f"(scale {fidelity.scale_min} to {fidelity.scale_max})",
                        "fidelity.at_threshold",
                        fidelity.at_threshold,
                        disclose,
                    ),
                    _ratio_row(
                        "Session records naming a CB technique",
                        "sessions.naming_a_technique",
                        naming,
                        disclose,
                    ),
                ],
            ),
        ],
    )
