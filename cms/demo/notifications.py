"""Demo in-app notifications, replayed from what happened in the demo (idempotent).

The demo participant hears about the 2020 entry they were part of — received, then each
decision its status history holds — and the demo juror about each round they have entries
in. Every notification is about a real object and links to it; its time is when the thing
happened. The demo sends no e-mail, SMS or Telegram message (``channels=[]``).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import F, Value
from django.db.models.functions import Least
from django.utils import timezone

from core.i18n import every_language
from judging.models import Round
from notifications import events
from notifications.models import Notification
from notifications.services import notify
from submissions.enums import SubmissionStatus
from submissions.models import StatusChange, Submission

UNREAD = 2
READ_AFTER = timedelta(hours=3)  # the latest ones stay unread, so the bell shows a count


def _participant_events(user):
    entries = (
        Submission.objects.filter(team__memberships__user=user, current_version__isnull=False)
        .select_related("challenge", "current_version")
        .order_by("submitted_at")
    )
    for entry in entries:
        first = entry.versions.order_by("number").first()
        context = {
            "title": entry.title,
            "version": first.number,
            "challenge": every_language(lambda entry=entry: entry.challenge.display_title),
        }
        yield first.created_at, events.SUBMISSION_RECEIVED, context, entry
        changes = StatusChange.objects.filter(submission=entry).exclude(
            to_status__in=[SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED]
        )
        for change in changes.order_by("at", "pk"):
            context = {"title": entry.title, "status": change.to_status, "reason": change.reason}
            yield change.at, events.STATUS_CHANGED, context, entry


def _juror_events(user):
    rounds = Round.objects.filter(reviews__juror__user=user).distinct().select_related("challenge")
    for round_ in rounds.order_by("opens_at", "pk"):
        context = {
            "round": every_language(lambda round_=round_: round_.display_name),
            "challenge": every_language(lambda round_=round_: round_.challenge.display_title),
        }
        yield round_.opens_at or timezone.now(), events.JUROR_ASSIGNED, context, round_


def load(stdout):
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["participant", "juror"])
    }
    created = 0
    for username, replay in (("participant", _participant_events), ("juror", _juror_events)):
        user = users.get(username)
        if user is None:
            continue
        made = []
        # What the demo's own flows already told them (the screening service notifies the
        # team, assignment notifies jurors) is not told twice.
        told = {
            (n.event, n.object_id, (n.context or {}).get("status"))
            for n in Notification.objects.filter(recipient=user)
        }
        for at, event, context, obj in replay(user):
            key = (event, str(obj.pk), context.get("status"))
            if key in told:
                continue
            told.add(key)
            demo_context = {**context, "demo": True}
            (notification,) = notify(
                event=event, recipients=[user], context=demo_context, obj=obj, channels=[]
            )
            Notification.objects.filter(pk=notification.pk).update(created_at=at)
            created += 1
        made = sorted((n.created_at, n.pk) for n in Notification.objects.filter(recipient=user))
        read = [pk for _at, pk in made[:-UNREAD]]
        # Read soon after they came, like the events they tell of (years ago for 2020's).
        Notification.objects.filter(pk__in=read).update(
            read_at=Least(F("created_at") + READ_AFTER, Value(timezone.now()))
        )
    stdout.write(f"notifications: {created} demo notifications created")
