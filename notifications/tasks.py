"""Celery tasks: ids in, the delivery protocol does the work (see notifications.delivery)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import delivery
from .enums import DeliveryStatus
from .models import Broadcast, Delivery

logger = logging.getLogger(__name__)


def _same_queue(task):
    """The queue this task came from, so the work it fans out stays with the same workers."""
    info = getattr(task.request, "delivery_info", None) or {}
    return info.get("routing_key") or None


def _fan_out(task, ids):
    queue = _same_queue(task)
    for chunk in _chunks(ids, settings.TANLOV_NOTIFICATIONS_BATCH_SIZE):
        deliver_task.apply_async(args=[chunk], queue=queue)


def _chunks(ids, size):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@shared_task(bind=True, name="notifications.dispatch", ignore_result=True)
def dispatch(self, ids):
    """Fan ``ids`` out into ``notifications.deliver`` tasks of one batch each.

    Side effects: Celery messages only. Several workers then send batches in parallel.
    """
    _fan_out(self, ids)


@shared_task(bind=True, name="notifications.expand", ignore_result=True)
def expand(self, broadcast_id):
    """Write a broadcast's rows, then dispatch them (idempotent: expands once)."""
    from .services import expand_broadcast  # services import this module

    return expand_broadcast(broadcast_id=broadcast_id, queue=_same_queue(self))


@shared_task(name="notifications.deliver", ignore_result=True)
def deliver_task(ids):
    """Claim, send and record the due deliveries among ``ids``; idempotent (rows already
    claimed, sent or failed are skipped). Side effects: see ``delivery.deliver``."""
    summary = delivery.deliver(ids)
    logger.info("notifications delivered: %s", summary)
    return summary


@shared_task(bind=True, name="notifications.sweep", ignore_result=True)
def sweep(self, limit=20_000):
    """Queue every delivery left behind: pending and due, or claimed by a worker that died.

    Runs every minute (config/beat.py). Side effects: ``notifications.deliver`` tasks.
    Returns how many rows were queued.
    """
    now = timezone.now()
    # Rows that just became due get a moment for the task already queued for them (after
    # commit, or the retry's countdown); the sweeper is the safety net, not the first try.
    grace = timedelta(seconds=settings.TANLOV_NOTIFICATIONS_SWEEP_GRACE)
    ids = list(
        Delivery.objects.filter(
            Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now - grace)
            | Q(status=DeliveryStatus.SENDING, claimed_until__lt=now)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    _fan_out(self, ids)
    for broadcast_id in Broadcast.objects.filter(
        expanded_at=None, created_at__lte=now - grace
    ).values_list("pk", flat=True):
        expand.apply_async(args=[broadcast_id], queue=_same_queue(self))
    if ids:
        logger.info("sweeper queued %d notification deliveries", len(ids))
    return len(ids)
