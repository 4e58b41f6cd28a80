"""Delivery through a real Celery worker on Redis, to the local gateway."""

import time

import pytest
from django.db import transaction

from challenges.services.regions import ensure_regions
from notifications import events
from notifications.enums import DeliveryStatus
from notifications.models import Delivery
from notifications.services import notify
from notifications.tasks import sweep

from .conftest import participant

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_worker_delivers_each_message_once_and_the_sweeper_finishes_failures(
    notification_worker, gateway
):
    ensure_regions()
    users = [participant(phone=f"94{n:07d}") for n in range(40)]
    gateway.plan("503", "503")  # two messages fail on their first attempt
    with transaction.atomic():
        notify(
            event=events.STATUS_CHANGED,
            recipients=users,
            context={"title": "Aqlli niqob", "status": "not_selected"},
            channels=["sms"],
        )
        assert gateway.requests == []  # nothing leaves before the commit

    assert _wait_for(lambda: len(gateway.delivered) == 38)
    assert _wait_for(
        lambda: Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2, timeout=10
    )
    time.sleep(0.3)  # their backoff has passed
    sweep.delay()  # what beat does every minute
    assert _wait_for(lambda: len(gateway.delivered) == 40)
    assert _wait_for(
        lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 40, timeout=10
    )
    keys = [key for _kind, key, _payload, _at in gateway.requests]
    assert len(keys) == 42  # 40 messages + 2 retries …
    assert len(set(gateway.delivered)) == 40  # … and one delivery per idempotency key
    assert all(text.startswith("Tanlov: “Aqlli niqob” boʻyicha") for text in gateway.texts())
