"""Demo in-app notifications for the demo accounts (idempotent: marked by a demo flag)."""

from django.contrib.auth import get_user_model

from notifications import events
from notifications.models import Notification
from notifications.services import notify

DEMO = [
    # username, event, context, read
    (
        "participant",
        events.SUBMISSION_RECEIVED,
        {"title": "Aqlli niqob", "version": 1, "challenge": "COVID-19 Challenge 2020"},
        True,
    ),
    (
        "participant",
        events.STATUS_CHANGED,
        {"title": "Aqlli niqob", "status": "shortlisted", "reason": ""},
        False,
    ),
    (
        "participant",
        events.STATUS_CHANGED,
        {"title": "Aqlli niqob", "status": "finalist", "reason": ""},
        False,
    ),
    (
        "juror",
        events.JUROR_ASSIGNED,
        {"round": "Round 1", "challenge": "Open Data Challenge"},
        False,
    ),
]


def load(stdout):
    """In-app notifications only: the demo sends no e-mail, SMS or Telegram messages."""
    from django.utils import timezone

    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=[d[0] for d in DEMO])
    }
    created = 0
    for username, event, context, read in DEMO:
        user = users.get(username)
        if user is None:
            continue
        demo_context = {**context, "demo": True}
        if Notification.objects.filter(recipient=user, event=event, context=demo_context).exists():
            continue
        (notification,) = notify(
            event=event, recipients=[user], context={**demo_context, "url": "/uz/me/"}, channels=[]
        )
        if read:
            Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        created += 1
    stdout.write(f"notifications: {created} demo notifications created")
