"""core.uploads against moto's S3 server over HTTP: the policy we sign and the checks we run."""

import base64
import hashlib
import io
import json
import urllib.request
from datetime import timedelta
from urllib.parse import unquote, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import s3, uploads
from tests import images

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _put(bucket, key, body, content_type="application/pdf"):
    s3.client().put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)


def _exists(bucket, key):
    answer = s3.client().list_objects_v2(Bucket=bucket, Prefix=key)
    return answer.get("KeyCount", 0) > 0


def test_new_key_is_unguessable_and_hides_the_file_name():
    keys = {uploads.new_key("submissions/1/2") for _ in range(200)}

    assert len(keys) == 200
    assert all(k.startswith("submissions/1/2/") and len(k.rsplit("/", 1)[1]) >= 32 for k in keys)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\aziz\\pitch.pdf", "pitch.pdf"),
        ("pitch\x00\x07deck\n.pdf", "pitchdeck.pdf"),
        ("loyiha «taqdimot».pdf", "loyiha «taqdimot».pdf"),
        ('a"b<c>.pdf', "a_b_c_.pdf"),
        ("", "file"),
        ("...", "file"),
    ],
)
def test_clean_filename_keeps_a_safe_display_name(given, expected):
    assert uploads.clean_filename(given) == expected


def test_clean_filename_shortens_long_names_but_keeps_the_extension():
    name = uploads.clean_filename("x" * 400 + ".pdf")

    assert len(name) == 150
    assert name.endswith(".pdf")


def test_presigned_post_policy_fixes_key_type_and_size(s3_bucket):
    slot = uploads.presigned_post(
        key="submissions/1/abc", content_type="application/pdf", max_bytes=5_000_000, expires=600
    )

    policy = json.loads(base64.b64decode(slot["fields"]["policy"]))
    conditions = policy["conditions"]
    assert {"key": "submissions/1/abc"} in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert ["content-length-range", 1, 5_000_000] in conditions
    assert {"bucket": s3_bucket} in conditions
    assert slot["fields"]["key"] == "submissions/1/abc"
    assert slot["fields"]["Content-Type"] == "application/pdf"
    assert policy["expiration"].endswith("Z")


def test_verify_object_accepts_a_real_pdf_and_records_its_checksum(s3_bucket):
    _put(s3_bucket, "k/pdf", PDF)

    verified = uploads.verify_object(key="k/pdf", content_type="application/pdf", max_bytes=1000)

    assert verified == uploads.Verified(
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        content_type="application/pdf",
        etag=f'"{hashlib.md5(PDF).hexdigest()}"',  # noqa: S324 -- S3's ETag, not security
    )
    assert _exists(s3_bucket, "k/pdf")


@pytest.mark.parametrize(
    ("body", "content_type", "max_bytes", "reason"),
    [
        (b"", "application/pdf", 1000, "The file is empty."),
        (ELF, "application/pdf", 1000, "The file's contents are not a PDF file."),
        (PDF + b"0" * 2000, "application/pdf", 1000, "The file is larger than the limit"),
        (PNG, "application/pdf", 1000, "not a PDF file"),
    ],
    ids=["empty", "elf-renamed-pdf", "oversized", "png-declared-pdf"],
)
def test_verify_object_deletes_bad_objects_and_says_why(
    s3_bucket, body, content_type, max_bytes, reason
):
    _put(s3_bucket, "k/bad", body, content_type)

    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.verify_object(key="k/bad", content_type=content_type, max_bytes=max_bytes)

    assert reason in caught.value.reason
    assert not _exists(s3_bucket, "k/bad")


def test_verify_object_rejects_a_content_type_other_than_declared(s3_bucket):
    _put(s3_bucket, "k/type", PDF, content_type="application/octet-stream")

    with pytest.raises(uploads.UploadRejected, match="does not match"):
        uploads.verify_object(key="k/type", content_type="application/pdf", max_bytes=1000)
    assert not _exists(s3_bucket, "k/type")


def test_verify_object_of_a_missing_object_asks_to_upload_again(s3_bucket):
    with pytest.raises(uploads.UploadRejected, match="did not arrive"):
        uploads.verify_object(key="k/none", content_type="application/pdf", max_bytes=1000)


def test_verify_object_with_s3_down_raises_storage_unavailable(s3_bucket, settings):
    from tests.s3 import free_port

    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(uploads.StorageUnavailable, match="cannot be reached"):
        uploads.verify_object(key="k/pdf", content_type="application/pdf", max_bytes=1000)


def test_store_stream_uploads_checked_bytes(s3_bucket):
    import hashlib

    upload = SimpleUploadedFile("deck.pdf", PDF, content_type="application/pdf")

    verified = uploads.store_stream(
        key="k/stream", fileobj=upload, content_type="application/pdf", max_bytes=1000
    )

    body = s3.client().get_object(Bucket=s3_bucket, Key="k/stream")
    assert body["Body"].read() == PDF
    assert body["ContentType"] == "application/pdf"
    assert verified.sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(
    ("body", "reason"),
    [(b"", "empty"), (ELF, "not a PDF"), (PDF * 100, "larger than the limit")],
)
def test_store_stream_refuses_bad_files_without_writing(s3_bucket, body, reason):
    with pytest.raises(uploads.UploadRejected, match=reason):
        uploads.store_stream(
            key="k/bad", fileobj=io.BytesIO(body), content_type="application/pdf", max_bytes=1000
        )

    assert not _exists(s3_bucket, "k/bad")


def test_presigned_get_downloads_under_the_safe_name(s3_bucket):
    _put(s3_bucket, "k/get", PDF)

    url = uploads.presigned_get(key="k/get", filename="../Taqdimot «final».pdf", expires=120)

    assert "X-Amz-Expires=120" in url
    with urllib.request.urlopen(url) as response:  # noqa: S310 -- loopback moto server
        assert response.read() == PDF
        disposition = response.headers["Content-Disposition"]
    assert 'filename="Taqdimot final.pdf"' in disposition
    assert "filename*=UTF-8''Taqdimot%20%C2%ABfinal%C2%BB.pdf" in disposition


def test_multipart_upload_through_presigned_parts_then_verified(s3_bucket):
    part = b"%PDF-1.7\n" + b"a" * (5 * 1024 * 1024)
    upload_id = uploads.start_multipart(key="k/big", content_type="application/pdf")

    for number, body in ((1, part), (2, b"tail")):
        url = uploads.presign_part(key="k/big", upload_id=upload_id, part_number=number)
        request = urllib.request.Request(  # noqa: S310 -- loopback moto server
            url, data=body, method="PUT", headers={"Content-Type": "application/octet-stream"}
        )
        urllib.request.urlopen(request).close()  # noqa: S310 -- loopback moto server
    # A browser that lost its connection asks which parts arrived before resuming.
    assert [p["PartNumber"] for p in uploads.uploaded_parts(key="k/big", upload_id=upload_id)] == [
        1,
        2,
    ]
    uploads.complete_multipart(key="k/big", upload_id=upload_id)

    verified = uploads.verify_object(
        key="k/big", content_type="application/pdf", max_bytes=10 * 1024 * 1024
    )
    assert verified.size == len(part) + 4


def test_cleanup_aborts_stale_multipart_uploads_and_deletes_pending_objects(s3_bucket):
    from django.utils import timezone

    stale = uploads.start_multipart(key="k/stale", content_type="video/mp4")
    _put(s3_bucket, "k/pending", PDF)

    removed = uploads.cleanup_abandoned(
        pending=[("k/pending", "")],
        older_than=timedelta(hours=1),
        now=timezone.now() + timedelta(hours=2),
    )

    assert removed == 1
    assert not _exists(s3_bucket, "k/pending")
    left = s3.client().list_multipart_uploads(Bucket=s3_bucket).get("Uploads", [])
    assert stale not in [u["UploadId"] for u in left]


@pytest.mark.parametrize(
    ("given", "content_type", "expected"),
    [
        ("deck.pdf", "application/pdf", "deck.pdf"),
        ("deck.PDF", "application/pdf", "deck.PDF"),
        ("page.html", "application/pdf", "page.html.pdf"),
        ("invoice\u202efdp.exe", "application/pdf", "invoicefdp.exe.pdf"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("photo", "image/webp", "photo.webp"),
        ("x" * 400, "application/zip", "x" * 146 + ".zip"),
    ],
)
def test_display_name_ends_in_an_extension_of_the_checked_type(given, content_type, expected):
    assert uploads.display_name(given, content_type) == expected


@pytest.mark.parametrize(
    ("content_type", "filename", "expected"),
    [
        ("application/pdf", "", "application/pdf"),
        ("text/html", "page.html", "application/octet-stream"),
        ("image/svg+xml", "logo.svg", "application/octet-stream"),
        (None, "deck.pdf", "application/pdf"),
        (None, "page.html", "application/octet-stream"),
    ],
)
def test_safe_content_type_never_lets_a_browser_render(content_type, filename, expected):
    assert uploads.safe_content_type(content_type, filename=filename) == expected


def test_presigned_get_overrides_a_stored_html_type(s3_bucket):
    _put(s3_bucket, "k/html", b"<html><script>alert(1)</script></html>", "text/html")

    url = uploads.presigned_get(key="k/html", filename="page.html", content_type="text/html")

    with urllib.request.urlopen(url) as response:  # noqa: S310 -- loopback moto server
        assert response.headers["Content-Type"] == "application/octet-stream"
        assert response.headers["Content-Disposition"].startswith("attachment;")


def _zip(*members):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _deflate64_zip():
    """A ZIP whose member claims deflate64 (method 9), which Python's zipfile cannot read."""
    body = bytearray(_zip(("notes.txt", b"hello " * 100)))
    local = body.index(b"PK\x03\x04")
    central = body.index(b"PK\x01\x02")
    body[local + 8 : local + 10] = (9).to_bytes(2, "little")
    body[central + 10 : central + 12] = (9).to_bytes(2, "little")
    return bytes(body)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (_zip(("../evil.sh", b"x")), "unsafe name: evil.sh"),
        (_deflate64_zip(), "compression method that cannot be checked"),
        (_zip(("big", b"\x00" * (20 * 1024 * 1024))), "expands to far more than its size"),
        (b"PK\x03\x04" + b"\x00" * 100, "not a valid ZIP archive"),
    ],
    ids=["traversal", "deflate64", "bomb", "damaged"],
)
def test_verify_object_opens_zips_and_deletes_hostile_ones(s3_bucket, body, reason):
    _put(s3_bucket, "k/zip", body, "application/zip")

    with pytest.raises(uploads.UploadRejected, match=reason):
        uploads.verify_object(key="k/zip", content_type="application/zip", max_bytes=10**7)
    assert not _exists(s3_bucket, "k/zip")


def test_store_stream_refuses_a_hostile_zip_without_writing(s3_bucket):
    body = _zip(("/etc/passwd", b"root::0:0"))

    with pytest.raises(uploads.UploadRejected, match="unsafe name: passwd"):
        uploads.store_stream(
            key="k/zip", fileobj=io.BytesIO(body), content_type="application/zip", max_bytes=10**6
        )
    assert not _exists(s3_bucket, "k/zip")


def test_verify_object_refuses_an_object_other_than_announced(s3_bucket):
    import hashlib

    _put(s3_bucket, "k/size", PDF)
    with pytest.raises(uploads.UploadRejected, match="not the size announced"):
        uploads.verify_object(
            key="k/size", content_type="application/pdf", max_bytes=1000, expected_size=10
        )
    _put(s3_bucket, "k/sum", PDF)
    with pytest.raises(uploads.UploadRejected, match="checksum does not match"):
        uploads.verify_object(
            key="k/sum",
            content_type="application/pdf",
            max_bytes=1000,
            expected_sha256=hashlib.sha256(b"other").hexdigest(),
        )
    assert not _exists(s3_bucket, "k/size")
    assert not _exists(s3_bucket, "k/sum")


def test_completing_a_multipart_upload_from_bad_parts_is_rejected_not_unavailable(s3_bucket):
    upload_id = uploads.start_multipart(key="k/parts", content_type="application/pdf")

    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.complete_multipart(
            key="k/parts", upload_id=upload_id, parts=[{"PartNumber": 1, "ETag": '"nope"'}]
        )
    assert not isinstance(caught.value, uploads.StorageUnavailable)


# --- sealing: the checked object moves to a key no presigned form was issued for ------------
OTHER_PDF = PDF.replace(b"1 0 obj", b"2 0 obj")


@pytest.fixture
def s3_honours_copy_conditions(monkeypatch):
    """moto's CopyObject ignores ``x-amz-copy-source-if-match`` (it checks only If-None-Match);
    S3, MinIO and Ceph answer 412 Precondition Failed. Make the stand-in behave like them."""
    from moto.s3.exceptions import PreconditionFailed
    from moto.s3.responses import S3Response

    copy_object = S3Response.copy_object

    def conditional_copy_object(self):
        wanted = self.headers.get("x-amz-copy-source-if-match")
        if wanted:
            source = self.headers["x-amz-copy-source"]
            source = source.decode() if isinstance(source, bytes) else source
            bucket, key = unquote(urlparse(source).path).lstrip("/").split("/", 1)
            current = self.backend.get_object(bucket, key)
            if current is None or current.etag.strip('"') != wanted.strip('"'):
                raise PreconditionFailed(failed_condition="x-amz-copy-source-If-Match")
        return copy_object(self)

    monkeypatch.setattr(S3Response, "copy_object", conditional_copy_object)


def _keys(bucket):
    return [item["Key"] for item in s3.client().list_objects_v2(Bucket=bucket).get("Contents", [])]


def _sha256_of(bucket, key):
    body = s3.client().get_object(Bucket=bucket, Key=key)["Body"].read()
    return hashlib.sha256(body).hexdigest()


def test_seal_copies_the_checked_object_to_a_new_key(s3_bucket, s3_honours_copy_conditions):
    _put(s3_bucket, "submissions/1/2/upload", PDF)
    verified = uploads.verify_object(
        key="submissions/1/2/upload", content_type="application/pdf", max_bytes=1000
    )

    sealed = uploads.seal(key="submissions/1/2/upload", verified=verified)

    assert sealed != "submissions/1/2/upload"
    assert sealed.startswith("submissions/1/2/")
    assert len(sealed.rsplit("/", 1)[1]) >= 32
    assert _sha256_of(s3_bucket, sealed) == verified.sha256
    head = s3.client().head_object(Bucket=s3_bucket, Key=sealed)
    assert head["ContentType"] == "application/pdf"
    # The upload is the caller's to delete, once the new key is recorded.
    assert sorted(_keys(s3_bucket)) == sorted(["submissions/1/2/upload", sealed])


def test_seal_refuses_an_object_replaced_after_the_checks(s3_bucket, s3_honours_copy_conditions):
    _put(s3_bucket, "k/upload", PDF)
    verified = uploads.verify_object(key="k/upload", content_type="application/pdf", max_bytes=1000)
    # The presigned POST replayed between the checks and the copy: same type, same size.
    _put(s3_bucket, "k/upload", OTHER_PDF)
    assert len(OTHER_PDF) == len(PDF)

    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.seal(key="k/upload", verified=verified)

    assert caught.value.reason == (
        "The file changed while it was being checked. Please upload it again."
    )
    assert not isinstance(caught.value, uploads.StorageUnavailable)
    assert _keys(s3_bucket) == []


def test_seal_with_an_etag_other_than_the_objects_refuses(s3_bucket, s3_honours_copy_conditions):
    _put(s3_bucket, "k/upload", PDF)
    verified = uploads.verify_object(key="k/upload", content_type="application/pdf", max_bytes=1000)
    stale = uploads.Verified(
        size=verified.size,
        sha256=verified.sha256,
        content_type=verified.content_type,
        etag='"00000000000000000000000000000000"',
    )

    with pytest.raises(uploads.UploadRejected, match="changed while it was being checked"):
        uploads.seal(key="k/upload", verified=stale)

    assert _keys(s3_bucket) == []


def _put_in_parts(bucket, key, body, content_type):
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(
        multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024
    )
    s3.client().upload_fileobj(
        io.BytesIO(body), bucket, key, ExtraArgs={"ContentType": content_type}, Config=config
    )


MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x01" * (6 * 1024 * 1024)


def test_seal_copies_objects_above_the_copy_limit_in_parts(s3_bucket, settings):
    # S3 copies 5 GiB at most in one request; a low threshold takes the same path here.
    settings.UPLOAD_MULTIPART_COPY_THRESHOLD = 5 * 1024 * 1024
    _put_in_parts(s3_bucket, "k/video", MP4, "video/mp4")
    verified = uploads.verify_object(key="k/video", content_type="video/mp4", max_bytes=10**8)

    sealed = uploads.seal(key="k/video", verified=verified)

    assert _sha256_of(s3_bucket, sealed) == hashlib.sha256(MP4).hexdigest()
    assert s3.client().head_object(Bucket=s3_bucket, Key=sealed)["ContentType"] == "video/mp4"


def test_seal_in_parts_refuses_an_object_replaced_after_the_checks(s3_bucket, settings):
    settings.UPLOAD_MULTIPART_COPY_THRESHOLD = 5 * 1024 * 1024
    _put_in_parts(s3_bucket, "k/video", MP4, "video/mp4")
    verified = uploads.verify_object(key="k/video", content_type="video/mp4", max_bytes=10**8)
    _put_in_parts(s3_bucket, "k/video", MP4[:-1] + b"\x02", "video/mp4")

    with pytest.raises(uploads.UploadRejected, match="changed while it was being checked"):
        uploads.seal(key="k/video", verified=verified)

    assert _keys(s3_bucket) == []
    assert s3.client().list_multipart_uploads(Bucket=s3_bucket).get("Uploads", []) == []


def test_seal_with_s3_down_raises_storage_unavailable_and_keeps_the_upload(s3_bucket, settings):
    from tests.s3 import free_port

    _put(s3_bucket, "k/upload", PDF)
    verified = uploads.verify_object(key="k/upload", content_type="application/pdf", max_bytes=1000)
    endpoint = settings.AWS_S3_ENDPOINT_URL
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(uploads.StorageUnavailable):
        uploads.seal(key="k/upload", verified=verified)

    settings.AWS_S3_ENDPOINT_URL = endpoint
    assert _keys(s3_bucket) == ["k/upload"]


# --- every declared type has its own content check -----------------------------------------
SMALL_MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 64
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64  # RIFF, but not WebP
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>" + b" " * 32
# Declared type → the right bytes, and wrong ones that a check replaced by True would pass.
RIGHT_AND_WRONG = [
    ("video/mp4", SMALL_MP4, [WEBM, HTML, b"\x00\x00\x00\x18mp42ftyp" + b"\x00" * 64]),
    ("video/webm", WEBM, [SMALL_MP4, HTML, b"\x1a\x45\xdf" + b"\x00" * 64]),
    ("image/webp", images.webp(), [WAV, HTML, images.png()]),
]
WRONG = [(ct, bad) for ct, _good, bads in RIGHT_AND_WRONG for bad in bads]
WRONG_IDS = [f"{ct}-{i}" for ct, _good, bads in RIGHT_AND_WRONG for i in range(len(bads))]


@pytest.mark.parametrize(
    ("content_type", "good", "bads"), RIGHT_AND_WRONG, ids=["mp4", "webm", "webp"]
)
def test_matches_type_tells_right_bytes_from_wrong_ones(content_type, good, bads):
    assert uploads.matches_type(good[: uploads.MAGIC_BYTES_TO_READ], content_type)
    assert [
        uploads.matches_type(bad[: uploads.MAGIC_BYTES_TO_READ], content_type) for bad in bads
    ] == [False] * len(bads)


@pytest.mark.parametrize(("content_type", "body"), WRONG, ids=WRONG_IDS)
def test_verify_object_refuses_wrong_bytes_for_every_type(s3_bucket, content_type, body):
    _put(s3_bucket, "k/wrong", body, content_type)

    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.verify_object(key="k/wrong", content_type=content_type, max_bytes=10_000)

    assert (
        caught.value.reason
        == f"The file's contents are not a {uploads.type_names([content_type])} file."
    )
    assert not _exists(s3_bucket, "k/wrong")


@pytest.mark.parametrize(("content_type", "body"), WRONG, ids=WRONG_IDS)
def test_store_stream_refuses_wrong_bytes_for_every_type(s3_bucket, content_type, body):
    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.store_stream(
            key="k/wrong", fileobj=io.BytesIO(body), content_type=content_type, max_bytes=10_000
        )

    assert (
        caught.value.reason
        == f"The file's contents are not a {uploads.type_names([content_type])} file."
    )
    assert not _exists(s3_bucket, "k/wrong")


@pytest.mark.parametrize(
    ("content_type", "good", "_bads"), RIGHT_AND_WRONG, ids=["mp4", "webm", "webp"]
)
def test_right_bytes_pass_both_paths_for_every_type(s3_bucket, content_type, good, _bads):
    _put(s3_bucket, "k/right", good, content_type)

    checked = uploads.verify_object(key="k/right", content_type=content_type, max_bytes=10_000)
    streamed = uploads.store_stream(
        key="k/streamed", fileobj=io.BytesIO(good), content_type=content_type, max_bytes=10_000
    )

    assert (checked.size, streamed.size) == (len(good), len(good))
    assert _exists(s3_bucket, "k/right")
    assert _exists(s3_bucket, "k/streamed")


def test_types_are_named_as_people_know_them_not_by_mime_type():
    assert uploads.type_names(["application/pdf"]) == "PDF"
    assert uploads.type_names(["image/png", "image/jpeg", "image/webp"]) == "PNG, JPEG, WEBP"
    assert uploads.type_names(["video/mp4", "application/x-unknown"]) == "MP4, X-UNKNOWN"
