"""Files of an entry: upload slots, verification, the no-JS path, removal, downloads."""

import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.enums import FileKind
from core import uploads
from core.audit import record

from ..enums import FileStatus
from ..models import SubmissionFile
from .deadlines import ensure_open
from .entries import _ensure_editor
from .errors import ActionRefused

PENDING_TTL = timedelta(hours=6)


def _requirement(submission, kind):
    requirement = submission.challenge.file_requirements.filter(kind=kind).first()
    if requirement is None:
        raise ActionRefused(_("This challenge does not ask for files of this kind."))
    return requirement


def _check_request(*, submission, kind, content_type, size, by):
    _ensure_editor(submission, by)
    ensure_open(submission.challenge)
    requirement = _requirement(submission, kind)
    if content_type not in requirement.content_types:
        raise ActionRefused(
            _("%(kind)s must be one of: %(types)s.")
            % {"kind": FileKind(kind).label, "types": ", ".join(requirement.content_types)}
        )
    if size is not None and size <= 0:
        raise ActionRefused(_("The file is empty."))
    if size is not None and size > requirement.max_bytes:
        raise ActionRefused(
            _("The file is larger than the limit of %(mb)s MB.") % {"mb": requirement.max_size_mb}
        )
    active = submission.files.filter(
        kind=kind, removed_at__isnull=True, status__in=[FileStatus.PENDING, FileStatus.VERIFIED]
    ).count()
    if active >= requirement.max_files:
        raise ActionRefused(
            _("This entry already has %(n)s file(s) of this kind; remove one first.")
            % {"n": active}
        )
    return requirement


def _key(submission):
    return uploads.new_key(f"submissions/{submission.challenge_id}/{submission.pk}")


@transaction.atomic
def request_upload(*, submission, kind, filename, content_type, size, by):
    """Reserve a slot for a browser upload.

    Returns ``(file, slot)``: ``slot`` is ``{"url", "fields"}`` for a presigned POST, or
    ``{"multipart": True, "part_size", "parts"}`` for files above the multipart threshold.
    Side effects: a pending ``SubmissionFile``, a multipart upload in S3 for large files,
    audit ``submissions.file.requested``.
    """
    requirement = _check_request(
        submission=submission, kind=kind, content_type=content_type, size=size, by=by
    )
    key = _key(submission)
    upload_id = ""
    if size and size > uploads.MULTIPART_THRESHOLD:
        upload_id = uploads.start_multipart(key=key, content_type=content_type)
        slot = {
            "multipart": True,
            "part_size": uploads.PART_SIZE,
            "parts": math.ceil(size / uploads.PART_SIZE),
        }
    else:
        slot = uploads.presigned_post(
            key=key, content_type=content_type, max_bytes=requirement.max_bytes
        )
    file = SubmissionFile.objects.create(
        submission=submission,
        kind=kind,
        key=key,
        original_name=uploads.clean_filename(filename),
        content_type=content_type,
        size=size,
        uploaded_by=by,
        multipart_upload_id=upload_id,
    )
    record(action="submissions.file.requested", obj=file, by=by, kind=kind)
    return file, slot


def part_url(*, file, part_number, by):
    """A presigned URL for one part of a multipart upload (and the parts S3 already has)."""
    _ensure_editor(file.submission, by)
    if not file.multipart_upload_id or file.status != FileStatus.PENDING:
        raise ActionRefused(_("This upload is not in progress."))
    return uploads.presign_part(
        key=file.key, upload_id=file.multipart_upload_id, part_number=part_number
    )


def _mark_rejected(file, reason):
    with transaction.atomic():
        file.status = FileStatus.REJECTED
        file.rejection_reason = str(reason)[:300]
        file.save(update_fields=["status", "rejection_reason"])
        record(action="submissions.file.rejected", obj=file, by=None, reason=str(reason))


def confirm_upload(*, file, by):
    """Verify an uploaded object (completing a multipart upload first) and attach it.

    Raises ``UploadRejected``: the object is deleted and the file marked rejected, or —
    for ``StorageUnavailable`` — nothing changes and the user may retry.
    Side effects: the file verified (size, SHA-256), audit ``submissions.file.verified``.
    """
    submission = file.submission
    _ensure_editor(submission, by)
    ensure_open(submission.challenge)
    if file.status == FileStatus.VERIFIED:
        return file
    if file.status == FileStatus.REJECTED:
        raise uploads.UploadRejected(file.rejection_reason)
    requirement = _requirement(submission, file.kind)
    try:
        if file.multipart_upload_id:
            uploads.complete_multipart(key=file.key, upload_id=file.multipart_upload_id)
        verified = uploads.verify_object(
            key=file.key, content_type=file.content_type, max_bytes=requirement.max_bytes
        )
    except uploads.StorageUnavailable:
        raise
    except uploads.UploadRejected as exc:
        _mark_rejected(file, exc.reason)
        raise
    with transaction.atomic():
        file.status = FileStatus.VERIFIED
        file.size, file.sha256 = verified.size, verified.sha256
        file.verified_at = timezone.now()
        file.multipart_upload_id = ""
        file.save(update_fields=["status", "size", "sha256", "verified_at", "multipart_upload_id"])
        record(action="submissions.file.verified", obj=file, by=by, sha256=verified.sha256)
    return file


def attach_file(*, submission, kind, uploaded, by):
    """The no-JavaScript path: stream ``uploaded`` through Django into S3, checked.

    Side effects: a verified ``SubmissionFile``, audit ``submissions.file.verified``.
    Raises ``ActionRefused`` or ``UploadRejected``; a refused file leaves nothing behind.
    """
    content_type = (getattr(uploaded, "content_type", "") or "").split(";")[0].strip()
    requirement = _check_request(
        submission=submission, kind=kind, content_type=content_type, size=uploaded.size, by=by
    )
    key = _key(submission)
    verified = uploads.store_stream(
        key=key, fileobj=uploaded, content_type=content_type, max_bytes=requirement.max_bytes
    )
    with transaction.atomic():
        file = SubmissionFile.objects.create(
            submission=submission,
            kind=kind,
            key=key,
            original_name=uploads.clean_filename(uploaded.name),
            content_type=content_type,
            size=verified.size,
            sha256=verified.sha256,
            status=FileStatus.VERIFIED,
            verified_at=timezone.now(),
            uploaded_by=by,
        )
        record(action="submissions.file.verified", obj=file, by=by, sha256=verified.sha256)
    return file


def remove_file(*, file, by):
    """Take a file off the draft. Its object stays while a submitted version refers to it.

    Side effects: the file marked removed (or deleted with its object), an audit entry.
    """
    submission = file.submission
    _ensure_editor(submission, by)
    ensure_open(submission.challenge)
    referenced = any(
        entry.get("key") == file.key
        for version in submission.versions.all()
        for entry in version.files
    )
    with transaction.atomic():
        record(action="submissions.file.removed", obj=file, by=by, key=file.key)
        if referenced:
            file.removed_at = timezone.now()
            file.save(update_fields=["removed_at"])
            return
        key, upload_id = file.key, file.multipart_upload_id
        file.delete()

        def delete_object():
            try:
                if upload_id:
                    uploads.abort_multipart(key=key, upload_id=upload_id)
                uploads.delete_object(key=key)
            except uploads.StorageUnavailable:
                pass  # unreferenced now; the bucket lifecycle/cleanup can remove it later

        transaction.on_commit(delete_object)


def download_url(*, file):
    """A short presigned GET; callers check who may see the file (``rules``)."""
    return uploads.presigned_get(key=file.key, filename=file.original_name)


def purge_abandoned(*, older_than=PENDING_TTL, now=None):
    """Remove pending uploads older than ``older_than`` and their objects/multipart uploads.

    Called by the periodic task ``submissions.cleanup_uploads``; returns how many went.
    """
    cutoff = (now or timezone.now()) - older_than
    stale = list(
        SubmissionFile.objects.filter(status=FileStatus.PENDING, created_at__lt=cutoff).values_list(
            "pk", "key", "multipart_upload_id"
        )
    )
    rejected = list(
        SubmissionFile.objects.filter(
            status=FileStatus.REJECTED, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    count = uploads.cleanup_abandoned(
        pending=[(key, upload_id) for _pk, key, upload_id in stale],
        older_than=older_than,
        now=now,
    )
    SubmissionFile.objects.filter(pk__in=[pk for pk, *_rest in stale] + rejected).delete()
    return count
