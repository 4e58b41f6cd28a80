"""Files that people upload, straight from the browser into S3, and checked before they count.

The flow every app reuses (submissions, incubation evidence):

1. the server creates a pending record with a key from ``new_key`` and hands the browser a
   ``presigned_post`` whose policy fixes that key, the exact Content-Type and a size range;
2. the browser posts the file to the bucket (large files: ``start_multipart`` and
   ``presign_part`` per part, then ``complete_multipart``);
3. the server calls ``verify_object``: one GET, whose headers give the size and type and
   whose body gives the first bytes (magic numbers must match the declared type), a SHA-256
   of the content and, for archives and images, ``check_contents`` on the whole object.
   An object that fails is deleted and ``UploadRejected`` says why;
4. ``seal`` copies the checked object to a new key no presigned form was ever issued for
   (the presigned POST stays valid for minutes and could be replayed over the upload key);
   the record takes the new key and the upload key is deleted.

ZIP archives are also opened (never extracted): member names that climb out of a folder
or are links, and archives that would expand far beyond their size (zip bombs), are refused.
PNG, JPEG and WebP images are decoded with Pillow: the format must be the declared one, the
canvas at most ``IMAGE_MAX_PIXELS`` (decompression bombs), and nothing may follow the
image's end (a PNG header with an HTML page or a ZIP archive behind it is refused). SVG is
never an accepted type: it is a document that can carry scripts, not a picture.

Without JavaScript, ``store_stream`` sends the file through Django with the same checks.
Downloads are short ``presigned_get`` links that always save as an attachment under a
safe Content-Type, so that nothing uploaded is ever rendered by the browser on our origin.
S3 being unreachable raises ``StorageUnavailable`` (a kind of ``UploadRejected``) so callers
keep the record and the user can retry.
"""

import contextlib
import hashlib
import os
import re
import secrets
import stat
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from . import s3
from .errors import Refused, Unavailable

MAGIC_BYTES_TO_READ = 16
CHUNK = 1024 * 1024


class UploadRejected(Refused):
    """The file cannot be accepted; ``message`` (also ``reason``) is a translated sentence."""

    default_code = "upload_rejected"

    @property
    def reason(self):
        return self.message


class StorageUnavailable(UploadRejected, Unavailable):
    """S3 could not be reached; nothing was decided (503, retry later). The one such error:
    uploads, downloads and certificate PDFs all raise it."""

    default_code = "storage_unavailable"


@dataclass(frozen=True)
class Verified:
    """What the checks found; ``etag`` and ``version_id`` name the object they read."""

    size: int
    sha256: str
    content_type: str
    etag: str = ""
    version_id: str = ""


def _is_mp4(head):
    return head[4:8] == b"ftyp"


def _is_webp(head):
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


# Declared type → test on the first bytes.
MAGIC = {
    "application/pdf": lambda h: h.startswith(b"%PDF-"),
    "image/png": lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda h: h.startswith(b"\xff\xd8\xff"),
    "image/webp": _is_webp,
    "application/zip": lambda h: h[:4] in (b"PK\x03\x04", b"PK\x05\x06"),
    "video/mp4": _is_mp4,
    "video/webm": lambda h: h.startswith(b"\x1a\x45\xdf\xa3"),
}


def new_key(prefix):
    """An unguessable object key under ``prefix``; never derived from the user's file name."""
    prefix = prefix.strip("/")
    return f"{prefix}/{secrets.token_urlsafe(24)}"


_UNSAFE = re.compile(r"[\\/\x00-\x1f\x7f<>:\"|?*]+")
_SPACES = re.compile(r"\s+")

# The extensions a saved file may carry for each type we accept; the first one is added when
# the name carries another (``report.html`` declared as a PDF is saved as ``report.html.pdf``)
# so that a downloaded file never opens as something other than what was checked.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/webp": (".webp",),
    "application/zip": (".zip",),
    "video/mp4": (".mp4", ".m4v"),
    "video/webm": (".webm",),
}
# Types we never accept, named for the messages that refuse them.
_NAMES = {"image/svg+xml": "SVG", "text/html": "HTML"}


def type_names(content_types):
    """What people call the types ("PDF, PNG, JPEG"), not their MIME names."""
    names = []
    for content_type in content_types:
        extensions = EXTENSIONS.get(content_type)
        name = extensions[0] if extensions else content_type.rsplit("/", 1)[-1]
        name = _NAMES.get(content_type, name)
        name = name.lstrip(".").upper()
        names.append("JPEG" if name == "JPG" else name)
    return ", ".join(dict.fromkeys(names))


def clean_filename(name, *, max_length=150):
    """A safe display name: no directories, control or direction characters, quoting tricks."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Category C holds control, format (RTL/LTR overrides, zero-width) and unassigned code
    # points; Zl/Zp are line and paragraph separators.
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = "".join(" " if unicodedata.category(ch) in ("Zl", "Zp") else ch for ch in name)
    name = _SPACES.sub(" ", name)
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) < 10:
            name = stem[: max_length - len(ext) - 1] + "." + ext
        else:
            name = name[:max_length]
    return name or "file"


def display_name(name, content_type, *, max_length=150):
    """``clean_filename``, ending in an extension that fits ``content_type``."""
    extensions = EXTENSIONS.get(content_type)
    cleaned = clean_filename(name, max_length=max_length)
    if not extensions or cleaned.lower().endswith(extensions):
        return cleaned
    return clean_filename(name, max_length=max_length - len(extensions[0])) + extensions[0]


def safe_content_type(content_type=None, *, filename=""):
    """The Content-Type a download is served with: one we check, else a neutral one.

    Never text/html, image/svg+xml or anything else a browser would render or run.
    """
    content_type = (content_type or "").split(";")[0].strip().lower()
    if content_type in MAGIC:
        return content_type
    lowered = (filename or "").lower()
    for candidate, extensions in EXTENSIONS.items():
        if lowered.endswith(extensions):
            return candidate
    return "application/octet-stream"


def matches_type(head, content_type):
    check = MAGIC.get(content_type)
    return bool(check and check(head))


def _unavailable(exc):
    return StorageUnavailable(
        _("The file store cannot be reached right now. Nothing was lost; please try again.")
    )


def _changed():
    return _("The file changed while it was being checked. Please upload it again.")


def _precondition_failed(exc):
    return exc.response.get("Error", {}).get("Code") in ("412", "PreconditionFailed")


def _too_large(max_bytes):
    return _("The file is larger than the limit of %(limit)s.") % {
        "limit": filesizeformat(max_bytes)
    }


def _client():
    """The shared S3 client (``core.s3`` keeps one per configuration)."""
    return s3.client()


def presigned_post(*, key, content_type, max_bytes, expires=600):
    """Fields for a browser form that may put exactly one object at ``key``.

    The policy fixes the key, the exact Content-Type and a length of 1..``max_bytes``.
    """
    try:
        return _client().generate_presigned_post(
            Bucket=s3.bucket_name(),
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=expires,
        )
    except (BotoCoreError, ClientError) as exc:
        raise _unavailable(exc) from exc


def _reject(client, key, reason):
    # If the delete fails, the periodic cleanup removes the object later.
    with contextlib.suppress(BotoCoreError, ClientError):
        client.delete_object(Bucket=s3.bucket_name(), Key=key)
    raise UploadRejected(reason)


# ZIP archives: refused when they would expand to more than this, or more than RATIO times
# their own size (above a small floor that lets a tiny archive of text through).
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_EXPANDED = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 10 * 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe_member_name(name):
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or _DRIVE.match(name):
        return True
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        return True
    return any(part == ".." for part in name.split("/"))


def check_zip(fileobj, *, size):
    """Raise ``UploadRejected`` unless ``fileobj`` (seekable) is a ZIP that is safe to open.

    Refused: damaged archives, password-protected ones, member names with ``..``, absolute
    paths, drive letters, backslashes or control characters, symbolic links, more than
    ``ZIP_MAX_MEMBERS`` members, and zip bombs — judged on the sizes the archive declares
    and then on the bytes its members really expand to (CRC-checked, never written out).
    """
    invalid = _("The file is not a valid ZIP archive.")
    bomb = _("The ZIP archive expands to far more than its size; it is refused.")
    unreadable = _(
        "The ZIP archive uses a compression method that cannot be checked; "
        "please pack it again with ordinary ZIP compression."
    )
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS:
                raise UploadRejected(
                    _("The ZIP archive holds more than %(n)s files.") % {"n": ZIP_MAX_MEMBERS}
                )
            for member in members:
                mode = member.external_attr >> 16
                if _unsafe_member_name(member.orig_filename) or stat.S_ISLNK(mode):
                    raise UploadRejected(
                        _("The ZIP archive contains an unsafe name: %(name)s")
                        % {"name": clean_filename(member.filename)}
                    )
                if member.flag_bits & 0x1:
                    raise UploadRejected(_("Password-protected ZIP archives are not accepted."))
            budget = min(ZIP_MAX_EXPANDED, max(ZIP_RATIO_FLOOR, ZIP_MAX_RATIO * size))
            if sum(member.file_size for member in members) > budget:
                raise UploadRejected(bomb)
            expanded = 0
            for member in members:
                if member.is_dir():
                    continue
                try:
                    with archive.open(member) as content:
                        while chunk := content.read(CHUNK):
                            expanded += len(chunk)
                            if expanded > budget:
                                raise UploadRejected(bomb)
                except NotImplementedError as exc:
                    # A compression method we cannot read (e.g. deflate64) cannot be
                    # checked for a bomb either: refuse rather than let it through unread.
                    raise UploadRejected(unreadable) from exc
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError) as exc:
        raise UploadRejected(invalid) from exc
    except RuntimeError as exc:  # zipfile's "password required" and friends
        raise UploadRejected(invalid) from exc
    finally:
        fileobj.seek(0)


# Images: decoded with Pillow before they count. A few kilobytes can declare a canvas that
# takes gigabytes to decode, so more pixels than this are refused before anything is decoded.
IMAGE_MAX_PIXELS = 50_000_000
# Declared type → the formats Pillow may find (a JPEG carrying further pictures opens as
# MPO; the pictures after the first one's end are then refused as trailing data).
IMAGE_FORMATS = {
    "image/png": ("PNG",),
    "image/jpeg": ("JPEG", "MPO"),
    "image/webp": ("WEBP",),
}


def _png_end(fileobj, size):
    """The offset just past the IEND chunk, walking the chunks from the signature."""
    position = 8
    while position + 12 <= size:
        fileobj.seek(position)
        length, kind = struct.unpack(">I4s", fileobj.read(8))
        position += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return position
    return None


def _scan_end(fileobj, position):
    """The offset of the marker that ends JPEG entropy-coded data beginning at ``position``.

    In the data a 0xFF byte is followed by 0x00 (a stuffed byte), a restart marker or more
    0xFF fill; anything else is the next marker.
    """
    fileobj.seek(position)
    data = b""
    while chunk := fileobj.read(CHUNK):
        data += chunk
        index = 0
        while (index := data.find(b"\xff", index)) != -1 and index + 1 < len(data):
            following = data[index + 1]
            if following != 0x00 and following != 0xFF and not 0xD0 <= following <= 0xD7:
                return position + index
            index += 1
        keep = 1 if data.endswith(b"\xff") else 0
        position += len(data) - keep
        data = data[len(data) - keep :]
    return None


def _jpeg_end(fileobj, size):
    """The offset just past the EOI marker that closes the image, walking its segments."""
    position = 2  # after SOI
    while position + 2 <= size:
        fileobj.seek(position)
        prefix, code = fileobj.read(2)
        if prefix != 0xFF:
            return None
        if code == 0xFF:  # fill before a marker
            position += 1
            continue
        position += 2
        if code == 0xD9:  # EOI
            return position
        if 0xD0 <= code <= 0xD7 or code == 0x01:  # markers without a length
            continue
        field = fileobj.read(2)
        length = struct.unpack(">H", field)[0] if len(field) == 2 else 0
        if length < 2:
            return None
        position += length
        if code == 0xDA:  # start of scan: entropy-coded data up to the next marker
            position = _scan_end(fileobj, position)
            if position is None:
                return None
    return None


def _webp_end(fileobj, size):
    """The end the RIFF header declares: its size field counts the bytes after it."""
    fileobj.seek(4)
    return 8 + struct.unpack("<I", fileobj.read(4))[0]


_IMAGE_END = {"image/png": _png_end, "image/jpeg": _jpeg_end, "image/webp": _webp_end}


def check_image(fileobj, *, content_type):
    """Raise ``UploadRejected`` unless ``fileobj`` (seekable) is one whole image of its type.

    Pillow opens it as the declared format only, checks the header's dimensions against
    ``IMAGE_MAX_PIXELS`` before decoding, runs ``verify()`` (PNG chunk checksums) and then
    decodes every pixel with ``load()``; the file must end where the image ends — no HTML
    page, script or archive appended after it (the polyglots a magic-bytes check lets in).
    """
    formats = IMAGE_FORMATS[content_type]
    damaged = _("The image is damaged or incomplete and cannot be opened.")
    bomb = _("The image has more than %(limit)s million pixels; it is refused.") % {
        "limit": IMAGE_MAX_PIXELS // 1_000_000
    }
    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    try:
        fileobj.seek(0)
        with Image.open(fileobj, formats=formats[:1]) as image:
            if image.format not in formats:
                raise UploadRejected(_not_type(content_type))
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise UploadRejected(bomb)
            image.verify()
        # verify() leaves the image unusable: open it again to decode the pixels.
        fileobj.seek(0)
        with Image.open(fileobj, formats=formats[:1]) as image:
            image.load()
        end = _IMAGE_END[content_type](fileobj, size)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRejected(bomb) from exc
    except UnidentifiedImageError as exc:
        raise UploadRejected(_not_type(content_type)) from exc
    except (OSError, SyntaxError, ValueError, TypeError, IndexError, struct.error) as exc:
        raise UploadRejected(damaged) from exc
    finally:
        fileobj.seek(0)
    if end is None or end > size:
        raise UploadRejected(damaged)
    if end < size:
        raise UploadRejected(
            _(
                "The image has other data after its end. Please save it again as a plain "
                "image and upload that."
            )
        )


def check_contents(fileobj, *, content_type, size):
    """The checks beyond the first bytes, on the whole file: archives opened, images decoded."""
    if content_type == "application/zip":
        check_zip(fileobj, size=size)
    elif content_type in IMAGE_FORMATS:
        check_image(fileobj, content_type=content_type)


def needs_contents_check(content_type):
    return content_type == "application/zip" or content_type in IMAGE_FORMATS


def _same_type(stored, declared):
    return (stored or "").strip().lower() == declared.lower()


def _close(body):
    with contextlib.suppress(Exception):
        body.close()


def verify_object(*, key, content_type, max_bytes, expected_size=None, expected_sha256=None):
    """Check an uploaded object; delete it and raise ``UploadRejected`` when it fails.

    ``expected_size``/``expected_sha256``, when given, are what the uploader announced: an
    object that differs is not the file they meant to send, and is refused too.

    One GET serves every check: its headers give the size, the stored Content-Type and the
    ETag before a byte of the body is read (an empty, oversized or mistyped object is
    refused without reading it), then the first bytes (magic numbers), the SHA-256 and, for
    archives and images, ``check_contents`` come from the same body. What was checked is
    therefore exactly the version that ETag names; ``seal`` copies only that version.
    """
    client = _client()
    bucket = s3.bucket_name()
    try:
        response = client.get_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            raise UploadRejected(_("The file did not arrive. Please upload it again.")) from exc
        raise _unavailable(exc) from exc
    except BotoCoreError as exc:
        raise _unavailable(exc) from exc
    body = response["Body"]
    size = response["ContentLength"]
    etag = response.get("ETag")
    try:
        if size == 0:
            _reject(client, key, _("The file is empty."))
        if size > max_bytes:
            _reject(client, key, _too_large(max_bytes))
        # The policy fixes the exact Content-Type; anything else did not come through it.
        if not _same_type(response.get("ContentType"), content_type):
            _reject(client, key, _("The file's type does not match what was declared."))
        first_bytes = body.read(MAGIC_BYTES_TO_READ)
        if not matches_type(first_bytes, content_type):
            _reject(client, key, _not_type(content_type))
        if expected_size is not None and size != expected_size:
            _reject(
                client,
                key,
                _("The file that arrived (%(actual)s) is not the size announced (%(declared)s).")
                % {"actual": filesizeformat(size), "declared": filesizeformat(expected_size)},
            )
        digest = hashlib.sha256(first_bytes)
        if needs_contents_check(content_type):
            # Archives and images are read whole (size-limited, spilled to disk above 8 MB).
            with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as copy:
                copy.write(first_bytes)
                for chunk in body.iter_chunks(CHUNK):
                    digest.update(chunk)
                    copy.write(chunk)
                try:
                    check_contents(copy, content_type=content_type, size=size)
                except UploadRejected as exc:
                    _reject(client, key, exc.reason)
        else:
            for chunk in body.iter_chunks(CHUNK):
                digest.update(chunk)
    except ClientError as exc:
        raise _unavailable(exc) from exc
    except BotoCoreError as exc:
        raise _unavailable(exc) from exc
    finally:
        _close(body)
    sha256 = digest.hexdigest()
    if expected_sha256 and sha256 != expected_sha256.lower():
        _reject(client, key, _("The file's checksum does not match the one announced."))
    return Verified(
        size=size,
        sha256=sha256,
        content_type=content_type,
        etag=etag or "",
        version_id=response.get("VersionId") or "",
    )


# CopyObject copies at most 5 GiB in one request (settings.UPLOAD_MULTIPART_COPY_THRESHOLD);
# larger objects are copied in parts (UploadPartCopy, through boto3's managed copy).
# Submission limits are set per challenge with no upper bound and multipart uploads reach
# 10,000 parts, so both paths are needed.
COPY_PART_SIZE = 512 * 1024 * 1024


def multipart_copy_threshold():
    """Objects of this size or more are copied in parts."""
    return settings.UPLOAD_MULTIPART_COPY_THRESHOLD


def seal(*, key, verified):
    """Copy the object ``verify_object`` checked at ``key`` to a new key; return that key.

    The presigned POST that put the object at ``key`` stays valid for minutes after the
    checks, and replayed it would overwrite the checked bytes with others of the same
    type. No form was ever issued for the new key, so what is there stays what was checked.
    The copy names the ETag the checks read (``CopySourceIfMatch``, and the version when
    the bucket keeps versions): an object replaced in between is not copied, it is deleted
    and ``UploadRejected`` says so. The object at ``key`` is left for the caller to delete
    once the new key is recorded.
    """
    client = _client()
    bucket = s3.bucket_name()
    sealed = new_key(key.rpartition("/")[0] or key)
    source = {"Bucket": bucket, "Key": key}
    if verified.version_id:
        source["VersionId"] = verified.version_id
    condition = {"CopySourceIfMatch": verified.etag} if verified.etag else {}
    threshold = multipart_copy_threshold()
    try:
        if verified.size < threshold:
            client.copy_object(Bucket=bucket, Key=sealed, CopySource=source, **condition)
        else:
            # The managed copy sends the condition with its HEAD and with every part.
            client.copy(
                source,
                bucket,
                sealed,
                ExtraArgs=condition,
                Config=TransferConfig(
                    multipart_threshold=threshold, multipart_chunksize=COPY_PART_SIZE
                ),
            )
    except ClientError as exc:
        if _precondition_failed(exc):
            _reject(client, key, _changed())
        raise _unavailable(exc) from exc
    except BotoCoreError as exc:
        raise _unavailable(exc) from exc
    return sealed


def _not_type(content_type):
    return _("The file's contents are not a %(type)s file.") % {"type": type_names([content_type])}


class _HashingReader:
    """Reads ``fileobj`` once, hashing and counting as boto3 pulls the bytes."""

    def __init__(self, fileobj, max_bytes):
        self.fileobj = fileobj
        self.max_bytes = max_bytes
        self.size = 0
        self.digest = hashlib.sha256()

    def read(self, amount=-1):
        data = self.fileobj.read(amount)
        self.size += len(data)
        if self.size > self.max_bytes:
            raise UploadRejected(_too_large(self.max_bytes))
        self.digest.update(data)
        return data


def store_stream(*, key, fileobj, content_type, max_bytes):
    """The no-JavaScript path: check and stream ``fileobj`` through Django into S3."""
    declared = getattr(fileobj, "size", None)
    if declared == 0:
        raise UploadRejected(_("The file is empty."))
    if declared is not None and declared > max_bytes:
        raise UploadRejected(_too_large(max_bytes))
    head = fileobj.read(MAGIC_BYTES_TO_READ)
    if not head:
        raise UploadRejected(_("The file is empty."))
    if not matches_type(head, content_type):
        raise UploadRejected(_not_type(content_type))
    if needs_contents_check(content_type):
        check_contents(fileobj, content_type=content_type, size=declared or 0)
    fileobj.seek(0)
    reader = _HashingReader(fileobj, max_bytes)
    client = _client()
    try:
        client.upload_fileobj(
            reader, s3.bucket_name(), key, ExtraArgs={"ContentType": content_type}
        )
    except UploadRejected:
        _reject(
            client,
            key,
            _too_large(max_bytes),
        )
    except (BotoCoreError, ClientError) as exc:
        raise _unavailable(exc) from exc
    return Verified(size=reader.size, sha256=reader.digest.hexdigest(), content_type=content_type)


def content_disposition(filename):
    safe = clean_filename(filename)
    ascii_name = safe.encode("ascii", "ignore").decode() or "file"
    ascii_name = ascii_name.replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(safe)}"


def presigned_get(*, key, filename, content_type=None, expires=300):
    """A short-lived download link that saves under the safe display name.

    The response is always an attachment, served as ``safe_content_type`` (the checked
    type, or one guessed from the name, else application/octet-stream) whatever the
    object's stored metadata says, so a polyglot or an HTML/SVG file never renders inline.
    """
    return _client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": s3.bucket_name(),
            "Key": key,
            "ResponseContentDisposition": content_disposition(filename),
            "ResponseContentType": safe_content_type(content_type, filename=filename),
        },
        ExpiresIn=expires,
    )


def put_bytes(*, key, body, content_type):
    """Store bytes the platform made itself (a report, a rendered PDF) at ``key``.

    Not for what people upload (nothing is checked here: see ``store_stream``). Raises
    StorageUnavailable when S3 cannot be reached.
    """
    try:
        _client().put_object(Bucket=s3.bucket_name(), Key=key, Body=body, ContentType=content_type)
    except (BotoCoreError, ClientError) as exc:
        raise _unavailable(exc) from exc


def delete_object(*, key):
    try:
        _client().delete_object(Bucket=s3.bucket_name(), Key=key)
    except (BotoCoreError, ClientError) as exc:
        raise _unavailable(exc) from exc


def discard_upload(*, key, upload_id=""):
    """Delete an upload nothing refers to (aborting its multipart upload), best effort.

    If S3 cannot be reached the object is left; the periodic cleanup or the bucket's
    lifecycle rules remove it later.
    """
    with contextlib.suppress(StorageUnavailable):
        if upload_id:
            abort_multipart(key=key, upload_id=upload_id)
        delete_object(key=key)


# --- multipart (large files such as demo videos) -------------------------------------------
# Sizes come from settings (UPLOAD_MULTIPART_THRESHOLD, UPLOAD_PART_SIZE; S3 needs parts of
# at least 5 MB, except the last).
MAX_PARTS = 10000


def multipart_threshold():
    """Files larger than this go up in parts."""
    return settings.UPLOAD_MULTIPART_THRESHOLD


def part_size():
    return settings.UPLOAD_PART_SIZE


def start_multipart(*, key, content_type):
    """Begin a multipart upload at ``key``; returns its upload id."""
    try:
        answer = _client().create_multipart_upload(
            Bucket=s3.bucket_name(), Key=key, ContentType=content_type
        )
    except (BotoCoreError, ClientError) as exc:
        raise _unavailable(exc) from exc
    return answer["UploadId"]


def presign_part(*, key, upload_id, part_number, expires=600):
    """A presigned PUT URL for one part (1..10000)."""
    if not 1 <= int(part_number) <= MAX_PARTS:
        raise UploadRejected(_("Invalid part number."))
    return _client().generate_presigned_url(
        "upload_part",
        Params={
            "Bucket": s3.bucket_name(),
            "Key": key,
            "UploadId": upload_id,
            "PartNumber": int(part_number),
        },
        ExpiresIn=expires,
    )


def uploaded_parts(*, key, upload_id):
    """Parts S3 already holds: ``[{"PartNumber", "ETag", "Size"}]`` (lets a browser resume)."""
    client = _client()
    parts, marker = [], 0
    try:
        while True:
            answer = client.list_parts(
                Bucket=s3.bucket_name(), Key=key, UploadId=upload_id, PartNumberMarker=marker
            )
            parts.extend(answer.get("Parts", []))
            if not answer.get("IsTruncated"):
                return parts
            marker = answer["NextPartNumberMarker"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "NoSuchUpload":
            raise UploadRejected(_("This upload has expired. Please start again.")) from exc
        raise _unavailable(exc) from exc
    except BotoCoreError as exc:
        raise _unavailable(exc) from exc


_BAD_PARTS = ("EntityTooSmall", "InvalidPart", "InvalidPartOrder", "MalformedXML", "EntityTooLarge")


def complete_multipart(*, key, upload_id, parts=None):
    """Join the parts S3 holds (listed server-side unless given) into one object."""
    parts = parts if parts is not None else uploaded_parts(key=key, upload_id=upload_id)
    if not parts:
        raise UploadRejected(_("No part of the file has arrived yet."))
    try:
        _client().complete_multipart_upload(
            Bucket=s3.bucket_name(),
            Key=key,
            UploadId=upload_id,
            MultipartUpload={
                "Parts": [
                    {"PartNumber": p["PartNumber"], "ETag": p["ETag"]}
                    for p in sorted(parts, key=lambda p: p["PartNumber"])
                ]
            },
        )
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code == "NoSuchUpload":
            raise UploadRejected(_("This upload has expired. Please start again.")) from exc
        if code in _BAD_PARTS:
            raise UploadRejected(
                _("The parts of the file that arrived do not make up a whole file.")
            ) from exc
        raise _unavailable(exc) from exc
    except BotoCoreError as exc:
        raise _unavailable(exc) from exc


def abort_multipart(*, key, upload_id):
    try:
        _client().abort_multipart_upload(Bucket=s3.bucket_name(), Key=key, UploadId=upload_id)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchUpload":
            raise _unavailable(exc) from exc
    except BotoCoreError as exc:
        raise _unavailable(exc) from exc


def abort_stale_multipart(*, older_than=timedelta(days=1), now=None):
    """Abort every multipart upload in the bucket begun before ``older_than`` ago.

    Called by the periodic cleanup; returns the keys whose uploads were aborted.
    """
    cutoff = (now or timezone.now()) - older_than
    client = _client()
    bucket = s3.bucket_name()
    aborted = []
    kwargs = {"Bucket": bucket}
    while True:
        answer = client.list_multipart_uploads(**kwargs)
        for upload in answer.get("Uploads", []):
            if upload["Initiated"] < cutoff:
                abort_multipart(key=upload["Key"], upload_id=upload["UploadId"])
                aborted.append(upload["Key"])
        if not answer.get("IsTruncated"):
            return aborted
        kwargs.update(
            KeyMarker=answer["NextKeyMarker"], UploadIdMarker=answer["NextUploadIdMarker"]
        )


def cleanup_abandoned(*, pending, older_than=timedelta(days=1), now=None):
    """Remove abandoned uploads: ``pending`` is an iterable of ``(key, upload_id)`` of
    records that never verified (upload_id may be empty); their objects are deleted and
    their multipart uploads aborted, then stale multipart uploads left in the bucket are
    aborted too. Returns the number of pending uploads removed.
    """
    count = 0
    for key, upload_id in pending:
        if upload_id:
            abort_multipart(key=key, upload_id=upload_id)
        delete_object(key=key)
        count += 1
    abort_stale_multipart(older_than=older_than, now=now)
    return count


def read_object(*, key, max_bytes):
    """The bytes of a (small, verified) object, for the few files the site serves itself
    (the vote gallery's images: a presigned link is another origin, which the CSP refuses)."""
    try:
        response = _client().get_object(Bucket=s3.bucket_name(), Key=key)
        body = response["Body"].read(max_bytes + 1)
    except (BotoCoreError, ClientError) as exc:
        raise _unavailable(exc) from exc
    if len(body) > max_bytes:
        raise Refused(_too_large(max_bytes), code="too_large")
    return body
