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
    # Winners are often chosen after the ranking is published: use today's statuses. The
    # frozen rows keep the track's name in the language of the day; name it in the reader's.
    current = {
        entry.id: entry
        for entry in Submission.objects.filter(
            id__in=[r["entry_id"] for r in publication.rows]
        ).select_related("track")
    }
    rows = []
    for row in publication.rows:
        entry = current.get(row["entry_id"])
        status = entry.status if entry else row["status"]
        if status in PUBLIC_STATUSES:
            track = str(entry.track) if entry and entry.track else row.get("track", "")
            rows.append(
                {**row, "track": track, "status": status, "status_label": labels.get(status, "")}
            )
    rows = rows[:limit] if limit else rows
    shown = [row["rank"] for row in rows]
    margins = []
    for first, last in publication.margins or []:
        inside = [rank for rank in shown if first <= rank <= last]
        if len(inside) >= 2:  # one place alone is within no margin the reader sees
            margins.append((inside[0], inside[-1]))
    return {"round": publication.round, "rows": rows, "margins": margins}


@register.inclusion_tag("judging/includes/public_results.html")
def published_results(challenge, limit=None):
    return {"results": public_rows(challenge, limit=limit) if challenge else None}
