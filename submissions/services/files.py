"""Files of an entry: upload slots, verification, the no-JS path, removal, downloads.

Every file question of a challenge is an upload slot, whichever form asks it. Who may
change the files of a form, and until when, is that form's *window*: the entry form's is
the team's editors until the entry deadline; the follow-up forms' is registered by judging
(``register_window``), which knows its rounds. One upload path serves both.
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.enums import FormStage
from challenges.selectors import file_questions
from core import files as stored_files
from core import uploads
from core.audit import record

from ..enums import FileStatus
from ..models import SubmissionFile
from .deadlines import ensure_open
from .entries import _ensure_editor
from .errors import ActionRefused

_SHA256 = re.compile(r"[0-9a-f]{64}")


def declared_sha256(value):
    """The SHA-256 an uploader announces (optional): 64 hex digits, or ``""`` for none."""
    if value in (None, ""):
        return ""
    value = str(value).strip().lower()
    if not _SHA256.fullmatch(value):
        raise ActionRefused(_("The checksum must be a SHA-256 written in hexadecimal."))
    return value


@dataclass(frozen=True)
class Window:
    """Who may change the files a form asks for, and until when.

    ``check(submission, question, by)`` raises ``ActionRefused`` (``NotAllowed``) unless
    ``by`` may change them now; ``keeps(file)`` says whether something frozen (a submitted
    version, sent follow-up answers) still refers to ``file``, so that removing it keeps the
    object.
    """

    check: Callable
    keeps: Callable


def _entry_check(submission, question, by):
    _ensure_editor(submission, by)
    ensure_open(submission.challenge)


def _in_a_version(file):
    return any(
        entry.get("key") == file.key
        for version in file.submission.versions.all()
        for entry in version.files
    )


_WINDOWS = {FormStage.ENTRY: Window(check=_entry_check, keeps=_in_a_version)}


def register_window(stage, window):
    """Let the files of ``stage``'s questions through this path (an app's ``ready``)."""
    _WINDOWS[stage] = window


def _window(question):
    return _WINDOWS.get(question.stage if question is not None else FormStage.ENTRY)


_KIND = re.compile(r"[-a-z0-9_]{1,20}")


def _requirement(submission, kind, *, by):
    """The file question of ``submission``'s challenge that asks for files of ``kind``, once
    its form's window lets ``by`` change them (raises ``ActionRefused`` otherwise).

    A kind no form asks for is refused after the entry form's own check, so that someone
    who may not edit the entry hears that first, whatever kind they name.
    """
    question = _checked_window(submission, kind, by=by)
    if question is None:
        raise ActionRefused(_("This challenge does not ask for files of this kind."))
    return question


def _checked_window(submission, kind, *, by):
    """The question asking for files of ``kind`` (``None`` when no form asks for it any
    more: the entry form's window then decides), once its window lets ``by`` change them."""
    # Checked before the query: a hostile kind (NUL bytes, say) never reaches the database.
    question = None
    if isinstance(kind, str) and _KIND.fullmatch(kind):
        question = file_questions(submission.challenge, stage=None).filter(file_kind=kind).first()
    window = _window(question)
    if window is None:  # a form whose app is not installed asks for it: nobody may
        raise ActionRefused(_("This challenge does not ask for files of this kind."))
    window.check(submission, question, by)
    return question


def _check_request(*, submission, kind, content_type, size, by):
    requirement = _requirement(submission, kind, by=by)
    if content_type not in requirement.content_types:
        raise ActionRefused(
            _("%(kind)s must be a file of one of these types: %(types)s.")
            % {
                "kind": requirement.get_kind_display(),
                "types": uploads.type_names(requirement.content_types),
            }
        )
    if size is not None and size <= 0:
        raise ActionRefused(_("The file is empty."))
    if size is not None and size > requirement.max_bytes:
        raise ActionRefused(
            _("The file is larger than the limit of %(mb)s MB.") % {"mb": requirement.size_limit_mb}
        )
    active = submission.files.filter(
        kind=kind, removed_at__isnull=True, status__in=[FileStatus.PENDING, FileStatus.VERIFIED]
    ).count()
    if active >= requirement.files_limit:
        raise ActionRefused(
            _("This entry already has %(n)s file(s) of this kind; remove one first.")
            % {"n": active}
        )
    return requirement


def _key(submission):
    return uploads.new_key(f"submissions/{submission.challenge_id}/{submission.pk}")


def _parts(size):
    return math.ceil(size / uploads.part_size())


@transaction.atomic
def request_upload(*, submission, kind, filename, content_type, size, by, sha256=""):
    """Reserve a slot for a browser upload of exactly ``size`` bytes (and ``sha256``, if
    the browser announces it): an object that differs is refused at ``confirm_upload``.

    Returns ``(file, slot)``: ``slot`` is ``{"url", "fields"}`` for a presigned POST, or
    ``{"multipart": True, "part_size", "parts"}`` for files above the multipart threshold.
    Side effects: a pending ``SubmissionFile``, a multipart upload in S3 for large files,
    audit ``submissions.file.requested``.
    """
    requirement = _check_request(
        submission=submission, kind=kind, content_type=content_type, size=size, by=by
    )
    sha256 = declared_sha256(sha256)
    key = _key(submission)
    upload_id = ""
    if size and size > uploads.multipart_threshold():
        if _parts(size) > uploads.MAX_PARTS:
            raise ActionRefused(_("The file is too large to upload."))
        upload_id = uploads.start_multipart(key=key, content_type=content_type)
        slot = {
            "multipart": True,
            "part_size": uploads.part_size(),
            "parts": _parts(size),
        }
    else:
        slot = uploads.presigned_post(
            key=key, content_type=content_type, max_bytes=requirement.max_bytes
        )
    file = SubmissionFile.objects.create(
        submission=submission,
        kind=kind,
        key=key,
        original_name=uploads.display_name(filename, content_type),
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=by,
        multipart_upload_id=upload_id,
    )
    record(action="submissions.file.requested", obj=file, by=by, kind=kind)
    return file, slot


def part_url(*, file, part_number, by):
    """A presigned URL for one part of a multipart upload (and the parts S3 already has)."""
    _requirement(file.submission, file.kind, by=by)
    if not file.multipart_upload_id or file.status != FileStatus.PENDING:
        raise ActionRefused(_("This upload is not in progress."))
    # Only the parts the announced size needs: no room to send more than was declared.
    if file.size and not 1 <= int(part_number) <= _parts(file.size):
        raise ActionRefused(_("Invalid part number."))
    return uploads.presign_part(
        key=file.key, upload_id=file.multipart_upload_id, part_number=part_number
    )


AUDIT = "submissions.file"


def _rules(requirement):
    return stored_files.Rules(audit=AUDIT, max_bytes=requirement.max_bytes)


def _discard_late_upload(file, reason):
    """A pending upload confirmed once entries are closed can never count: it goes at once."""
    with transaction.atomic():
        locked = (
            SubmissionFile.objects.select_for_update()
            .filter(pk=file.pk, status=FileStatus.PENDING)
            .first()
        )
        if locked is None:
            return  # verified before the deadline, or already refused: nothing to remove
        upload_id = locked.multipart_upload_id
        locked.multipart_upload_id = ""
        locked.save(update_fields=["multipart_upload_id"])
        stored_files.mark_rejected(locked, reason, audit=AUDIT)
    uploads.discard_upload(key=locked.key, upload_id=upload_id)


def confirm_upload(*, file, by, sha256=""):
    """Verify an uploaded object (completing a multipart upload first) and attach it.

    The object must be the file announced at ``request_upload``: its size, and its SHA-256
    when one was announced there or is given here. Once checked it is copied to a new key
    no presigned form was issued for (``uploads.seal``), so replaying the upload form cannot
    change what was verified. Confirming a verified file again changes nothing and returns it.
    Raises ``ActionRefused`` once entries are closed: a pending upload is then deleted at
    once and the file marked rejected.
    Raises ``UploadRejected``: the object is deleted (a multipart upload aborted) and the
    file marked rejected, or — for ``StorageUnavailable`` — nothing changes and the user
    may retry.
    Side effects: the file verified (size, SHA-256) under its new key, the upload key
    deleted after commit, audit ``submissions.file.verified`` or ``submissions.file.rejected``.
    """
    submission = file.submission
    _ensure_editor(submission, by)  # someone else's upload is never theirs to discard
    try:
        requirement = _requirement(submission, file.kind, by=by)
    except ActionRefused as exc:
        _discard_late_upload(file, exc.message)
        raise
    sha256 = declared_sha256(sha256)
    return stored_files.confirm(file, rules=_rules(requirement), by=by, expected_sha256=sha256)


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
            original_name=uploads.display_name(uploaded.name, content_type),
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
    # A file of a question archived since stays removable through the entry form's window.
    question = _checked_window(file.submission, file.kind, by=by)
    _drop(file, by=by, referenced=_window(question).keeps(file))


def _drop(file, *, by, referenced, action="submissions.file.removed", **data):
    """Take ``file`` off its entry: marked removed while something frozen refers to it
    (``referenced``), else the row deleted and its object after commit."""
    with transaction.atomic():
        record(action=action, obj=file, by=by, key=file.key, **data)
        if referenced:
            file.removed_at = timezone.now()
            file.save(update_fields=["removed_at"])
            return
        key, upload_id = file.key, file.multipart_upload_id
        file.delete()
        # Unreferenced now; if S3 is down the bucket lifecycle/cleanup removes it later.
        transaction.on_commit(lambda: uploads.discard_upload(key=key, upload_id=upload_id))


def purge_file(file, *, by=None, keep_frozen=True, reason):
    """Delete ``file`` whatever the deadline (erasure, retention: no window applies).

    With ``keep_frozen`` a file that a submitted version (or sent follow-up answers) refers
    to is left as it is (returns ``False``); without it the object goes too.
    Side effects: audit ``submissions.file.purged`` with ``reason``.
    """
    question = (
        file_questions(file.submission.challenge, stage=None).filter(file_kind=file.kind).first()
    )
    window = _window(question) or _WINDOWS[FormStage.ENTRY]
    if keep_frozen and window.keeps(file):
        return False
    _drop(file, by=by, referenced=False, action="submissions.file.purged", reason=reason)
    return True


def download_url(*, file):
    """A short presigned GET; callers check who may see the file (``rules``)."""
    return uploads.presigned_get(
        key=file.key, filename=file.original_name, content_type=file.content_type
    )
