"""The outbox: where messages go instead of GOV.UK Notify in development and tests."""

from __future__ import annotations

from django.db import models


class MessageChannel(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"


class OutboxMessage(models.Model):
    """A message that would have been sent. It holds contact details, so only development
    and test databases should ever have rows here."""

    channel = models.CharField(max_length=10, choices=MessageChannel.choices)
    to = models.CharField(max_length=320)
    template = models.CharField(max_length=100)
    personalisation = models.JSONField(default=dict)
    reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to}: {self.template}"


class OutboxReply(models.Model):
    """A text message a client would have sent to the service, made up in development and
    tests (`simulate_sms_reply`) and read back as GOV.UK Notify's received texts are."""

    from_number = models.CharField(max_length=30)
    content = models.TextField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name_plural = "outbox replies"

    def __str__(self) -> str:
        return f"Reply from {self.from_number}"
