"""Hostile files pushed at an entry's upload path, through the real views and moto's S3.

Each case ends with a clear, translated reason and nothing kept: no verified
``SubmissionFile``, the object gone from the bucket (or never referenced), the entry as it
was.
"""

import hashlib
import io
import json
import stat
import zipfile
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from challenges.models import Phase
from challenges.services.entry_forms import add_file_question
from core import s3, uploads
from submissions.enums import FileStatus, MemberRole
from submissions.models import Submission, SubmissionFile, TeamMembership
from tests import images
from tests.submissions.builders import ELF, PDF, open_challenge, participant, pdf_upload, team_entry

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# A PDF that is also an HTML page: it passes the magic check, so the download must never
# let a browser render it.
POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.domain)</script></html>\n%%EOF\n"


@pytest.fixture
def entry(s3_bucket):
    submission = team_entry(open_challenge(), title="Mehr")
    add_file_question(challenge=submission.challenge, kind="source", max_size_mb=1)
    return submission


@pytest.fixture
def owner_client(client, entry):
    client.force_login(entry.owner)
    return client


# --- helpers -----------------------------------------------------------------------------
def _slot(client, submission, *, body=PDF, name="deck.pdf", kind="pitch_deck", ct=None, **extra):
    payload = {
        "kind": kind,
        "name": name,
        "size": len(body),
        "content_type": ct or "application/pdf",
        **extra,
    }
    return client.post(
        reverse("submissions:file_slot", args=[submission.pk]),
        data=json.dumps(payload),
        content_type="application/json",
    )


def _post_to_s3(slot, body, content_type="application/pdf"):
    """What upload.js does: the presigned form with the file, straight to the bucket."""
    answer = requests.post(
        slot["url"], data=slot["fields"], files={"file": ("x", body, content_type)}, timeout=10
    )
    assert answer.status_code in (200, 201, 204)


def _confirm(client, submission, file_pk, **payload):
    return client.post(
        reverse("submissions:file_confirm", args=[submission.pk, file_pk]),
        data=json.dumps(payload),
        content_type="application/json",
    )


def _upload(client, submission, body, *, declared=None, **slot_args):
    """Slot, post ``body`` to S3, confirm; returns the confirm answer and the file row."""
    slot = _slot(client, submission, body=declared if declared is not None else body, **slot_args)
    assert slot.status_code == 200, slot.content
    slot = slot.json()
    _post_to_s3(slot, body, slot["fields"]["Content-Type"])
    answer = _confirm(client, submission, slot["file"])
    return answer, SubmissionFile.objects.get(pk=slot["file"])


def _exists(key):
    answer = s3.client().list_objects_v2(Bucket=s3.bucket_name(), Prefix=key)
    return answer.get("KeyCount", 0) > 0


def _bucket_keys():
    answer = s3.client().list_objects_v2(Bucket=s3.bucket_name())
    return [item["Key"] for item in answer.get("Contents", [])]


def _assert_nothing_kept(submission, file=None):
    assert not SubmissionFile.objects.filter(status=FileStatus.VERIFIED).exists()
    if file is not None:
        file.refresh_from_db()
        assert file.status == FileStatus.REJECTED
        assert not _exists(file.key)
    fresh = Submission.objects.get(pk=submission.pk)
    assert (fresh.status, fresh.title, fresh.current_version_id) == ("draft", "Mehr", None)


def _zip(*members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for member, data in members:
            archive.writestr(member, data)
    return buffer.getvalue()


def _nojs(client, submission, upload, kind="pitch_deck"):
    return client.post(
        reverse("submissions:file_upload", args=[submission.pk]),
        {"kind": kind, "file": upload},
        follow=True,
    )


def _messages(answer):
    return [str(message) for message in answer.context["messages"]]


# --- contents that are not what the extension says ----------------------------------------
@pytest.mark.parametrize(
    ("body", "name", "kind", "ct"),
    [
        (ELF, "setup.pdf", "pitch_deck", "application/pdf"),
        (b"MZ\x90\x00\x03" + b"\x00" * 100, "setup.exe.pdf", "pitch_deck", "application/pdf"),
        (HTML, "page.pdf", "pitch_deck", "application/pdf"),
        (PNG, "picture.pdf", "pitch_deck", "application/pdf"),
        (HTML, "shot.png", "image", "image/png"),
        (SVG, "shot.png", "image", "image/png"),
        (PDF, "shot.jpg", "image", "image/jpeg"),
        (ELF, "code.zip", "source", "application/zip"),
    ],
    ids=[
        "elf-as-pdf",
        "exe-as-pdf",
        "html-as-pdf",
        "png-as-pdf",
        "html-as-png",
        "svg-as-png",
        "pdf-as-jpeg",
        "elf-as-zip",
    ],
)
def test_contents_of_another_type_are_rejected_and_deleted(
    owner_client, entry, body, name, kind, ct
):
    answer, file = _upload(owner_client, entry, body, name=name, kind=kind, ct=ct)

    assert answer.status_code == 400
    assert (
        answer.json()["error"] == f"The file's contents are not a {uploads.type_names([ct])} file."
    )
    _assert_nothing_kept(entry, file)


@pytest.mark.parametrize(
    ("ct", "kind"),
    [
        ("text/html", "pitch_deck"),
        ("image/svg+xml", "image"),
        ("application/x-msdownload", "pitch_deck"),
        ("application/pdf; charset=utf-8", "pitch_deck"),
        ("application/zip", "pitch_deck"),
    ],
)
def test_a_type_the_kind_does_not_accept_is_refused_at_the_slot(owner_client, entry, ct, kind):
    answer = _slot(owner_client, entry, ct=ct, kind=kind)

    assert answer.status_code == 400
    assert "must be a file of one of these types:" in answer.json()["error"]
    assert not SubmissionFile.objects.exists()
    assert _bucket_keys() == []


def test_an_unknown_or_hostile_kind_is_refused(owner_client, entry):
    for kind in ("poster", "pitch_deck\x00", "'; DROP TABLE x; --"):
        answer = _slot(owner_client, entry, kind=kind)

        assert answer.status_code == 400
        assert answer.json()["error"] == "This challenge does not ask for files of this kind."
    assert not SubmissionFile.objects.exists()


@pytest.mark.parametrize("body", [b"[1, 2]", b'"pdf"', b"{not json", b"\xff\xfe"])
def test_a_malformed_slot_request_is_not_understood(owner_client, entry, body):
    answer = owner_client.post(
        reverse("submissions:file_slot", args=[entry.pk]),
        data=body,
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert answer.json()["error"] == "The upload request was not understood."
    assert not SubmissionFile.objects.exists()


def test_a_stored_content_type_other_than_the_policys_is_rejected(owner_client, entry):
    slot = _slot(owner_client, entry).json()
    # moto does not enforce the policy; S3 would refuse this form outright.
    fields = {**slot["fields"], "Content-Type": "text/html"}
    requests.post(slot["url"], data=fields, files={"file": ("x", PDF)}, timeout=10)

    answer = _confirm(owner_client, entry, slot["file"])

    assert answer.status_code == 400
    assert answer.json()["error"] == "The file's type does not match what was declared."
    _assert_nothing_kept(entry, SubmissionFile.objects.get())


# --- images are decoded, not only sniffed ------------------------------------------------------
TRAILING = "The image has other data after its end"


@pytest.mark.parametrize(
    ("body", "name", "ct", "reason"),
    [
        (images.png_with_html(), "logo.png", "image/png", TRAILING),
        (images.jpeg_with_zip(), "logo.jpg", "image/jpeg", TRAILING),
        (
            images.png_declaring(100_000, 100_000),
            "logo.png",
            "image/png",
            "The image has more than 50 million pixels",
        ),
    ],
    ids=["png+html", "jpeg+zip", "png-bomb"],
)
def test_an_image_slot_refuses_a_polyglot_or_a_bomb(owner_client, entry, body, name, ct, reason):
    answer, file = _upload(owner_client, entry, body, name=name, kind="image", ct=ct)

    assert answer.status_code == 400
    assert answer.json()["error"].startswith(reason)
    _assert_nothing_kept(entry, file)


def test_an_image_slot_keeps_a_real_image(owner_client, entry):
    webp = images.webp()

    answer, file = _upload(owner_client, entry, webp, name="a.webp", kind="image", ct="image/webp")

    assert answer.status_code == 200
    file.refresh_from_db()
    assert (file.status, file.size) == (FileStatus.VERIFIED, len(webp))


def test_no_javascript_image_upload_refuses_a_polyglot(owner_client, entry):
    upload = pdf_upload("logo.png", images.png_with_html(), "image/png")

    answer = _nojs(owner_client, entry, upload, kind="image")

    assert answer.status_code == 200
    assert [m[: len(TRAILING)] for m in _messages(answer)] == [TRAILING]
    assert _bucket_keys() == []
    _assert_nothing_kept(entry)


# --- downloads never render ---------------------------------------------------------------
def test_a_polyglot_is_downloaded_as_an_attachment_with_a_safe_type(owner_client, entry):
    answer, file = _upload(owner_client, entry, POLYGLOT, name="<img onerror=alert(1)>.html")
    assert answer.status_code == 200
    assert file.original_name == "_img onerror=alert(1)_.html.pdf"

    link = owner_client.get(reverse("submissions:file_download", args=[entry.pk, file.pk]))

    params = parse_qs(urlsplit(link["Location"]).query)
    assert params["response-content-type"] == ["application/pdf"]
    assert params["response-content-disposition"][0].startswith("attachment;")
    fetched = requests.get(link["Location"], timeout=10)
    assert fetched.content == POLYGLOT
    assert fetched.headers["Content-Type"] == "application/pdf"
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="_img onerror=alert(1)_.html.pdf"' in fetched.headers["Content-Disposition"]


def test_an_object_stored_as_html_is_still_served_as_its_checked_type(owner_client, entry):
    from submissions.services import files

    file = files.attach_file(
        submission=entry, kind="pitch_deck", uploaded=pdf_upload(), by=entry.owner
    )
    # Someone rewrote the metadata behind our back (or an old object carries text/html).
    s3.client().copy_object(
        Bucket=s3.bucket_name(),
        Key=file.key,
        CopySource={"Bucket": s3.bucket_name(), "Key": file.key},
        ContentType="text/html",
        MetadataDirective="REPLACE",
    )

    link = owner_client.get(reverse("submissions:file_download", args=[entry.pk, file.pk]))

    fetched = requests.get(link["Location"], timeout=10)
    assert fetched.headers["Content-Type"] == "application/pdf"
    assert fetched.headers["Content-Disposition"].startswith("attachment;")


# --- ZIP archives (source code) -------------------------------------------------------------
def test_a_plain_zip_of_source_code_is_verified(owner_client, entry):
    body = _zip(("mehr/app.py", b"print('salom')\n" * 50), ("mehr/README.md", b"# Mehr\n"))

    answer, file = _upload(
        owner_client, entry, body, name="mehr.zip", kind="source", ct="application/zip"
    )

    assert answer.status_code == 200
    assert (file.status, file.sha256) == (FileStatus.VERIFIED, hashlib.sha256(body).hexdigest())


def test_a_zip_bomb_is_rejected_and_deleted(owner_client, entry):
    body = _zip(("zeros.bin", b"\x00" * (40 * 1024 * 1024)))
    assert len(body) < 100_000

    answer, file = _upload(
        owner_client, entry, body, name="code.zip", kind="source", ct="application/zip"
    )

    assert answer.status_code == 400
    assert answer.json()["error"] == (
        "The ZIP archive expands to far more than its size; it is refused."
    )
    _assert_nothing_kept(entry, file)


@pytest.mark.parametrize(
    "member",
    [
        "../../etc/passwd",
        "src/../../../home/x/.bashrc",
        "/etc/passwd",
        "C:/Windows/x.dll",
        "..\\..\\evil.bat",
        "ok\u202etxt.exe",
        "bell\x07.txt",
    ],
)
def test_a_zip_with_an_unsafe_member_name_is_rejected(owner_client, entry, member):
    body = _zip(("src/app.py", b"x = 1\n"), (zipfile.ZipInfo(member), b"owned\n"))
    assert member in zipfile.ZipFile(io.BytesIO(body)).namelist()

    answer, file = _upload(
        owner_client, entry, body, name="code.zip", kind="source", ct="application/zip"
    )

    assert answer.status_code == 400
    assert answer.json()["error"].startswith("The ZIP archive contains an unsafe name:")
    _assert_nothing_kept(entry, file)


def test_a_zip_with_a_symbolic_link_is_rejected(owner_client, entry):
    link = zipfile.ZipInfo("src/config")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    body = _zip((link, b"/etc/shadow"))

    answer, file = _upload(
        owner_client, entry, body, name="code.zip", kind="source", ct="application/zip"
    )

    assert answer.json()["error"] == "The ZIP archive contains an unsafe name: config"
    _assert_nothing_kept(entry, file)


def test_a_damaged_zip_is_rejected(owner_client, entry):
    body = b"PK\x03\x04" + b"\x00" * 200

    answer, file = _upload(
        owner_client, entry, body, name="code.zip", kind="source", ct="application/zip"
    )

    assert answer.json()["error"] == "The file is not a valid ZIP archive."
    _assert_nothing_kept(entry, file)


def test_a_zip_whose_member_lies_about_its_size_is_rejected(owner_client, entry):
    good = _zip(("a.txt", b"A" * 5000), compression=zipfile.ZIP_STORED)
    # Shrink the size the central directory declares: the member's bytes no longer match.
    lying = good.replace((5000).to_bytes(4, "little"), (50).to_bytes(4, "little"))

    answer, file = _upload(
        owner_client, entry, lying, name="code.zip", kind="source", ct="application/zip"
    )

    assert answer.status_code == 400
    assert answer.json()["error"] == "The file is not a valid ZIP archive."
    _assert_nothing_kept(entry, file)


def test_no_javascript_zip_with_path_traversal_is_refused_without_writing(owner_client, entry):
    body = _zip(("../../etc/cron.d/evil", b"* * * * * root sh\n"))

    answer = _nojs(
        owner_client, entry, pdf_upload("code.zip", body, "application/zip"), kind="source"
    )

    assert _messages(answer) == ["The ZIP archive contains an unsafe name: evil"]
    assert not SubmissionFile.objects.exists()
    assert _bucket_keys() == []


# --- sizes ---------------------------------------------------------------------------------
def test_an_oversized_file_is_refused_at_the_slot_and_by_the_policy(owner_client, entry):
    import base64

    refused = _slot(owner_client, entry, body=b"x" * (1024 * 1024 + 1))
    slot = _slot(owner_client, entry).json()

    assert refused.status_code == 400
    assert refused.json()["error"] == "The file is larger than the limit of 1 MB."
    conditions = json.loads(base64.b64decode(slot["fields"]["policy"]))["conditions"]
    assert ["content-length-range", 1, 1024 * 1024] in conditions


def test_an_oversized_object_is_found_by_the_head_and_deleted(owner_client, entry):
    big = PDF + b"0" * (1024 * 1024)

    answer, file = _upload(owner_client, entry, big, declared=PDF)

    assert answer.status_code == 400
    assert answer.json()["error"] == "The file is larger than the limit of 1.0\xa0MB."
    _assert_nothing_kept(entry, file)


def test_an_empty_object_is_rejected(owner_client, entry):
    answer, file = _upload(owner_client, entry, b"", declared=PDF)

    assert answer.status_code == 400
    assert answer.json()["error"] == "The file is empty."
    _assert_nothing_kept(entry, file)


@pytest.mark.parametrize("size", [0, -5])
def test_an_empty_or_negative_declared_size_is_refused(owner_client, entry, size):
    answer = owner_client.post(
        reverse("submissions:file_slot", args=[entry.pk]),
        data=json.dumps(
            {"kind": "pitch_deck", "name": "a.pdf", "size": size, "content_type": "application/pdf"}
        ),
        content_type="application/json",
    )

    assert answer.json()["error"] == "The file is empty."
    assert not SubmissionFile.objects.exists()


def test_an_object_of_another_size_than_announced_is_rejected(owner_client, entry):
    answer, file = _upload(owner_client, entry, PDF + b"% more\n", declared=PDF)

    assert answer.status_code == 400
    assert answer.json()["error"] == (
        "The file that arrived (52\xa0bytes) is not the size announced (45\xa0bytes)."
    )
    _assert_nothing_kept(entry, file)


def test_a_checksum_other_than_announced_is_rejected(owner_client, entry):
    slot = _slot(owner_client, entry, sha256=hashlib.sha256(b"another file").hexdigest()).json()
    _post_to_s3(slot, PDF)

    answer = _confirm(owner_client, entry, slot["file"])

    assert answer.status_code == 400
    assert answer.json()["error"] == "The file's checksum does not match the one announced."
    file = SubmissionFile.objects.get()
    assert file.sha256 == ""
    _assert_nothing_kept(entry, file)


def test_a_checksum_announced_at_confirm_must_match_too(owner_client, entry):
    slot = _slot(owner_client, entry).json()
    _post_to_s3(slot, PDF)

    wrong = _confirm(owner_client, entry, slot["file"], sha256="0" * 64)

    assert wrong.json()["error"] == "The file's checksum does not match the one announced."
    _assert_nothing_kept(entry, SubmissionFile.objects.get())


def test_a_matching_announced_checksum_is_accepted(owner_client, entry):
    digest = hashlib.sha256(PDF).hexdigest()
    slot = _slot(owner_client, entry, sha256=digest.upper()).json()
    _post_to_s3(slot, PDF)

    answer = _confirm(owner_client, entry, slot["file"])

    assert answer.status_code == 200
    assert answer.json()["sha256"] == digest


def test_a_malformed_checksum_is_refused(owner_client, entry):
    answer = _slot(owner_client, entry, sha256="not-a-sha")

    assert answer.json()["error"] == "The checksum must be a SHA-256 written in hexadecimal."
    assert not SubmissionFile.objects.exists()


def test_multipart_parts_beyond_the_announced_size_are_refused(owner_client, entry, settings):
    settings.UPLOAD_MULTIPART_THRESHOLD = settings.UPLOAD_PART_SIZE = 5 * 1024 * 1024
    add_file_question(challenge=entry.challenge, kind="video", max_size_mb=20)
    slot = _slot(
        owner_client,
        entry,
        body=b"\x00" * (6 * 1024 * 1024),
        name="demo.mp4",
        kind="video",
        ct="video/mp4",
    ).json()
    assert (slot["multipart"], slot["parts"]) == (True, 2)

    for number in (0, 3, 10000, "x"):
        answer = owner_client.post(
            reverse("submissions:file_part", args=[entry.pk, slot["file"]]),
            data=json.dumps({"part": number}),
            content_type="application/json",
        )
        assert answer.status_code == 400
        assert answer.json()["error"] in (
            "Invalid part number.",
            "The upload request was not understood.",
        )


def test_a_multipart_upload_of_the_wrong_size_is_rejected_and_aborted(
    owner_client, entry, settings
):
    settings.UPLOAD_MULTIPART_THRESHOLD = settings.UPLOAD_PART_SIZE = 5 * 1024 * 1024
    add_file_question(challenge=entry.challenge, kind="video", max_size_mb=20)
    slot = _slot(
        owner_client,
        entry,
        body=b"\x00" * (6 * 1024 * 1024),
        name="demo.mp4",
        kind="video",
        ct="video/mp4",
    ).json()
    url = owner_client.post(
        reverse("submissions:file_part", args=[entry.pk, slot["file"]]),
        data=json.dumps({"part": 1}),
        content_type="application/json",
    ).json()["url"]
    requests.put(url, data=b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100, timeout=10)

    answer = _confirm(owner_client, entry, slot["file"])

    assert answer.status_code == 400
    assert "is not the size announced" in answer.json()["error"]
    file = SubmissionFile.objects.get()
    _assert_nothing_kept(entry, file)
    assert file.multipart_upload_id == ""
    assert s3.client().list_multipart_uploads(Bucket=s3.bucket_name()).get("Uploads", []) == []


# --- names -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32\\deck.pdf", "deck.pdf"),
        ("deck\x00.exe.pdf", "deck.exe.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),
        ("a\u200bb\u2066c\u2069.pdf", "abc.pdf"),
        ("line\u2028break\r\n.pdf", "line break.pdf"),
        ("\x1b[31mred\x1b[0m.pdf", "[31mred[0m.pdf"),
        ('"quoted"; filename=evil.html', "_quoted_; filename=evil.html.pdf"),
        ("\u202e\u202e", "file.pdf"),
    ],
)
def test_a_hostile_name_is_sanitised_and_never_used_in_the_key(
    owner_client, entry, given, expected
):
    answer, file = _upload(owner_client, entry, PDF, name=given)

    assert answer.status_code == 200
    assert answer.json()["name"] == expected
    assert file.original_name == expected
    stem = file.key.rsplit("/", 1)[1]
    assert file.key == f"submissions/{entry.challenge_id}/{entry.pk}/{stem}"
    assert len(stem) >= 32
    assert not any(ch in file.key for ch in ".\\\x00\u202e ")


def test_a_very_long_name_is_shortened_keeping_the_extension(owner_client, entry):
    answer, file = _upload(owner_client, entry, PDF, name="ж" * 5000 + ".pdf")

    assert answer.status_code == 200
    assert len(file.original_name) == 150
    assert file.original_name.endswith("ж.pdf")
    link = owner_client.get(reverse("submissions:file_download", args=[entry.pk, file.pk]))
    fetched = requests.get(link["Location"], timeout=10)
    assert fetched.content == PDF


# --- whose file ------------------------------------------------------------------------------
@pytest.fixture
def other_file(entry):
    """A verified file of another team's entry in the same challenge."""
    from submissions.services import files

    other = team_entry(entry.challenge, title="Boshqa")
    return files.attach_file(
        submission=other, kind="pitch_deck", uploaded=pdf_upload(), by=other.owner
    )


@pytest.mark.parametrize("route", ["file_confirm", "file_part", "file_remove", "file_download"])
def test_another_entrys_file_cannot_be_reached_through_mine(owner_client, entry, other_file, route):
    url = reverse(f"submissions:{route}", args=[entry.pk, other_file.pk])

    answer = owner_client.get(url) if route == "file_download" else owner_client.post(url)

    assert answer.status_code == 404
    other_file.refresh_from_db()
    assert (other_file.status, other_file.removed_at) == (FileStatus.VERIFIED, None)
    assert _exists(other_file.key)


@pytest.mark.parametrize("route", ["file_slot", "file_confirm", "file_part", "file_remove"])
def test_another_users_entry_answers_404(owner_client, entry, other_file, route):
    if route == "file_slot":
        answer = _slot(owner_client, other_file.submission)
    else:
        answer = owner_client.post(
            reverse(f"submissions:{route}", args=[other_file.submission_id, other_file.pk])
        )

    assert answer.status_code == 404
    assert SubmissionFile.objects.count() == 1
    assert _exists(other_file.key)


def test_a_mentor_may_see_the_entry_but_not_upload(client, entry):
    mentor = participant()
    TeamMembership.objects.create(
        team=entry.team, challenge=entry.challenge, user=mentor, role=MemberRole.MENTOR
    )
    client.force_login(entry.owner)
    slot = _slot(client, entry).json()
    _post_to_s3(slot, PDF)
    client.force_login(mentor)

    refused_slot = _slot(client, entry)
    refused_confirm = _confirm(client, entry, slot["file"])

    assert (refused_slot.status_code, refused_confirm.status_code) == (403, 403)
    assert refused_slot.json()["error"] == "Only the team's members can change this entry."
    assert SubmissionFile.objects.get().status == FileStatus.PENDING


# --- replaying the presigned form after verification ---------------------------------------
OTHER_PDF = PDF.replace(b"1 0 obj", b"9 0 obj")


def _downloaded(client, submission, file):
    link = client.get(reverse("submissions:file_download", args=[submission.pk, file.pk]))
    return requests.get(link["Location"], timeout=10).content


def test_replaying_the_upload_form_after_verification_does_not_change_the_download(
    owner_client, entry, django_capture_on_commit_callbacks
):
    assert (len(OTHER_PDF), OTHER_PDF != PDF) == (len(PDF), True)
    slot = _slot(owner_client, entry).json()
    upload_key = slot["fields"]["key"]
    _post_to_s3(slot, PDF)
    with django_capture_on_commit_callbacks(execute=True):
        answer = _confirm(owner_client, entry, slot["file"])
    file = SubmissionFile.objects.get()
    assert answer.status_code == 200
    # The checked bytes live under a key no presigned form was issued for.
    assert file.key != upload_key
    assert file.key.startswith(f"submissions/{entry.challenge_id}/{entry.pk}/")
    assert _bucket_keys() == [file.key]

    _post_to_s3(slot, OTHER_PDF)  # the same form, still valid, with other bytes

    file.refresh_from_db()
    verified = hashlib.sha256(PDF).hexdigest()
    assert file.sha256 == verified
    assert hashlib.sha256(_downloaded(owner_client, entry, file)).hexdigest() == verified
    # A confirm of the replay changes nothing either.
    again = _confirm(owner_client, entry, slot["file"])
    assert again.json()["sha256"] == verified
    assert hashlib.sha256(_downloaded(owner_client, entry, file)).hexdigest() == verified


def test_the_upload_key_is_gone_once_the_file_is_verified(
    owner_client, entry, django_capture_on_commit_callbacks
):
    slot = _slot(owner_client, entry).json()
    _post_to_s3(slot, PDF)

    with django_capture_on_commit_callbacks(execute=True):
        _confirm(owner_client, entry, slot["file"])

    file = SubmissionFile.objects.get()
    assert not _exists(slot["fields"]["key"])
    assert _bucket_keys() == [file.key]


def test_a_submitted_version_names_the_sealed_key(
    owner_client, entry, django_capture_on_commit_callbacks
):
    from submissions.services import entries

    slot = _slot(owner_client, entry).json()
    _post_to_s3(slot, PDF)
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(owner_client, entry, slot["file"])
    file = SubmissionFile.objects.get()

    version = entries.submit_entry(submission=entry, by=entry.owner)

    assert [item["key"] for item in version.files] == [file.key]
    assert slot["fields"]["key"] not in [item["key"] for item in version.files]


# --- twice, late -----------------------------------------------------------------------------
def test_confirming_the_same_upload_twice_verifies_it_once(owner_client, entry):
    from core.models import AuditEntry

    slot = _slot(owner_client, entry).json()
    _post_to_s3(slot, PDF)

    first = _confirm(owner_client, entry, slot["file"])
    second = _confirm(owner_client, entry, slot["file"])

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json() == second.json()
    assert SubmissionFile.objects.filter(status=FileStatus.VERIFIED).count() == 1
    assert AuditEntry.objects.filter(action="submissions.file.verified").count() == 1


def test_confirming_a_rejected_upload_again_stays_rejected(owner_client, entry):
    answer, file = _upload(owner_client, entry, ELF, name="x.pdf")
    # Put a good PDF at the same key afterwards: a rejected slot does not come back.
    s3.client().put_object(
        Bucket=s3.bucket_name(), Key=file.key, Body=PDF, ContentType="application/pdf"
    )

    again = _confirm(owner_client, entry, file.pk)

    assert (answer.status_code, again.status_code) == (400, 400)
    assert again.json()["error"] == "The file's contents are not a PDF file."
    _assert_nothing_kept(entry)


def _close(submission):
    Phase.objects.filter(challenge=submission.challenge, kind="submission").update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )


def test_a_slot_after_the_deadline_is_refused(owner_client, entry):
    _close(entry)

    answer = _slot(owner_client, entry)

    assert answer.status_code == 400
    assert "has passed: entries can no longer be changed." in answer.json()["error"]
    assert not SubmissionFile.objects.exists()
    assert _bucket_keys() == []


def test_an_upload_confirmed_after_the_deadline_is_deleted_at_once(owner_client, entry):
    slot = _slot(owner_client, entry).json()
    _post_to_s3(slot, PDF)
    _close(entry)

    answer = _confirm(owner_client, entry, slot["file"])

    assert answer.status_code == 400
    assert "has passed: entries can no longer be changed." in answer.json()["error"]
    file = SubmissionFile.objects.get()
    assert file.status == FileStatus.REJECTED
    assert "has passed" in file.rejection_reason
    assert _bucket_keys() == []
    _assert_nothing_kept(entry)


def test_a_multipart_upload_confirmed_after_the_deadline_is_aborted(owner_client, entry, settings):
    settings.UPLOAD_MULTIPART_THRESHOLD = settings.UPLOAD_PART_SIZE = 5 * 1024 * 1024
    add_file_question(challenge=entry.challenge, kind="video", max_size_mb=20)
    slot = _slot(
        owner_client,
        entry,
        body=b"\x00" * (6 * 1024 * 1024),
        name="demo.mp4",
        kind="video",
        ct="video/mp4",
    ).json()
    url = owner_client.post(
        reverse("submissions:file_part", args=[entry.pk, slot["file"]]),
        data=json.dumps({"part": 1}),
        content_type="application/json",
    ).json()["url"]
    requests.put(url, data=b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100, timeout=10)
    _close(entry)

    answer = _confirm(owner_client, entry, slot["file"])

    assert answer.status_code == 400
    file = SubmissionFile.objects.get()
    assert (file.status, file.multipart_upload_id) == (FileStatus.REJECTED, "")
    assert s3.client().list_multipart_uploads(Bucket=s3.bucket_name()).get("Uploads", []) == []
    assert _bucket_keys() == []


def test_confirming_a_verified_file_after_the_deadline_keeps_it(
    owner_client, entry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer, file = _upload(owner_client, entry, PDF)
    assert answer.status_code == 200
    _close(entry)

    late = _confirm(owner_client, entry, file.pk)

    assert late.status_code == 400
    file.refresh_from_db()
    assert file.status == FileStatus.VERIFIED
    assert _bucket_keys() == [file.key]


def test_no_javascript_upload_after_the_deadline_is_refused(owner_client, entry):
    _close(entry)

    answer = _nojs(owner_client, entry, pdf_upload())

    assert any("has passed" in message for message in _messages(answer))
    assert not SubmissionFile.objects.exists()
    assert _bucket_keys() == []


# --- the no-JavaScript form --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("upload", "kind", "reason"),
    [
        (
            pdf_upload("setup.exe", ELF, "application/x-msdownload"),
            "pitch_deck",
            "Pitch deck (PDF) must be a file of one of these types: PDF.",
        ),
        (
            pdf_upload("page.html", HTML, "text/html"),
            "pitch_deck",
            "Pitch deck (PDF) must be a file of one of these types: PDF.",
        ),
        (
            pdf_upload("logo.svg", SVG, "image/svg+xml"),
            "image",
            "Image must be a file of one of these types: PNG, JPEG, WEBP.",
        ),
        (
            pdf_upload("page.pdf", HTML),
            "pitch_deck",
            "The file's contents are not a PDF file.",
        ),
        (
            pdf_upload("shot.png", PNG),
            "pitch_deck",
            "The file's contents are not a PDF file.",
        ),
        (pdf_upload("empty.pdf", b""), "pitch_deck", "The submitted file is empty."),
        (
            pdf_upload("big.pdf", PDF + b"0" * (1024 * 1024)),
            "pitch_deck",
            "The file is larger than the limit of 1 MB.",
        ),
    ],
    ids=["exe", "html", "svg", "html-as-pdf", "png-as-pdf", "empty", "oversized"],
)
def test_no_javascript_upload_of_a_wrong_file_is_refused(owner_client, entry, upload, kind, reason):
    answer = _nojs(owner_client, entry, upload, kind=kind)

    assert answer.status_code == 200
    assert _messages(answer) == [reason]
    assert not SubmissionFile.objects.exists()
    assert _bucket_keys() == []
    _assert_nothing_kept(entry)
