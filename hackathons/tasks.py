"""Hackathon background work (thin: call a service, log)."""

import logging

from celery import shared_task

from .services.registration import expire_offers

logger = logging.getLogger(__name__)


@shared_task(name="hackathons.expire_offers")
def expire_offers_task():
    """Offers past their confirmation deadline lose the place to the next on the waitlist."""
    expired = expire_offers()
    if expired:
        logger.info("hackathons: %s offers expired", expired)
    return expired
