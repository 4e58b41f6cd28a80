"""Evidence and attachments go to S3 through the same checks as entries' files."""

import contextlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.access import require
from core.uploads import UploadRejected

# PDF documents, images and ZIP archives: what evidence and report annexes usually are.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "application/zip": ".zip",
}
MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 5


def _declared_type(upload):
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
    if declared in ALLOWED_TYPES:
        return declared
    # Browsers sometimes send application/octet-stream; fall back on the extension.
    name = (upload.name or "").lower()
    for content_type, ext in ALLOWED_TYPES.items():
        if name.endswith(ext) or (ext == ".jpg" and name.endswith(".jpeg")):
            return content_type
    raise UploadRejected(
        _("%(name)s: only PDF, PNG, JPEG, WebP and ZIP files are accepted.")
        % {"name": uploads.clean_filename(upload.name)}
    )


def store_uploads(*, project, files):
    """Check and stream each uploaded file into S3 under the project's prefix.

    Returns a list of dicts for ``ProjectFile`` rows. If one file is refused, the ones
    already stored are deleted and ``UploadRejected`` says which file and why.
    """
    if len(files) > MAX_FILES:
        raise UploadRejected(_("Attach at most %(count)s files.") % {"count": MAX_FILES})
    stored = []
    try:
        for upload in files:
            content_type = _declared_type(upload)
            key = uploads.new_key(f"incubation/{project.pk}")
            name = uploads.clean_filename(upload.name)
            try:
                verified = uploads.store_stream(
                    key=key, fileobj=upload, content_type=content_type, max_bytes=MAX_BYTES
                )
            except UploadRejected as exc:
                raise UploadRejected(f"{name}: {exc.reason}") from exc
            stored.append(
                {
                    "key": key,
                    "original_name": name,
                    "content_type": content_type,
                    "size": verified.size,
                    "sha256": verified.sha256,
                }
            )
    except UploadRejected:
        discard(stored)
        raise
    return stored


def discard(stored):
    """Delete objects stored for a change that did not happen (best effort)."""
    for item in stored:
        # An unreachable store leaves the object orphaned; keys are random and private.
        with contextlib.suppress(UploadRejected):
            uploads.delete_object(key=item["key"])


def download_url(project_file):
    return uploads.presigned_get(key=project_file.key, filename=project_file.original_name)


# --- direct browser → S3 uploads (presigned POST), the path with JavaScript -----------------
def start_upload(*, project, filename, content_type, size, by):
    """A pending file and the presigned POST the browser sends it with.

    The policy fixes the key, the type and the size range; nothing counts until
    ``confirm_upload`` has checked the object. Side effects: a pending ``ProjectFile``.
    """
    from ..models import ProjectFile

    require(by, "incubation.update_milestone", project, platform=True)
    name = uploads.clean_filename(filename)
    if content_type not in ALLOWED_TYPES:
        raise UploadRejected(
            _("%(name)s: only PDF, PNG, JPEG, WebP and ZIP files are accepted.") % {"name": name}
        )
    if not 0 < int(size) <= MAX_BYTES:
        raise UploadRejected(
            _("%(name)s: files must be between 1 byte and %(mb)s MB.")
            % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}
        )
    key = uploads.new_key(f"incubation/{project.pk}")
    post = uploads.presigned_post(key=key, content_type=content_type, max_bytes=MAX_BYTES)
    item = ProjectFile.objects.create(
        project=project,
        key=key,
        original_name=name,
        content_type=content_type,
        uploaded_by=by,
    )
    return item, post


def confirm_upload(*, project_file):
    """Check the object the browser put in S3 (size, type, magic bytes, checksum) and keep it.

    A checked object is copied to a new key no presigned form was issued for
    (``uploads.seal``): replaying the upload form cannot change what was verified.
    Confirming a verified file again changes nothing. A refused object is deleted and the
    record marked rejected; ``UploadRejected`` says why. ``project_file`` is refreshed.
    Side effects: the record verified under its new key, the upload key deleted after commit.
    """
    from submissions.enums import FileStatus

    from ..models import ProjectFile

    # The row lock makes a double confirm (two tabs, a retried request) verify and copy once.
    with transaction.atomic():
        locked = ProjectFile.objects.select_for_update().get(pk=project_file.pk)
        if locked.status == FileStatus.REJECTED:
            rejected = UploadRejected(_("This file was refused; please upload it again."))
        elif locked.status == FileStatus.VERIFIED:
            rejected = None
        else:
            upload_key = locked.key
            try:
                verified = uploads.verify_object(
                    key=upload_key, content_type=locked.content_type, max_bytes=MAX_BYTES
                )
                sealed_key = uploads.seal(key=upload_key, verified=verified)
            except uploads.StorageUnavailable:
                raise  # keep the pending record: the person can try again
            except UploadRejected as exc:
                rejected = exc
                locked.status = FileStatus.REJECTED
                locked.save(update_fields=["status"])
            else:
                rejected = None
                locked.key = sealed_key
                locked.size = verified.size
                locked.sha256 = verified.sha256
                locked.status = FileStatus.VERIFIED
                locked.verified_at = timezone.now()
                locked.save(update_fields=["key", "size", "sha256", "status", "verified_at"])
                transaction.on_commit(lambda: uploads.discard_upload(key=upload_key))
    project_file.refresh_from_db()
    if rejected is not None:
        raise rejected
    return project_file


def claim_uploads(*, project, ids, by):
    """Verified direct uploads of ``by`` for ``project`` not yet attached to anything."""
    from submissions.enums import FileStatus

    from ..models import ProjectFile

    ids = sorted(set(ids))
    if not ids:
        return []
    found = list(
        ProjectFile.objects.select_for_update().filter(
            pk__in=ids,
            project=project,
            uploaded_by=by,
            status=FileStatus.VERIFIED,
            milestone__isnull=True,
            report__isnull=True,
        )
    )
    if len(found) != len(ids):
        raise UploadRejected(_("An uploaded file could not be found; please upload it again."))
    if len(found) > MAX_FILES:
        raise UploadRejected(_("Attach at most %(count)s files.") % {"count": MAX_FILES})
    return found
