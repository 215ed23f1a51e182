"""The network's background work: each member programme's published figures, made again
every hour by the scheduler, and at once for a programme that joins."""

from __future__ import annotations

from django_tasks import task

from healthtrainer.network.snapshots import published_counts_make, snapshots_refresh
from healthtrainer.programmes.models import Programme


@task()
def refresh_published_figures() -> dict[str, int]:
    return {"programmes": snapshots_refresh()}


@task()
def make_published_figures(programme_id: int) -> dict[str, int]:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is not None:
        published_counts_make(programme)
    return {"programmes": int(programme is not None)}
