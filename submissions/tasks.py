import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="submissions.cleanup_uploads")
def cleanup_uploads():
    """Remove abandoned pending uploads and stale multipart uploads (idempotent)."""
    from .services.files import purge_abandoned

    removed = purge_abandoned()
    logger.info("removed %s abandoned uploads", removed)
    return removed
