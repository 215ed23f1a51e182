"""Measures' periodic work, run by the workers as the scheduler queues it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from healthtrainer.measures.models import ClientLink

# An unused link is kept this long after it expires, so a client who tries it late still
# meets "this link has expired" rather than "not found", then it goes.
KEPT_AFTER_EXPIRY = timedelta(days=30)


@task()
def purge_expired_links() -> int:
    """Delete single-use links never used and expired long enough ago; return how many."""
    deleted, _ = ClientLink.objects.filter(
        used_at__isnull=True, expires_at__lt=timezone.now() - KEPT_AFTER_EXPIRY
    ).delete()
    return deleted
