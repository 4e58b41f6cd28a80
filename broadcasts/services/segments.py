"""Who is in a broadcast's segment: one queryset of active users per segment.

* **entrants** — the owner of every entry of the challenge that was not withdrawn, and every
  member of its team (drafts included: they are taking part);
* **track** — the same, for the entries in one track;
* **drafts** — the people of entries still in draft (not yet submitted);
* **finalists** — the people of entries that reached the final (finalist or winner);
* **jurors** — active jurors of the challenge with at least one assigned review not
  submitted yet;
* **mentors** — mentors of the challenge's incubated projects in one cohort.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from core.errors import Refused
from incubation.models import Project
from judging.enums import JurorStatus, ReviewState
from judging.models import Juror
from submissions.enums import SubmissionStatus
from submissions.models import Submission, TeamMembership

from ..enums import Segment


def members(*, challenge, segment, track=None, cohort=None):
    """The active users in ``segment`` of ``challenge`` (a queryset, each person once)."""
    users = get_user_model().objects.filter(is_active=True)
    if segment in (Segment.ENTRANTS, Segment.TRACK, Segment.DRAFTS, Segment.FINALISTS):
        entries = Submission.objects.filter(challenge=challenge).exclude(
            status=SubmissionStatus.WITHDRAWN
        )
        if segment == Segment.TRACK:
            entries = entries.filter(track=track)
        elif segment == Segment.DRAFTS:
            entries = entries.filter(status=SubmissionStatus.DRAFT)
        elif segment == Segment.FINALISTS:
            entries = entries.filter(
                status__in=[SubmissionStatus.FINALIST, SubmissionStatus.WINNER]
            )
        teams = TeamMembership.objects.filter(
            team__in=entries.exclude(team=None).values("team")
        ).values("user")
        return users.filter(Q(pk__in=entries.values("owner")) | Q(pk__in=teams))
    if segment == Segment.JURORS:
        jurors = Juror.objects.filter(
            challenge=challenge,
            status=JurorStatus.ACTIVE,
            reviews__round__challenge=challenge,
            reviews__state__in=[ReviewState.ASSIGNED, ReviewState.DRAFT],
        ).values("user")
        return users.filter(pk__in=jurors)
    if segment == Segment.MENTORS:
        mentors = Project.objects.filter(challenge=challenge, cohort=cohort).values("mentors")
        return users.filter(pk__in=mentors)
    raise Refused(_("Choose who the message is for."), code="segment", field="segment")


def of(broadcast):
    return members(
        challenge=broadcast.challenge,
        segment=broadcast.segment,
        track=broadcast.track,
        cohort=broadcast.cohort,
    )


def cohorts_of(challenge):
    """The cohorts a broadcast of ``challenge`` may address (those the challenge feeds)."""
    return challenge.cohorts.order_by("starts_on", "pk")
