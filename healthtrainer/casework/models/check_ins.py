"""The client's own view of a goal, week by week, given between sessions."""

from __future__ import annotations

from django.db import models

from healthtrainer.casework.models.records import Goal
from healthtrainer.casework.vocabulary import CheckInVia, CheckInView


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
