"""Reads for the inbox, the bell and the dead-letter view."""

from .enums import DEAD_LETTER
from .events import PRIVATE
from .models import Delivery, Notification


def inbox(user):
    """The person's in-app messages: every event but the private ones (one-time codes)."""
    return (
        Notification.objects.filter(recipient=user)
        .exclude(event__in=PRIVATE)
        .select_related("recipient")
    )


def unread_count(user):
    return inbox(user).filter(read_at__isnull=True).count()


def dead_letters():
    return (
        Delivery.objects.filter(status__in=DEAD_LETTER)
        .select_related("notification__recipient")
        .order_by("-updated_at", "-pk")
    )
