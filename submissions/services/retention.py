"""Retention: drafts and files of entries that never counted are not kept for ever.

``TANLOV_RETENTION_DRAFT_MONTHS`` (default 12) months after a challenge closes — the end
of its last phase — the entries of it that were never submitted, or withdrawn, lose what
they still hold:

* an entry never submitted is deleted with its files;
* a withdrawn entry's files are deleted (objects too, even those a version froze: the
  entry no longer competes) and its draft answers cleared; its versions stay as the record
  of what was once submitted.

Objects go through the one file lifecycle (``files.purge_file``). A periodic task
(``submissions.apply_retention``, config/beat.py) and ``manage.py apply_retention`` (with
``--dry-run`` first) run :func:`apply`; :func:`plan` says what would go.
"""

import calendar
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from core.audit import record

from ..enums import SubmissionStatus
from ..models import Submission
from .files import purge_file

REASON = "retention"


def months_before(when, months):
    """``when`` moved back ``months`` calendar months (the 31st → the month's last day)."""
    month = when.month - 1 - months
    year = when.year + month // 12
    month = month % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def retention_months():
    return settings.TANLOV_RETENTION_DRAFT_MONTHS


@dataclass(frozen=True)
class Doomed:
    submission: Submission
    closed_at: object
    files: int
    delete_entry: bool

    def describe(self):
        what = "delete entry" if self.delete_entry else "clear draft"
        return (
            f"entry {self.submission.pk} ({self.submission.status}) of "
            f"{self.submission.challenge.slug}, closed {self.closed_at:%Y-%m-%d}: "
            f"{what}, {self.files} file(s)"
        )


def _candidates(*, now=None, months=None):
    now = now or timezone.now()
    months = retention_months() if months is None else months
    cutoff = months_before(now, months)
    never = Q(current_version__isnull=True, status=SubmissionStatus.DRAFT)
    return (
        Submission.objects.filter(never | Q(status=SubmissionStatus.WITHDRAWN))
        .annotate(closed_at=Max("challenge__phases__ends_at"))
        .filter(closed_at__isnull=False, closed_at__lte=cutoff)
        .select_related("challenge")
        .order_by("pk")
    )


def plan(*, now=None, months=None):
    """What :func:`apply` would delete now: a list of :class:`Doomed`; changes nothing."""
    doomed = []
    for submission in _candidates(now=now, months=months):
        never = not submission.versions.exists()
        files = submission.files.count()
        if not never and not files and not submission.answers:
            continue  # a withdrawn entry already cleared
        doomed.append(Doomed(submission, submission.closed_at, files, never))
    return doomed


def apply(*, now=None, months=None):
    """Delete what :func:`plan` lists. Returns that list."""
    doomed = plan(now=now, months=months)
    for item in doomed:
        with transaction.atomic():
            submission = Submission.objects.select_for_update().get(pk=item.submission.pk)
            for file in submission.files.all():
                purge_file(file, keep_frozen=False, reason=REASON)
            record(
                action="submissions.entry.retention_applied",
                obj=submission,
                files=item.files,
                deleted=item.delete_entry,
            )
            if item.delete_entry:
                submission.delete()
            else:
                submission.answers = {}
                submission.save(update_fields=["answers", "updated_at"])
    return doomed
