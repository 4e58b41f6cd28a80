"""Builders for the hackathon tests."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import ChallengeFactory, EventFactory, UserFactory, participant, with_phases


def hackathon(*, capacity=2, admission="in_order", slug=None, **fields):
    extra = {"slug": slug} if slug else {}
    challenge = with_phases(ChallengeFactory(kind="hackathon", **extra))
    return EventFactory(challenge=challenge, capacity=capacity, admission=admission, **fields)


def staff_of(event):
    user = UserFactory(is_staff=True)
    event.challenge.managers.add(user)
    return user


def people(n, **profile):
    return [participant(language="en", **profile) for _ in range(n)]


def closed_window(event):
    event.registration_opens = timezone.now() - timedelta(days=3)
    event.registration_closes = timezone.now() - timedelta(minutes=1)
    event.save()
