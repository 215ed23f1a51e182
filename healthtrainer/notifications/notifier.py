"""Sending text messages and emails to clients, and reading the texts they send back,
behind one small interface.

Callers name a logical template ("appointment_reminder") and pass plain values; each
backend decides what sending means. GOV.UK Notify sends for real; the outbox stores the
message in the database, so development and tests can read what would have gone out
without an account or a network.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.utils.dateparse import parse_datetime
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from healthtrainer.notifications.models import MessageChannel, OutboxMessage, OutboxReply

OUTBOX = "outbox"
GOVUK_NOTIFY = "govuk_notify"
BACKENDS = (OUTBOX, GOVUK_NOTIFY)

# Room for the reason in Reminder.failed_reason, which holds 300 characters.
_MAX_REASON = 300


class NotificationFailed(Exception):
    """The provider refused or could not take a message. `reason` is short and safe to
    store: it names the provider's answer, never the recipient or the message."""

    def __init__(self, reason: str) -> None:
        self.reason = reason[:_MAX_REASON]
        super().__init__(self.reason)


@dataclass(frozen=True)
class ReceivedText:
    """A text message a client sent to the service's number."""

    provider_id: str
    from_number: str
    content: str
    received_at: datetime


class Notifier(Protocol):
    def send_sms(
        self,
        *,
        phone_number: str,
        template: str,
        personalisation: Mapping[str, str],
        reference: str,
    ) -> str:
        """Send a text message; return the provider's id for it."""
        ...

    def send_email(
        self,
        *,
        email_address: str,
        template: str,
        personalisation: Mapping[str, str],
        reference: str,
    ) -> str:
        """Send an email; return the provider's id for it."""
        ...

    def received_texts(self, *, since: datetime) -> Iterator[ReceivedText]:
        """Text messages received since the given moment, newest first. The same message
        may come again on a later call: callers keep what they have handled by its id."""
        ...


def _check_template(template: str) -> None:
    # Both backends refuse a name the settings do not map, so a typo fails in tests
    # rather than at the first real send.
    if template not in settings.NOTIFY_TEMPLATES:
        known = ", ".join(sorted(settings.NOTIFY_TEMPLATES))
        raise ValueError(f"Unknown notification template {template!r}; known: {known}.")


class OutboxNotifier:
    """Stores each message as an OutboxMessage row instead of sending it."""

    def send_sms(
        self,
        *,
        phone_number: str,
        template: str,
        personalisation: Mapping[str, str],
        reference: str,
    ) -> str:
        return self._store(MessageChannel.SMS, phone_number, template, personalisation, reference)

    def send_email(
        self,
        *,
        email_address: str,
        template: str,
        personalisation: Mapping[str, str],
        reference: str,
    ) -> str:
        return self._store(
            MessageChannel.EMAIL, email_address, template, personalisation, reference
        )

    def received_texts(self, *, since: datetime) -> Iterator[ReceivedText]:
        for reply in OutboxReply.objects.filter(received_at__gte=since).order_by(
            "-received_at", "-id"
        ):
            yield ReceivedText(
                provider_id=f"outbox-reply-{reply.pk}",
                from_number=reply.from_number,
                content=reply.content,
                received_at=reply.received_at,
            )

    def _store(
        self,
        channel: MessageChannel,
        to: str,
        template: str,
        personalisation: Mapping[str, str],
        reference: str,
    ) -> str:
        _check_template(template)
        message = OutboxMessage.objects.create(
            channel=channel,
            to=to,
            template=template,
            personalisation=dict(personalisation),
            reference=reference,
        )
        return f"outbox-{message.pk}"


class GovUkNotifyNotifier:
    """Sends through GOV.UK Notify. Template ids come from settings, one per logical
    template and channel, so the wording lives in Notify where the service team edits it."""

    def __init__(self, *, api_key: str, templates: Mapping[str, Mapping[str, str]]) -> None:
        # The Notify client ships py.typed but leaves its functions unannotated.
        self._client = NotificationsAPIClient(api_key)  # type: ignore[no-untyped-call]
        self._templates = templates

    def send_sms(
        self,
        *,
        phone_number: str,
        template: str,
        personalisation: Mapping[str, str],
        reference: str,
    ) -> str:
        template_id = self._template_id(template, MessageChannel.SMS)
        try:
            response = self._client.send_sms_notification(  # type: ignore[no-untyped-call]
                phone_number=phone_number,
                template_id=template_id,
                personalisation=dict(personalisation),
                reference=reference,
            )
        except APIError as error:
            raise NotificationFailed(_reason(error)) from error
        return str(response["id"])

    def send_email(
        self,
        *,
        email_address: str,
        template: str,
        personalisation: Mapping[str, str],
        reference: str,
    ) -> str:
        template_id = self._template_id(template, MessageChannel.EMAIL)
        try:
            response = self._client.send_email_notification(  # type: ignore[no-untyped-call]
                email_address=email_address,
                template_id=template_id,
                personalisation=dict(personalisation),
                reference=reference,
            )
        except APIError as error:
            raise NotificationFailed(_reason(error)) from error
        return str(response["id"])

    def received_texts(self, *, since: datetime) -> Iterator[ReceivedText]:
        """Notify keeps received texts for 7 days and gives them a page at a time, newest
        first; a page is asked for only while its texts are newer than `since`."""
        older_than: str | None = None
        while True:
            try:
                page = self._client.get_received_texts(older_than)  # type: ignore[no-untyped-call]
            except APIError as error:
                raise NotificationFailed(_reason(error)) from error
            items = page.get("received_text_messages") or []
            for item in items:
                received_at = parse_datetime(str(item["created_at"]))
                if received_at is None or received_at < since:
                    return
                yield ReceivedText(
                    provider_id=str(item["id"]),
                    from_number=str(item["user_number"]),
                    content=str(item["content"]),
                    received_at=received_at,
                )
            if not items:
                return
            older_than = str(items[-1]["id"])

    def _template_id(self, template: str, channel: str) -> str:
        _check_template(template)
        template_id = self._templates.get(template, {}).get(channel, "")
        if not template_id:
            raise ValueError(f"No GOV.UK Notify template id for {template} by {channel}.")
        return template_id


def _reason(error: APIError) -> str:
    """Notify answers with a status and a list of errors, each with a message; the
    messages describe the request (a bad key, an unknown template), not the recipient."""
    message = error.message
    if isinstance(message, list):
        message = "; ".join(str(item.get("message", item)) for item in message)
    return f"GOV.UK Notify answered {error.status_code}: {message}"


def get_notifier() -> Notifier:
    """The backend named by the NOTIFIER setting, which settings.py has already checked."""
    if settings.NOTIFIER == GOVUK_NOTIFY:
        return GovUkNotifyNotifier(
            api_key=settings.NOTIFY_API_KEY, templates=settings.NOTIFY_TEMPLATES
        )
    return OutboxNotifier()
