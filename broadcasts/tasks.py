"""Celery tasks of broadcasts: ids in, ``services.sending.deliver`` does the work (once)."""

from celery import shared_task

from .services import sending


@shared_task(name="broadcasts.send", ignore_result=True)
def send(broadcast_id):
    """Send one scheduled broadcast that is due (idempotent: a sent one is skipped)."""
    return sending.deliver(broadcast_id=broadcast_id)


@shared_task(name="broadcasts.send_due", ignore_result=True)
def send_due():
    """Send every scheduled broadcast whose time has come (every minute, config/beat.py);
    also the safety net for a "send now" whose task never arrived."""
    sent = 0
    for pk in sending.due():
        if sending.deliver(broadcast_id=pk) is not None:
            sent += 1
    return sent
