"""Appeals: a team contests its entry's outcome in a round (docs/judging.md).

One appeal per entry per round, within the round's window (``Round.appeal_days`` after the
feedback is released). Staff who manage the challenge and are neither a juror of the entry
nor conflicted with it (nor in its team) handle it (rule ``judging.handle_appeal``): they
may ask other jurors for a re-review (the assignment service, conflicts respected), then
uphold it — the entry's status changes through the status service and the published
ranking is recomputed — or dismiss it, always with a written response. Every step is in
the audit trail of the entry and the team is told of each.
"""

import contextlib

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.access import require
from core.audit import record
from core.i18n import every_language
from core.uploads import UploadRejected
from notifications.events import APPEAL_UPDATED
from notifications.services import notify
from submissions.enums import SubmissionStatus
from submissions.services.status import change_status, team_recipients

from ..enums import AppealStatus, OutcomeSource, RoundStatus, Verdict
from ..models import Appeal, Publication, Review, Round, ScreeningOutcome
from . import JudgingError
from .assignments import add_assignment
from .feedback import EntryFeedback
from .rounds import publication_rows

#: What an appeal may attach: a document or a picture, checked like the entries' files.
FILE_TYPES = ("application/pdf", "image/png", "image/jpeg")
FILE_MAX_BYTES = 10 * 1024 * 1024

#: The outcomes an upheld appeal may give the entry.
UPHELD_STATUSES = [
    SubmissionStatus.ELIGIBLE,
    SubmissionStatus.SHORTLISTED,
    SubmissionStatus.FINALIST,
    SubmissionStatus.WINNER,
]


def _tell(appeal, *, by):
    notify(
        event=APPEAL_UPDATED,
        recipients=team_recipients(appeal.submission),
        context={
            "round": every_language(lambda: appeal.round.display_name),
            "entry": appeal.submission.title,
            "step": str(appeal.status),
            "response": appeal.response,
            "url": reverse("judging:feedback", args=[appeal.submission_id, appeal.round_id]),
        },
        obj=appeal.submission,
        by=by,
    )


def _audit(action, appeal, *, by, **data):
    # On the entry, beside its status changes and score history; the round too.
    record(
        action=action, obj=appeal.submission, by=by, appeal=appeal.pk, round=appeal.round_id, **data
    )


def _file_type(upload):
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
    if declared in FILE_TYPES:
        return declared
    name = (upload.name or "").lower()
    for content_type in FILE_TYPES:
        if name.endswith(uploads.EXTENSIONS[content_type]):
            return content_type
    raise UploadRejected(_("Attach a PDF, PNG or JPEG file."))


def _store(appeal_round, upload):
    """Check and stream the appeal's file into S3 (the no-JavaScript path of core.uploads)."""
    content_type = _file_type(upload)
    key = uploads.new_key(f"appeals/{appeal_round.pk}")
    verified = uploads.store_stream(
        key=key, fileobj=upload, content_type=content_type, max_bytes=FILE_MAX_BYTES
    )
    return {
        "file_key": key,
        "file_name": uploads.clean_filename(upload.name),
        "file_type": content_type,
        "file_size": verified.size,
        "file_sha256": verified.sha256,
    }


def file_url(appeal):
    """A short download link of the appeal's file (for staff who may see the appeal)."""
    return uploads.presigned_get(
        key=appeal.file_key, filename=appeal.file_name, content_type=appeal.file_type
    )


@transaction.atomic
def file_appeal(*, round_, submission, by, reason, upload=None, when=None):
    """The team's appeal, with an optional file (``upload``: PDF, PNG or JPEG, checked by
    ``core.uploads``). Refused after the window, a second time, without a reason, or with
    a file the checks refuse; nothing is saved then. Side effects: the ``Appeal``, the
    stored file, audit ``judging.appeal.filed``, ``judging.appeal_updated`` to the team."""
    require(by, "judging.file_appeal", EntryFeedback(round=round_, submission=submission))
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if not locked.appeals_open_at(when):
        raise JudgingError(_("The appeal window of this round has closed."))
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError(_("Say why you appeal."), field="reason")
    if Appeal.objects.filter(round=locked, submission=submission).exists():
        raise JudgingError(_("This entry already has an appeal in this round."))
    stored = _store(locked, upload) if upload is not None else {}
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                round=locked, submission=submission, reason=reason, filed_by=by, **stored
            )
    except IntegrityError:  # two tabs at once: the constraint keeps one
        if stored:
            with contextlib.suppress(UploadRejected):
                uploads.delete_object(key=stored["file_key"])
        raise JudgingError(_("This entry already has an appeal in this round.")) from None
    appeal.round = round_
    _audit("judging.appeal.filed", appeal, by=by, file=appeal.file_sha256)
    _tell(appeal, by=by)
    return appeal


def _locked(appeal, by):
    locked = (
        Appeal.objects.select_for_update(of=("self",))  # an entry may have no team (nullable)
        .select_related("round__challenge", "submission__team", "submission__owner")
        .get(pk=appeal.pk)
    )
    require(by, "judging.handle_appeal", locked)
    if not locked.is_open:
        raise JudgingError(_("This appeal has been decided."))
    return locked


@transaction.atomic
def request_rereview(*, appeal, by, jurors):
    """Ask ``jurors`` (none of whom reviewed the entry in the round) to review it again.

    Each assignment goes through ``add_assignment`` (conflicts refused) and is marked as the
    appeal's, so the juror may score it while the round is locked. Side effects: reviews,
    audit ``judging.appeal.rereview``, ``judging.appeal_updated`` to the team.
    """
    locked = _locked(appeal, by)
    jurors = list(jurors)
    if not jurors:
        raise JudgingError(_("Choose at least one juror for the re-review."), field="jurors")
    already = set(
        Review.objects.filter(round=locked.round, submission=locked.submission).values_list(
            "juror_id", flat=True
        )
    )
    if any(j.pk in already for j in jurors):
        raise JudgingError(
            _("A re-review needs jurors who have not reviewed this entry."), field="jurors"
        )
    reviews = []
    for juror in jurors:
        review = add_assignment(
            round_=locked.round, juror=juror, submission=locked.submission, by=by
        )
        review.appeal = locked
        review.save(update_fields=["appeal"])
        reviews.append(review)
    locked.status = AppealStatus.REREVIEW
    locked.rereview_requested_at = timezone.now()
    locked.save(update_fields=["status", "rereview_requested_at"])
    _audit("judging.appeal.rereview", locked, by=by, reviews=[r.pk for r in reviews])
    _tell(locked, by=by)
    appeal.status = locked.status
    return reviews


@transaction.atomic
def decide_appeal(*, appeal, by, upheld, response, status=None):
    """Uphold (``status``: the entry's new outcome) or dismiss, with a written response.

    Upheld: the status changes through ``change_status``; in a published scored round the
    published ranking is recomputed from the scores now (re-reviews included) and the round's
    history records it (audit ``judging.round.republished``). Side effects: audit
    ``judging.appeal.upheld`` / ``.dismissed`` on the entry, ``judging.appeal_updated``.
    """
    locked = _locked(appeal, by)
    response = (response or "").strip()
    if not response:
        raise JudgingError(_("Write the response the team will read."), field="response")
    submission = locked.submission
    old = submission.status
    if upheld:
        if status not in UPHELD_STATUSES:
            raise JudgingError(_("Choose the entry's new outcome."), field="status")
        change_status(submission=submission, status=status, by=by, reason=response)
        locked.new_status = str(status)
        round_ = locked.round
        if round_.is_screening and status == SubmissionStatus.ELIGIBLE:
            # The screening outcome follows, so rounds that take the eligible entries see it.
            ScreeningOutcome.objects.filter(round=round_, submission=submission).update(
                verdict=Verdict.ELIGIBLE,
                reason="",
                source=OutcomeSource.STAFF,
                decided_by=by,
                at=timezone.now(),
            )
        if not round_.is_screening and round_.status == RoundStatus.PUBLISHED:
            rows, margins = publication_rows(round_)
            Publication.objects.filter(round=round_).update(rows=rows, margins=margins)
            record(
                action="judging.round.republished",
                obj=round_,
                by=by,
                appeal=locked.pk,
                entry=submission.pk,
                entries=len(rows),
            )
    locked.status = AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED
    locked.response = response
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["status", "response", "new_status", "decided_by", "decided_at"])
    _audit(
        "judging.appeal.upheld" if upheld else "judging.appeal.dismissed",
        locked,
        by=by,
        old=str(old),
        new=locked.new_status or str(old),
        response=response,
    )
    _tell(locked, by=by)
    appeal.status, appeal.response = locked.status, locked.response
    return locked
