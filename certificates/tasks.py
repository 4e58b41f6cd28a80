"""Celery tasks: one per certificate, ids in, idempotent."""

import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings
from django.utils.translation import gettext as _

from .services import issuing

logger = logging.getLogger(__name__)


@worker_process_init.connect
def load_renderer(**kwargs):
    """Each worker process loads WeasyPrint, the fonts and the certificate stylesheet as it
    starts, not in its first task: otherwise a second process spends its first seconds
    there while the first one already issues, and a batch hardly gains from it."""
    from core import pdf

    from .services import rendering

    try:
        pdf.stylesheet(rendering.STYLESHEET)  # WeasyPrint and the fonts on the way
    except Exception:  # the first task loads it again, and says what fails
        logger.exception("could not load the certificate renderer")


def _delay(retries):
    base = settings.TANLOV_CERTIFICATE_RETRY_DELAY
    return min(base * 2**retries, 900)


@shared_task(bind=True, name="certificates.issue", max_retries=5, acks_late=True)
def issue_certificate(self, certificate_id):
    """Render one certificate and store it in S3; retries while S3 is unreachable.

    The certificate stays pending (never shown as issued) until its PDF is stored; after
    the last retry it is marked failed with the reason, and staff can retry it.
    """
    try:
        return issuing.render_and_store(certificate_id=certificate_id)
    except issuing.StorageUnavailable as exc:
        reason = _("The file store could not be reached: %(error)s") % {"error": exc}
        if self.request.retries >= self.max_retries:
            logger.warning("certificate %s failed: %s", certificate_id, exc)
            issuing.mark_failed(certificate_id=certificate_id, reason=reason)
            return False
        issuing.note_attempt(certificate_id=certificate_id, reason=reason)
        if self.request.is_eager:
            # Eager mode (make run, tests) would propagate Retry to the caller: retry inline.
            return self.apply(args=(certificate_id,), retries=self.request.retries + 1).result
        raise self.retry(exc=exc, countdown=_delay(self.request.retries)) from exc
    except Exception as exc:
        logger.exception("certificate %s failed", certificate_id)
        issuing.mark_failed(certificate_id=certificate_id, reason=f"{type(exc).__name__}: {exc}")
        return False
