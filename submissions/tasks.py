import logging

from celery import shared_task

from .services import retention

logger = logging.getLogger(__name__)


@shared_task(name="submissions.apply_retention")
def apply_retention():
    """Delete drafts and files of never-submitted or withdrawn entries past retention."""
    done = retention.apply()
    logger.info("retention: %s entries cleared", len(done))
    return len(done)
