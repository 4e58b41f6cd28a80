"""The screening round: entries marked eligible or ineligible, by screeners or by staff.

A screening round (``Round.mode == "screening"``) has no criteria and no ranking. Its
screeners are the round's jurors, assigned as usual (``auto_assign`` / ``add_assignment``,
conflicts respected) with one or two per entry (``reviews_per_entry``). Each screener's
verdict is a :class:`~judging.models.ScreeningDecision`; an entry's result is a
:class:`~judging.models.ScreeningOutcome`, settled

* when as many screeners as the round asks for have decided and they agree, or
* when staff who manage the challenge decide (one entry, or many at once); staff settle
  disagreements this way and may change any outcome later.

Settling applies the outcome to the entry's status through
``submissions.services.status.change_status`` (eligible → "eligible", ineligible →
"ineligible"), which keeps the status history, writes the audit entry and notifies the
team. The reason the team reads is the translated label of the reason, in the language of
the entry's owner (each member's message itself is rendered in that member's language).
Notes are for staff and screeners only. An ineligible entry leaves the judged statuses,
so it enters no later round (``judging.selectors.entries_in_scope``).
"""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record
from core.errors import Conflict, NotAllowed
from submissions.enums import SubmissionStatus
from submissions.models import Submission
from submissions.services.status import change_status

from ..enums import IneligibleReason, OutcomeSource, ReviewState, RoundStatus, Verdict
from ..models import Juror, Review, Round, ScreeningDecision, ScreeningOutcome
from ..selectors import entries_in_scope
from . import JudgingError
from .jurors import conflicted_pairs, is_conflicted
from .reviews import ensure_open_for_scoring

TO_STATUS = {
    Verdict.ELIGIBLE: SubmissionStatus.ELIGIBLE,
    Verdict.INELIGIBLE: SubmissionStatus.INELIGIBLE,
}


class Settled(JudgingError, Conflict):
    """The entry's outcome is already settled; only staff change it now (409)."""

    default_code = "screening_settled"


def _check_verdict(verdict, reason):
    """``(verdict, reason)`` cleaned, or :class:`JudgingError` (an eligible entry has no
    reason; an ineligible one needs one from the list)."""
    if verdict not in Verdict.values:
        raise JudgingError(_("Choose eligible or ineligible."), field="verdict")
    if verdict == Verdict.ELIGIBLE:
        return Verdict(verdict), ""
    if reason not in IneligibleReason.values:
        raise JudgingError(_("Choose why the entry is ineligible."), field="reason")
    return Verdict(verdict), reason


def _check_screening(round_):
    if not round_.is_screening:
        raise JudgingError(_("This round is not a screening round."))


def _conflicted_refusal():
    return NotAllowed(
        _("You have declared a conflict of interest with this entry; you cannot screen it."),
        code="screening_conflicted",
    )


def status_reason(submission, verdict, reason):
    """What the entry's status and the team's message say: the reason's label, in the
    language of the entry's owner (blank for an eligible entry)."""
    if verdict != Verdict.INELIGIBLE:
        return ""
    profile = getattr(submission.owner, "profile", None)
    language = getattr(profile, "preferred_language", None) or translation.get_language()
    with translation.override(language):
        return str(IneligibleReason(reason).label)


def _apply(outcome, *, submission, by):
    change_status(
        submission=submission,
        status=TO_STATUS[outcome.verdict],
        by=by,
        reason=status_reason(submission, outcome.verdict, outcome.reason),
    )


@transaction.atomic
def decide(*, review, by, verdict, reason="", note=""):
    """A screener's verdict on the entry of ``review`` (their assignment in the round).

    Refused when the round is not a screening round or not open, when ``by`` is not the
    review's juror, when they have a conflict of interest with the entry (403), and when
    the entry's outcome is already settled (409: staff change it). A screener may change
    their own decision until the outcome is settled.

    Side effects: a ``ScreeningDecision`` (created or changed), the review marked
    submitted, audit ``judging.screening.decided``; when the decisions now settle the
    entry, a ``ScreeningOutcome``, the status change (with its audit entry and the
    team's notification) and audit ``judging.screening.settled``.
    """
    locked = (
        Review.objects.select_for_update(of=("self",))
        .select_related("round__challenge", "juror", "submission__owner__profile")
        .get(pk=review.pk)
    )
    round_ = locked.round
    _check_screening(round_)
    if locked.juror.user_id != getattr(by, "pk", None):
        raise NotAllowed(_("This entry is not assigned to you."), code="screening_not_assigned")
    if is_conflicted(juror=locked.juror, submission=locked.submission):
        raise _conflicted_refusal()
    require(by, "judging.screen_review", locked)
    ensure_open_for_scoring(locked)
    verdict, reason = _check_verdict(verdict, reason)
    if ScreeningOutcome.objects.filter(round=round_, submission=locked.submission).exists():
        raise Settled(_("The outcome of this entry is already settled; staff can still change it."))
    decision, created = ScreeningDecision.objects.update_or_create(
        round=round_,
        submission=locked.submission,
        screener=by,
        defaults={"verdict": verdict, "reason": reason, "note": note, "at": timezone.now()},
    )
    if locked.state != ReviewState.SUBMITTED:
        locked.state = ReviewState.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["state", "submitted_at", "updated_at"])
    record(
        action="judging.screening.decided",
        obj=decision,
        by=by,
        verdict=str(verdict),
        reason=reason,
        changed=not created,
    )
    outcome = _settle_by_screeners(round_, locked.submission, by=by)
    review.state = locked.state
    return decision, outcome


def _settle_by_screeners(round_, submission, *, by):
    """The outcome when enough screeners agree, applied; ``None`` while pending or split."""
    decisions = list(
        ScreeningDecision.objects.filter(round=round_, submission=submission).order_by("at", "id")
    )
    if len(decisions) < round_.reviews_per_entry:
        return None
    if len({d.verdict for d in decisions}) > 1:
        record(
            action="judging.screening.disagreement",
            obj=submission,
            by=by,
            round=round_.pk,
        )
        return None
    first = decisions[0]
    reason = next((d.reason for d in decisions if d.reason), "")
    outcome = ScreeningOutcome.objects.create(
        round=round_,
        submission=submission,
        verdict=first.verdict,
        reason=reason,
        note="\n".join(d.note for d in decisions if d.note),
        source=OutcomeSource.SCREENERS,
        decided_by=by,
    )
    _apply(outcome, submission=submission, by=by)
    record(
        action="judging.screening.settled",
        obj=outcome,
        by=by,
        verdict=outcome.verdict,
        reason=outcome.reason,
        source=outcome.source,
    )
    return outcome


@transaction.atomic
def staff_decide(*, round_, submissions, by, verdict, reason="", note=""):
    """Staff settle the outcome of one or many entries of a screening round at once.

    Overrides the screeners (and settles their disagreements); changes an outcome already
    settled. All or nothing: an entry outside the round's scope (another challenge's, a
    draft, an id that does not exist) refuses the whole request, as does an empty
    selection, a missing reason, a round that is a draft or not a screening round, or a
    conflict of interest that ``by`` declared as a juror of the challenge.

    Side effects: per entry a ``ScreeningOutcome`` (created or changed), the status change
    (with its audit entry and the team's notification) and audit
    ``judging.screening.staff_decided``. Returns the outcomes.
    """
    require(by, "challenges.manage_challenge", round_.challenge)
    round_ = (
        Round.objects.select_for_update(of=("self",)).select_related("challenge").get(pk=round_.pk)
    )
    _check_screening(round_)
    if round_.status not in (RoundStatus.OPEN, RoundStatus.LOCKED):
        raise JudgingError(_("Open the round before deciding its entries."))
    verdict, reason = _check_verdict(verdict, reason)
    ids = sorted({s.pk if isinstance(s, Submission) else int(s) for s in submissions})
    if not ids:
        raise JudgingError(_("Select at least one entry."), field="entries")
    entries = list(
        entries_in_scope(round_).filter(pk__in=ids).select_related("owner__profile").order_by("pk")
    )
    if len(entries) != len(ids):
        raise JudgingError(
            _("Some of the selected entries are not in this round; nothing was changed."),
            field="entries",
        )
    juror = Juror.objects.filter(challenge_id=round_.challenge_id, user=by).first()
    if juror is not None and conflicted_pairs(
        jurors=[juror], entries=Submission.objects.filter(pk__in=ids)
    ):
        raise _conflicted_refusal()
    existing = {
        o.submission_id: o
        for o in ScreeningOutcome.objects.select_for_update().filter(
            round=round_, submission_id__in=ids
        )
    }
    now = timezone.now()
    outcomes = []
    for submission in entries:
        outcome = existing.get(submission.pk) or ScreeningOutcome(
            round=round_, submission=submission
        )
        previous = outcome.verdict if outcome.pk else ""
        outcome.verdict, outcome.reason, outcome.note = verdict, reason, note
        outcome.source, outcome.decided_by, outcome.at = OutcomeSource.STAFF, by, now
        outcome.save()
        _apply(outcome, submission=submission, by=by)
        record(
            action="judging.screening.staff_decided",
            obj=outcome,
            by=by,
            verdict=str(verdict),
            reason=reason,
            previous=previous,
        )
        outcomes.append(outcome)
    return outcomes
