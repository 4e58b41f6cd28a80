"""Delivering outbox rows: claim → send → record. The guarantee, and why it holds.

**Nothing is lost (at-least-once).** ``notify()`` writes ``Delivery`` rows in the caller's
transaction; a rollback leaves none, a commit leaves them ``pending`` whether or not the
Celery message that follows the commit ever arrives. The periodic sweeper
(``notifications.sweep``) queues every row that is due: ``pending`` rows whose
``next_attempt_at`` has passed and ``sending`` rows whose claim has expired (their worker
died). So no delivery depends on its first task, its first attempt or its first worker.

**Nothing is sent twice.**

1. *Claim before the call.* A worker claims a whole batch (the ids of one
   ``notifications.deliver`` task, ``TANLOV_NOTIFICATIONS_BATCH_SIZE``) in one transaction:
   on PostgreSQL it locks the due rows with ``SELECT … FOR UPDATE SKIP LOCKED`` (rows
   another worker is claiming are skipped, not waited for), then moves them from
   ``pending`` (or an expired ``sending``) to ``sending`` with one conditional ``UPDATE``
   that stamps one claim token and a lease (``TANLOV_NOTIFICATIONS_CLAIM_SECONDS``, several
   times the HTTP timeout); the commit comes before any HTTP request. A second task for the
   same rows (a duplicate Celery message, the sweeper racing the first task, ``acks_late``
   redelivery, a second worker) finds them claimed and returns: the database row, not the
   queue, decides who sends. ``sent``/``failed`` rows are never claimed again — that is the
   check before sending. A worker does not start a send in the last quarter of its lease;
   it hands the rest of the batch back instead.
2. *Same key on every attempt.* Each row has a fixed ``idempotency_key`` (one per event,
   recipient and channel), sent with every attempt (``Idempotency-Key`` header and the
   gateway's message-id field). If a worker dies after the gateway accepted the message but
   before it recorded ``sent``, the lease expires, the sweeper hands the row to another
   worker, and it sends again **with the same key**: a deduplicating gateway (the SMS
   gateways we target; our test gateway) answers with the original message and delivers
   nothing new. Then the row is recorded ``sent``.
3. *Recording is batched and fenced.* Outcomes are gathered and written together
   (``Outcomes.flush``: one ``executemany`` of ``UPDATE … WHERE pk = … AND claim_token =
   …``, one commit) at the end of the batch and before the rate limiter makes the worker
   sleep. The token fence means a slow worker whose lease expired cannot overwrite what a
   newer attempt recorded. If the worker raises mid-batch, what it already knew is still
   written and the rows it never tried go back to ``pending`` at once.

For SMS a crash can therefore leave up to a batch of accepted messages unrecorded; they are
sent again with their keys and the gateway drops the repeats — the same at-least-once
behaviour as one message, over a wider window. Channels without gateway deduplication are
recorded message by message (``deduplicates = False`` on the adapter), so their window
stays the one it was (a crash between the gateway's reply and our ``UPDATE``): Telegram's
Bot API has no idempotency key, so a repeat there is possible only in that window; e-mail
reuses the key as ``Message-ID``, which mail systems use to collapse duplicates.

**Failures.** Transient failures (timeouts, 5xx, 429) are retried with exponential backoff
(``TANLOV_NOTIFICATIONS_BACKOFF_BASE`` * 2^(attempt-1), capped by ``..._BACKOFF_MAX``), or
after the gateway's ``Retry-After``; after ``TANLOV_NOTIFICATIONS_MAX_ATTEMPTS`` the row is
``dead``. Permanent failures (invalid phone, blocked bot) are ``failed`` at once. Both show in
the Wagtail dead-letter view, where staff can send them again.

**Rate limits.** Before each call a worker takes a slot in a per-channel, per-second window
shared through Redis (``TANLOV_SMS_RATE_LIMIT``, ``TANLOV_TELEGRAM_RATE_LIMIT``), so all
workers together stay under the gateway's limit — one slot per message, batch or not.
"""

import logging
import math
import random
import time
import uuid
from collections import defaultdict, deque
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone

from . import channels, events
from .enums import Channel, DeliveryStatus
from .messages import render
from .models import ChannelSettings, Delivery, Notification

#: Outcomes after which a delivery is never tried again.
SETTLED = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.DEAD)

logger = logging.getLogger(__name__)

# Sent after the gateway answered and before the outcome is recorded: a hook for metrics
# and for tests that simulate a worker dying in exactly that window.
gateway_answered = Signal()


def claimable(now=None):
    now = now or timezone.now()
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, claimed_until__lt=now
    )


def claim(ids):
    """Claim the due rows among ``ids`` for this worker; returns them, ready to send.

    One transaction, one commit. Where the database has ``SKIP LOCKED`` (PostgreSQL) the
    due rows are locked first and rows another worker is claiming at this moment are
    skipped rather than waited for; the conditional ``UPDATE`` then stamps one claim token
    on the whole batch. On SQLite the database-wide write lock serialises claims and the
    conditional ``UPDATE`` alone decides.
    """
    now = timezone.now()
    token = uuid.uuid4()
    due = Delivery.objects.filter(claimable(now), pk__in=list(ids))
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            locked = list(
                due.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)
            )
            if not locked:
                return []
            due = Delivery.objects.filter(claimable(now), pk__in=locked)
        claimed = due.update(
            status=DeliveryStatus.SENDING,
            claim_token=token,
            claimed_until=now + timedelta(seconds=settings.TANLOV_NOTIFICATIONS_CLAIM_SECONDS),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        if not claimed:
            return []
        return list(
            Delivery.objects.filter(claim_token=token)
            .select_related("notification__recipient__notification_settings")
            .order_by("pk")
        )


def deliver(ids):
    """Send the due deliveries among ``ids`` as one batch and record the outcomes together.

    The batch is claimed in one transaction (``claim``), sent one message after the other
    over the worker's keep-alive HTTP session, and its outcomes are written with one bulk
    ``UPDATE`` per flush (``Outcomes``): at the end of the batch, before the rate limiter
    makes the worker wait, and after every message on a channel whose gateway does not
    deduplicate (Telegram, e-mail), so that their crash window stays one message wide.
    Rows whose lease is nearly over are handed back instead of being sent late. If
    something raises mid-batch, the outcomes already known are still recorded, the rows
    not tried yet go back to ``pending`` at once, and the one in flight stays claimed until
    its lease expires (its outcome is unknown; the sweeper resends it with the same key).

    Side effects: HTTP calls to gateways / e-mail; ``Delivery`` rows updated; retries queued
    (``notifications.deliver``) with their backoff. Returns ``{status: count}``.
    """
    outcomes = Outcomes()
    todo = deque(claim(ids))
    summary = {}
    try:
        while todo and not _lease_ending(todo[0]):
            delivery = todo.popleft()
            status = _deliver_one(delivery, outcomes)
            summary[status] = summary.get(status, 0) + 1
    except BaseException:
        try:
            outcomes.release(todo)
            outcomes.flush()
        except Exception:
            logger.exception("could not record a failed batch; its leases will expire")
        raise
    outcomes.release(todo)
    outcomes.flush()
    return summary


def _lease_ending(delivery):
    """True when too little of the claim is left to start a send that could time out."""
    margin = timedelta(seconds=settings.TANLOV_NOTIFICATIONS_CLAIM_SECONDS / 4)
    return timezone.now() >= delivery.claimed_until - margin


def _deliver_one(delivery, outcomes):
    notification = delivery.notification
    quiet_end = quiet_hours_end(notification.recipient, delivery.channel)
    if quiet_end is not None:
        # Not an attempt: give back the one the claim counted.
        outcomes.add(
            delivery,
            status=DeliveryStatus.PENDING,
            next_attempt_at=quiet_end,
            attempts=delivery.attempts - 1,
        )
        return "deferred"
    adapter = channels.adapter(delivery.channel)
    if not adapter.configured():
        outcome = channels.Retry(f"{delivery.channel} gateway is not configured")
    else:
        outcome = _send(delivery, adapter, outcomes)
    gateway_answered.send(sender=Delivery, delivery=delivery, outcome=outcome)
    status = record_outcome(delivery, outcome, outcomes)
    if not adapter.deduplicates:
        outcomes.flush()
    return status


def _send(delivery, adapter, outcomes):
    try:
        message = render(delivery.notification, html=delivery.channel == Channel.EMAIL)
        # Outcomes are written before the worker sleeps for a slot, not held while it waits.
        wait_for_slot(delivery.channel, before_waiting=outcomes.flush)
        return adapter.send(
            key=str(delivery.idempotency_key), address=delivery.address, message=message
        )
    except Exception as exc:
        logger.exception("notification delivery %s crashed", delivery.pk)
        return channels.Retry(f"{exc.__class__.__name__}: {exc}")


def record_outcome(delivery, outcome, outcomes):
    """Turn an adapter's outcome into the row's next state, kept in ``outcomes``."""
    now = timezone.now()
    if isinstance(outcome, channels.Sent):
        outcomes.add(
            delivery,
            status=DeliveryStatus.SENT,
            sent_at=now,
            provider_id=outcome.provider_id[:128],
            last_error="",
        )
        return DeliveryStatus.SENT
    if isinstance(outcome, channels.Permanent):
        outcomes.add(delivery, status=DeliveryStatus.FAILED, last_error=outcome.error)
        if delivery.channel == Channel.TELEGRAM and "403" in outcome.error:
            outcomes.blocked_chats.append(delivery)
        return DeliveryStatus.FAILED
    attempts = delivery.attempts  # read back after the claim incremented it
    if attempts >= settings.TANLOV_NOTIFICATIONS_MAX_ATTEMPTS:
        outcomes.add(delivery, status=DeliveryStatus.DEAD, last_error=outcome.error)
        return DeliveryStatus.DEAD
    delay = outcome.retry_after if outcome.retry_after is not None else backoff(attempts)
    # next_attempt_at is set when the outcome is written: the wait counts from then.
    outcomes.add(delivery, status=DeliveryStatus.PENDING, last_error=outcome.error)
    outcomes.retries.append((delivery, delay))
    return DeliveryStatus.PENDING


class Outcomes:
    """The outcomes of one claimed batch, written together and fenced by the claim token.

    ``flush()`` writes every outcome gathered since the last flush with one bulk
    ``UPDATE … WHERE pk IN (…) AND claim_token = …`` (rows whose lease expired and that
    another worker claimed since keep what that worker records), unlinks the Telegram
    chats that blocked the bot, commits once, and then queues the retries.
    """

    FIELDS = (
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_until",
        "sent_at",
        "provider_id",
        "last_error",
        "updated_at",
    )

    def __init__(self):
        self.rows = []
        self.retries = []  # (delivery, seconds to wait from the write)
        self.released = []  # pks handed back untried
        self.blocked_chats = []

    def add(self, delivery, **fields):
        for name, value in fields.items():
            setattr(delivery, name, value)
        delivery.claimed_until = None
        self.rows.append(delivery)

    def release(self, deliveries):
        """Hand back claimed rows that were never tried: due now, the attempt not counted."""
        now = timezone.now()
        for delivery in deliveries:
            self.add(
                delivery,
                status=DeliveryStatus.PENDING,
                next_attempt_at=now,
                attempts=delivery.attempts - 1,
            )
            self.released.append(delivery.pk)

    def flush(self):
        if not self.rows:
            return
        rows, retries, released, blocked = (
            self.rows,
            self.retries,
            self.released,
            self.blocked_chats,
        )
        self.rows, self.retries, self.released, self.blocked_chats = [], [], [], []
        now = timezone.now()
        for row, delay in retries:
            row.next_attempt_at = now + timedelta(seconds=delay)
        for row in rows:
            row.updated_at = now
        settled = [
            row.notification_id
            for row in rows
            if row.status in SETTLED and row.notification.event in events.PRIVATE
        ]
        with transaction.atomic():
            written = _write_fenced(rows, self.FIELDS)
            for delivery in blocked:
                _forget_telegram_chat(delivery)
            if settled:  # a one-time code is kept only while the outbox may still send it
                Notification.objects.filter(pk__in=settled).update(context=events.BLANKED)
        if written < len(rows):
            logger.warning(
                "%d notification outcomes not recorded: their lease expired and another "
                "worker claimed them",
                len(rows) - written,
            )
        _queue_retries(retries, released)


def _write_fenced(rows, names):
    """``UPDATE … SET <names> WHERE pk = … AND claim_token = …`` for each row, in one call.

    One parameterised statement run with ``executemany`` (psycopg pipelines it): Django's
    ``bulk_update`` builds a ``CASE WHEN`` per field and row, which costs more CPU than the
    HTTP calls it records. Returns how many rows were written.
    """
    meta = Delivery._meta
    fields = [meta.get_field(name) for name in names]
    token = meta.get_field("claim_token")
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 -- names from the model
        f"WHERE {quote(meta.pk.column)} = %s AND {quote(token.column)} = %s"
    )
    params = [
        [field.get_db_prep_value(getattr(row, field.attname), connection) for field in fields]
        + [row.pk, token.get_db_prep_value(row.claim_token, connection)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        return cursor.rowcount


def _queue_retries(retries, released):
    """One ``notifications.deliver`` task per whole second of delay (never early)."""
    from .tasks import deliver_task  # the task module imports this one

    if released:
        deliver_task.apply_async(args=[released])
    if deliver_task.app.conf.task_always_eager:
        # An eager task runs at once and cannot wait for its countdown; retrying before the
        # backoff has passed is what the countdown is for. The sweeper retries when due.
        return
    groups = defaultdict(list)
    for delivery, delay in retries:
        groups[math.ceil(delay)].append(delivery.pk)
    for countdown, pks in sorted(groups.items()):
        deliver_task.apply_async(args=[pks], countdown=countdown)


def backoff(attempts):
    """Seconds to wait before attempt ``attempts + 1``: exponential, capped, ±10 % jitter."""
    base = settings.TANLOV_NOTIFICATIONS_BACKOFF_BASE * 2 ** max(0, attempts - 1)
    delay = min(base, settings.TANLOV_NOTIFICATIONS_BACKOFF_MAX)
    return delay * random.uniform(0.9, 1.1)  # noqa: S311 -- jitter, not security


def _forget_telegram_chat(delivery):
    """The person blocked the bot: stop addressing that chat until they link again."""

    recipient_id = delivery.notification.recipient_id
    if recipient_id:
        ChannelSettings.objects.filter(
            user_id=recipient_id, telegram_chat_id=delivery.address
        ).update(telegram_chat_id="", telegram_linked_at=None)


# --- quiet hours ----------------------------------------------------------------------------
def quiet_hours_end(user, channel, now=None):
    """When quiet hours apply to ``channel`` for ``user`` now, the moment they end.

    E-mail waits in the inbox, so it is never held back; SMS and Telegram buzz a phone.
    Times are the site's time zone (Asia/Tashkent).
    """
    if user is None or channel == Channel.EMAIL:
        return None
    try:
        row = user.notification_settings
    except ObjectDoesNotExist:
        return None
    if row.quiet_from is None or row.quiet_until is None or row.quiet_from == row.quiet_until:
        return None
    local = timezone.localtime(now or timezone.now())
    current = local.time()
    start, end = row.quiet_from, row.quiet_until
    inside = start <= current < end if start < end else (current >= start or current < end)
    if not inside:
        return None
    end_at = datetime.combine(local.date(), end, tzinfo=local.tzinfo)
    if end_at <= local:
        end_at += timedelta(days=1)
    return end_at


# --- rate limiting --------------------------------------------------------------------------
_redis = None


def _redis_client():
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(settings.TANLOV_NOTIFICATIONS_REDIS_URL)
    return _redis


def wait_for_slot(channel, before_waiting=None):
    """Block until ``channel`` has a free slot in the current one-second window.

    The windows are counters in Redis shared by all workers; every message takes its own
    slot, so a batch is throttled exactly like single messages. ``before_waiting`` is
    called once if the window is full, before the first sleep. If Redis is unreachable the
    message goes out unthrottled rather than not at all.
    """
    limit = {
        Channel.SMS: settings.TANLOV_SMS_RATE_LIMIT,
        Channel.TELEGRAM: settings.TANLOV_TELEGRAM_RATE_LIMIT,
        Channel.EMAIL: settings.TANLOV_EMAIL_RATE_LIMIT,
    }.get(channel, 0)
    if not limit:
        return
    prefix = settings.TANLOV_NOTIFICATIONS_REDIS_PREFIX
    while True:
        now = time.time()
        window = int(now)
        key = f"{prefix}:rate:{channel}:{window}"
        try:
            client = _redis_client()
            pipe = client.pipeline()
            pipe.incr(key)
            pipe.expire(key, 5)
            count = pipe.execute()[0]
        except redis.RedisError:
            logger.warning("rate limiter unavailable; sending %s unthrottled", channel)
            return
        if count <= limit:
            return
        if before_waiting is not None:
            before_waiting()
            before_waiting = None
        time.sleep(max(0.001, window + 1 - time.time()))
