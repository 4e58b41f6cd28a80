"""Batched delivery: one claim and few writes per batch, the outbox's promises unchanged."""

import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction
from django.utils import timezone

from notifications import events
from notifications.delivery import deliver, gateway_answered
from notifications.enums import DeliveryStatus
from notifications.models import Delivery
from notifications.services import write_rows
from notifications.tasks import deliver_task, sweep
from tests.markers import postgres_only

from .conftest import participant


def _pending_sms(count, prefix="97"):
    """``count`` pending SMS rows, as ``notify()`` writes them, with no task queued yet."""
    users = [participant(phone=f"{prefix}{n:07d}") for n in range(count)]
    _notifications, ids = write_rows(
        user_ids=[user.pk for user in users],
        event=events.STATUS_CHANGED,
        context={"title": "Aqlli niqob", "status": "winner"},
        object_type="",
        object_id="",
        link="",
        actor_id=None,
        channels=["sms"],
    )
    return ids


def _requests_per_key(gateway):
    return Counter(key for _kind, key, _payload, _at in gateway.requests)


def _statuses():
    return list(Delivery.objects.order_by("pk").values_list("status", flat=True))


class WorkerDied(Exception):
    pass


@pytest.mark.django_db
def test_gateway_failures_in_the_middle_of_a_batch_are_recorded_once_each(gateway):
    ids = _pending_sms(5)
    gateway.plan("accept", "accept", "503", "reject", "accept")

    assert deliver_task.delay(ids).get() == {"sent": 3, "pending": 1, "failed": 1}

    rows = list(Delivery.objects.order_by("pk"))
    assert [row.status for row in rows] == ["sent", "sent", "pending", "failed", "sent"]
    assert [row.attempts for row in rows] == [1, 1, 1, 1, 1]
    assert "HTTP 503" in rows[2].last_error
    assert "invalid phone number" in rows[3].last_error
    assert all(row.claimed_until is None for row in rows)
    assert sorted(_requests_per_key(gateway).values()) == [1, 1, 1, 1, 1]
    pause = (rows[2].next_attempt_at - timezone.now()).total_seconds()
    time.sleep(max(0.0, pause) + 0.02)
    sweep()  # only the row that failed transiently goes out again
    assert _statuses() == ["sent", "sent", "sent", "failed", "sent"]
    assert len(gateway.requests) == 6
    assert len(gateway.delivered) == 4


@pytest.mark.django_db
def test_worker_dying_in_the_middle_of_a_batch_keeps_what_it_already_knew(gateway, settings):
    """Outcomes known before the crash are written, untried rows are handed back at once,
    and only the message in flight waits for its lease (then goes out with the same key)."""
    settings.TANLOV_NOTIFICATIONS_CLAIM_SECONDS = 2
    ids = _pending_sms(5)
    doomed = str(Delivery.objects.get(pk=ids[2]).idempotency_key)

    def die(sender, delivery, **kwargs):
        if str(delivery.idempotency_key) == doomed:
            raise WorkerDied

    gateway_answered.connect(die)
    try:
        with pytest.raises(WorkerDied):
            deliver_task.delay(ids)
    finally:
        gateway_answered.disconnect(die)

    assert _statuses() == ["sent", "sent", "sending", "sent", "sent"]
    assert list(Delivery.objects.order_by("pk").values_list("attempts", flat=True)) == [1] * 5
    assert sorted(_requests_per_key(gateway).values()) == [1, 1, 1, 1, 1]
    assert sweep() == 0  # the claim on the message in flight still holds
    time.sleep(2.05)
    assert sweep() == 1
    assert _statuses() == ["sent"] * 5
    assert _requests_per_key(gateway)[doomed] == 2  # sent again with the same key …
    assert len(gateway.delivered) == 5  # … so nobody got a message twice


@pytest.mark.django_db
def test_rate_limit_holds_across_a_batch_and_outcomes_are_written_before_waiting(gateway, settings):
    settings.TANLOV_SMS_RATE_LIMIT = 4
    ids = _pending_sms(10)
    started = time.time()

    assert deliver(ids) == {"sent": 10}

    # 10 messages at 4 per one-second window need three windows.
    assert time.time() - int(started) >= 2.0
    assert len(gateway.delivered) == 10
    rows = list(Delivery.objects.order_by("sent_at"))
    flushes = sorted({row.updated_at for row in rows})
    assert len(flushes) >= 2  # written while the batch waited, not only at its end
    for flushed_at in flushes[:-1]:
        later = [row.sent_at for row in rows if row.updated_at > flushed_at]
        assert flushed_at < min(later)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_claiming_the_same_batch_send_each_message_once(gateway):
    ids = _pending_sms(60)
    barrier = threading.Barrier(2)
    summaries = []

    def dispatcher(batch):
        try:
            barrier.wait()
            summaries.append(deliver(batch))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=dispatcher, args=(ids,)),
        threading.Thread(target=dispatcher, args=(ids[::-1],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(summary.get("sent", 0) for summary in summaries) == 60
    assert set(_requests_per_key(gateway).values()) == {1}
    assert len(gateway.requests) == 60
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 60


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_claim_skips_rows_another_worker_holds_instead_of_waiting(gateway):
    ids = _pending_sms(8)
    held, free = ids[:3], ids[3:]
    summaries = []

    def dispatcher():
        try:
            summaries.append(deliver(ids))
        finally:
            connection.close()

    with transaction.atomic():  # another worker in the middle of claiming three rows
        assert len(Delivery.objects.select_for_update().filter(pk__in=held)) == 3
        thread = threading.Thread(target=dispatcher)
        thread.start()
        thread.join(timeout=20)
        finished_while_held = not thread.is_alive()
    thread.join(timeout=20)

    assert finished_while_held
    assert summaries == [{"sent": 5}]
    assert set(Delivery.objects.filter(pk__in=free).values_list("status", flat=True)) == {"sent"}
    assert set(Delivery.objects.filter(pk__in=held).values_list("status", flat=True)) == {"pending"}
    assert deliver(ids) == {"sent": 3}  # the skipped rows go with the next batch
    assert set(_requests_per_key(gateway).values()) == {1}
