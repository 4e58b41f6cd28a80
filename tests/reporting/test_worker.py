"""A partners' report made by a real Celery worker process (Redis broker, moto S3 over HTTP):
the job's progress reaches 100 and both files are in the bucket."""

import io
import time

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core import s3
from reporting.models import ReportJob
from reporting.services import reports
from tests import factories
from tests.reporting.helpers import known_world

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait(job, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            return job
        time.sleep(0.5)
    raise AssertionError(f"report did not finish: {job.status} {job.progress} %")


def test_real_worker_makes_and_stores_the_report(s3_bucket, celery_worker):
    # s3_bucket first: the worker is started with the bucket storage points at.
    world = known_world()
    manager = factories.UserFactory(is_staff=True)
    world["a"].managers.add(manager)

    job = reports.start(challenge=world["a"], language="en", by=manager)
    job = _wait(job)

    assert (job.status, job.progress) == ("done", 100), job.failure_reason
    pdf = s3.client().get_object(Bucket=s3.bucket_name(), Key=job.pdf_key)["Body"].read()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Dashboard A" in text
    xlsx = s3.client().get_object(Bucket=s3.bucket_name(), Key=job.xlsx_key)["Body"].read()
    summary = load_workbook(io.BytesIO(xlsx), read_only=True).worksheets[0]
    rows = {row[0]: row[1] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert rows["People registered"] == 4
    assert ReportJob.objects.count() == 1
