"""Follow-up forms: a round asks the entries in its scope for more (docs/forms.md).

The questions are the challenge's ``EntryField`` rows marked "follow-up" that the round
picked; they are validated by the one entry-form builder (``submissions.services.answers``)
and frozen with their labels on submit, exactly like an entry's answers. The deadline is
the round's ``followup_deadline``: answers are accepted up to, not at, that moment.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.enums import EntryFieldType
from core.access import allowed, require
from core.audit import record
from core.i18n import every_language
from notifications.events import FOLLOWUP_REQUESTED
from notifications.services import notify
from submissions.enums import FileStatus
from submissions.services.answers import freeze, kept_answers, submit_problems
from submissions.services.entries import file_refs, missing_files
from submissions.services.errors import ActionRefused, NotAllowed
from submissions.services.files import Window
from submissions.services.status import team_recipients

from .. import selectors
from ..models import FollowUpAnswers, Round
from . import JudgingError


def _closed_text():
    return _("The follow-up deadline has passed: answers can no longer be sent or changed.")


def _closed():
    return JudgingError(_closed_text())


def _files_check(submission, question, by, when=None):
    """The follow-up forms' upload window: a member who may answer a round that asks
    ``question`` of this entry, before that round's follow-up deadline."""
    answerable = [
        round_
        for round_ in selectors.rounds_asking(submission, question)
        if allowed(by, "judging.answer_followup", selectors.followup_for(round_, submission))
    ]
    if not answerable:
        raise NotAllowed(_("Only the team's members can change this entry."))
    if not any(round_.followup_open_at(when or timezone.now()) for round_ in answerable):
        raise ActionRefused(_closed_text())


def _files_sent(file):
    """Whether follow-up answers sent to the jury refer to ``file`` (its object stays)."""
    sent = FollowUpAnswers.objects.filter(submission_id=file.submission_id).values_list(
        "files", flat=True
    )
    return any(ref.get("key") == file.key for files in sent for ref in files)


FILES = Window(check=_files_check, keeps=_files_sent)


def followup_files(submission, questions):
    """The entry's verified, current files of the file questions among ``questions``."""
    kinds = [q.kind for q in questions if q.field_type == EntryFieldType.FILE]
    return submission.files.filter(
        kind__in=kinds, status=FileStatus.VERIFIED, removed_at__isnull=True
    ).order_by("pk")


@transaction.atomic
def save_followup(*, round_, submission, answers, submit=False, by, when=None):
    """Store ``answers`` (cleaned by the follow-up form) as the entry's draft; with
    ``submit``, also check what a submit needs and freeze them with their labels.

    Refused at or after the deadline, nothing changed. Returns the ``FollowUpAnswers`` row.
    Side effects: the row (created on the first save), audit ``judging.followup.saved`` or
    ``judging.followup.submitted``.
    """
    followup = selectors.followup_for(round_, submission)
    require(by, "judging.answer_followup", followup)
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if not locked.followup_open_at(when or timezone.now()):
        raise _closed()
    row, _created = FollowUpAnswers.objects.select_for_update().get_or_create(
        round=locked, submission=submission
    )
    questions = selectors.followup_questions(locked, track=submission.track_id)
    merged = {**kept_answers(questions, row.answers), **answers}
    if submit:
        problems = submit_problems(questions, merged) + missing_files(submission, questions)
        if problems:
            raise JudgingError(" ".join(problems))
        row.frozen = freeze(questions, merged)
        row.files = file_refs(followup_files(submission, questions))
        row.submitted_at = timezone.now()
        row.submitted_by = by
    row.answers = merged
    row.save()
    record(
        action="judging.followup.submitted" if submit else "judging.followup.saved",
        obj=row,
        by=by,
        round=locked.pk,
        submission=submission.pk,
    )
    return row


@transaction.atomic
def request_followup(*, round_, by):
    """Ask every entry in the round's scope for the follow-up, once.

    Idempotent: a round whose teams were asked already asks nobody again (returns 0).
    Returns the number of entries asked. Side effects: ``Round.followup_requested_at``,
    one ``judging.followup_requested`` notification per entry to its team (outbox), audit
    ``judging.followup.requested``.
    """
    require(by, "challenges.manage_challenge", round_.challenge)
    locked = Round.objects.select_for_update().select_related("challenge").get(pk=round_.pk)
    if locked.followup_requested_at is not None:
        return 0
    if locked.followup_deadline is None or not locked.followup_questions.exists():
        raise JudgingError(_("Give the round follow-up questions and a deadline first."))
    now = timezone.now()
    if not locked.followup_open_at(now):
        raise JudgingError(_("The follow-up deadline has passed: choose a later one."))
    challenge = locked.challenge
    local_deadline = timezone.localtime(locked.followup_deadline, challenge.tz)
    round_names = every_language(lambda: locked.display_name)
    entries = list(
        selectors.entries_in_scope(locked).select_related("team", "owner").order_by("pk")
    )
    for entry in entries:
        notify(
            event=FOLLOWUP_REQUESTED,
            recipients=team_recipients(entry),
            context={
                "round": round_names,
                "entry": entry.title,
                # Wall-clock time in the challenge's zone, named by ``zone``.
                "deadline": local_deadline.replace(tzinfo=None).isoformat(),
                "zone": challenge.time_zone,
                "url": reverse("judging:followup", args=[entry.pk, locked.pk]),
            },
            obj=entry,
            by=by,
        )
    locked.followup_requested_at = now
    locked.save(update_fields=["followup_requested_at"])
    round_.followup_requested_at = now
    record(action="judging.followup.requested", obj=locked, by=by, entries=len(entries))
    return len(entries)
