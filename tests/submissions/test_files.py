"""Uploads of an entry's files, against moto's S3 server over HTTP."""

import hashlib
import json

import pytest
import requests
from django.urls import reverse
from django.utils import translation

from core import s3
from core.files import purge_abandoned as purge_uploads_of_every_kind
from submissions.enums import FileStatus
from submissions.models import SubmissionFile
from submissions.services import entries, files
from tests import images
from tests.s3 import free_port
from tests.submissions.builders import ELF, PDF, open_challenge, participant, team_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(s3_bucket):
    return team_entry(open_challenge())


def _slot(client, submission, *, name="deck.pdf", size=None, kind="pitch_deck", ct=None):
    return client.post(
        reverse("submissions:file_slot", args=[submission.pk]),
        data=json.dumps(
            {
                "kind": kind,
                "name": name,
                "size": len(PDF) if size is None else size,
                "content_type": ct or "application/pdf",
            }
        ),
        content_type="application/json",
    )


def _browser_post(slot, body, content_type="application/pdf"):
    """What upload.js does: post the presigned form with the file straight to S3."""
    answer = requests.post(
        slot["url"], data=slot["fields"], files={"file": ("x", body, content_type)}, timeout=10
    )
    assert answer.status_code in (200, 201, 204)


def _confirm(client, submission, file_pk):
    return client.post(reverse("submissions:file_confirm", args=[submission.pk, file_pk]))


def _exists(key):
    answer = s3.client().list_objects_v2(Bucket=s3.bucket_name(), Prefix=key)
    return answer.get("KeyCount", 0) > 0


def test_direct_upload_is_verified_and_attached(client, entry, django_capture_on_commit_callbacks):
    client.force_login(entry.owner)
    slot = _slot(client, entry).json()
    _browser_post(slot, PDF)

    with django_capture_on_commit_callbacks(execute=True):
        answer = _confirm(client, entry, slot["file"])

    file = SubmissionFile.objects.get()
    assert answer.status_code == 200
    assert (file.status, file.size) == (FileStatus.VERIFIED, len(PDF))
    # Moved to a key no presigned form was issued for; the upload key is gone.
    assert file.key != slot["fields"]["key"]
    assert (_exists(file.key), _exists(slot["fields"]["key"])) == (True, False)
    assert file.original_name == "deck.pdf"
    assert len(file.sha256) == 64
    page = client.get(reverse("submissions:entry", args=[entry.pk])).content.decode()
    assert "deck.pdf" in page


def test_slot_policy_limits_type_and_size_to_the_requirement(client, entry):
    import base64

    client.force_login(entry.owner)

    slot = _slot(client, entry).json()

    conditions = json.loads(base64.b64decode(slot["fields"]["policy"]))["conditions"]
    assert ["content-length-range", 1, 1024 * 1024] in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert {"key": SubmissionFile.objects.get().key} in conditions


def test_key_is_random_and_the_display_name_is_sanitised(client, entry):
    client.force_login(entry.owner)

    _slot(client, entry, name="../../etc/\x00pass\nwd.pdf")

    file = SubmissionFile.objects.get()
    assert file.original_name == "passwd.pdf"
    assert "passwd" not in file.key
    assert "etc" not in file.key
    assert file.key.startswith(f"submissions/{entry.challenge_id}/{entry.pk}/")


def test_oversized_file_is_refused_at_the_slot(client, entry):
    client.force_login(entry.owner)

    answer = _slot(client, entry, size=2 * 1024 * 1024)

    assert answer.status_code == 400
    assert answer.json()["error"] == "The file is larger than the limit of 1 MB."
    assert not SubmissionFile.objects.exists()


def test_oversized_object_that_slipped_past_the_policy_is_deleted(client, entry):
    client.force_login(entry.owner)
    slot = _slot(client, entry).json()
    _browser_post(slot, PDF + b"0" * (1024 * 1024))  # moto ignores the policy; S3 would not

    answer = _confirm(client, entry, slot["file"])

    file = SubmissionFile.objects.get()
    assert answer.status_code == 400
    assert "larger than the limit of 1.0\xa0MB." in answer.json()["error"]
    assert (file.status, _exists(file.key)) == (FileStatus.REJECTED, False)


def test_executable_renamed_pdf_is_rejected_and_deleted(client, entry):
    client.force_login(entry.owner)
    slot = _slot(client, entry, name="deck.pdf").json()
    _browser_post(slot, ELF)

    answer = _confirm(client, entry, slot["file"])

    file = SubmissionFile.objects.get()
    assert answer.json()["error"] == "The file's contents are not a PDF file."
    assert file.status == FileStatus.REJECTED
    assert not _exists(file.key)
    with pytest.raises(Exception, match="A file is missing"):
        entries.submit_entry(submission=entry, by=entry.owner)


def test_empty_file_is_refused(client, entry):
    client.force_login(entry.owner)

    answer = _slot(client, entry, size=0)

    assert answer.json()["error"] == "The file is empty."


def test_wrong_declared_type_for_the_kind_is_refused(client, entry):
    client.force_login(entry.owner)

    answer = _slot(client, entry, ct="application/x-msdownload")

    assert answer.status_code == 400
    assert "must be a file of one of these types: PDF" in answer.json()["error"]


def test_s3_down_during_upload_keeps_draft_and_earlier_files_and_allows_retry(
    client, entry, settings
):
    client.force_login(entry.owner)
    first = _slot(client, entry, name="first.pdf").json()
    _browser_post(first, PDF)
    _confirm(client, entry, first["file"])
    png = images.png()
    second = _slot(
        client, entry, kind="image", name="shot.png", size=len(png), ct="image/png"
    ).json()
    _browser_post(second, png, "image/png")
    endpoint = settings.AWS_S3_ENDPOINT_URL

    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{free_port()}"
    down = _confirm(client, entry, second["file"])
    settings.AWS_S3_ENDPOINT_URL = endpoint

    assert down.status_code == 503
    assert "cannot be reached right now. Nothing was lost" in down.json()["error"]
    assert SubmissionFile.objects.get(pk=first["file"]).status == FileStatus.VERIFIED
    assert SubmissionFile.objects.get(pk=second["file"]).status == FileStatus.PENDING
    retry = _confirm(client, entry, second["file"])
    assert retry.status_code == 200
    assert SubmissionFile.objects.get(pk=second["file"]).status == FileStatus.VERIFIED


def test_no_javascript_fallback_streams_through_django(client, entry):
    from tests.submissions.builders import pdf_upload

    client.force_login(entry.owner)

    answer = client.post(
        reverse("submissions:file_upload", args=[entry.pk]),
        {"kind": "pitch_deck", "file": pdf_upload("C:\\docs\\Taqdimot.pdf")},
        follow=True,
    )

    file = SubmissionFile.objects.get()
    assert (file.status, file.original_name) == (FileStatus.VERIFIED, "Taqdimot.pdf")
    assert "Taqdimot.pdf is attached." in answer.content.decode()
    body = s3.client().get_object(Bucket=s3.bucket_name(), Key=file.key)["Body"].read()
    assert body == PDF


def test_no_javascript_fallback_refuses_an_executable(client, entry):
    from tests.submissions.builders import pdf_upload

    client.force_login(entry.owner)

    answer = client.post(
        reverse("submissions:file_upload", args=[entry.pk]),
        {"kind": "pitch_deck", "file": pdf_upload("setup.pdf", body=ELF)},
        follow=True,
    )

    assert "The file&#x27;s contents are not a PDF file." in answer.content.decode()
    assert not SubmissionFile.objects.exists()


def test_download_is_a_short_presigned_link_for_the_team(client, entry):
    client.force_login(entry.owner)
    files.attach_file(
        submission=entry,
        kind="pitch_deck",
        uploaded=__import__("tests.submissions.builders", fromlist=["x"]).pdf_upload(),
        by=entry.owner,
    )
    file = SubmissionFile.objects.get()

    answer = client.get(reverse("submissions:file_download", args=[entry.pk, file.pk]))

    assert answer.status_code == 302
    assert "X-Amz-Expires=300" in answer["Location"]
    assert requests.get(answer["Location"], timeout=10).content == PDF


def test_challenge_manager_may_download_but_another_challenges_manager_may_not(client, entry):
    from tests.factories import ChallengeFactory, UserFactory
    from tests.submissions.builders import pdf_upload

    files.attach_file(submission=entry, kind="pitch_deck", uploaded=pdf_upload(), by=entry.owner)
    file = SubmissionFile.objects.get()
    url = reverse("submissions:file_download", args=[entry.pk, file.pk])
    manager, other = UserFactory(is_staff=True), UserFactory(is_staff=True)
    entry.challenge.managers.add(manager)
    ChallengeFactory().managers.add(other)

    client.force_login(manager)
    assert client.get(url).status_code == 302
    client.force_login(other)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["submissions:entry", "submissions:file_download", "submissions:file_confirm", "slot"],
)
def test_another_teams_draft_and_files_answer_404(client, entry, name):
    from tests.submissions.builders import pdf_upload

    files.attach_file(submission=entry, kind="pitch_deck", uploaded=pdf_upload(), by=entry.owner)
    file = SubmissionFile.objects.get()
    client.force_login(participant())

    if name == "submissions:entry":
        answer = client.get(reverse(name, args=[entry.pk]))
    elif name == "slot":
        answer = _slot(client, entry)
    elif name == "submissions:file_confirm":
        answer = client.post(reverse(name, args=[entry.pk, file.pk]))
    else:
        answer = client.get(reverse(name, args=[entry.pk, file.pk]))

    assert answer.status_code == 404
    assert SubmissionFile.objects.count() == 1


def test_file_of_another_entry_cannot_be_reached_through_mine(client, entry):
    from tests.submissions.builders import pdf_upload

    mine = team_entry(entry.challenge)
    files.attach_file(submission=entry, kind="pitch_deck", uploaded=pdf_upload(), by=entry.owner)
    other_file = SubmissionFile.objects.get()
    client.force_login(mine.owner)

    answer = client.get(reverse("submissions:file_download", args=[mine.pk, other_file.pk]))

    assert answer.status_code == 404


def test_removing_a_file_keeps_the_object_a_submitted_version_refers_to(client, entry):
    from tests.submissions.builders import pdf_upload

    file = files.attach_file(
        submission=entry, kind="pitch_deck", uploaded=pdf_upload(), by=entry.owner
    )
    entries.submit_entry(submission=entry, by=entry.owner)

    files.remove_file(file=file, by=entry.owner)

    file.refresh_from_db()
    assert file.removed_at is not None
    assert _exists(file.key)


def test_purge_removes_abandoned_pending_uploads(client, entry):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(entry.owner)
    slot = _slot(client, entry).json()
    _browser_post(slot, PDF)
    key = SubmissionFile.objects.get().key

    removed = purge_uploads_of_every_kind(now=timezone.now() + timedelta(days=1))

    assert removed == 1
    assert not SubmissionFile.objects.exists()
    assert not _exists(key)


def test_large_file_gets_a_multipart_slot_and_completes(
    client, entry, settings, django_capture_on_commit_callbacks
):
    from challenges.services.entry_forms import add_file_question

    # S3's smallest part is 5 MB; a low threshold keeps the upload small.
    settings.UPLOAD_MULTIPART_THRESHOLD = settings.UPLOAD_PART_SIZE = 5 * 1024 * 1024
    add_file_question(challenge=entry.challenge, kind="video", max_size_mb=100)
    client.force_login(entry.owner)
    body = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (6 * 1024 * 1024)

    slot = _slot(
        client, entry, kind="video", name="demo.mp4", size=len(body), ct="video/mp4"
    ).json()

    assert slot["multipart"] is True
    assert slot["parts"] == 2
    for number in (1, 2):
        part = client.post(
            reverse("submissions:file_part", args=[entry.pk, slot["file"]]),
            data=json.dumps({"part": number}),
            content_type="application/json",
        ).json()
        start = (number - 1) * slot["part_size"]
        chunk = body[start : start + slot["part_size"]]
        requests.put(part["url"], data=chunk, timeout=30).raise_for_status()
    upload_key = SubmissionFile.objects.get().key
    with django_capture_on_commit_callbacks(execute=True):
        assert _confirm(client, entry, slot["file"]).status_code == 200
    file = SubmissionFile.objects.get()
    assert file.size == len(body)
    # The completed object is copied to its final key like any other upload.
    assert file.key != upload_key
    assert (_exists(file.key), _exists(upload_key)) == (True, False)
    link = client.get(reverse("submissions:file_download", args=[entry.pk, file.pk]))
    fetched = requests.get(link["Location"], timeout=30).content
    assert hashlib.sha256(fetched).hexdigest() == hashlib.sha256(body).hexdigest()
    assert s3.client().list_multipart_uploads(Bucket=s3.bucket_name()).get("Uploads", []) == []


def test_removing_a_file_asks_first_and_says_the_jury_keeps_the_submitted_one(client, entry):
    from tests.submissions.builders import pdf_upload

    file = files.attach_file(
        submission=entry, kind="pitch_deck", uploaded=pdf_upload(), by=entry.owner
    )
    client.force_login(entry.owner)
    with translation.override("en"):
        url = reverse("submissions:file_remove", args=[entry.pk, file.pk])
        entry_url = reverse("submissions:entry", args=[entry.pk])

    draft_only = client.get(url)
    assert draft_only.status_code == 200
    assert "which the jury sees" not in draft_only.text
    file.refresh_from_db()
    assert file.removed_at is None  # asking changes nothing

    entries.submit_entry(submission=entry, by=entry.owner)
    asked = client.get(url)
    assert "This file is part of version 1, which the jury sees." in asked.text
    file.refresh_from_db()
    assert file.removed_at is None

    entry_page = client.get(entry_url)
    assert f'href="{url}"' in entry_page.text  # the entry page links to the question

    removed = client.post(url)
    assert removed.status_code == 302
    file.refresh_from_db()
    assert file.removed_at is not None


def test_a_file_question_of_its_own_kind_is_an_upload_slot_with_its_types(client, entry):
    from tests.factories import FileQuestionFactory

    FileQuestionFactory(
        challenge=entry.challenge,
        file_kind="team_photo",
        label="Jamoa surati",
        label_en="Team photo",
        accepted_types="image/png, image/jpeg",
        required=False,
    )
    client.force_login(entry.owner)

    accepted = _slot(client, entry, kind="team_photo", name="team.png", ct="image/png")
    refused = _slot(client, entry, kind="team_photo", name="team.pdf", ct="application/pdf")
    unknown = _slot(client, entry, kind="budget", name="b.pdf")

    assert accepted.status_code == 200
    assert refused.json()["error"] == "Team photo must be a file of one of these types: PNG, JPEG."
    assert unknown.json()["error"] == "This challenge does not ask for files of this kind."


def test_a_required_file_question_stops_a_submit_until_its_file_is_there(entry):
    from tests.factories import FileQuestionFactory

    FileQuestionFactory(
        challenge=entry.challenge,
        file_kind="budget",
        label="Byudjet",
        label_en="Budget",
        accepted_types="application/pdf",
    )

    assert "A file is missing: Budget." in entries.problems(entry)


def test_a_file_of_a_question_archived_since_can_still_be_removed(entry):
    from challenges.models import EntryField
    from tests.submissions.builders import pdf_upload

    files.attach_file(submission=entry, kind="pitch_deck", uploaded=pdf_upload(), by=entry.owner)
    file = SubmissionFile.objects.get()
    EntryField.objects.filter(challenge=entry.challenge, file_kind="pitch_deck").update(
        archived=True
    )

    files.remove_file(file=file, by=entry.owner)

    assert not SubmissionFile.objects.filter(pk=file.pk).exists()
    with pytest.raises(files.ActionRefused):  # a new one of that kind is not taken any more
        files.attach_file(
            submission=entry, kind="pitch_deck", uploaded=pdf_upload(), by=entry.owner
        )


def test_the_slot_and_the_confirm_ask_the_team_once_each(client, entry):
    """The rules of one request (work on the entry, edit it) share one answer about the
    user's role in the team: one membership query per request, not one per rule."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(entry.owner)
    with CaptureQueriesContext(connection) as slot_queries:
        slot = _slot(client, entry).json()
    _browser_post(slot, PDF)
    with CaptureQueriesContext(connection) as confirm_queries:
        assert _confirm(client, entry, slot["file"]).status_code == 200
    for queries in (slot_queries, confirm_queries):
        asked = [q["sql"] for q in queries if "submissions_teammembership" in q["sql"]]
        assert len(asked) == 1, asked
    assert len(slot_queries) <= 10
    assert len(confirm_queries) <= 11


def test_a_mentor_may_work_on_the_entry_but_not_upload(client, entry):
    """The role read once serves both rules: a mentor is in the team (may see the entry)
    but is not one of its editors (may not ask for an upload slot)."""
    from core.access import allowed
    from submissions.enums import MemberRole
    from submissions.models import TeamMembership

    mentor = participant()
    TeamMembership.objects.create(
        team=entry.team, challenge=entry.challenge, user=mentor, role=MemberRole.MENTOR
    )
    assert allowed(mentor, "submissions.work_on_entry", entry)
    assert not allowed(mentor, "submissions.edit_entry", entry)
    client.force_login(mentor)
    assert _slot(client, entry).status_code == 403
    assert not SubmissionFile.objects.exists()
