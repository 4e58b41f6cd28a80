"""A juror's work on one review: open, save a draft, submit; reopening."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record
from core.errors import Conflict

from ..enums import AppealStatus, ReviewState, RoundStatus
from ..models import Review, Score, ScoreChange
from . import JudgingError


class StaleReview(JudgingError, Conflict):
    """The review changed since the form was loaded (another tab or device saved it): 409."""

    default_code = "stale_review"


@dataclass
class Answer:
    value: Decimal | None
    comment: str = ""
    share: bool = False


def check_value(criterion, value):
    """The translated problem with ``value`` for ``criterion``, or ``None`` when it is fine."""
    if value is None:
        return None
    if value < criterion.scale_min or value > criterion.scale_max:
        return _("Give a score from %(min)s to %(max)s.") % {
            "min": _fmt(criterion.scale_min),
            "max": _fmt(criterion.scale_max),
        }
    if (value - criterion.scale_min) % criterion.step:
        return _("Scores go in steps of %(step)s.") % {"step": _fmt(criterion.step)}
    return None


def _fmt(number):
    return f"{number.normalize():f}" if isinstance(number, Decimal) else str(number)


def takes_scores(review, when=None):
    """Whether ``review`` can be scored at ``when``: its round is open, or it is a
    re-review an appeal asked for and that appeal waits for its decision."""
    if review.round.is_open_at(when):
        return True
    return review.appeal_id is not None and review.appeal.status == AppealStatus.REREVIEW


def ensure_open_for_scoring(review, when=None):
    """Raise :class:`JudgingError` unless the review's round takes scores at ``when``.

    Who may score is the rule ``judging.score_review``; this is the round's clock.
    """
    if not takes_scores(review, when):
        raise JudgingError(_("This round is closed for scoring."))


@transaction.atomic
def open_review(*, review):
    """Note when the juror first opened the entry (the "finished too fast" flag uses it)."""
    if review.opened_at is None:
        now = timezone.now()
        Review.objects.filter(pk=review.pk, opened_at__isnull=True).update(opened_at=now)
        review.opened_at = now
    return review


@transaction.atomic
def save_review(
    *, review, by, answers, overall_comment, version, submit=False, share_overall=False
):
    """Save the juror's scores as a draft, or submit them.

    ``answers`` maps criterion id → :class:`Answer`; ``version`` is the review version the
    form was loaded with: if the review was saved since, nothing is saved and
    :class:`StaleReview` is raised (no lost update between two tabs). Submitting needs a
    valid score for every criterion. Side effects: ``Score`` rows, one ``ScoreChange`` per
    changed value, audit ``judging.review.saved`` or ``judging.review.submitted``.
    """
    locked = (
        # Only the review's own row: the appeal it may carry is on the nullable side of a
        # join, which PostgreSQL cannot lock.
        Review.objects.select_for_update(of=("self",))
        .select_related("round__challenge", "juror", "submission", "appeal")
        .get(pk=review.pk)
    )
    require(by, "judging.score_review", locked)
    if locked.round.is_screening:
        raise JudgingError(_("A screening round takes a decision, not scores."))
    ensure_open_for_scoring(locked)
    # Compare-and-set on the version: atomic on every database, so of two saves made from
    # the same loaded form exactly one wins, even where FOR UPDATE is a no-op (SQLite).
    claimed = Review.objects.filter(pk=locked.pk, version=version).update(version=version + 1)
    if not claimed:
        raise StaleReview(
            _("This review was changed in another window. Reload it to see the latest scores.")
        )
    if locked.state == ReviewState.SUBMITTED:
        raise JudgingError(_("This review has been submitted. Reopen it to change it."))
    criteria = list(locked.round.criteria.all())
    errors = {}
    for c in criteria:
        answer = answers.get(c.id) or Answer(None)
        problem = check_value(c, answer.value)
        if problem:
            errors[c.id] = problem
        elif submit and answer.value is None:
            errors[c.id] = _("Score this criterion before submitting.")
    if errors:
        raise ReviewInvalid(errors)
    existing = {s.criterion_id: s for s in Score.objects.filter(review=locked)}
    now = timezone.now()
    changes, to_create, to_update = [], [], []
    for c in criteria:
        answer = answers.get(c.id) or Answer(None)
        score = existing.get(c.id)
        old = score.value if score else None
        if old != answer.value:
            changes.append(
                ScoreChange(
                    review=locked, criterion=c, old_value=old, new_value=answer.value, by=by, at=now
                )
            )
        if score is None:
            to_create.append(
                Score(
                    review=locked,
                    criterion=c,
                    value=answer.value,
                    comment=answer.comment,
                    share_comment=answer.share,
                )
            )
        elif (old, score.comment, score.share_comment) != (
            answer.value,
            answer.comment,
            answer.share,
        ):
            score.value, score.comment = answer.value, answer.comment
            score.share_comment = answer.share
            to_update.append(score)
    Score.objects.bulk_create(to_create)
    Score.objects.bulk_update(to_update, ["value", "comment", "share_comment"])
    ScoreChange.objects.bulk_create(changes)
    locked.overall_comment = overall_comment
    locked.share_overall = share_overall
    locked.version = version + 1
    if submit:
        locked.state = ReviewState.SUBMITTED
        locked.submitted_at = now
        ScoreChange.objects.create(review=locked, what="submitted", by=by, at=now)
    elif locked.state == ReviewState.ASSIGNED:
        locked.state = ReviewState.DRAFT
    locked.save(
        update_fields=[
            "overall_comment",
            "share_overall",
            "version",
            "state",
            "submitted_at",
            "updated_at",
        ]
    )
    record(
        action="judging.review.submitted" if submit else "judging.review.saved",
        obj=locked,
        by=by,
        changed=len(changes),
    )
    review.version, review.state = locked.version, locked.state
    return locked


class ReviewInvalid(JudgingError):
    """Scores out of range or missing; ``errors`` maps criterion id → translated problem."""

    default_code = "review_invalid"

    def __init__(self, errors):
        super().__init__(_("Please correct the scores marked below."))
        self.errors = errors


@transaction.atomic
def reopen_review(*, review, by):
    """Turn a submitted review back into a draft.

    Staff who manage the challenge may do it until the round is locked; the juror may do it
    while the round is open if the round allows it. Side effects: a ``ScoreChange`` marker,
    audit ``judging.review.reopened``.
    """
    locked = (
        Review.objects.select_for_update()
        .select_related("round__challenge", "juror")
        .get(pk=review.pk)
    )
    if locked.state != ReviewState.SUBMITTED:
        raise JudgingError(_("Only a submitted review can be reopened."))
    if locked.round.status in (RoundStatus.LOCKED, RoundStatus.PUBLISHED):
        raise JudgingError(_("The round is locked."))
    if locked.juror.user_id == by.pk:
        if not (locked.round.juror_can_reopen and locked.round.is_open_at()):
            raise JudgingError(_("Only staff can reopen this review now."))
    else:
        require(by, "judging.manage_review", locked)
    locked.state = ReviewState.DRAFT
    locked.submitted_at = None
    locked.version += 1
    locked.save(update_fields=["state", "submitted_at", "version", "updated_at"])
    ScoreChange.objects.create(review=locked, what="reopened", by=by)
    record(action="judging.review.reopened", obj=locked, by=by)
    review.state, review.version = locked.state, locked.version
    return locked
