import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="core.ping")
def ping(value):
    """Round trip for health and deployment smoke tests: echoes its argument."""
    logger.info("ping %s", value)
    return {"pong": value}
