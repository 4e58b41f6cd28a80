"""Evidence and attachments go to S3 through the same checks as entries' files."""

import contextlib

from django.utils.translation import gettext as _

from core import files as stored_files
from core import uploads
from core.access import require
from core.enums import FileStatus
from core.uploads import UploadRejected

from ..models import ProjectFile

# PDF documents, images and ZIP archives: what evidence and report annexes usually are.
# The file-name endings and content checks for each type are core.uploads' (EXTENSIONS).
ALLOWED_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/webp", "application/zip")
MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 5
RULES = stored_files.Rules(audit="incubation.file", max_bytes=MAX_BYTES)


def _refused_type(name):
    return UploadRejected(
        _("%(name)s: only PDF, PNG, JPEG, WebP and ZIP files are accepted.") % {"name": name}
    )


def _declared_type(upload):
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
    if declared in ALLOWED_TYPES:
        return declared
    # Browsers sometimes send application/octet-stream; fall back on the extension.
    name = (upload.name or "").lower()
    for content_type in ALLOWED_TYPES:
        if name.endswith(uploads.EXTENSIONS[content_type]):
            return content_type
    raise _refused_type(uploads.clean_filename(upload.name))


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

    require(by, "incubation.update_milestone", project, platform=True)
    name = uploads.clean_filename(filename)
    if content_type not in ALLOWED_TYPES:
        raise _refused_type(name)
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
        size=int(size),  # the object must be exactly what was announced
        uploaded_by=by,
    )
    return item, post


def confirm_upload(*, project_file):
    """Check the object the browser put in S3 and keep it, or refuse it (``core.files``):
    the announced size and type, magic bytes, then sealed under a new key. Confirming a
    verified file again changes nothing. ``project_file`` is refreshed either way.
    Side effects: audit ``incubation.file.verified`` or ``incubation.file.rejected``.
    """
    try:
        return stored_files.confirm(project_file, rules=RULES, by=project_file.uploaded_by)
    finally:
        project_file.refresh_from_db()


def claim_uploads(*, project, ids, by):
    """Verified direct uploads of ``by`` for ``project`` not yet attached to anything."""

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
