"""The companion's periodic work, run by the workers as the scheduler queues it."""

from __future__ import annotations

from django_tasks import task

from healthtrainer.companion.check_in_messages import check_ins_prompt, replies_fetch
from healthtrainer.notifications.notifier import get_notifier


@task()
def prompt_check_ins() -> dict[str, int]:
    """Ask each client for this week's or this month's check-in, once, in the day."""
    return {"prompted": check_ins_prompt(notifier=get_notifier())}


@task()
def fetch_text_replies() -> dict[str, int]:
    """Handle the numbered replies clients sent to check-in questions."""
    return {"handled": replies_fetch(notifier=get_notifier())}
