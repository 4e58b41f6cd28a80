"""A broadcast sent through a real Celery worker, and the periodic task racing it: once."""

import time

import pytest
from django.db import transaction

from broadcasts.models import Broadcast
from broadcasts.services import sending
from broadcasts.tasks import send, send_due
from challenges.services.regions import ensure_regions
from notifications import events
from notifications.models import Notification, Preference
from tests.factories import ChallengeFactory

from .helpers import BroadcastFactory, entry, person, staff

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_broadcast_goes_out_once_through_the_worker(notification_worker, gateway):
    ensure_regions()
    ch = ChallengeFactory()
    readers = [
        person(f"w{n}", language=("uz", "ru", "en")[n % 3], phone=f"+99890777000{n}")
        for n in range(6)
    ]
    entry(ch, readers[0], *readers[1:])
    for reader in readers:
        Preference.objects.create(user=reader, event=events.BROADCAST, channel="sms")
    boss = staff("boss", ch)
    broadcast = BroadcastFactory(challenge=ch)
    with transaction.atomic():
        sending.schedule(broadcast=broadcast, by=boss)
    send.delay(broadcast.pk)  # a duplicate task …
    send_due.delay()  # … and the periodic one, racing the first
    assert _wait_for(
        lambda: len([m for m in gateway.delivered.values() if m["kind"] == "sms"]) == 6
    )
    time.sleep(1)
    assert (
        Notification.objects.filter(
            object_type="broadcasts.broadcast", object_id=str(broadcast.pk)
        ).count()
        == 6
    )
    texts = sorted(m["text"] for m in gateway.delivered.values() if m["kind"] == "sms")
    assert texts == sorted(["Muhim xabar"] * 2 + ["Важное сообщение"] * 2 + ["Important news"] * 2)
    assert Broadcast.objects.get(pk=broadcast.pk).recipient_count == 6
