"""A small batch issued by a real Celery worker process (Redis broker, moto S3 over HTTP)."""

import time

import pytest

from certificates.models import Certificate
from certificates.selectors import progress
from certificates.services import issuing
from core import s3
from tests import factories
from tests.certificates.helpers import entry_with_team, make_template, pdf_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait(batch, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = progress(batch)
        if state["finished"]:
            return state
        time.sleep(0.5)
    raise AssertionError(f"batch did not finish: {progress(batch)}")


def test_real_worker_issues_small_batch_once(s3_bucket, celery_worker):
    # s3_bucket first: the worker is started with the bucket storage points at.
    manager = factories.UserFactory(is_staff=True)
    challenge = factories.ChallengeFactory(title="COVID-19 Challenge")
    challenge.managers.add(manager)
    make_template()
    entry_with_team(challenge, ["Oʻgʻiloy Gʻulomova", "Алишер Навоийев", "Aziz Tursunov"])

    batch = issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)
    state = _wait(batch)

    assert (state["done"], state["failed"], state["percent"]) == (3, 0, 100)
    certificate = Certificate.objects.get(recipient_name="Алишер Навоийев")
    body = s3.client().get_object(Bucket=s3.bucket_name(), Key=certificate.pdf_key)["Body"]
    _reader, text = pdf_text(body.read())
    assert "Алишер Навоийев" in text
    assert certificate.code in text

    again = issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)
    assert (again.queued, again.already_issued) == (0, 3)
    assert Certificate.objects.count() == 3
