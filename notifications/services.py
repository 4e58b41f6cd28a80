"""Recording notifications (the outbox writer) and the verbs people and staff use on them.

How rows become messages, and the delivery guarantee: ``notifications.delivery``.
"""

import logging
import secrets
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from core.audit import record

from . import events
from .channels import ADAPTERS, normalise_phone
from .enums import DEAD_LETTER, Channel, DeliveryStatus
from .models import Broadcast, ChannelSettings, Delivery, Notification, Preference

BULK_SIZE = 1000


def notify(*, event, recipients, context=None, obj=None, by=None, email=None, channels=None):
    """Record ``event`` for each user in ``recipients`` inside the caller's transaction.

    ``context`` holds JSON-serialisable values for the message templates; ``obj`` is the
    domain object the event is about (for links and de-duplication); ``email`` addresses a
    person who has no account yet (team invitations). ``channels`` narrows the channels
    (default: each recipient's preferences). Delivery happens after commit.
    Returns the recorded events (empty for a broadcast, whose rows a task writes).

    Side effects: one ``Notification`` per recipient (also the in-app message) and one
    ``Delivery`` per channel it goes out on, written with a fixed number of queries
    whatever the number of recipients; after commit, one Celery task that fans the
    deliveries out in batches (``notifications.dispatch``). Above
    ``TANLOV_NOTIFICATIONS_BROADCAST_THRESHOLD`` recipients ("results are out" to 5,000
    people) only one ``Broadcast`` row is written here — still in the caller's transaction,
    so still all-or-nothing — and ``notifications.expand`` writes the rows after commit; the
    web request does a single INSERT. A rollback leaves no rows and sends nothing.
    """
    context = dict(context or {})
    link = str(context.pop("url", "") or _link_for(obj))
    ids = sorted({user.pk for user in recipients if user is not None})
    common = {
        "event": event,
        "context": context,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "link": link,
        "actor_id": by.pk if (by is not None and getattr(by, "is_authenticated", False)) else None,
    }
    if len(ids) > settings.TANLOV_NOTIFICATIONS_BROADCAST_THRESHOLD:
        broadcast = Broadcast.objects.create(
            recipient_ids=ids, channels=list(channels) if channels is not None else None, **common
        )
        transaction.on_commit(lambda: _expand_after_commit(broadcast.pk))
        if email:
            return notify(event=event, recipients=[], email=email, context=context, obj=obj, by=by)
        return []
    notifications, due = write_rows(user_ids=ids, email=email, channels=channels, **common)
    if due:
        transaction.on_commit(lambda: _dispatch_after_commit(due))
    return notifications


def write_rows(
    *, user_ids, event, context, object_type, object_id, link, actor_id, email=None, channels=None
):
    """Insert the Notification and Delivery rows; returns (notifications, due delivery ids)."""
    wanted = set(channels) if channels is not None else None
    # Plain tuples, not model instances: thousands of recipients cost one query, no objects.
    users = [
        Recipient(*row)
        for row in get_user_model()
        .objects.filter(pk__in=user_ids)
        .order_by("pk")
        .values_list(
            "pk",
            "email",
            "profile__preferred_language",
            "profile__phone",
            "notification_settings__telegram_chat_id",
        )
    ]
    choices = {
        (row.user_id, row.channel): row.enabled
        for row in Preference.objects.filter(user_id__in=user_ids, event=event)
    }
    fields = {
        "event": event,
        "context": context,
        "object_type": object_type,
        "object_id": object_id,
        "link": link,
        "actor_id": actor_id,
    }
    notifications, plans = [], []
    for user in users:
        notifications.append(
            Notification(recipient_id=user.pk, language=_language_of(user), **fields)
        )
        plans.append(_channels_for(user, event, choices, wanted))
    if email:
        language = context.get("language") or translation.get_language() or "uz"
        notifications.append(Notification(email=email, language=language, **fields))
        plans.append([(Channel.EMAIL, email, "")])
    if not notifications:
        return [], []
    Notification.objects.bulk_create(notifications, batch_size=BULK_SIZE)

    deliveries = []
    for notification, plan in zip(notifications, plans, strict=True):
        for channel, address, error in plan:
            row = Delivery(notification=notification, channel=channel, address=address)
            if error:  # recorded so that staff see it, never sent
                row.status, row.last_error = DeliveryStatus.FAILED, error
            deliveries.append(row)
    Delivery.objects.bulk_create(deliveries, batch_size=BULK_SIZE)
    due = [row.pk for row in deliveries if row.status == DeliveryStatus.PENDING]
    return notifications, due


@transaction.atomic
def expand_broadcast(*, broadcast_id, queue=None):
    """Write a broadcast's rows once (locked; a second run finds it expanded).

    ``queue``: where to send the dispatch (the expanding task's own queue).

    Side effects: Notification/Delivery rows, ``expanded_at`` set, a dispatch after commit.
    Returns how many deliveries were queued.
    """
    broadcast = (
        Broadcast.objects.select_for_update().filter(pk=broadcast_id, expanded_at=None).first()
    )
    if broadcast is None:
        return 0
    _notifications, due = write_rows(
        user_ids=broadcast.recipient_ids,
        event=broadcast.event,
        context=broadcast.context,
        object_type=broadcast.object_type,
        object_id=broadcast.object_id,
        link=broadcast.link,
        actor_id=broadcast.actor_id,
        channels=broadcast.channels,
    )
    broadcast.expanded_at = timezone.now()
    broadcast.save(update_fields=["expanded_at"])
    if due:
        transaction.on_commit(lambda: _dispatch_after_commit(due, queue))
    return len(due)


def _expand_after_commit(broadcast_id):
    from .tasks import expand  # the task module imports this one

    try:
        expand.delay(broadcast_id)
    except Exception:  # noqa: BLE001 -- the sweeper expands it later
        logging.getLogger(__name__).warning("could not queue broadcast %s", broadcast_id)


def _dispatch_after_commit(ids, queue=None):
    from .tasks import dispatch  # the task module imports this one

    # A broker outage must not break the request that already committed: the sweeper
    # finds the pending rows.
    try:
        dispatch.apply_async(args=[ids], queue=queue)
    except Exception:  # noqa: BLE001 -- see above
        logging.getLogger(__name__).warning("could not queue %d notifications", len(ids))


def _link_for(obj):
    if obj is None or not hasattr(obj, "get_absolute_url"):
        return ""
    try:
        return obj.get_absolute_url()
    except Exception:  # noqa: BLE001 -- a link is a nicety; the message goes out without it
        return ""


class Recipient(NamedTuple):
    pk: int
    email: str
    language: str | None
    phone: str | None
    telegram_chat_id: str | None


def _language_of(user):
    language = user.language or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _channels_for(user, event, choices, wanted):
    """[(channel, address, error)] for ``user``: preferences, then who has an address."""
    defaults = events.default_channels(event)
    plan = []
    for channel in Channel:
        if wanted is not None and channel not in wanted:
            continue
        if event in events.ALWAYS:
            enabled = channel in defaults
        else:
            enabled = choices.get((user.pk, channel), channel in defaults)
        if not enabled or not ADAPTERS[channel].configured():
            continue
        if channel == Channel.SMS:
            raw = user.phone or ""
            if not raw:
                continue
            phone = normalise_phone(raw)
            plan.append((channel, phone or raw[:254], "" if phone else "invalid phone number"))
        elif channel == Channel.TELEGRAM and user.telegram_chat_id:
            plan.append((channel, user.telegram_chat_id, ""))
        elif channel == Channel.EMAIL and user.email:
            plan.append((channel, user.email, ""))
    return plan


# --- preferences ------------------------------------------------------------------------
def preference_table(user):
    """{event: {channel: enabled}} with the defaults filled in."""
    explicit = {
        (row.event, row.channel): row.enabled
        for row in Preference.objects.filter(user=user).only("event", "channel", "enabled")
    }
    return {
        event: {
            channel: explicit.get((event, channel), channel in defaults)
            for channel in Channel.values
        }
        for event, (_label, defaults) in events.EVENTS.items()
    }


@transaction.atomic
def save_preferences(*, user, table, quiet_from=None, quiet_until=None):
    """Store ``table`` ({event: {channel: bool}}) and quiet hours for ``user``.

    Side effects: ``Preference`` rows replaced, ``ChannelSettings`` updated, an audit entry.
    """
    Preference.objects.filter(user=user).delete()
    Preference.objects.bulk_create(
        [
            Preference(user=user, event=event, channel=channel, enabled=enabled)
            for event, row in table.items()
            if event in events.EVENTS
            for channel, enabled in row.items()
            if channel in Channel.values
        ]
    )
    row, _created = ChannelSettings.objects.get_or_create(user=user)
    row.quiet_from, row.quiet_until = quiet_from, quiet_until
    row.save(update_fields=["quiet_from", "quiet_until"])
    record(action="notifications.preferences.saved", obj=row, by=user)
    return row


# --- Telegram linking -------------------------------------------------------------------
TELEGRAM_CODE_LIFETIME = timedelta(minutes=30)


@transaction.atomic
def start_telegram_link(*, user):
    """A fresh one-time code and the ``t.me`` deep link that carries it to our bot."""
    row, _created = ChannelSettings.objects.select_for_update().get_or_create(user=user)
    row.telegram_code = secrets.token_urlsafe(24)  # [A-Za-z0-9_-], as /start allows
    row.telegram_code_created_at = timezone.now()
    row.save(update_fields=["telegram_code", "telegram_code_created_at"])
    return telegram_deep_link(row.telegram_code)


def telegram_deep_link(code):
    return f"https://t.me/{settings.TANLOV_TELEGRAM_BOT_USERNAME}?start={code}"


@transaction.atomic
def link_telegram(*, code, chat_id):
    """Link the chat that sent ``/start <code>`` to the code's owner; the code works once.

    Side effects: ``ChannelSettings`` updated, an audit entry, a confirmation message to the
    chat. Returns the user, or ``None`` for an unknown or expired code.
    """
    if not code:
        return None
    row = (
        ChannelSettings.objects.select_for_update()
        .select_related("user")
        .filter(telegram_code=code)
        .first()
    )
    issued = row.telegram_code_created_at if row else None
    if issued is None or issued < timezone.now() - TELEGRAM_CODE_LIFETIME:
        return None
    row.telegram_chat_id = str(chat_id)
    row.telegram_linked_at = timezone.now()
    row.telegram_code = ""
    row.save(update_fields=["telegram_chat_id", "telegram_linked_at", "telegram_code"])
    record(action="notifications.telegram.linked", obj=row, by=row.user)
    notify(event=events.TELEGRAM_LINKED, recipients=[row.user], channels=[Channel.TELEGRAM])
    return row.user


@transaction.atomic
def unlink_telegram(*, user):
    """Forget the linked chat. Side effects: an audit entry."""
    row = ChannelSettings.objects.filter(user=user).first()
    if row is None or not row.telegram_chat_id:
        return
    row.telegram_chat_id, row.telegram_linked_at = "", None
    row.save(update_fields=["telegram_chat_id", "telegram_linked_at"])
    record(action="notifications.telegram.unlinked", obj=row, by=user)


# --- inbox ------------------------------------------------------------------------------
def mark_read(*, user, notification=None):
    """Mark one notification (or all of ``user``'s) as read; returns how many changed."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        rows = rows.filter(pk=notification.pk)
    return rows.update(read_at=timezone.now())


# --- dead letters -----------------------------------------------------------------------
@transaction.atomic
def retry_delivery(*, delivery, by):
    """Send a failed or dead delivery again (same idempotency key), from the first attempt.

    Side effects: the row back to ``pending``, an audit entry, a delivery task after commit.
    Returns False when the row is not in the dead-letter states.
    """
    changed = Delivery.objects.filter(pk=delivery.pk, status__in=DEAD_LETTER).update(
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claim_token=None,
        claimed_until=None,
        updated_at=timezone.now(),
    )
    if not changed:
        return False
    record(action="notifications.delivery.retried", obj=delivery, by=by)
    transaction.on_commit(lambda: _dispatch_after_commit([delivery.pk]))
    return True
