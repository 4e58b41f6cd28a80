import logging

from celery import shared_task

from .services.reminders import send_reminders

logger = logging.getLogger(__name__)


@shared_task(name="incubation.send_reminders")
def send_incubation_reminders():
    """Daily: milestones due soon or overdue, and missing reports (idempotent per day)."""
    sent = send_reminders()
    logger.info("incubation reminders: %s queued", sent)
    return sent
