"""Report section 2: trainers' use of cognitive behavioural approaches."""

from __future__ import annotations

from typing import Any

from healthtrainer.evaluation.report.content import Disclose, Section
from healthtrainer.evaluation.report.tables import columns, table


def _interval(low: float | None, high: float | None, n: int, disclose: Disclose) -> Any:
    if low is None or high is None:
        return None
    if disclose.small(n):
        return "*"
    return f"{low:.2f} to {high:.2f}"


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
                        disclose.count(overview.attendees),
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
                        disclose.count(item.n),
                        disclose.statistic(item.mean, item.n),
                        disclose.of(sum(item.distribution[3:]), item.n),
                    )
                    for item in satisfaction.items
                ],
                note=f"{disclose.count(satisfaction.responses)} responses.",
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
                        disclose.count(change.summary.n),
                        disclose.statistic(change.summary.mean_before, change.summary.n),
                        disclose.statistic(change.summary.mean_after, change.summary.n),
                        disclose.statistic(change.summary.mean_change, change.summary.n),
                        _interval(
                            change.summary.ci_low,
                            change.summary.ci_high,
                            change.summary.n,
                            disclose,
                        ),
                    )
                    for change in confidence.techniques
                ],
                note=f"{disclose.count(confidence.trainers_paired)} trainers with surveys "
                "before and after training.",
            ),
            table(
                "fidelity",
                "Fidelity to CB in supervision and in session records",
                "fidelity.at_threshold",
                columns("Figure", "Number", "Out of", "Percentage"),
                [
                    (
                        "Rated work at or above the threshold of "
                        f"{fidelity.threshold.normalize():f} "
                        f"(scale {fidelity.scale_min} to {fidelity.scale_max})",
                        disclose.count(fidelity.at_threshold.numerator),
                        disclose.count(fidelity.at_threshold.denominator),
                        disclose.share(fidelity.at_threshold),
                    ),
                    (
                        "Session records naming a CB technique",
                        disclose.count(naming.numerator),
                        disclose.count(naming.denominator),
                        disclose.share(naming),
                    ),
                ],
            ),
        ],
    )
