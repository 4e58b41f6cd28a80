"""``{% load judging_tags %}{% published_results challenge %}`` for the CMS challenge page."""

from django import template

from submissions.enums import SubmissionStatus
from submissions.models import Submission

from ..selectors import published_results as _published

register = template.Library()

#: Statuses shown publicly; the rest of the ranking stays internal. An incubated entry was
#: a winner or finalist before incubation took it in.
PUBLIC_STATUSES = {SubmissionStatus.WINNER, SubmissionStatus.FINALIST, SubmissionStatus.INCUBATED}


def public_rows(challenge, *, limit=None):
    """The published ranking of ``challenge``: winners, finalists and the entries incubated
    since, in rank order."""
    publication = _published(challenge)
    if publication is None:
        return None
    labels = dict(SubmissionStatus.choices)
    # Winners are often chosen after the ranking is published: use today's statuses.
    current = dict(
        Submission.objects.filter(id__in=[r["entry_id"] for r in publication.rows]).values_list(
            "id", "status"
        )
    )
    rows = []
    for row in publication.rows:
        status = current.get(row["entry_id"], row["status"])
        if status in PUBLIC_STATUSES:
            rows.append({**row, "status": status, "status_label": labels.get(status, "")})
    return {"round": publication.round, "rows": rows[:limit] if limit else rows}


@register.inclusion_tag("judging/includes/public_results.html")
def published_results(challenge, limit=None):
    return {"results": public_rows(challenge, limit=limit) if challenge else None}
