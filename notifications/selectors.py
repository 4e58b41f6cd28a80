"""Reads for the inbox, the bell and the dead-letter view."""

from .enums import DEAD_LETTER
from .models import Delivery, Notification


def inbox(user):
    return Notification.objects.filter(recipient=user).select_related("recipient")


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def dead_letters():
    return (
        Delivery.objects.filter(status__in=DEAD_LETTER)
        .select_related("notification__recipient")
        .order_by("-updated_at", "-pk")
    )
