from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed permanently")
    DEAD = "dead", _("Gave up after retries")
    CANCELLED = "cancelled", _("Cancelled")


# States shown in the dead-letter view; staff can send them again.
DEAD_LETTER = [DeliveryStatus.FAILED, DeliveryStatus.DEAD]
