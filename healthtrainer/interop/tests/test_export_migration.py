"""Exports asked for before they became background jobs keep their state and file."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("interop", "0002_export_jobs"),
    ("background", "0004_job_phase_only"),
    # Programmes as they were then, so the historical Programme writes every column.
    ("programmes", "0004_early_follow_up_days"),
]
AFTER = [("interop", "0004_export_job_fields_moved")]


@pytest.mark.django_db(transaction=True)
def test_each_export_moves_to_a_background_job_with_its_file_or_a_reason():
    executor = MigrationExecutor(connection)
    try:
        _check_the_move(executor)
    finally:
        # Whatever happened, the database goes back to today's schema for the next test.
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def _check_the_move(executor):
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    programme = old.get_model("programmes", "Programme").objects.create(
        name="Old exports", slug="old-exports"
    )
    client = old.get_model("interop", "ApiClient").objects.create(
        programme=programme, name="Partner", token_hash="x" * 64, permissions=[]
    )
    exports = old.get_model("interop", "ExportJob").objects
    made = timezone.now()
    done = exports.create(
        programme=programme,
        api_client=client,
        kind="evaluation",
        format="json",
        state="done",
        content=b"{}",
        content_type="application/json",
        filename="evaluation.json",
        finished_at=made,
    )
    stuck = exports.create(
        programme=programme, api_client=client, kind="research", format="csv", state="running"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("interop", "ExportJob").objects.select_related("job")
    finished = moved.get(pk=done.pk).job
    assert (finished.state, bytes(finished.file_content), finished.file_name) == (
        "finished",
        b"{}",
        "evaluation.json",
    )
    assert (finished.kind, finished.started_by_id, finished.created_at) == (
        "evaluation_export",
        None,
        done.created_at,
    )
    never_built = moved.get(pk=stuck.pk).job
    assert (never_built.state, never_built.kind) == ("failed", "research_export")
    assert "Ask for it again" in never_built.error
