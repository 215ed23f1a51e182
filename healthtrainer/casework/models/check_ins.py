"""The client's own answers between contacts: how each goal is going, week by week, while
they are seen, and whether they still use each strategy, month by month, after discharge."""

from __future__ import annotations

from django.db import models

from healthtrainer.casework.models.records import ClientStrategy, Goal
from healthtrainer.casework.vocabulary import CheckInVia, CheckInView, Maintained


class GoalCheckIn(models.Model):
    """The client's own view of a goal in one week; answered again the same week, it is
    changed, not added. The trainer sees it beside the goal."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="check_ins")
    week_starting = models.DateField()
    view = models.CharField(max_length=10, choices=CheckInView.choices)
    via = models.CharField(max_length=10, choices=CheckInVia.choices)
    answered_at = models.DateTimeField()

    class Meta:
        app_label = "casework"
        ordering = ["-week_starting", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "week_starting"], name="one_check_in_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.get_view_display()} in the week of {self.week_starting:%d %b %Y}"


class StrategyCheckIn(models.Model):
    """After discharge and until the follow-up, the client's monthly answer to "are you still
    using this strategy?"; answered again the same month, it is changed. The trainer sees
    the latest answer when recording the follow-up and confirms it there."""

    client_strategy = models.ForeignKey(
        ClientStrategy, on_delete=models.PROTECT, related_name="check_ins"
    )
    month_starting = models.DateField()
    maintained = models.CharField(max_length=10, choices=Maintained.choices)
    via = models.CharField(max_length=10, choices=CheckInVia.choices)
    answered_at = models.DateTimeField()

    class Meta:
        app_label = "casework"
        ordering = ["-month_starting", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client_strategy", "month_starting"], name="one_strategy_check_in_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_maintained_display()} in {self.month_starting:%B %Y}"
