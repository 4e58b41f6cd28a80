"""Judging's section of a person's data (``core.personal_data``): the feedback on their
entries exactly as released to their team (``services.feedback.entry_feedback`` of the
rounds ``selectors.released_feedback`` names) — aggregates and approved comments only,
never a juror or a single score — and the appeals their team filed."""

from submissions.services.personal_data import entries_of

from ..selectors import released_feedback
from .feedback import entry_feedback


def _round(round_, submission):
    feedback = entry_feedback(round_, submission)
    data = {"entry": submission.pk, "round": str(round_.display_name)}
    if feedback.screening is not None:
        data["screening"] = {
            "verdict": feedback.screening.verdict,
            "reason": feedback.screening.reason,
        }
        return data
    data["criteria"] = [
        {
            "criterion": str(row.criterion.display_name),
            "mean": str(row.mean),
            "low": str(row.low),
            "high": str(row.high),
            "standing": row.standing,
            "of": row.of,
        }
        for row in feedback.criteria
    ]
    data["comments"] = [comment.text for comment in feedback.comments]
    return data


def export_reviews(user):
    rows = []
    for submission in entries_of(user).order_by("pk"):
        rows.extend(_round(round_, submission) for round_ in released_feedback(submission))
    return rows


def export_appeals(user):
    return [
        {
            "entry": appeal.submission_id,
            "round": str(appeal.round.display_name),
            "reason": appeal.reason,
            "status": appeal.status,
            "filed_at": appeal.filed_at.isoformat(),
            "response": appeal.response if appeal.decided_at else "",
        }
        for appeal in _appeals(user)
    ]


def _appeals(user):
    from ..models import Appeal

    return Appeal.objects.filter(submission__in=entries_of(user)).select_related("round")


def export_jury_roles(user):
    from ..models import Juror

    return [
        {"challenge": juror.challenge.slug, "email": juror.email, "status": juror.status}
        for juror in Juror.objects.filter(user=user).select_related("challenge").order_by("pk")
    ]


def erase(user, *, by):
    """Jury roles keep their reviews (scores must not change) but not the address."""
    from core.personal_data import PLACEHOLDER_DOMAIN

    from ..models import Juror

    for juror in Juror.objects.filter(user=user):
        juror.email = f"juror-{juror.pk}@{PLACEHOLDER_DOMAIN}"
        juror.save(update_fields=["email"])
