"""Celery tasks: the partners' report, a job id in, idempotent."""

import logging

from celery import shared_task
from django.utils.translation import gettext as _

from core.uploads import StorageUnavailable

from .services import reports

logger = logging.getLogger(__name__)


@shared_task(name="reporting.build_report", acks_late=True)
def build_report(job_id):
    """Make one report (PDF and XLSX) and store it; a failure is kept on the job with its
    reason, and staff ask for a new report."""
    try:
        return reports.build(job_id=job_id)
    except StorageUnavailable as exc:
        logger.warning("report %s: the file store could not be reached: %s", job_id, exc)
        reason = _("The file store could not be reached: %(error)s") % {"error": exc}
        reports.mark_failed(job_id=job_id, reason=reason)
        return False
    except Exception as exc:
        logger.exception("report %s failed", job_id)
        reports.mark_failed(job_id=job_id, reason=f"{type(exc).__name__}: {exc}")
        return False
