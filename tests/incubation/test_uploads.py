"""Direct uploads: presigned POST to S3 (moto over HTTP), then server-side verification."""

import base64
import datetime as dt
import hashlib
import json

import pytest
import requests

from core import s3
from core.errors import NotAllowed
from core.models import AuditEntry
from core.uploads import UploadRejected
from incubation.models import ProgressReport, ProjectFile
from incubation.services import files
from incubation.services.reports import submit_report
from tests import images
from tests.factories import UserFactory

from .conftest import make_project

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def browser_post(post, name, content, content_type):
    """What the page's script does: the policy fields, then the file, straight to S3."""
    answer = requests.post(
        post["url"], data=post["fields"], files={"file": (name, content, content_type)}, timeout=10
    )
    assert answer.status_code in (200, 201, 204), answer.text


def test_presigned_post_policy_fixes_key_type_and_size(cohort, s3_bucket):
    project = make_project(cohort)

    item, post = files.start_upload(
        project=project,
        filename="../../photos.pdf",
        content_type="application/pdf",
        size=len(PDF),
        by=project.owner,
    )

    policy = json.loads(base64.b64decode(post["fields"]["policy"]))
    conditions = policy["conditions"]
    assert {"key": item.key} in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert ["content-length-range", 1, files.MAX_BYTES] in conditions
    assert item.key.startswith(f"incubation/{project.pk}/")
    assert (item.original_name, item.status) == ("photos.pdf", "pending")


@pytest.mark.parametrize(
    ("content_type", "size"),
    [("text/html", 10), ("application/pdf", 0), ("application/pdf", 10**9)],
)
def test_start_upload_refuses_bad_type_or_size(cohort, s3_bucket, content_type, size):
    project = make_project(cohort)

    with pytest.raises(UploadRejected):
        files.start_upload(
            project=project,
            filename="x.pdf",
            content_type=content_type,
            size=size,
            by=project.owner,
        )

    assert ProjectFile.objects.count() == 0


def _keys(bucket):
    return [item["Key"] for item in s3.client().list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_direct_upload_is_verified_and_attached_to_the_report(
    cohort, s3_bucket, django_capture_on_commit_callbacks
):
    project = make_project(cohort)
    item, post = files.start_upload(
        project=project,
        filename="photos.pdf",
        content_type="application/pdf",
        size=len(PDF),
        by=project.owner,
    )
    browser_post(post, "photos.pdf", PDF, "application/pdf")

    with django_capture_on_commit_callbacks(execute=True):
        files.confirm_upload(project_file=item)
    # Moved to a key no presigned form was issued for; the upload key is gone.
    assert item.key != post["fields"]["key"]
    assert item.key.startswith(f"incubation/{project.pk}/")
    assert _keys(s3_bucket) == [item.key]
    report = submit_report(
        project=project,
        period_start=dt.date(2026, 1, 1),
        narrative="ok",
        by=project.owner,
        uploaded=[item.pk],
    )

    item.refresh_from_db()
    assert (item.status, item.size, item.report) == ("verified", len(PDF), report)
    assert len(item.sha256) == 64


def test_direct_upload_with_wrong_bytes_is_deleted(cohort, s3_bucket):
    project = make_project(cohort)
    item, post = files.start_upload(
        project=project,
        filename="photos.pdf",
        content_type="application/pdf",
        size=20,
        by=project.owner,
    )
    browser_post(post, "photos.pdf", b"<script>alert(1)</script>", "application/pdf")

    with pytest.raises(UploadRejected):
        files.confirm_upload(project_file=item)

    item.refresh_from_db()
    assert item.status == "rejected"
    assert s3.client().list_objects_v2(Bucket=s3_bucket).get("KeyCount") == 0


def test_an_outsider_cannot_start_an_upload_for_a_project(cohort, s3_bucket):
    project = make_project(cohort)
    with pytest.raises(NotAllowed):
        files.start_upload(
            project=project,
            filename="photos.pdf",
            content_type="application/pdf",
            size=len(PDF),
            by=UserFactory(),
        )
    assert not ProjectFile.objects.exists()


def test_report_cannot_claim_someone_elses_upload(cohort, manager, s3_bucket):
    project = make_project(cohort)
    # Staff may upload evidence too; their upload is still theirs, not the team's to claim.
    item, post = files.start_upload(
        project=project,
        filename="photos.pdf",
        content_type="application/pdf",
        size=len(PDF),
        by=manager,
    )
    browser_post(post, "photos.pdf", PDF, "application/pdf")
    files.confirm_upload(project_file=item)

    with pytest.raises(UploadRejected):
        submit_report(
            project=project,
            period_start=dt.date(2026, 1, 1),
            narrative="ok",
            by=project.owner,
            uploaded=[item.pk],
        )

    assert ProgressReport.objects.count() == 0


def test_upload_endpoints_are_scoped(client, cohort, s3_bucket):
    project = make_project(cohort)
    mentor = UserFactory()
    project.mentors.add(mentor)
    data = {"name": "a.pdf", "type": "application/pdf", "size": "10"}

    client.force_login(UserFactory())
    stranger = client.post(f"/en/incubation/projects/{project.pk}/uploads/", data)
    client.force_login(mentor)
    as_mentor = client.post(f"/en/incubation/projects/{project.pk}/uploads/", data)
    client.force_login(project.owner)
    as_team = client.post(f"/en/incubation/projects/{project.pk}/uploads/", data)
    refused = client.post(
        f"/en/incubation/projects/{project.pk}/uploads/", {**data, "type": "text/html"}
    )

    assert (stranger.status_code, as_mentor.status_code, as_team.status_code) == (404, 403, 200)
    assert set(as_team.json()) == {"id", "url", "fields"}
    assert refused.status_code == 400
    assert "only PDF, PNG, JPEG, WebP and ZIP" in refused.json()["error"]


@pytest.mark.parametrize("size", ["abc", "1e400", "", "99999999999999999999999"])
def test_a_size_that_is_not_a_whole_number_is_refused_and_nothing_starts(
    client, cohort, s3_bucket, size
):
    project = make_project(cohort)
    client.force_login(project.owner)

    answer = client.post(
        f"/en/incubation/projects/{project.pk}/uploads/",
        {"name": "a.pdf", "type": "application/pdf", "size": size},
    )

    assert answer.status_code == 400
    assert answer.json()["error"]
    assert not ProjectFile.objects.exists()


OTHER_PDF = b"%PDF-1.7\n%%EOF\n"


def test_replaying_the_upload_form_after_verification_does_not_change_the_download(
    client, cohort, s3_bucket, django_capture_on_commit_callbacks
):
    assert (len(OTHER_PDF), OTHER_PDF != PDF) == (len(PDF), True)
    project = make_project(cohort)
    client.force_login(project.owner)
    slot = client.post(
        f"/en/incubation/projects/{project.pk}/uploads/",
        {"name": "photos.pdf", "type": "application/pdf", "size": str(len(PDF))},
    ).json()
    browser_post(slot, "photos.pdf", PDF, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"/en/incubation/uploads/{slot['id']}/confirm/")
    assert confirmed.json() == {"id": slot["id"], "name": "photos.pdf", "size": len(PDF)}
    item = ProjectFile.objects.get()
    assert item.key != slot["fields"]["key"]
    assert _keys(s3_bucket) == [item.key]

    browser_post(slot, "photos.pdf", OTHER_PDF, "application/pdf")  # the same form, replayed
    again = client.post(f"/en/incubation/uploads/{slot['id']}/confirm/")

    link = client.get(f"/en/incubation/files/{item.pk}/")
    downloaded = requests.get(link["Location"], timeout=10).content
    verified = hashlib.sha256(PDF).hexdigest()
    assert hashlib.sha256(downloaded).hexdigest() == verified
    assert again.status_code == 200
    item.refresh_from_db()
    assert (item.sha256, item.status) == (verified, "verified")


@pytest.mark.parametrize("confirmed", [False, True])
def test_download_hands_out_only_a_verified_file(client, cohort, s3_bucket, confirmed):
    """An upload that was never confirmed (bytes unchecked) answers 404, even to its team."""
    project = make_project(cohort)
    mentor = UserFactory()
    project.mentors.add(mentor)
    item, post = files.start_upload(
        project=project,
        filename="photos.pdf",
        content_type="application/pdf",
        size=len(PDF),
        by=project.owner,
    )
    browser_post(post, "photos.pdf", PDF, "application/pdf")
    if confirmed:
        files.confirm_upload(project_file=item)
    item.refresh_from_db()

    answers = []
    for person in (project.owner, mentor):
        client.force_login(person)
        answers.append(client.get(f"/en/incubation/files/{item.pk}/").status_code)

    assert answers == ([302, 302] if confirmed else [404, 404])


def _started(project, size=None):
    return files.start_upload(
        project=project,
        filename="photos.pdf",
        content_type="application/pdf",
        size=len(PDF) if size is None else size,
        by=project.owner,
    )


def test_confirm_keeps_the_reason_and_audits_like_entry_files(cohort, s3_bucket):
    project = make_project(cohort)
    good, post = _started(project)
    browser_post(post, "photos.pdf", PDF, "application/pdf")
    files.confirm_upload(project_file=good)
    assert good.status == "verified"
    assert AuditEntry.objects.filter(action="incubation.file.verified").count() == 1

    # Announced 15 bytes, sent other bytes of the same length would pass; sent fewer fails.
    short, post = _started(project, size=len(PDF) + 5)
    browser_post(post, "photos.pdf", PDF, "application/pdf")
    with pytest.raises(UploadRejected):
        files.confirm_upload(project_file=short)
    assert short.status == "rejected"
    assert short.rejection_reason
    assert AuditEntry.objects.filter(action="incubation.file.rejected").count() == 1
    # Asking again says the same reason, and still serves nothing.
    with pytest.raises(UploadRejected, match=short.rejection_reason[:20]):
        files.confirm_upload(project_file=short)


def test_one_purge_removes_abandoned_uploads_of_every_kind(
    cohort, s3_bucket, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from core.files import purge_abandoned

    project = make_project(cohort)
    _abandoned, post = _started(project)
    browser_post(post, "photos.pdf", PDF, "application/pdf")
    kept, post = _started(project)
    browser_post(post, "photos.pdf", PDF, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        files.confirm_upload(project_file=kept)

    assert purge_abandoned(now=timezone.now()) == 0  # nothing is old yet
    assert purge_abandoned(now=timezone.now() + timedelta(days=1)) == 1

    assert list(ProjectFile.objects.values_list("pk", flat=True)) == [kept.pk]
    assert _keys(s3_bucket) == [kept.key]


def test_direct_upload_of_a_png_polyglot_is_refused_and_deleted(cohort, s3_bucket):
    project = make_project(cohort)
    polyglot = images.png_with_html()
    item, post = files.start_upload(
        project=project,
        filename="logo.png",
        content_type="image/png",
        size=len(polyglot),
        by=project.owner,
    )
    browser_post(post, "logo.png", polyglot, "image/png")

    with pytest.raises(UploadRejected, match="The image has other data after its end"):
        files.confirm_upload(project_file=item)

    item.refresh_from_db()
    assert item.status == "rejected"
    assert item.rejection_reason.startswith("The image has other data after its end")
    assert _keys(s3_bucket) == []


def test_direct_upload_of_a_real_jpeg_is_verified(cohort, s3_bucket):
    project = make_project(cohort)
    photo = images.jpeg()
    item, post = files.start_upload(
        project=project,
        filename="photo.jpg",
        content_type="image/jpeg",
        size=len(photo),
        by=project.owner,
    )
    browser_post(post, "photo.jpg", photo, "image/jpeg")

    files.confirm_upload(project_file=item)

    item.refresh_from_db()
    assert (item.status, item.size) == ("verified", len(photo))
