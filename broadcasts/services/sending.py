"""Writing, previewing, scheduling and sending broadcasts.

A broadcast is a ``draft`` while staff write it, ``scheduled`` once they asked for it to go
out (now or at ``send_at``) and ``sent`` when its messages are in the notifications outbox.
The request that schedules it writes one row; a Celery task (``broadcasts.send``, queued
after commit for "now", and the periodic ``broadcasts.send_due`` for scheduled times)
records the messages. Sending is **once**: the task locks the row, moves it from
``scheduled`` to ``sent`` with a conditional UPDATE and writes the outbox rows in the same
transaction, so a second run (a duplicate task, the periodic task racing the first one)
finds it sent and writes nothing; a failure rolls both back and the next run tries again.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import require
from core.audit import record
from core.errors import Conflict, Refused
from notifications import events
from notifications.messages import render
from notifications.models import Notification
from notifications.services import notify

from ..enums import BroadcastStatus, Segment
from ..models import LANGUAGES, Broadcast
from . import segments

logger = logging.getLogger(__name__)

TEXT_FIELDS = ("subject", "subject_ru", "subject_en", "body", "body_ru", "body_en")


def check(broadcast):
    """Refuse a broadcast that cannot be sent as written: no text in any language, a subject
    without a message (or the reverse), a track or cohort missing or of another challenge."""
    for code in LANGUAGES:
        subject, body = (part.strip() for part in broadcast.text(code))
        if bool(subject) != bool(body):
            field = ("subject" if not subject else "body") + ("" if code == "uz" else f"_{code}")
            raise Refused(
                _("Write both the subject and the message in this language, or neither."),
                code="half_written",
                field=field,
            )
    if not broadcast.languages:
        raise Refused(
            _("Write the message in at least one language."), code="no_text", field="subject"
        )
    if broadcast.segment == Segment.TRACK and (
        broadcast.track is None or broadcast.track.challenge_id != broadcast.challenge_id
    ):
        raise Refused(_("Choose a track of this challenge."), code="track", field="track")
    if broadcast.segment == Segment.MENTORS and (
        broadcast.cohort is None
        or not segments.cohorts_of(broadcast.challenge).filter(pk=broadcast.cohort_id).exists()
    ):
        raise Refused(
            _("Choose a cohort this challenge's projects are incubated in."),
            code="cohort",
            field="cohort",
        )
    if broadcast.segment != Segment.TRACK:
        broadcast.track = None
    if broadcast.segment != Segment.MENTORS:
        broadcast.cohort = None


@transaction.atomic
def save(*, broadcast, by):
    """Create or change a broadcast that was not sent yet (checked with ``check``).

    Side effects: the row saved, an audit entry. Raises ``Conflict`` once it was sent.
    """
    require(by, "challenges.manage_challenge", broadcast.challenge)
    if broadcast.pk:
        current = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
        if current.status == BroadcastStatus.SENT:
            raise Conflict(_("This broadcast was sent; it can no longer be changed."))
    check(broadcast)
    for name in TEXT_FIELDS:
        value = getattr(broadcast, name).strip()
        # The subject is one line (it is also the SMS and the e-mail's subject).
        setattr(broadcast, name, " ".join(value.split()) if name.startswith("subject") else value)
    created = broadcast.pk is None
    if created:
        broadcast.created_by = by
    broadcast.save()
    record(
        action="broadcasts.created" if created else "broadcasts.changed",
        obj=broadcast,
        by=by,
        segment=broadcast.segment,
        languages=broadcast.languages,
    )
    return broadcast


def context_of(broadcast):
    """The notification context: the text in each written language (the template shows the
    reader's, or — with a note in the reader's language — the Uzbek, else the first one)."""
    languages = broadcast.languages
    return {
        "subject": {code: broadcast.text(code)[0] for code in languages},
        "body": {code: broadcast.text(code)[1] for code in languages},
        "languages": languages,
    }


def preview(broadcast):
    """``(recipients, [(language, Message)])``: how many people the segment holds now, and
    the message each language's readers get, rendered as the outbox will render it."""
    count = segments.of(broadcast).count()
    sample = Notification(event=events.BROADCAST, context=context_of(broadcast))
    return count, [(code, render(sample, language=code)) for code in LANGUAGES]


@transaction.atomic
def schedule(*, broadcast, by, send_at=None):
    """Ask for ``broadcast`` to go out now (``send_at=None``) or at ``send_at``.

    Refused: a sent broadcast (``Conflict``), no text, a time in the past, a segment with
    nobody in it. Side effects: status ``scheduled``, an audit entry; for "now", the
    ``broadcasts.send`` task after commit (the request never sends anything itself).
    """
    require(by, "broadcasts.manage_broadcast", broadcast)
    row = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
    if row.status == BroadcastStatus.SENT:
        raise Conflict(_("This broadcast was already sent."), code="sent")
    check(row)
    now = timezone.now()
    if send_at is not None and send_at <= now:
        raise Refused(
            _("Choose a time in the future, or send it now."), code="past", field="send_at"
        )
    count = segments.of(row).count()
    if not count:
        raise Refused(
            _("Nobody is in this group yet, so there is nobody to send the message to."),
            code="empty_segment",
        )
    row.status = BroadcastStatus.SCHEDULED
    row.send_at = send_at or now
    row.save(update_fields=["status", "send_at", "updated_at"])
    record(
        action="broadcasts.scheduled",
        obj=row,
        by=by,
        send_at=row.send_at.isoformat(),
        recipients=count,
    )
    if send_at is None:
        transaction.on_commit(lambda: _queue(row.pk))
    return row


@transaction.atomic
def unschedule(*, broadcast, by):
    """Take a scheduled broadcast back to draft. Side effects: an audit entry."""
    require(by, "broadcasts.manage_broadcast", broadcast)
    changed = Broadcast.objects.filter(pk=broadcast.pk, status=BroadcastStatus.SCHEDULED).update(
        status=BroadcastStatus.DRAFT, send_at=None, updated_at=timezone.now()
    )
    if not changed:
        raise Conflict(_("This broadcast is not waiting to be sent."), code="not_scheduled")
    record(action="broadcasts.unscheduled", obj=broadcast, by=by)


def _queue(pk):
    from ..tasks import send  # the task module imports this one

    try:
        send.delay(pk)
    except Exception:  # noqa: BLE001 -- the periodic task sends it a minute later
        logger.warning("could not queue broadcast %s", pk)


@transaction.atomic
def deliver(*, broadcast_id, now=None):
    """Record the messages of a due scheduled broadcast in the outbox, once.

    Returns how many people it was sent to, or ``None`` when there was nothing to do (not
    due, already sent, unscheduled). Side effects: status ``sent``, ``recipient_count``,
    one notification per recipient through ``notify`` (channels by their preferences,
    batched and rate-limited delivery after commit), an audit entry.
    """
    now = now or timezone.now()
    row = (
        Broadcast.objects.select_for_update(of=("self",))  # track and cohort are nullable
        .select_related("challenge", "track", "cohort", "created_by")
        .filter(pk=broadcast_id, status=BroadcastStatus.SCHEDULED, send_at__lte=now)
        .first()
    )
    if row is None:
        return None
    # Without row locks (SQLite) the conditional UPDATE alone decides who sends.
    claimed = Broadcast.objects.filter(pk=row.pk, status=BroadcastStatus.SCHEDULED).update(
        status=BroadcastStatus.SENT, sent_at=now, updated_at=now
    )
    if not claimed:
        return None
    recipients = list(segments.of(row).only("pk"))
    if recipients:
        notify(
            event=events.BROADCAST,
            recipients=recipients,
            context=context_of(row),
            obj=row,
            by=row.created_by,
        )
    Broadcast.objects.filter(pk=row.pk).update(recipient_count=len(recipients))
    record(action="broadcasts.sent", obj=row, by=None, recipients=len(recipients))
    logger.info("broadcast %s sent to %d people", row.pk, len(recipients))
    return len(recipients)


def due(now=None):
    """Ids of the scheduled broadcasts whose time has come."""
    return list(
        Broadcast.objects.filter(
            status=BroadcastStatus.SCHEDULED, send_at__lte=now or timezone.now()
        ).values_list("pk", flat=True)
    )


def summary(count):
    return ngettext(
        "The message will go to %(count)s person.",
        "The message will go to %(count)s people.",
        count,
    ) % {"count": count}
