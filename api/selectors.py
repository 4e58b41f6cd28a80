"""The reads behind the public API: only what the public pages show.

A challenge is public while a live, public page presents it. The page tree belongs to the
cms app, which domain apps do not import; cms answers through the Wagtail hook
``PUBLIC_CHALLENGES`` (a subquery of challenge ids, ``cms/api.py``). Without an answer no
challenge is public: the API fails closed.
"""

from django.db.models import Prefetch
from django.utils import timezone
from wagtail import hooks

from challenges.enums import ChallengeStatus
from challenges.models import Challenge, Phase, Prize
from challenges.services.phases import current_phase, status_for

PUBLIC_CHALLENGES = "tanlov_public_challenge_ids"

#: Listing order: what one can still enter first, then what is coming, then the rest.
STATUS_ORDER = {
    ChallengeStatus.OPEN: 0,
    ChallengeStatus.UPCOMING: 1,
    ChallengeStatus.JUDGING: 2,
    ChallengeStatus.CLOSED: 3,
}


def public_challenges():
    """The challenges a live, public page presents, with their phases and tracks."""
    answers = [hook() for hook in hooks.get_hooks(PUBLIC_CHALLENGES)]
    if not answers:
        return Challenge.objects.none()
    found = Challenge.objects.all()
    for ids in answers:
        found = found.filter(pk__in=ids)
    return found.prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts_at")), "tracks"
    )


def with_status(challenges, *, when=None):
    """``(challenge, status, phase)`` for each challenge: its public status and current
    phase, derived by the challenges app's own rules from the prefetched phases."""
    when = when or timezone.now()
    rows = []
    for challenge in challenges:
        phases = list(challenge.phases.all())
        rows.append((challenge, status_for(phases, when), current_phase(phases, when)))
    rows.sort(key=lambda row: (STATUS_ORDER[row[1]], row[0].slug))
    return rows


def prizes_of(challenge):
    return list(Prize.objects.filter(challenge=challenge).select_related("track"))
