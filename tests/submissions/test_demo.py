import io

import pytest

from core import s3
from submissions.enums import FileStatus
from submissions.models import Submission, SubmissionFile, TeamMembership

pytestmark = pytest.mark.django_db


def test_demo_entries_load_twice_with_real_files_in_the_bucket(shared_demo):
    from cms.demo import submissions

    counts = (Submission.objects.count(), SubmissionFile.objects.count())
    submissions.load(stdout=io.StringIO())

    assert (Submission.objects.count(), SubmissionFile.objects.count()) == counts
    covid = Submission.objects.filter(challenge__slug="covid-19-challenge-2020")
    assert covid.filter(current_version__isnull=False).count() == 48
    assert TeamMembership.objects.filter(user__username="participant").exists()
    file = SubmissionFile.objects.filter(content_type="application/pdf").first()
    body = s3.client().get_object(Bucket=s3.bucket_name(), Key=file.key)["Body"].read()
    assert body.startswith(b"%PDF-")
    assert file.status == FileStatus.VERIFIED
    from pypdf import PdfReader

    assert "Team:" in PdfReader(io.BytesIO(body)).pages[0].extract_text()


def test_demo_entries_skip_gracefully_without_challenges(s3_bucket):
    from cms.demo import submissions

    out = io.StringIO()
    submissions.load(stdout=out)

    assert "no demo challenges found" in out.getvalue()
    assert not Submission.objects.exists()
