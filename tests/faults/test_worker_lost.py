"""A Celery worker killed with SIGKILL in the middle of issuing and of delivering."""

import os
import signal
import time

import pytest
from django.db import transaction

from certificates.enums import CertificateStatus
from certificates.models import Certificate
from certificates.selectors import progress
from certificates.services import issuing
from challenges.services.regions import ensure_regions
from notifications import events
from notifications.enums import DeliveryStatus
from notifications.models import Delivery, Notification
from notifications.services import notify
from tests import factories

from .conftest import BUCKET, wait_for
from .helpers import audit_count
from .test_s3 import _certificate_world

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_worker_killed_in_the_middle_of_issuing(stack):
    """The pool process dies mid-task: the task goes back to the queue (acks late, reject
    on worker lost) and the certificate is issued once, by the next process."""
    names = [f"Ishtirokchi {n}" for n in range(12)]
    manager, challenge = _certificate_world(names)
    worker = stack.worker(pool="prefork", concurrency=1)
    stack.s3.relay.latency = 0.3  # each PDF takes a while to store: the kill lands mid-task
    try:
        batch = issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)
        wait_for(
            lambda: Certificate.objects.filter(status=CertificateStatus.ISSUED).count() >= 2,
            timeout=90,
            step=0.05,
            what="the first certificates",
        )
        children = worker.child_pids()
        assert children, "the prefork worker has a pool process"
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        assert not progress(batch)["finished"]
        wait_for(lambda: progress(batch)["finished"], timeout=120, what="the batch to finish")
    finally:
        stack.s3.relay.latency = 0

    assert "WorkerLostError" in worker.tail(400) or "signal 9" in worker.tail(400)
    state = progress(batch)
    assert (state["done"], state["failed"]) == (len(names), 0)
    certificates = list(Certificate.objects.filter(challenge=challenge))
    assert len(certificates) == len(names)
    assert {c.status for c in certificates} == {CertificateStatus.ISSUED}
    stored = stack.s3.objects(BUCKET, f"certificates/{challenge.pk}/")
    assert set(stored) == {c.pdf_key for c in certificates}
    assert audit_count("certificates.certificate.issued") == len(names)  # once each
    assert Notification.objects.filter(event=events.CERTIFICATE_ISSUED).count() == len(names)


def test_worker_killed_in_the_middle_of_delivering(stack):
    """The whole worker dies mid-batch: its message is handed out again once the broker's
    visibility timeout passes, the next worker claims the rows whose lease expired and the
    gateway sees every message delivered once (repeats carry the same key)."""
    ensure_regions()
    users = [factories.participant(phone=f"+998 94 {n:03d} 00 00") for n in range(20)]
    worker = stack.worker(TANLOV_SMS_RATE_LIMIT="4", TANLOV_NOTIFICATIONS_BATCH_SIZE="50")
    with transaction.atomic():
        notify(
            event=events.STATUS_CHANGED,
            recipients=users,
            context={"title": "Aqlli niqob", "status": "not_selected"},
            channels=["sms"],
        )
    wait_for(lambda: len(stack.gateway.delivered) >= 3, timeout=60, step=0.05, what="sends")
    worker.kill()
    killed_at = time.monotonic()
    delivered_before = len(stack.gateway.delivered)
    assert delivered_before < 20
    assert Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()

    stack.worker()  # no sweep: the broker redelivers the unacknowledged task
    wait_for(
        lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 20,
        timeout=120,
        what="the redelivered task to finish the batch",
    )
    assert time.monotonic() - killed_at >= 5  # after the visibility timeout, not before
    keys = {str(k) for k in Delivery.objects.values_list("idempotency_key", flat=True)}
    assert set(stack.gateway.delivered) == keys  # every message delivered, once each
    assert Delivery.objects.count() == 20
