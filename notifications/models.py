"""The outbox: one Notification per (event, recipient), one Delivery per channel it goes out on.

A Notification is also the in-app message (the bell and the inbox). Deliveries are the
outbox rows a worker claims, sends and marks; see ``notifications.delivery`` for the protocol.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Channel, DeliveryStatus


class Notification(models.Model):
    event = models.CharField(_("event"), max_length=64, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # Someone without an account yet (a team invitation to an e-mail address).
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="uz")
    context = models.JSONField(default=dict, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_unread")]

    def __str__(self):
        return f"{self.event} → {self.recipient_id or self.email}"


class Broadcast(models.Model):
    """One event for many recipients, recorded with a single row in the caller's transaction
    and expanded into Notification/Delivery rows by a task after commit."""

    event = models.CharField(max_length=64)
    context = models.JSONField(default=dict, blank=True)
    recipient_ids = models.JSONField(default=list)
    channels = models.JSONField(null=True, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    link = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expanded_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"{self.event} to {len(self.recipient_ids)} people"


class Delivery(models.Model):
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    # Sent to the gateway with every attempt; the same key on a retry lets it drop a repeat.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_id = models.CharField(_("gateway message id"), max_length=128, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.channel}:{self.idempotency_key} ({self.status})"


class Preference(models.Model):
    """An explicit choice for one event and channel; absent rows mean the event's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=64)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel"], name="one_preference_per_event_channel"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.event} {self.channel}={self.enabled}"


class ChannelSettings(models.Model):
    """Per person: quiet hours and the linked Telegram chat."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    telegram_chat_id = models.CharField(max_length=32, blank=True)
    telegram_linked_at = models.DateTimeField(null=True, blank=True)
    # One-time code for the t.me deep link; cleared when used.
    telegram_code = models.CharField(max_length=64, blank=True, db_index=True)
    telegram_code_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"settings of {self.user_id}"
