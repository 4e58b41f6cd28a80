"""Notifications' part of a person's data (``core.personal_data``): the messages sent to
them (in-app and on each channel); erasure deletes them, their outbox rows (so nothing
pending goes out to the old address), their preferences and their Telegram link."""

from .models import ChannelSettings, Notification, Preference


def export_notifications(user):
    rows = []
    for n in Notification.objects.filter(recipient=user).prefetch_related("deliveries"):
        rows.append(
            {
                "event": n.event,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
                "context": n.context,
                "link": n.link,
                "deliveries": [
                    {
                        "channel": d.channel,
                        "address": d.address,
                        "status": d.status,
                        "sent_at": d.sent_at.isoformat() if d.sent_at else None,
                    }
                    for d in n.deliveries.all()
                ],
            }
        )
    return rows


def erase(user, *, by):
    Notification.objects.filter(recipient=user).delete()
    if user.email:
        Notification.objects.filter(recipient__isnull=True, email__iexact=user.email).delete()
    Preference.objects.filter(user=user).delete()
    ChannelSettings.objects.filter(user=user).delete()
