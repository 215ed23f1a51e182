"""Check-ins by message: once a week while a client is seen (their goals), once a month
from discharge until the follow-up (their strategies).

A client with the companion on their phone gets a short message asking them to check in
there. A client without a smartphone (`CompanionAccess.check_ins_by_sms`) gets each
question as a text message, one at a time, and answers with a number; the reply comes
back through the notifier's received texts, and answers the question sent last. Replies
are kept by the provider's id, so one fetched twice is handled once; what a reply said is
not kept, and a reply that is not a number is never read for meaning: the client is told
that the number is not read by a person and who to call in a crisis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from healthtrainer.casework.models import CheckInVia, CheckInView, ClientStrategy, Goal, Maintained
from healthtrainer.casework.services.check_ins import (
    goal_check_in,
    month_starting,
    strategy_check_in,
    strategy_check_ins_open,
    week_starting,
)
from healthtrainer.casework.services.common import is_discharged
from healthtrainer.companion.models import CompanionAccess, ReceivedText, SignInBy, SmsQuestion
from healthtrainer.companion.services import current_episode, normalised_contact, send_to_client
from healthtrainer.core.audit import audit_record
from healthtrainer.notifications.notifier import Notifier
from healthtrainer.notifications.notifier import ReceivedText as Incoming
from healthtrainer.referrals.models import Referral

# Messages go in the day, not at night.
FIRST_HOUR, LAST_HOUR = 9, 20
# A question waits this long for its reply; GOV.UK Notify keeps received texts as long.
ANSWER_WITHIN = timedelta(days=7)
GOAL_ANSWERS = {"1": CheckInView.ACHIEVED, "2": CheckInView.PARTLY, "3": CheckInView.NOT_YET}
STRATEGY_ANSWERS = {"1": Maintained.YES, "2": Maintained.PARTLY, "3": Maintained.NO}
CRISIS = (
    "Texts to this number are not read by a person. If you need help now, call 999 in an "
    "emergency, NHS 111, or Samaritans on 116 123."
)
_NUMBER_REPLY = re.compile(r"\s*([123])\s*[.!]?\s*")


@dataclass(frozen=True)
class Subjects:
    """What a client is asked about this period: their open goals weekly while seen, or
    their strategies monthly after discharge."""

    period: date
    goals: list[Goal]
    strategies: list[ClientStrategy]

    def __bool__(self) -> bool:
        return bool(self.goals or self.strategies)


def subjects_now(episode: Referral, today: date) -> Subjects:
    if not is_discharged(episode):
        goals = list(Goal.objects.filter(episode=episode, final_status=""))
        return Subjects(week_starting(today), goals, [])
    if strategy_check_ins_open(episode):
        strategies = list(ClientStrategy.objects.filter(episode=episode).select_related("strategy"))
        return Subjects(month_starting(today), [], strategies)
    return Subjects(today, [], [])


def check_ins_prompt(*, notifier: Notifier, now: datetime | None = None) -> int:
    """Prompt each open companion once for the current week or month; return how many
    were prompted. Outside the day's hours nothing is sent: the next run will."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if not FIRST_HOUR <= local.hour < LAST_HOUR:
        return 0
    prompted = 0
    for access in CompanionAccess.objects.filter(closed_at__isnull=True).select_related(
        "client", "programme"
    ):
        episode = current_episode(access.client)
        subjects = subjects_now(episode, local.date()) if episode else None
        if not subjects or access.prompted_for == subjects.period:
            continue
        if access.check_ins_by_sms:
            _questions_create(access, subjects)
            _ask_next(access, notifier, now)
        else:
            send_to_client(
                notifier,
                access,
                "companion_check_in_prompt",
                {"service": settings.SERVICE_NAME, "link": _companion_link()},
                reference=f"companion-prompt-{access.pk}",
            )
        access.prompted_for = subjects.period
        access.save(update_fields=["prompted_for"])
        prompted += 1
    return prompted


def _questions_create(access: CompanionAccess, subjects: Subjects) -> None:
    # Questions of past periods that never went out are not asked late.
    access.sms_questions.filter(sent_at__isnull=True).delete()
    SmsQuestion.objects.bulk_create(
        [
            *(
                SmsQuestion(access=access, goal=goal, period_starting=subjects.period)
                for goal in subjects.goals
            ),
            *(
                SmsQuestion(
                    access=access, client_strategy=taken_up, period_starting=subjects.period
                )
                for taken_up in subjects.strategies
            ),
        ],
        ignore_conflicts=True,
    )


def _open_question(access: CompanionAccess, now: datetime) -> SmsQuestion | None:
    return (
        access.sms_questions.filter(sent_at__gt=now - ANSWER_WITHIN, answered_at__isnull=True)
        .select_related("goal__episode__client", "client_strategy__strategy")
        .order_by("-sent_at")
        .first()
    )


def _ask_next(access: CompanionAccess, notifier: Notifier, now: datetime) -> None:
    """Send the next question unless one is waiting for its reply."""
    if access.sign_in_by != SignInBy.SMS or _open_question(access, now) is not None:
        return
    question = (
        access.sms_questions.filter(sent_at__isnull=True)
        .select_related("goal", "client_strategy__strategy")
        .first()
    )
    if question is None:
        return
    question.sent_at = now
    question.save(update_fields=["sent_at"])
    send_to_client(
        notifier,
        access,
        "companion_check_in_question",
        {"service": settings.SERVICE_NAME, "question": question_text(question)},
        reference=f"companion-question-{question.pk}",
    )


def question_text(question: SmsQuestion) -> str:
    if question.goal is not None:
        return (
            f"How is your goal \u201c{question.goal.description}\u201d going this week? "
            "Reply 1 for achieved, 2 for partly or 3 for not yet."
        )
    strategy = question.client_strategy.strategy if question.client_strategy else None
    return (
        f"Are you still using {strategy.name.lower() if strategy else 'your strategy'}? "
        "Reply 1 for yes, 2 for partly or 3 for no."
    )


def replies_fetch(*, notifier: Notifier, now: datetime | None = None) -> int:
    """Handle the texts received in the last week that are not handled yet, oldest first
    so that answers meet their questions in order; return how many were new."""
    now = now or timezone.now()
    received = list(notifier.received_texts(since=now - ANSWER_WITHIN))
    handled = set(
        ReceivedText.objects.filter(
            provider_id__in=[text.provider_id for text in received]
        ).values_list("provider_id", flat=True)
    )
    new = [text for text in reversed(received) if text.provider_id not in handled]
    for text in new:
        reply_handle(text, notifier=notifier, now=now)
    return len(new)


def reply_handle(text: Incoming, *, notifier: Notifier, now: datetime | None = None) -> str:
    """Handle one received text once; return what became of it."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            outcome, access = _reply_record(text, now)
    except IntegrityError:
        # Another worker handled the same text first.
        return ""
    if access is None:
        return outcome
    if outcome == ReceivedText.Outcome.RECORDED:
        _ask_next(access, notifier, now)
    else:
        send_to_client(
            notifier,
            access,
            "companion_check_in_not_understood",
            {"service": settings.SERVICE_NAME, "help": CRISIS},
            reference=f"companion-reply-{access.pk}",
        )
    return outcome


def _reply_record(text: Incoming, now: datetime) -> tuple[str, CompanionAccess | None]:
    access = (
        CompanionAccess.objects.select_for_update()
        .filter(
            contact=normalised_contact(text.from_number),
            sign_in_by=SignInBy.SMS,
            closed_at__isnull=True,
        )
        .select_related("client", "programme")
        .first()
    )
    question = _open_question(access, now) if access else None
    outcome: str
    if access is None:
        outcome = ReceivedText.Outcome.UNKNOWN_NUMBER
    elif question is None:
        outcome = ReceivedText.Outcome.NO_QUESTION
    else:
        outcome = _answer(question, text.content, now)
    ReceivedText.objects.create(
        provider_id=text.provider_id, access=access, received_at=text.received_at, outcome=outcome
    )
    if access is not None:
        audit_record(
            actor=None,
            client_actor=access.client,
            action="companion.text_reply.received",
            target=question or access,
            programme=access.programme,
        )
    return outcome, access


def _answer(question: SmsQuestion, content: str, now: datetime) -> str:
    match = _NUMBER_REPLY.fullmatch(content)
    if match is None:
        return ReceivedText.Outcome.NOT_A_NUMBER
    try:
        if question.goal is not None:
            goal_check_in(
                goal=question.goal, view=GOAL_ANSWERS[match[1]], via=CheckInVia.SMS, now=now
            )
        elif question.client_strategy is not None:
            strategy_check_in(
                client_strategy=question.client_strategy,
                maintained=STRATEGY_ANSWERS[match[1]],
                via=CheckInVia.SMS,
                now=now,
            )
    except ValidationError:
        # The episode moved on (discharged, followed up) since the question went out.
        question.answered_at = now
        question.save(update_fields=["answered_at"])
        return ReceivedText.Outcome.NO_QUESTION
    question.answered_at = now
    question.save(update_fields=["answered_at"])
    return ReceivedText.Outcome.RECORDED


def _companion_link() -> str:
    return settings.SERVICE_URL.rstrip("/") + reverse("companion:home")
