"""Moving an entry through its statuses: the one place every status change goes through."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import record
from core.errors import Refused
from notifications import events
from notifications.services import notify

from ..enums import SubmissionStatus
from ..models import StatusChange, Submission


class StatusError(Refused):
    """The status cannot change this way (translated message, 400)."""

    default_code = "status_refused"


@transaction.atomic
def change_status(*, submission, status, by=None, reason=""):
    """Set ``submission``'s status, keeping the history.

    Side effects: a ``StatusChange`` row, an audit entry ``submissions.status.changed``, and a
    ``submission.status_changed`` notification to the team (delivered after commit).
    Returns the submission; a change to the same status records nothing.
    """
    status = SubmissionStatus(status)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status == status:
        return locked
    if locked.status == SubmissionStatus.DRAFT and status not in (
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.WITHDRAWN,
    ):
        raise StatusError(_("A draft must be submitted before it can be assessed."))
    previous = locked.status
    locked.status = status
    locked.status_reason = reason
    locked.save(update_fields=["status", "status_reason", "updated_at"])
    StatusChange.objects.create(
        submission=locked, from_status=previous, to_status=status, reason=reason, by=by
    )
    record(
        action="submissions.status.changed",
        obj=locked,
        by=by,
        old=previous,
        new=str(status),
        reason=reason,
    )
    notify(
        event=events.STATUS_CHANGED,
        recipients=team_recipients(locked),
        context={"title": locked.title, "status": str(status), "reason": reason},
        obj=locked,
        by=by,
    )
    submission.status, submission.status_reason = locked.status, locked.status_reason
    return locked


def team_recipients(submission):
    """Everyone who should hear about an entry: its team's members (or its owner)."""

    if submission.team_id is None:
        return [submission.owner]
    return list(get_user_model().objects.filter(team_memberships__team_id=submission.team_id))
