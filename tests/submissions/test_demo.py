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


def test_demo_challenges_ask_their_own_questions_and_entries_answer_them(shared_demo):
    from submissions.services.answers import questions_for, submit_problems

    def names(slug):
        return {
            q.clean_name
            for q in Submission.objects.filter(challenge__slug=slug)
            .first()
            .challenge.entry_fields.all()
        }

    assert {"stage", "target_group"} <= names("covid-19-challenge-2020")
    assert {"has_mentor", "mentor_name", "mentor_email", "file_image"} <= names(
        "technovation-challenge"
    )
    assert {"datasets", "licence", "file_source"} <= names("open-data-challenge")
    mentors = Submission.objects.filter(challenge__slug="technovation-challenge")
    for entry in mentors:
        # The conditional question: a name only when there is a mentor.
        assert ("mentor_name" in entry.answers) == (entry.answers.get("has_mentor") == "yes")
    for entry in Submission.objects.filter(current_version__isnull=False).select_related(
        "challenge"
    )[:60]:
        questions = questions_for(entry.challenge, track=entry.track_id)
        assert submit_problems(questions, entry.answers) == []
