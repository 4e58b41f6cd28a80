"""Builders for the people's choice tests: a vote around now, gallery entries, voters."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from submissions.models import SubmissionVersion
from tests.factories import ChallengeFactory, SubmissionFactory, TrackFactory, UserFactory
from voting.models import GalleryConsent, PeoplesChoice

_numbers = count(1)


def make_vote(challenge=None, *, opens=-1, closes=1, **kw):
    """A vote on ``challenge`` that opened ``opens`` days from now and closes ``closes``."""
    challenge = challenge or ChallengeFactory()
    now = timezone.now()
    return PeoplesChoice.objects.create(
        challenge=challenge,
        opens_at=now + timedelta(days=opens),
        closes_at=now + timedelta(days=closes),
        **kw,
    )


def make_entry(peoples_choice, *, consent=True, status="submitted", track=None, **kw):
    """A submitted entry of the vote's challenge with a frozen version (summary, video)."""
    entry = SubmissionFactory(challenge=peoples_choice.challenge, status=status, track=track, **kw)
    version = SubmissionVersion.objects.create(
        submission=entry,
        number=1,
        data={
            "title": entry.title,
            "answers": [
                {"key": "summary", "type": "long_text", "value": f"Summary of {entry.title}"},
                {"key": "video_url", "type": "url", "value": "https://example.org/video"},
            ],
        },
        created_by=entry.owner,
    )
    entry.current_version = version
    entry.save(update_fields=["current_version"])
    if consent:
        GalleryConsent.objects.create(submission=entry, given_by=entry.owner)
    return entry


def voter(*, age=timedelta(days=60), verified=True, **kw):
    """An account created ``age`` ago (verified e-mail unless told otherwise)."""
    user = UserFactory(username=f"voter{next(_numbers)}", **kw)
    user.date_joined = timezone.now() - age
    user.save(update_fields=["date_joined"])
    if not verified:
        user.emailaddress_set.update(verified=False)
    return user


def track_of(challenge):
    return TrackFactory(challenge=challenge)
