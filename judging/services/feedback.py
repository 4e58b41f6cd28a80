"""Feedback to teams after a round (docs/judging.md, "Feedback and appeals").

A team reads, per criterion, the mean and range of its entry's scores and where the entry
stands among the round's entries — aggregates only, never a juror or a single juror's
score — and the juror comments marked "share with the team" that staff approved (possibly
edited: the original stays in the audit trail). In a screening round the feedback is the
reason given. Nothing is visible before staff release the round's feedback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count, Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record
from core.i18n import every_language
from notifications.events import FEEDBACK_RELEASED
from notifications.services import notify
from submissions.services.status import team_recipients

from ..enums import CommentState, ReviewState, RoundStatus
from ..models import FeedbackComment, Review, Round, Score, ScreeningOutcome
from . import JudgingError

#: What staff may do to a shared comment.
APPROVE, EDIT, WITHHOLD = "approve", "edit", "withhold"


@dataclass
class CriterionFeedback:
    criterion: object
    mean: Decimal
    low: Decimal
    high: Decimal
    standing: int
    of: int


@dataclass
class EntryFeedback:
    """One entry's feedback in one round: what the rules are asked about, and its content."""

    round: Round
    submission: object
    criteria: list[CriterionFeedback] = field(default_factory=list)
    comments: list[FeedbackComment] = field(default_factory=list)
    screening: ScreeningOutcome | None = None


def _submitted(round_):
    return Review.objects.filter(round=round_, state=ReviewState.SUBMITTED, is_calibration=False)


def judged_in(round_, submission):
    """Whether the round judged the entry: a settled screening, or a submitted review."""
    if round_.is_screening:
        return ScreeningOutcome.objects.filter(round=round_, submission=submission).exists()
    return _submitted(round_).filter(submission=submission).exists()


def _quantize(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


def criterion_feedback(round_, submission):
    """Per criterion: the entry's mean, lowest and highest score on the criterion's scale,
    and its standing ("3rd of 12": 1 + the entries with a higher mean, ties share a place)
    among the round's entries scored on it. Two queries whatever the number of entries."""
    criteria = list(round_.criteria.order_by("position", "id"))
    rows = (
        Score.objects.filter(
            review__in=_submitted(round_), value__isnull=False, criterion__round=round_
        )
        .values("criterion_id", "review__submission_id")
        .annotate(mean=Avg("value"), low=Min("value"), high=Max("value"), n=Count("id"))
    )
    means, mine = {}, {}
    for row in rows:
        mean = _quantize(row["mean"])
        means.setdefault(row["criterion_id"], []).append(mean)
        if row["review__submission_id"] == submission.pk:
            mine[row["criterion_id"]] = (mean, row["low"], row["high"])
    found = []
    for c in criteria:
        if c.id not in mine:
            continue
        mean, low, high = mine[c.id]
        others = means[c.id]
        found.append(
            CriterionFeedback(
                criterion=c,
                mean=mean,
                low=Decimal(low),
                high=Decimal(high),
                standing=1 + sum(1 for m in others if m > mean),
                of=len(others),
            )
        )
    return found


def entry_feedback(round_, submission):
    """The feedback the entry's team reads (the view checks ``judging.view_feedback``)."""
    feedback = EntryFeedback(round=round_, submission=submission)
    if round_.is_screening:
        feedback.screening = ScreeningOutcome.objects.filter(
            round=round_, submission=submission
        ).first()
        return feedback
    feedback.criteria = criterion_feedback(round_, submission)
    feedback.comments = list(
        FeedbackComment.objects.filter(
            round=round_, submission=submission, state=CommentState.APPROVED
        )
        .select_related("criterion")
        .only("text", "criterion__name", "criterion__name_ru", "criterion__name_en")
    )
    return feedback


@transaction.atomic
def collect_comments(*, round_, by):
    """Take every shared comment of the round's submitted reviews into moderation, once.

    Idempotent: a comment already collected keeps its moderation. Returns the number of new
    comments waiting. Side effects: ``FeedbackComment`` rows (pending).
    """
    require(by, "challenges.manage_challenge", round_.challenge)
    if round_.is_screening:
        return 0
    have = set(
        FeedbackComment.objects.filter(round=round_).values_list("review_id", "criterion_id")
    )
    new = []
    for review_id, submission_id, criterion_id, text in (
        Score.objects.filter(review__in=_submitted(round_), share_comment=True)
        .exclude(comment="")
        .values_list("review_id", "review__submission_id", "criterion_id", "comment")
    ):
        if (review_id, criterion_id) not in have:
            new.append((review_id, submission_id, criterion_id, text))
    for review_id, submission_id, text in (
        _submitted(round_)
        .filter(share_overall=True)
        .exclude(overall_comment="")
        .values_list("id", "submission_id", "overall_comment")
    ):
        if (review_id, None) not in have:
            new.append((review_id, submission_id, None, text))
    FeedbackComment.objects.bulk_create(
        [
            FeedbackComment(
                round=round_,
                submission_id=s,
                review_id=r,
                criterion_id=c,
                original=text,
                text=text,
            )
            for r, s, c, text in new
        ],
        ignore_conflicts=True,
    )
    return len(new)


@transaction.atomic
def moderate(*, comment, by, action, text=""):
    """Approve, edit (and so approve) or withhold one shared comment.

    An edit keeps the juror's original (``FeedbackComment.original`` and the audit entry).
    Side effects: audit ``judging.feedback.approved`` / ``.edited`` / ``.withheld``.
    """
    locked = (
        FeedbackComment.objects.select_for_update()
        .select_related("round__challenge")
        .get(pk=comment.pk)
    )
    require(by, "challenges.manage_challenge", locked.round.challenge)
    before = locked.text
    if action == APPROVE:
        locked.state = CommentState.APPROVED
    elif action == EDIT:
        text = (text or "").strip()
        if not text:
            raise JudgingError(_("Write the text the team will read, or withhold the comment."))
        locked.text, locked.state = text, CommentState.APPROVED
    elif action == WITHHOLD:
        locked.state = CommentState.WITHHELD
    else:
        raise JudgingError(_("Choose approve, edit or withhold."))
    locked.moderated_by, locked.moderated_at = by, timezone.now()
    locked.save(update_fields=["state", "text", "moderated_by", "moderated_at"])
    data = {"comment": locked.pk, "submission": locked.submission_id}
    if action == EDIT:
        data.update(original=locked.original, before=before, after=locked.text)
    record(
        action={
            APPROVE: "judging.feedback.approved",
            EDIT: "judging.feedback.edited",
            WITHHOLD: "judging.feedback.withheld",
        }[action],
        obj=locked.round,
        by=by,
        **data,
    )
    comment.text, comment.state = locked.text, locked.state
    return locked


def releasable(round_):
    """The translated reason the round's feedback cannot be released yet, or ``None``."""
    if round_.feedback_released_at is not None:
        return _("The feedback of this round has been released.")
    if round_.is_screening:
        if round_.status not in (RoundStatus.LOCKED, RoundStatus.PUBLISHED):
            return _("Lock the screening round before releasing its feedback.")
    elif round_.status != RoundStatus.PUBLISHED:
        return _("Publish the round's results before releasing feedback.")
    if FeedbackComment.objects.filter(round=round_, state=CommentState.PENDING).exists():
        return _("Moderate every shared comment before releasing the feedback.")
    return None


@transaction.atomic
def release_feedback(*, round_, by):
    """Let every judged entry's team read its feedback, and tell each team once.

    Refused before the results are published (a screening round: locked), while a shared
    comment waits for moderation, or a second time. Side effects: ``Round.feedback_released_at``
    (the appeal window starts), one ``judging.feedback_released`` notification per entry to
    its team in the reader's language, audit ``judging.feedback.released``. Returns the
    number of entries told.
    """
    require(by, "challenges.manage_challenge", round_.challenge)
    locked = Round.objects.select_for_update().select_related("challenge").get(pk=round_.pk)
    if not locked.is_screening:
        collect_comments(round_=locked, by=by)
    problem = releasable(locked)
    if problem:
        raise JudgingError(problem)
    if locked.is_screening:
        entries = ScreeningOutcome.objects.filter(round=locked).values("submission_id")
    else:
        entries = _submitted(locked).values("submission_id")
    from submissions.models import Submission

    submissions = list(
        Submission.objects.filter(pk__in=entries).select_related("team", "owner").order_by("pk")
    )
    names = every_language(lambda: locked.display_name)
    now = timezone.now()
    locked.feedback_released_at, locked.feedback_released_by = now, by
    locked.save(update_fields=["feedback_released_at", "feedback_released_by"])
    for entry in submissions:
        notify(
            event=FEEDBACK_RELEASED,
            recipients=team_recipients(entry),
            context={
                "round": names,
                "entry": entry.title,
                "appeal_days": locked.appeal_days,
                "url": reverse("judging:feedback", args=[entry.pk, locked.pk]),
            },
            obj=entry,
            by=by,
        )
    record(action="judging.feedback.released", obj=locked, by=by, entries=len(submissions))
    round_.feedback_released_at, round_.feedback_released_by = now, by
    return len(submissions)
