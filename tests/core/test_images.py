"""Images are decoded before they count: format, pixel limit, nothing after the image's end.

Both verification paths are exercised — ``verify_object`` (what the browser put in S3)
and ``store_stream`` (the no-JavaScript path) — with polyglots built here, through moto's S3.
"""

import io
import zipfile

import pytest
from django.utils import translation
from PIL import Image

from core import s3, uploads
from tests import images


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _put(bucket, key, body, content_type):
    s3.client().put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)


def _exists(bucket, key):
    return s3.client().list_objects_v2(Bucket=bucket, Prefix=key).get("KeyCount", 0) > 0


def _verify(bucket, body, content_type):
    _put(bucket, "k/image", body, content_type)
    return uploads.verify_object(key="k/image", content_type=content_type, max_bytes=10**6)


def _stream(body, content_type):
    return uploads.store_stream(
        key="k/stream", fileobj=io.BytesIO(body), content_type=content_type, max_bytes=10**6
    )


TRAILING = "The image has other data after its end."
BOMB = "The image has more than 50 million pixels; it is refused."
DAMAGED = "The image is damaged or incomplete and cannot be opened."

HOSTILE = [
    (images.png_with_html(), "image/png", TRAILING),
    (images.jpeg_with_zip(), "image/jpeg", TRAILING),
    (images.jpeg_hiding_a_page(), "image/jpeg", TRAILING),
    (images.webp_with_html(), "image/webp", TRAILING),
    # Pillow itself refuses this one as a bomb (far above twice its own limit) ...
    (images.png_declaring(100_000, 100_000), "image/png", BOMB),
    # ... and this one only our limit refuses (64 million pixels, below Pillow's warning).
    (images.png_declaring(8_000, 8_000), "image/png", BOMB),
    (images.truncated_png(), "image/png", DAMAGED),
    (images.SVG, "image/png", "The file's contents are not a PNG file."),
    (images.png(), "image/jpeg", "The file's contents are not a JPEG file."),
]
HOSTILE_IDS = [
    "png+html",
    "jpeg+zip",
    "jpeg+html+eoi",
    "webp+html",
    "png-100000x100000",
    "png-8000x8000",
    "png-truncated",
    "svg-as-png",
    "png-as-jpeg",
]


def test_the_polyglots_are_what_they_claim_to_be():
    """The hostile files are real polyglots: the image opens, and so does what follows it."""
    with Image.open(io.BytesIO(images.png_with_html())) as image:
        image.load()
    assert images.png_with_html().endswith(images.HTML)
    with zipfile.ZipFile(io.BytesIO(images.jpeg_with_zip())) as archive:
        assert archive.read("index.html") == images.HTML
    with Image.open(io.BytesIO(images.jpeg_with_zip())) as image:
        image.load()
    bomb = images.png_declaring(100_000, 100_000)
    assert len(bomb) < 100
    assert uploads.matches_type(bomb[:16], "image/png")


@pytest.mark.parametrize(("body", "content_type", "reason"), HOSTILE, ids=HOSTILE_IDS)
def test_verify_object_refuses_and_deletes_a_hostile_image(s3_bucket, body, content_type, reason):
    with pytest.raises(uploads.UploadRejected) as caught:
        _verify(s3_bucket, body, content_type)

    assert caught.value.reason.startswith(reason)
    assert not _exists(s3_bucket, "k/image")


@pytest.mark.parametrize(("body", "content_type", "reason"), HOSTILE, ids=HOSTILE_IDS)
def test_store_stream_refuses_a_hostile_image_without_writing(
    s3_bucket, body, content_type, reason
):
    with pytest.raises(uploads.UploadRejected) as caught:
        _stream(body, content_type)

    assert caught.value.reason.startswith(reason)
    assert not _exists(s3_bucket, "k/stream")


GOOD = [
    (images.png(), "image/png"),
    (images.jpeg(), "image/jpeg"),
    (images.jpeg(progressive=True), "image/jpeg"),
    # An EXIF block that holds a whole JPEG (a thumbnail, with its own end marker).
    (images.jpeg(exif=b"Exif\x00\x00" + images.jpeg()), "image/jpeg"),
    (images.webp(), "image/webp"),
]
GOOD_IDS = ["png", "jpeg", "jpeg-progressive", "jpeg-exif-thumbnail", "webp"]


@pytest.mark.parametrize(("body", "content_type"), GOOD, ids=GOOD_IDS)
def test_verify_object_accepts_real_images(s3_bucket, body, content_type):
    verified = _verify(s3_bucket, body, content_type)

    assert (verified.size, verified.content_type) == (len(body), content_type)
    assert _exists(s3_bucket, "k/image")


@pytest.mark.parametrize(("body", "content_type"), GOOD, ids=GOOD_IDS)
def test_store_stream_stores_real_images(s3_bucket, body, content_type):
    verified = _stream(body, content_type)

    stored = s3.client().get_object(Bucket=s3_bucket, Key="k/stream")["Body"].read()
    assert (stored, verified.size) == (body, len(body))


def test_the_pixel_limit_lets_exactly_the_limit_through(s3_bucket, monkeypatch):
    monkeypatch.setattr(uploads, "IMAGE_MAX_PIXELS", 32 * 24)

    assert _stream(images.picture("PNG", size=(32, 24)), "image/png").size > 0
    with pytest.raises(uploads.UploadRejected, match="more than 0 million pixels"):
        _stream(images.picture("PNG", size=(33, 24)), "image/png")


def test_svg_is_never_an_accepted_type(s3_bucket):
    assert "image/svg+xml" not in uploads.MAGIC
    assert "image/svg+xml" not in uploads.EXTENSIONS
    assert not uploads.matches_type(images.SVG[:16], "image/svg+xml")
    with pytest.raises(uploads.UploadRejected, match=r"not a SVG file"):
        _stream(images.SVG, "image/svg+xml")
    with pytest.raises(uploads.UploadRejected, match=r"not a SVG file"):
        _verify(s3_bucket, images.SVG, "image/svg+xml")
    assert not _exists(s3_bucket, "k/image")
