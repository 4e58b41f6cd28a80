"""The life of an uploaded file's record, written once for every kind of upload.

``core.uploads`` talks to S3 (presigned forms, checks, sealing); this module keeps the
record (a ``core.models.StoredFile``) in step with it:

    pending ──confirm──▶ verified (sealed under a new key; the upload key deleted)
       │                    ▲
       └──refused──▶ rejected (reason kept, object deleted, multipart aborted)
    pending/rejected, abandoned ──purge──▶ gone (record and object)

An app describes its kind of file with :class:`Rules` (audit prefix, size limit) and does
its own checks first (deadline, who may edit); everything after that is here, so entries'
files and incubation evidence cannot drift apart again.
"""

import contextlib
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import uploads
from .audit import record
from .enums import FileStatus
from .models import StoredFile
from .uploads import StorageUnavailable, UploadRejected

#: Pending uploads older than this were abandoned (a closed tab, a lost connection).
PENDING_TTL = timedelta(hours=6)
VERIFIED_FIELDS = ("status", "key", "size", "sha256", "verified_at", "multipart_upload_id")


@dataclass(frozen=True)
class Rules:
    """What differs between kinds of files: the audit name prefix and the size limit."""

    audit: str  # e.g. "submissions.file": entries "<audit>.verified", "<audit>.rejected"
    max_bytes: int


def mark_rejected(stored, reason, *, audit):
    """Record that ``stored`` was refused, and why (the reason is shown on a retry)."""
    with transaction.atomic():
        stored.status = FileStatus.REJECTED
        stored.rejection_reason = str(reason)[:300]
        stored.save(update_fields=["status", "rejection_reason"])
        record(action=f"{audit}.rejected", obj=stored, by=None, reason=str(reason))


def confirm(stored, *, rules, by, expected_sha256=""):
    """Check the object the browser put in S3 and mark the record verified, or rejected.

    The object must be the one announced: ``stored.size`` when it was given, and its
    SHA-256 (``expected_sha256``, else the one announced). Once checked it is copied to a
    key no presigned form was issued for (``uploads.seal``): replaying the upload form
    cannot change what was verified. Confirming a verified file again changes nothing.
    Raises ``UploadRejected`` (the object deleted, the record rejected with its reason) or
    ``StorageUnavailable`` (nothing changed: the person may retry). Returns the record.
    """
    model = type(stored)
    # The row lock makes a double confirm (two tabs, a retried request) verify once.
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=stored.pk)
        if locked.status == FileStatus.VERIFIED:
            return locked
        if locked.status == FileStatus.REJECTED:
            raise UploadRejected(
                locked.rejection_reason or _("This file was refused; please upload it again.")
            )
        upload_key, upload_id = locked.key, locked.multipart_upload_id
        try:
            if upload_id:
                uploads.complete_multipart(key=upload_key, upload_id=upload_id)
            verified = uploads.verify_object(
                key=upload_key,
                content_type=locked.content_type,
                max_bytes=rules.max_bytes,
                expected_size=locked.size,
                expected_sha256=expected_sha256 or locked.sha256 or None,
            )
            sealed_key = uploads.seal(key=upload_key, verified=verified)
        except StorageUnavailable:
            raise
        except UploadRejected as exc:
            rejected = exc
        else:
            locked.status = FileStatus.VERIFIED
            locked.key = sealed_key
            locked.size, locked.sha256 = verified.size, verified.sha256
            locked.verified_at = timezone.now()
            locked.multipart_upload_id = ""
            locked.save(
                update_fields=[
                    "status",
                    "key",
                    "size",
                    "sha256",
                    "verified_at",
                    "multipart_upload_id",
                ]
            )
            record(action=f"{rules.audit}.verified", obj=locked, by=by, sha256=verified.sha256)
            # Only once the row names the sealed copy: if the transaction rolls back, the
            # upload is still there to verify again.
            transaction.on_commit(lambda: uploads.discard_upload(key=upload_key))
            return locked
        locked.sha256 = ""
        locked.multipart_upload_id = ""
        locked.save(update_fields=["sha256", "multipart_upload_id"])
        mark_rejected(locked, rejected.message, audit=rules.audit)
    if upload_id:
        # A multipart upload that never completed keeps its parts until aborted; if S3 is
        # down now, the periodic purge aborts stale multipart uploads.
        with contextlib.suppress(StorageUnavailable):
            uploads.abort_multipart(key=upload_key, upload_id=upload_id)
    raise rejected


def file_models():
    """Every concrete kind of stored file the installed apps define."""
    return [model for model in apps.get_models() if issubclass(model, StoredFile)]


def purge_abandoned(*, older_than=PENDING_TTL, now=None):
    """Remove abandoned uploads of every kind: pending records older than ``older_than``
    with their objects (and multipart uploads), rejected records, and stale multipart
    uploads left in the bucket. Returns how many pending uploads went."""
    cutoff = (now or timezone.now()) - older_than
    pending, doomed = [], []
    for model in file_models():
        old = model.objects.filter(created_at__lt=cutoff)
        for pk, key, upload_id in old.filter(status=FileStatus.PENDING).values_list(
            "pk", "key", "multipart_upload_id"
        ):
            pending.append((key, upload_id))
            doomed.append((model, pk))
        doomed.extend(
            (model, pk)
            for pk in old.filter(status=FileStatus.REJECTED).values_list("pk", flat=True)
        )
    count = uploads.cleanup_abandoned(pending=pending, older_than=older_than, now=now)
    for model in file_models():
        model.objects.filter(pk__in=[pk for m, pk in doomed if m is model]).delete()
    return count
