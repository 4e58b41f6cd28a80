import logging

from celery import shared_task

from .files import purge_abandoned

logger = logging.getLogger(__name__)


@shared_task(name="core.ping")
def ping(value):
    """Round trip for health and deployment smoke tests: echoes its argument."""
    logger.info("ping %s", value)
    return {"pong": value}


@shared_task(name="core.purge_uploads")
def purge_uploads():
    """Remove abandoned uploads of every kind of file, and stale multipart uploads."""

    removed = purge_abandoned()
    logger.info("removed %s abandoned uploads", removed)
    return removed
