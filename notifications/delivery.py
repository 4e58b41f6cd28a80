"""Delivering outbox rows: claim → send → record. The guarantee, and why it holds.

**Nothing is lost (at-least-once).** ``notify()`` writes ``Delivery`` rows in the caller's
transaction; a rollback leaves none, a commit leaves them ``pending`` whether or not the
Celery message that follows the commit ever arrives. The periodic sweeper
(``notifications.sweep``) queues every row that is due: ``pending`` rows whose
``next_attempt_at`` has passed and ``sending`` rows whose claim has expired (their worker
died). So no delivery depends on its first task, its first attempt or its first worker.

**Nothing is sent twice.**

1. *Claim before the call.* A worker moves rows from ``pending`` (or an expired
   ``sending``) to ``sending`` with one conditional ``UPDATE``, committed before any HTTP
   request, stamping a claim token and a lease (``TANLOV_NOTIFICATIONS_CLAIM_SECONDS``,
   several times the HTTP timeout). A second task for the same row (a duplicate Celery
   message, the sweeper racing the first task, ``acks_late`` redelivery) matches nothing and
   returns: the database row, not the queue, decides who sends. ``sent``/``failed`` rows are
   never claimed again — that is the check before sending.
2. *Same key on every attempt.* Each row has a fixed ``idempotency_key`` (one per event,
   recipient and channel), sent with every attempt (``Idempotency-Key`` header and the
   gateway's message-id field). If a worker dies after the gateway accepted the message but
   before it recorded ``sent``, the lease expires, the sweeper hands the row to another
   worker, and it sends again **with the same key**: a deduplicating gateway (the SMS
   gateways we target; our test gateway) answers with the original message and delivers
   nothing new. Then the row is recorded ``sent``.
3. *Recording is fenced.* The outcome is written only where the claim token still matches,
   so a slow worker whose lease expired cannot overwrite what a newer attempt recorded.

Channels without gateway deduplication narrow, but cannot close, that one window (a crash
between the gateway's reply and our ``UPDATE``): Telegram's Bot API has no idempotency key,
so a repeat there is possible only in that window; e-mail reuses the key as ``Message-ID``,
which mail systems use to collapse duplicates.

**Failures.** Transient failures (timeouts, 5xx, 429) are retried with exponential backoff
(``TANLOV_NOTIFICATIONS_BACKOFF_BASE`` * 2^(attempt-1), capped by ``..._BACKOFF_MAX``), or
after the gateway's ``Retry-After``; after ``TANLOV_NOTIFICATIONS_MAX_ATTEMPTS`` the row is
``dead``. Permanent failures (invalid phone, blocked bot) are ``failed`` at once. Both show in
the Wagtail dead-letter view, where staff can send them again.

**Rate limits.** Before each call a worker takes a slot in a per-channel, per-second window
shared through Redis (``TANLOV_SMS_RATE_LIMIT``, ``TANLOV_TELEGRAM_RATE_LIMIT``), so all
workers together stay under the gateway's limit.
"""

import logging
import random
import time
import uuid
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone

from . import channels
from .enums import Channel, DeliveryStatus
from .messages import render
from .models import Delivery

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
    """Claim the due rows among ``ids`` for this worker; returns them, ready to send."""
    now = timezone.now()
    token = uuid.uuid4()
    Delivery.objects.filter(claimable(now), pk__in=list(ids)).update(
        status=DeliveryStatus.SENDING,
        claim_token=token,
        claimed_until=now + timedelta(seconds=settings.TANLOV_NOTIFICATIONS_CLAIM_SECONDS),
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    return list(
        Delivery.objects.filter(claim_token=token)
        .select_related(
            "notification__recipient__notification_settings",
        )
        .order_by("pk")
    )


def deliver(ids):
    """Send the due deliveries among ``ids``, one after the other, and record each outcome.

    Side effects: HTTP calls to gateways / e-mail; ``Delivery`` rows updated; retries queued
    (``notifications.deliver``) with their backoff. Returns ``{status: count}``.
    """
    summary = {}
    for delivery in claim(ids):
        status = _deliver_one(delivery)
        summary[status] = summary.get(status, 0) + 1
    return summary


def _deliver_one(delivery):
    notification = delivery.notification
    quiet_end = quiet_hours_end(notification.recipient, delivery.channel)
    if quiet_end is not None:
        _record(delivery, status=DeliveryStatus.PENDING, next_attempt_at=quiet_end, attempts=-1)
        return "deferred"
    adapter = channels.adapter(delivery.channel)
    if not adapter.configured():
        outcome = channels.Retry(f"{delivery.channel} gateway is not configured")
    else:
        message = render(notification, html=delivery.channel == Channel.EMAIL)
        wait_for_slot(delivery.channel)
        try:
            outcome = adapter.send(
                key=str(delivery.idempotency_key), address=delivery.address, message=message
            )
        except Exception as exc:
            logger.exception("notification delivery %s crashed", delivery.pk)
            outcome = channels.Retry(f"{exc.__class__.__name__}: {exc}")
    gateway_answered.send(sender=Delivery, delivery=delivery, outcome=outcome)
    return record_outcome(delivery, outcome)


def record_outcome(delivery, outcome):
    if isinstance(outcome, channels.Sent):
        _record(
            delivery,
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            provider_id=outcome.provider_id[:128],
            last_error="",
        )
        return DeliveryStatus.SENT
    if isinstance(outcome, channels.Permanent):
        _record(delivery, status=DeliveryStatus.FAILED, last_error=outcome.error)
        if delivery.channel == Channel.TELEGRAM and "403" in outcome.error:
            _forget_telegram_chat(delivery)
        return DeliveryStatus.FAILED
    attempts = delivery.attempts  # read back after the claim incremented it
    if attempts >= settings.TANLOV_NOTIFICATIONS_MAX_ATTEMPTS:
        _record(delivery, status=DeliveryStatus.DEAD, last_error=outcome.error)
        return DeliveryStatus.DEAD
    delay = outcome.retry_after if outcome.retry_after is not None else backoff(attempts)
    _record(
        delivery,
        status=DeliveryStatus.PENDING,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        last_error=outcome.error,
    )
    from .tasks import deliver_task  # the task module imports this one

    deliver_task.apply_async(args=[[delivery.pk]], countdown=delay)
    return DeliveryStatus.PENDING


def backoff(attempts):
    """Seconds to wait before attempt ``attempts + 1``: exponential, capped, ±10 % jitter."""
    base = settings.TANLOV_NOTIFICATIONS_BACKOFF_BASE * 2 ** max(0, attempts - 1)
    delay = min(base, settings.TANLOV_NOTIFICATIONS_BACKOFF_MAX)
    return delay * random.uniform(0.9, 1.1)  # noqa: S311 -- jitter, not security


def _record(delivery, *, attempts=0, **fields):
    """Write an outcome, fenced by this worker's claim token."""
    fields["updated_at"] = timezone.now()
    fields["claimed_until"] = None
    if attempts:
        fields["attempts"] = F("attempts") + attempts
    return Delivery.objects.filter(pk=delivery.pk, claim_token=delivery.claim_token).update(
        **fields
    )


def _forget_telegram_chat(delivery):
    """The person blocked the bot: stop addressing that chat until they link again."""
    from .models import ChannelSettings

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


def wait_for_slot(channel):
    """Block until ``channel`` has a free slot in the current one-second window.

    The windows are counters in Redis shared by all workers. If Redis is unreachable the
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
        time.sleep(max(0.001, window + 1 - now))
