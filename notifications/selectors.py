"""Reads for the inbox, the bell and the dead-letter view."""

from django.db.models import Count, Q

from .enums import DEAD_LETTER, DeliveryStatus
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


def counts_for(obj):
    """How the notifications recorded about ``obj`` (``notify(obj=…)``) stand, in one query:
    ``{"recipients", "queued", "delivered", "failed", "waiting"}`` — recipients with a
    notification (also their in-app message), deliveries recorded on any channel, sent,
    failed or given up, and still waiting or being sent."""
    return Notification.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).aggregate(
        recipients=Count("pk", distinct=True),
        queued=Count("deliveries"),
        delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
        failed=Count("deliveries", filter=Q(deliveries__status__in=DEAD_LETTER)),
        waiting=Count(
            "deliveries",
            filter=Q(deliveries__status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
        ),
    )
